#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace gh {

// Prometheus text exposition format 0.0.4: one HELP and TYPE line per family, then its
// samples; label values escaped (\\, \", \n); numbers as Go's strconv would accept them.
class PrometheusWriter
{
public:
    using Labels = QList<std::pair<QString, QString>>;

    void family(const char *name, const char *type, const char *help);
    void sample(const char *name, const Labels &labels, double value);
    void sample(const char *name, const Labels &labels, quint64 value);
    QByteArray text() const { return m_out; }

    static QByteArray formatValue(double value);
    static QByteArray escapeLabel(const QString &value);

private:
    void labelsAndName(const char *name, const Labels &labels);
    QByteArray m_out;
};

} // namespace gh
