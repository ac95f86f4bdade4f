#include "ConcurrencyLimiter.h"

namespace gh {

ConcurrencyLimiter::ConcurrencyLimiter(int limit)
    : m_limit(limit > 0 ? limit : 1)
{}

bool ConcurrencyLimiter::tryAcquire()
{
    int current = m_inFlight.load(std::memory_order_relaxed);
    // CAS rather than add-then-undo, so a refused caller never shows as in flight.
    while (current < m_limit) {
        if (m_inFlight.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel))
            return true;
    }
    return false;
}

void ConcurrencyLimiter::release()
{
    m_inFlight.fetch_sub(1, std::memory_order_acq_rel);
}

} // namespace gh
