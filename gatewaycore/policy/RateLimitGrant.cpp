#include "RateLimitGrant.h"

#include "ConcurrencyLimiter.h"
#include "RateLimitSet.h"
#include "RateLimiter.h"
#include "TokenBucket.h"

namespace gh {

RateLimitGrant::~RateLimitGrant()
{
    release();
}

void RateLimitGrant::applyHeaders(HttpHeaders &headers) const
{
    for (const HttpHeaders::Entry &entry : m_requestHeaders.entries())
        headers.set(entry.first, entry.second);
    if (m_tokens && m_set) {
        const TokenBucket::State state = m_tokens->peek(m_set->now());
        headers.set("x-ratelimit-limit-tokens", QByteArray::number(m_tokens->capacity()));
        headers.set("x-ratelimit-remaining-tokens", QByteArray::number(state.remaining));
        headers.set("x-ratelimit-reset-tokens", RateLimiter::formatDuration(state.resetNs));
    }
    if (m_refusal != Refusal::None)
        headers.set("Retry-After", QByteArray::number(m_retryAfterS));
}

void RateLimitGrant::chargeTokens(qint64 tokens)
{
    if (m_tokens && m_set)
        m_tokens->debit(m_set->now(), tokens);
}

void RateLimitGrant::release()
{
    for (const std::shared_ptr<ConcurrencyLimiter> &limiter : m_held)
        limiter->release();
    m_held.clear();
}

} // namespace gh
