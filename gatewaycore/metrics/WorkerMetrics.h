#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

#include <array>

namespace gh {

struct RequestRecord;

// One gateway worker's counters for /metrics, fed from each finished request's record.
// The mutex is only ever contended by a scrape (MetricsRegistry::snapshot), never by
// another worker: each worker has its own WorkerMetrics.
class WorkerMetrics
{
public:
    // Upper bounds (seconds) of the latency histogram buckets; +Inf is implied.
    static constexpr std::array<double, 14> Buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                    1,     2.5,  5,     10,    30,  60,   120};

    struct RequestKey
    {
        QString route;
        QString promptApi;
        QString model;
        int status = 0;
        bool operator==(const RequestKey &) const = default;
    };
    struct LatencyKey
    {
        QString route;
        QString model;
        bool operator==(const LatencyKey &) const = default;
    };
    struct Histogram
    {
        std::array<quint64, Buckets.size()> buckets{}; // not cumulative here
        quint64 count = 0;
        double sum = 0;
        void add(double seconds);
        void merge(const Histogram &other);
    };
    struct UsageKey
    {
        QString provider;
        QString model;
        QString consumer;
        bool operator==(const UsageKey &) const = default;
    };
    struct Usage
    {
        quint64 tokensIn = 0;
        quint64 tokensOut = 0;
        double costUsd = 0;
    };
    struct CacheKey
    {
        QString kind;   // "route" | "ai"
        QString result; // "HIT" | "MISS"
        bool operator==(const CacheKey &) const = default;
    };

    // Everything counted so far (also the sum over workers, see MetricsRegistry).
    struct Totals
    {
        QHash<RequestKey, quint64> requests;
        QHash<LatencyKey, Histogram> latency;
        QHash<LatencyKey, Histogram> upstream;
        QHash<UsageKey, Usage> usage;
        QHash<CacheKey, quint64> cache;
        quint64 bytesIn = 0;
        quint64 bytesOut = 0;
        void merge(const Totals &other);
    };

    void record(const RequestRecord &record);
    Totals totals() const;

private:
    mutable QMutex m_mutex;
    Totals m_totals;
};

size_t qHash(const WorkerMetrics::RequestKey &key, size_t seed = 0);
size_t qHash(const WorkerMetrics::LatencyKey &key, size_t seed = 0);
size_t qHash(const WorkerMetrics::UsageKey &key, size_t seed = 0);
size_t qHash(const WorkerMetrics::CacheKey &key, size_t seed = 0);

} // namespace gh
