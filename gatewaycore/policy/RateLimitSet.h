#pragma once

#include <QString>

#include <functional>
#include <memory>
#include <unordered_map>

namespace gh {

class ConcurrencyLimiter;
class RateLimitGrant;
class TokenBucket;

// The rate limits of one config (SPEC §3 routes[].rate_limit, consumers[].rate_limit),
// compiled by the Gateway's RateLimiter. Immutable; the buckets and counters it points
// to are shared by every worker (and with later configs whose limit is unchanged).
class RateLimitSet : public std::enable_shared_from_this<RateLimitSet>
{
public:
    using Clock = std::function<qint64()>; // steady ns

    // One route's or consumer's limits; each is null when not configured.
    struct Limits
    {
        std::shared_ptr<TokenBucket> perSecond; // requests_per_second, holds `burst`
        std::shared_ptr<TokenBucket> perMinute; // requests_per_minute
        std::shared_ptr<TokenBucket> tokens;    // tokens_per_minute (consumers, AI)
        std::shared_ptr<ConcurrencyLimiter> concurrent;
        double perSecondRate = 0; // as configured, for messages
    };

    explicit RateLimitSet(Clock clock);

    void setRoute(const QString &name, Limits limits) { m_routes[name] = std::move(limits); }
    void setConsumer(const QString &name, Limits limits) { m_consumers[name] = std::move(limits); }
    const Limits *route(const QString &name) const;
    const Limits *consumer(const QString &name) const;
    bool isEmpty() const { return m_routes.empty() && m_consumers.empty(); }
    qint64 now() const { return m_clock(); }

    // Checks and takes one request from the route's limits (empty route: an AI endpoint)
    // and then the consumer's; `aiTokens`: the consumer's token bucket must not be empty.
    // Null when no limit applies. A refusal takes nothing.
    std::shared_ptr<RateLimitGrant> admit(const QString &route, const QString &consumer,
                                          bool aiTokens) const;

private:
    // FNV-1a over the UTF-16 code units: names are short, and QHash's seeded qHash cost
    // a few hundred ns per lookup here (bench/bench_ratelimiter, BM_AdmitNoLimit).
    struct NameHash
    {
        size_t operator()(const QString &name) const noexcept;
    };

    Clock m_clock;
    std::unordered_map<QString, Limits, NameHash> m_routes;
    std::unordered_map<QString, Limits, NameHash> m_consumers;
};

} // namespace gh
