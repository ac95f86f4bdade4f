#include "TokenBucket.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gh {

TokenBucket::TokenBucket(double amount, qint64 periodNs, double capacity)
    : m_amount(amount > 0 ? amount : 1)
    , m_periodNs(periodNs > 0 ? periodNs : 1)
    , m_capacityTokens(std::max<qint64>(1, qint64(std::floor(capacity))))
    , m_intervalNs(double(m_periodNs) / m_amount)
    , m_toleranceNs(qint64(std::llround(double(m_capacityTokens) * m_intervalNs)))
    , m_tat(std::numeric_limits<qint64>::min() / 4)
{}

qint64 TokenBucket::costNs(qint64 tokens) const
{
    // Capped so that no tokens count can overflow the clock (a week's worth is plenty).
    constexpr double maxNs = 7.0 * 24 * 3600 * 1e9;
    return qint64(std::llround(std::min(double(tokens) * m_intervalNs, maxNs)));
}

TokenBucket::State TokenBucket::stateAt(qint64 aheadNs) const
{
    State state;
    aheadNs = std::max<qint64>(0, aheadNs);
    // A tiny epsilon: the integer ns rounding must not turn 2.0 tokens into 1.
    const double left = double(m_toleranceNs - aheadNs) / m_intervalNs + 1e-6;
    state.remaining = left > 0 ? std::min<qint64>(m_capacityTokens, qint64(std::floor(left))) : 0;
    state.resetNs = aheadNs;
    return state;
}

TokenBucket::State TokenBucket::take(qint64 nowNs, qint64 tokens)
{
    const qint64 cost = costNs(tokens);
    qint64 tat = m_tat.load(std::memory_order_relaxed);
    for (;;) {
        const qint64 base = std::max(tat, nowNs);
        const qint64 ahead = base + cost - nowNs;
        if (ahead > m_toleranceNs) {
            State refused = stateAt(base - nowNs);
            refused.retryAfterNs = ahead - m_toleranceNs;
            return refused;
        }
        if (m_tat.compare_exchange_weak(tat, base + cost, std::memory_order_relaxed)) {
            State taken = stateAt(ahead);
            taken.allowed = true;
            return taken;
        }
    }
}

void TokenBucket::refund(qint64 tokens)
{
    m_tat.fetch_sub(costNs(tokens), std::memory_order_relaxed);
}

void TokenBucket::debit(qint64 nowNs, qint64 tokens)
{
    if (tokens <= 0)
        return;
    const qint64 cost = costNs(tokens);
    qint64 tat = m_tat.load(std::memory_order_relaxed);
    while (
        !m_tat.compare_exchange_weak(tat, std::max(tat, nowNs) + cost, std::memory_order_relaxed)) {
    }
}

TokenBucket::State TokenBucket::peek(qint64 nowNs) const
{
    const qint64 ahead = m_tat.load(std::memory_order_relaxed) - nowNs;
    State state = stateAt(ahead);
    state.allowed = ahead < m_toleranceNs;
    if (!state.allowed)
        state.retryAfterNs = ahead - m_toleranceNs + 1;
    return state;
}

} // namespace gh
