#include "NumberEdit.h"

#include <QJsonObject>
#include <QRegularExpressionValidator>

#include <cmath>

namespace gh {

NumberEdit::NumberEdit(Kind kind, QWidget *parent)
    : QLineEdit(parent)
    , m_kind(kind)
{
    // A sign is allowed so that "-1" reaches the validation and gets its message.
    const QString pattern = kind == Kind::Integer ? QStringLiteral("-?[0-9]{0,15}")
                                                  : QStringLiteral("-?[0-9]{0,15}([.][0-9]{0,9})?");
    setValidator(new QRegularExpressionValidator(QRegularExpression(pattern), this));
    setClearButtonEnabled(true);
    setMaximumWidth(fontMetrics().horizontalAdvance(QLatin1Char('0')) * 22);
}

QString NumberEdit::format(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isDouble())
        return value.toVariant().toString();
    const double number = value.toDouble();
    if (std::trunc(number) == number && std::abs(number) < 1e15)
        return QString::number(qint64(number));
    return QString::number(number, 'g', 15);
}

void NumberEdit::setValue(const QJsonValue &value)
{
    m_loaded = value;
    m_loadedText = format(value);
    setText(m_loadedText);
}

QJsonValue NumberEdit::value() const
{
    const QString current = text().trimmed();
    if (current.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    if (current == m_loadedText && !m_loaded.isUndefined() && !m_loaded.isNull())
        return m_loaded;
    bool ok = false;
    const qint64 integer = current.toLongLong(&ok);
    if (ok)
        return QJsonValue(integer);
    const double number = current.toDouble(&ok);
    if (ok && m_kind == Kind::Decimal)
        return QJsonValue(number);
    return QJsonValue(current);
}

void NumberEdit::writeTo(QJsonObject &object, const QString &key) const
{
    const QJsonValue current = value();
    if (current.isUndefined())
        object.remove(key);
    else
        object.insert(key, current);
}

} // namespace gh
