#pragma once

#include "RequestRecord.h"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <memory>

namespace gh {

// A bounded single-producer/single-consumer ring of request records: one per gateway
// worker (the producer), drained by the log writer thread (the consumer). push() never
// blocks and takes no lock; when the ring is full (the disk cannot keep up) the record is
// counted as dropped instead, so memory stays bounded and workers never wait.
class RequestLogBuffer
{
public:
    static constexpr std::size_t DefaultCapacity = 8192;
    // Captured bodies (settings.log_bodies) waiting in one buffer may take this much; a
    // record pushed beyond it keeps its fields but loses its bodies (bodiesTruncated).
    static constexpr qint64 BodyBudgetBytes = 16 * 1024 * 1024;

    // capacity is rounded up to a power of two.
    explicit RequestLogBuffer(std::size_t capacity = DefaultCapacity);
    ~RequestLogBuffer();
    RequestLogBuffer(const RequestLogBuffer &) = delete;
    RequestLogBuffer &operator=(const RequestLogBuffer &) = delete;

    // Producer thread only. False: full, the record was dropped (and counted).
    bool push(RequestRecord &&record);

    // Consumer thread only, in place: calls visit(RequestRecord &) on up to max pending
    // records, oldest first, and returns how many. They stay in their slots until
    // release(): the writer binds them where they lie, and what they own is freed on the
    // worker, when its next push swaps a new record into the slot. Freeing a worker's
    // strings on the writer thread instead made every worker's malloc slower (its freed
    // chunks no longer came back to it), which cost more than the writer itself.
    template <typename Visit> std::size_t peek(Visit &&visit, std::size_t max)
    {
        const std::size_t tail = m_tail.load(std::memory_order_relaxed);
        const std::size_t head = m_head.load(std::memory_order_acquire);
        const std::size_t n = head - tail < max ? head - tail : max;
        for (std::size_t i = 0; i < n; ++i)
            visit(m_slots.get()[(tail + i) & m_mask]);
        return n;
    }
    // Consumer thread only: hands the n oldest slots (all peeked) back to the producer.
    // Captured headers and bodies are let go here, so a quiet ring holds no bodies.
    void release(std::size_t n);

    // Consumer thread only: moves up to max records into sink(RequestRecord &&), oldest
    // first; returns how many. (Tests; the writer uses peek() and release().)
    template <typename Sink> std::size_t drain(Sink &&sink, std::size_t max)
    {
        const std::size_t n = peek([&](RequestRecord &slot) { sink(RequestRecord(slot)); }, max);
        release(n);
        return n;
    }

    // Any thread; approximate while the producer runs.
    std::size_t size() const;
    std::size_t capacity() const { return m_mask + 1; }
    quint64 dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    quint64 pushed() const { return m_pushed.load(std::memory_order_relaxed); }

private:
    // Raw storage, a slot constructed by its first push: a ring's megabytes become resident
    // only as traffic reaches them, not when a worker starts.
    struct FreeStorage
    {
        void operator()(RequestRecord *storage) const;
    };
    std::unique_ptr<RequestRecord, FreeStorage> m_slots;
    // Body bytes each slot was charged at push() (only looked at while any are charged).
    struct FreeCharges
    {
        void operator()(qint64 *charges) const { std::free(charges); }
    };
    std::unique_ptr<qint64, FreeCharges> m_slotBodyBytes; // calloc: zero, untouched
    std::size_t m_mask;
    // Apart on their own cache lines: the producer writes head, the consumer tail.
    alignas(64) std::atomic<std::size_t> m_head{0};
    alignas(64) std::atomic<std::size_t> m_tail{0};
    alignas(64) std::atomic<quint64> m_dropped{0};
    std::atomic<quint64> m_pushed{0};
    std::atomic<qint64> m_bodyBytes{0};
    // Pushed slots holding captured headers or bodies (settings.log_bodies), not yet
    // released: while none, release() need not look at the slots again.
    std::atomic<qint64> m_captured{0};
};

} // namespace gh
