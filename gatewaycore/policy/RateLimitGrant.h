#pragma once

#include "http/HttpHeaders.h"

#include <QString>

#include <memory>
#include <vector>

namespace gh {

class ConcurrencyLimiter;
class RateLimitSet;
class TokenBucket;

// What the rate limits decided for one request (RateLimitSet::admit): refused, with the
// 429's message and headers, or admitted, holding its concurrency slots until release()
// (or destruction) and the consumer's AI token bucket to charge once usage is known.
// Shared by the handler and the call serving the request; used on that worker's thread.
class RateLimitGrant
{
public:
    enum class Refusal { None, Requests, Tokens, Concurrent };

    RateLimitGrant() = default;
    ~RateLimitGrant();
    RateLimitGrant(const RateLimitGrant &) = delete;
    RateLimitGrant &operator=(const RateLimitGrant &) = delete;

    bool allowed() const { return m_refusal == Refusal::None; }
    Refusal refusal() const { return m_refusal; }
    // Why it was refused, naming the limit ("route api: 50 requests per second ...").
    const QString &message() const { return m_message; }
    // Seconds until a retry may succeed (≥ 1); 0 when admitted.
    qint64 retryAfterS() const { return m_retryAfterS; }

    // x-ratelimit-{limit,remaining,reset}-requests of the tightest request limit (as it
    // was at admission), -tokens of the consumer's AI token limit (as it is now) and, when
    // refused, Retry-After.
    void applyHeaders(HttpHeaders &headers) const;
    // Debits AI tokens from the consumer's tokens_per_minute (may go into debt: later
    // requests are refused until it refills).
    void chargeTokens(qint64 tokens);
    // Gives back the concurrency slots (once; the destructor does it otherwise).
    void release();

private:
    friend class RateLimitSet;

    Refusal m_refusal = Refusal::None;
    QString m_message;
    qint64 m_retryAfterS = 0;
    HttpHeaders m_requestHeaders;              // the -requests triple, fixed at admission
    std::shared_ptr<const RateLimitSet> m_set; // its clock; keeps the buckets alive
    std::shared_ptr<TokenBucket> m_tokens;
    std::vector<std::shared_ptr<ConcurrencyLimiter>> m_held;
};

} // namespace gh
