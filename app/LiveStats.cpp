#include "LiveStats.h"

#include "Futures.h"
#include "Gateway.h"
#include "log/RequestLog.h"
#include "store/RequestLogReader.h"

#include <QDateTime>
#include <QTimeZone>
#include <QTimer>

namespace gh {

namespace {

qint64 utcDayStart(qint64 ms)
{
    return ms - ms % 86400000;
}

} // namespace

LiveStats::LiveStats(Gateway *gateway, QObject *parent)
    : QObject(parent)
    , m_gateway(gateway)
    , m_ticker(new QTimer(this))
{
    m_requests.fill(0, Samples);
    m_errors.fill(0, Samples);
    m_spend.fill(0, Samples);
    if (RequestLog *log = gateway->requestLog())
        connect(log, &RequestLog::recordsWritten, this, &LiveStats::add);
    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, &LiveStats::sample);
    m_ticker->start();
    // A (re)opened data dir is another log: read its day from the start.
    connect(gateway, &Gateway::stateChanged, this, [this](Gateway::State state) {
        if (state == Gateway::State::Stopped && m_lastState == Gateway::State::Closed)
            reloadBaseline();
        m_lastState = state;
    });
    m_lastState = gateway->state();
    reloadBaseline();
}

void LiveStats::reloadBaseline()
{
    const quint64 generation = ++m_baselineGeneration;
    m_baselineLoaded = false;
    m_sinceBaseline.clear();
    m_dayStartMs = utcDayStart(QDateTime::currentMSecsSinceEpoch());
    const qint64 dayStart = m_dayStartMs;
    whenFinished(m_gateway->logReader()->totalsSince(dayStart), this,
                 [this, generation,
                  dayStart](const RequestLogReader::Result<RequestLogQuery::Totals> &result) {
                     if (generation != m_baselineGeneration || dayStart != m_dayStartMs)
                         return;
                     double spend = result.value ? result.value->costUsd : 0;
                     const qint64 maxId = result.value ? result.value->maxId : 0;
                     for (const auto &[id, cost] : std::as_const(m_sinceBaseline)) {
                         if (id > maxId)
                             spend += cost;
                     }
                     m_sinceBaseline.clear();
                     m_spendToday = spend;
                     m_baselineLoaded = true;
                 });
}

void LiveStats::add(const QList<RequestRecord> &records)
{
    for (const RequestRecord &r : records) {
        ++m_tickRequests;
        if (r.status >= 400 || !r.error.isEmpty())
            ++m_tickErrors;
        if (!r.costUsd || utcDayStart(r.tsMs) != m_dayStartMs)
            continue;
        if (m_baselineLoaded)
            m_spendToday += *r.costUsd;
        else
            m_sinceBaseline.append({r.id, *r.costUsd});
    }
}

void LiveStats::push(QList<double> &series, double value)
{
    series.removeFirst();
    series.append(value);
}

void LiveStats::sample()
{
    // A new UTC day starts from nothing.
    const qint64 today = utcDayStart(QDateTime::currentMSecsSinceEpoch());
    if (today != m_dayStartMs) {
        m_dayStartMs = today;
        m_spendToday = 0;
        m_sinceBaseline.clear();
        m_baselineLoaded = true;
        ++m_baselineGeneration;
    }
    push(m_requests, double(m_tickRequests));
    push(m_errors, double(m_tickErrors));
    push(m_spend, m_spendToday);
    m_tickRequests = 0;
    m_tickErrors = 0;
    Q_EMIT sampled();
}

qint64 LiveStats::requestsLastMinute() const
{
    double sum = 0;
    for (qsizetype i = m_requests.size() - 60; i < m_requests.size(); ++i)
        sum += m_requests.at(i);
    return qint64(sum);
}

qint64 LiveStats::errorsLastMinute() const
{
    double sum = 0;
    for (qsizetype i = m_errors.size() - 60; i < m_errors.size(); ++i)
        sum += m_errors.at(i);
    return qint64(sum);
}

} // namespace gh
