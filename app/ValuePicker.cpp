#include "ValuePicker.h"

#include "StringListEdit.h"

namespace gh {

ValuePicker::ValuePicker(const QString &prompt, StringListEdit *target, QWidget *parent)
    : QComboBox(parent)
    , m_target(target)
{
    addItem(prompt);
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(this, &QComboBox::activated, this, [this](int index) {
        if (index <= 0)
            return;
        const QString value = itemText(index);
        setCurrentIndex(0);
        pick(value);
    });
}

void ValuePicker::setChoices(const QStringList &choices)
{
    while (count() > 1)
        removeItem(1);
    addItems(choices);
    setEnabled(!choices.isEmpty());
}

QStringList ValuePicker::choices() const
{
    QStringList result;
    for (int i = 1; i < count(); ++i)
        result.append(itemText(i));
    return result;
}

void ValuePicker::pick(const QString &value)
{
    QStringList values = m_target->values();
    if (values.contains(value))
        return;
    values.append(value);
    m_target->setValues(values);
}

} // namespace gh
