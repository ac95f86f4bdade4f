#include "WorkerMetrics.h"

#include "log/RequestRecord.h"

namespace gh {

size_t qHash(const WorkerMetrics::RequestKey &key, size_t seed)
{
    return qHashMulti(seed, key.route, key.promptApi, key.model, key.status);
}

size_t qHash(const WorkerMetrics::LatencyKey &key, size_t seed)
{
    return qHashMulti(seed, key.route, key.model);
}

size_t qHash(const WorkerMetrics::UsageKey &key, size_t seed)
{
    return qHashMulti(seed, key.provider, key.model, key.consumer);
}

size_t qHash(const WorkerMetrics::CacheKey &key, size_t seed)
{
    return qHashMulti(seed, key.kind, key.result);
}

void WorkerMetrics::Histogram::add(double seconds)
{
    for (size_t i = 0; i < Buckets.size(); ++i) {
        if (seconds <= Buckets[i]) {
            ++buckets[i];
            break;
        }
    }
    ++count;
    sum += seconds;
}

void WorkerMetrics::Histogram::merge(const Histogram &other)
{
    for (size_t i = 0; i < Buckets.size(); ++i)
        buckets[i] += other.buckets[i];
    count += other.count;
    sum += other.sum;
}

void WorkerMetrics::Totals::merge(const Totals &other)
{
    for (auto it = other.requests.begin(); it != other.requests.end(); ++it)
        requests[it.key()] += it.value();
    for (auto it = other.latency.begin(); it != other.latency.end(); ++it)
        latency[it.key()].merge(it.value());
    for (auto it = other.upstream.begin(); it != other.upstream.end(); ++it)
        upstream[it.key()].merge(it.value());
    for (auto it = other.usage.begin(); it != other.usage.end(); ++it) {
        Usage &usage = this->usage[it.key()];
        usage.tokensIn += it.value().tokensIn;
        usage.tokensOut += it.value().tokensOut;
        usage.costUsd += it.value().costUsd;
    }
    for (auto it = other.cache.begin(); it != other.cache.end(); ++it)
        cache[it.key()] += it.value();
    bytesIn += other.bytesIn;
    bytesOut += other.bytesOut;
}

void WorkerMetrics::record(const RequestRecord &record)
{
    // The route cache serves routes; anything else cached is the opt-in AI cache.
    const bool ai = record.route.isEmpty();
    QMutexLocker lock(&m_mutex);
    ++m_totals.requests[RequestKey{record.route, record.promptApi, record.model, record.status}];
    m_totals.latency[LatencyKey{record.route, record.model}].add(record.latencyMs / 1000.0);
    if (record.upstreamMs)
        m_totals.upstream[LatencyKey{record.route, record.model}].add(*record.upstreamMs / 1000.0);
    if (record.tokensIn || record.tokensOut || record.costUsd) {
        Usage &usage = m_totals.usage[UsageKey{record.provider, record.model, record.consumer}];
        usage.tokensIn += quint64(qMax<qint64>(record.tokensIn.value_or(0), 0));
        usage.tokensOut += quint64(qMax<qint64>(record.tokensOut.value_or(0), 0));
        usage.costUsd += record.costUsd.value_or(0);
    }
    if (!record.cache.isEmpty())
        ++m_totals.cache[CacheKey{ai ? QStringLiteral("ai") : QStringLiteral("route"),
                                  QString::fromLatin1(record.cache)}];
    m_totals.bytesIn += quint64(qMax<qint64>(record.bytesIn, 0));
    m_totals.bytesOut += quint64(qMax<qint64>(record.bytesOut, 0));
}

WorkerMetrics::Totals WorkerMetrics::totals() const
{
    QMutexLocker lock(&m_mutex);
    return m_totals;
}

} // namespace gh
