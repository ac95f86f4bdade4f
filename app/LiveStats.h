#pragma once

#include "Gateway.h"
#include "log/RequestRecord.h"

#include <QList>
#include <QObject>

class QTimer;

namespace gh {

// The Overview's live numbers, from RequestLog's 250 ms batches: requests and errors
// (status >= 400 or an error) per second over the last two minutes, and the spend of the
// current UTC day (the log's total at start, then every written record added once).
class LiveStats : public QObject
{
    Q_OBJECT

public:
    static constexpr int Samples = 120;

    explicit LiveStats(Gateway *gateway, QObject *parent = nullptr);

    // Oldest first, one value per second; the newest is the last full second.
    const QList<double> &requestsPerSecond() const { return m_requests; }
    const QList<double> &errorsPerSecond() const { return m_errors; }
    // Spend today (UTC) at each second.
    const QList<double> &spendToday() const { return m_spend; }
    double currentSpendToday() const { return m_spendToday; }
    // Requests and errors within the last minute.
    qint64 requestsLastMinute() const;
    qint64 errorsLastMinute() const;
    bool baselineLoaded() const { return m_baselineLoaded; }

public Q_SLOTS:
    // Closes the current second and emits sampled() (the timer does this every second).
    void sample();
    // Reads today's spend from the log again (after the data dir changed).
    void reloadBaseline();

Q_SIGNALS:
    void sampled();

private:
    void add(const QList<RequestRecord> &records);
    void push(QList<double> &series, double value);

    Gateway *m_gateway;
    QTimer *m_ticker;
    QList<double> m_requests, m_errors, m_spend;
    qint64 m_tickRequests = 0;
    qint64 m_tickErrors = 0;
    double m_spendToday = 0;
    qint64 m_dayStartMs = 0;
    bool m_baselineLoaded = false;
    Gateway::State m_lastState = Gateway::State::Closed;
    quint64 m_baselineGeneration = 0;
    // Until the baseline arrives: what came live, to add what the baseline did not count.
    QList<std::pair<qint64, double>> m_sinceBaseline;
};

} // namespace gh
