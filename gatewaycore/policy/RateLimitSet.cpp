#include "RateLimitSet.h"

#include "ConcurrencyLimiter.h"
#include "RateLimitGrant.h"
#include "RateLimiter.h"
#include "TokenBucket.h"

#include <iterator>

namespace gh {

namespace {

constexpr qint64 SecondNs = 1000000000;

qint64 secondsUp(qint64 ns)
{
    return qMax<qint64>(1, (ns + SecondNs - 1) / SecondNs);
}

QString formatRate(double rate)
{
    return QString::number(rate, 'g', 12);
}

struct RequestLimit
{
    TokenBucket *bucket; // null: not configured
    const RateLimitSet::Limits *owner;
    bool perSecond;
};

} // namespace

RateLimitSet::RateLimitSet(Clock clock)
    : m_clock(std::move(clock))
{}

size_t RateLimitSet::NameHash::operator()(const QString &name) const noexcept
{
    quint64 hash = 14695981039346656037ULL;
    for (const QChar c : name) {
        hash ^= c.unicode();
        hash *= 1099511628211ULL;
    }
    return size_t(hash);
}

const RateLimitSet::Limits *RateLimitSet::route(const QString &name) const
{
    const auto it = m_routes.find(name);
    return it == m_routes.end() ? nullptr : &it->second;
}

const RateLimitSet::Limits *RateLimitSet::consumer(const QString &name) const
{
    const auto it = m_consumers.find(name);
    return it == m_consumers.end() ? nullptr : &it->second;
}

std::shared_ptr<RateLimitGrant>
RateLimitSet::admit(const QString &routeName, const QString &consumerName, bool aiTokens) const
{
    const Limits *routeLimits = routeName.isEmpty() ? nullptr : route(routeName);
    const Limits *consumerLimits = consumerName.isEmpty() ? nullptr : consumer(consumerName);
    if (!routeLimits && !consumerLimits)
        return nullptr;

    auto grant = std::make_shared<RateLimitGrant>();
    grant->m_set = shared_from_this();
    if (aiTokens && consumerLimits)
        grant->m_tokens = consumerLimits->tokens;
    const qint64 now = m_clock();
    const auto refuse = [&](RateLimitGrant::Refusal refusal, const QString &message,
                            qint64 retryAfterNs) {
        grant->release();
        grant->m_refusal = refusal;
        grant->m_message = message;
        grant->m_retryAfterS = secondsUp(retryAfterNs);
        return grant;
    };

    // An empty token bucket refuses before anything is taken (tokens are charged after).
    if (grant->m_tokens) {
        const TokenBucket::State tokens = grant->m_tokens->peek(now);
        if (!tokens.allowed)
            return refuse(RateLimitGrant::Refusal::Tokens,
                          QStringLiteral("token rate limit reached for consumer %1: %2 tokens "
                                         "per minute")
                              .arg(consumerName)
                              .arg(grant->m_tokens->capacity()),
                          tokens.retryAfterNs);
    }

    const Limits *const scopes[] = {routeLimits, consumerLimits};
    const auto scopeName = [&](const Limits *limits) {
        return limits == routeLimits ? QStringLiteral("route %1").arg(routeName)
                                     : QStringLiteral("consumer %1").arg(consumerName);
    };
    for (const Limits *limits : scopes) {
        if (!limits || !limits->concurrent)
            continue;
        if (!limits->concurrent->tryAcquire())
            return refuse(RateLimitGrant::Refusal::Concurrent,
                          QStringLiteral("concurrency limit reached for %1: %2 requests at once")
                              .arg(scopeName(limits))
                              .arg(limits->concurrent->limit()),
                          SecondNs);
        grant->m_held.push_back(limits->concurrent);
    }

    // Messages are only built for a refusal: admitting allocates nothing but the grant.
    const RequestLimit requestLimits[] = {
        {routeLimits ? routeLimits->perSecond.get() : nullptr, routeLimits, true},
        {routeLimits ? routeLimits->perMinute.get() : nullptr, routeLimits, false},
        {consumerLimits ? consumerLimits->perMinute.get() : nullptr, consumerLimits, false}};
    const auto describe = [&](const RequestLimit &limit) {
        return limit.perSecond
                   ? QStringLiteral("%1: %2 requests per second (burst %3)")
                         .arg(scopeName(limit.owner), formatRate(limit.owner->perSecondRate))
                         .arg(limit.bucket->capacity())
                   : QStringLiteral("%1: %2 requests per minute")
                         .arg(scopeName(limit.owner))
                         .arg(limit.bucket->capacity());
    };

    // The tightest limit (fewest left) is the one the headers describe.
    const TokenBucket *reported = nullptr;
    TokenBucket::State reportedState;
    for (size_t i = 0; i < std::size(requestLimits); ++i) {
        if (!requestLimits[i].bucket)
            continue;
        const TokenBucket::State state = requestLimits[i].bucket->take(now);
        if (!state.allowed) {
            for (size_t j = 0; j < i; ++j) {
                if (requestLimits[j].bucket)
                    requestLimits[j].bucket->refund();
            }
            reported = requestLimits[i].bucket;
            reportedState = state;
            refuse(RateLimitGrant::Refusal::Requests,
                   QStringLiteral("rate limit reached for %1").arg(describe(requestLimits[i])),
                   state.retryAfterNs);
            break;
        }
        if (!reported || state.remaining < reportedState.remaining) {
            reported = requestLimits[i].bucket;
            reportedState = state;
        }
    }
    if (!reported && !grant->m_tokens && grant->m_held.empty())
        return nullptr; // e.g. only tokens_per_minute, on a route
    if (reported) {
        grant->m_requestHeaders.add("x-ratelimit-limit-requests",
                                    QByteArray::number(reported->capacity()));
        grant->m_requestHeaders.add("x-ratelimit-remaining-requests",
                                    QByteArray::number(reportedState.remaining));
        grant->m_requestHeaders.add("x-ratelimit-reset-requests",
                                    RateLimiter::formatDuration(reportedState.resetNs));
    }
    return grant;
}

} // namespace gh
