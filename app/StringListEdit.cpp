#include "StringListEdit.h"

namespace gh {

namespace {
constexpr int VisibleLines = 3;
}

StringListEdit::StringListEdit(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // Only changes of the values count, not an added blank line.
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        const QStringList current = values();
        if (current == m_lastValues)
            return;
        m_lastValues = current;
        Q_EMIT valuesChanged();
    });
}

QStringList StringListEdit::values() const
{
    QStringList result;
    const QStringList lines = toPlainText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString value = line.trimmed();
        if (!value.isEmpty())
            result.append(value);
    }
    return result;
}

void StringListEdit::setValues(const QStringList &values)
{
    setPlainText(values.join(QLatin1Char('\n')));
}

QString StringListEdit::describeItem(int index) const
{
    const QStringList current = values();
    if (index < 0 || index >= current.size())
        return tr("item %1").arg(index + 1);
    return tr("“%1”").arg(current.at(index));
}

QSize StringListEdit::sizeHint() const
{
    const int frame = 2 * frameWidth() + int(2 * document()->documentMargin());
    return {fontMetrics().horizontalAdvance(QLatin1Char('x')) * 30,
            fontMetrics().lineSpacing() * VisibleLines + frame};
}

QSize StringListEdit::minimumSizeHint() const
{
    return {QPlainTextEdit::minimumSizeHint().width(), sizeHint().height()};
}

} // namespace gh
