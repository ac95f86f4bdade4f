#pragma once

#include <QtGlobal>

#include <atomic>

namespace gh {

// A token bucket shared by all worker threads without a lock: the generic cell rate
// algorithm (GCRA), where the whole state is one atomic "theoretical arrival time" (TAT)
// moved forward by compare-and-swap. `amount` tokens flow in per `periodNs`; the bucket
// holds at most `capacity`. Time is passed in (steady-clock ns), so the math is testable
// without sleeps.
class TokenBucket
{
public:
    struct State
    {
        bool allowed = false;
        qint64 remaining = 0;    // whole tokens left after this call (0 when in debt)
        qint64 retryAfterNs = 0; // refused: when the same call would succeed
        qint64 resetNs = 0;      // until the bucket is full again
    };

    TokenBucket(double amount, qint64 periodNs, double capacity);
    TokenBucket(const TokenBucket &) = delete;
    TokenBucket &operator=(const TokenBucket &) = delete;

    // Takes `tokens` (all or nothing).
    State take(qint64 nowNs, qint64 tokens = 1);
    // Gives back tokens taken by take() when a later check refused the request.
    void refund(qint64 tokens = 1);
    // Takes `tokens` whatever is left, going into debt if needed (AI tokens charged once
    // the usage is known).
    void debit(qint64 nowNs, qint64 tokens);
    // Without taking anything; allowed: not empty (more than zero tokens, even a fraction).
    State peek(qint64 nowNs) const;

    qint64 capacity() const { return m_capacityTokens; }
    double amount() const { return m_amount; }
    qint64 periodNs() const { return m_periodNs; }

private:
    qint64 costNs(qint64 tokens) const;
    State stateAt(qint64 aheadNs) const;

    double m_amount;
    qint64 m_periodNs;
    qint64 m_capacityTokens;
    double m_intervalNs;  // one token's worth of time
    qint64 m_toleranceNs; // the capacity's worth of time
    // The time at which the bucket would be full again; far in the past: full.
    std::atomic<qint64> m_tat;
};

} // namespace gh
