#pragma once

#include "RateLimitSet.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>

#include <functional>
#include <memory>

namespace gh {

class ConcurrencyLimiter;
class TokenBucket;

// The gateway's rate limit state, shared by all workers and kept across config reloads
// (owned by the Gateway, handed to each worker's GatewayHandler by the handler factory).
// Each config is compiled once into a RateLimitSet; a bucket is keyed by its route or
// consumer name and its settings, so an unchanged limit keeps its state through a reload
// and a changed one starts full. The per-request path (RateLimitSet::admit) is lock-free;
// the mutex here is only taken when a worker first sees a new config.
class RateLimiter
{
public:
    using Clock = RateLimitSet::Clock;

    // clock: steady ns; tests inject their own.
    explicit RateLimiter(Clock clock = {});
    RateLimiter(const RateLimiter &) = delete;
    RateLimiter &operator=(const RateLimiter &) = delete;

    // The limits of config `generation` (normalized SPEC §3 document), compiled once.
    std::shared_ptr<const RateLimitSet> limitsFor(quint64 generation, const QJsonObject &config);
    // Compiles without caching by generation (buckets still shared by key).
    std::shared_ptr<const RateLimitSet> compile(const QJsonObject &config);
    qint64 now() const { return m_clock(); }

    // OpenAI's x-ratelimit-reset-* format (Go durations, to the millisecond, rounded up):
    // "0s", "20ms", "1s", "8.64s", "6m0s", "1h2m3s".
    static QByteArray formatDuration(qint64 ns);
    static qint64 steadyNowNs();

private:
    std::shared_ptr<TokenBucket> bucket(const QString &key, double amount, qint64 periodNs,
                                        double capacity);
    std::shared_ptr<ConcurrencyLimiter> concurrency(const QString &key, int limit);

    Clock m_clock;
    QMutex m_mutex;
    quint64 m_generation = 0;
    std::shared_ptr<const RateLimitSet> m_current;
    QHash<QString, std::weak_ptr<TokenBucket>> m_buckets;
    QHash<QString, std::weak_ptr<ConcurrencyLimiter>> m_limiters;
};

} // namespace gh
