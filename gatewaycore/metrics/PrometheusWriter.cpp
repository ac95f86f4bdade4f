#include "PrometheusWriter.h"

#include <QLocale>

#include <cmath>

namespace gh {

void PrometheusWriter::family(const char *name, const char *type, const char *help)
{
    m_out += QByteArray("# HELP ") + name + ' ' + help + '\n';
    m_out += QByteArray("# TYPE ") + name + ' ' + type + '\n';
}

QByteArray PrometheusWriter::escapeLabel(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusWriter::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    // Integers exactly, the rest with enough digits to round-trip.
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

void PrometheusWriter::labelsAndName(const char *name, const Labels &labels)
{
    m_out += name;
    if (labels.isEmpty())
        return;
    m_out += '{';
    bool first = true;
    for (const auto &[label, value] : labels) {
        if (!first)
            m_out += ',';
        first = false;
        m_out += label.toLatin1() + "=\"" + escapeLabel(value) + '"';
    }
    m_out += '}';
}

void PrometheusWriter::sample(const char *name, const Labels &labels, double value)
{
    labelsAndName(name, labels);
    m_out += ' ' + formatValue(value) + '\n';
}

void PrometheusWriter::sample(const char *name, const Labels &labels, quint64 value)
{
    labelsAndName(name, labels);
    m_out += ' ' + QByteArray::number(value) + '\n';
}

} // namespace gh
