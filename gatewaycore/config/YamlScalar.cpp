#include "YamlScalar.h"

#include <QRegularExpression>

#include <cmath>

namespace gh {

QJsonValue YamlScalar::resolvePlain(const QString &text)
{
    if (text.isEmpty() || text == QLatin1String("~") || text == QLatin1String("null") ||
        text == QLatin1String("Null") || text == QLatin1String("NULL")) {
        return QJsonValue(QJsonValue::Null);
    }
    if (text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
        return true;
    if (text.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
        return false;

    static const QRegularExpression decimal(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression prefixed(QStringLiteral("^0(x[0-9a-fA-F]+|o[0-7]+)$"));
    static const QRegularExpression floating(
        QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));

    if (decimal.match(text).hasMatch()) {
        bool ok = false;
        const qint64 value = text.toLongLong(&ok, 10);
        if (ok)
            return value;
        return text.toDouble(); // beyond 64 bits: keep the magnitude
    }
    if (prefixed.match(text).hasMatch()) {
        bool ok = false;
        const qint64 value = text.mid(2).toLongLong(&ok, text.at(1) == u'x' ? 16 : 8);
        if (ok)
            return value;
        return text;
    }
    if (floating.match(text).hasMatch()) {
        const double value = text.toDouble();
        if (std::isfinite(value))
            return value;
    }
    return text;
}

} // namespace gh
