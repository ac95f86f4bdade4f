#pragma once

#include <QtGlobal>

#include <atomic>

namespace gh {

// At most `limit` requests in flight at once, counted across all worker threads with
// one atomic (no lock).
class ConcurrencyLimiter
{
public:
    explicit ConcurrencyLimiter(int limit);
    ConcurrencyLimiter(const ConcurrencyLimiter &) = delete;
    ConcurrencyLimiter &operator=(const ConcurrencyLimiter &) = delete;

    // One slot, or false when all are taken. Each success needs one release().
    bool tryAcquire();
    void release();

    int limit() const { return m_limit; }
    int inFlight() const { return m_inFlight.load(std::memory_order_relaxed); }

private:
    const int m_limit;
    std::atomic<int> m_inFlight{0};
};

} // namespace gh
