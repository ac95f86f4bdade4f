#pragma once

#include <QComboBox>

namespace gh {

class StringListEdit;

// A drop-down next to a StringListEdit offering the names the user is likely to want
// (the configured public models, the consumers); picking one adds it to the list unless
// it is there already. The first entry is the prompt and stays selected.
class ValuePicker : public QComboBox
{
    Q_OBJECT

public:
    ValuePicker(const QString &prompt, StringListEdit *target, QWidget *parent = nullptr);

    void setChoices(const QStringList &choices);
    QStringList choices() const;
    // What picking `value` does (also for tests).
    void pick(const QString &value);

private:
    StringListEdit *m_target;
};

} // namespace gh
