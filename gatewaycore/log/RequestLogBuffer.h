#pragma once

#include "RequestRecord.h"

#include <atomic>
#include <cstddef>
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
    RequestLogBuffer(const RequestLogBuffer &) = delete;
    RequestLogBuffer &operator=(const RequestLogBuffer &) = delete;

    // Producer thread only. False: full, the record was dropped (and counted).
    bool push(RequestRecord &&record);

    // Consumer thread only: moves up to max records into sink(RequestRecord &&), oldest
    // first; returns how many.
    template <typename Sink> std::size_t drain(Sink &&sink, std::size_t max)
    {
        const std::size_t tail = m_tail.load(std::memory_order_relaxed);
        const std::size_t head = m_head.load(std::memory_order_acquire);
        const std::size_t n = head - tail < max ? head - tail : max;
        qint64 bodyBytes = 0;
        for (std::size_t i = 0; i < n; ++i) {
            RequestRecord &slot = m_slots[(tail + i) & m_mask];
            bodyBytes += slot.requestBody.size() + slot.responseBody.size();
            sink(std::move(slot));
        }
        if (bodyBytes)
            m_bodyBytes.fetch_sub(bodyBytes, std::memory_order_relaxed);
        m_tail.store(tail + n, std::memory_order_release);
        return n;
    }

    // Any thread; approximate while the producer runs.
    std::size_t size() const;
    std::size_t capacity() const { return m_mask + 1; }
    quint64 dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    quint64 pushed() const { return m_pushed.load(std::memory_order_relaxed); }

private:
    std::unique_ptr<RequestRecord[]> m_slots;
    std::size_t m_mask;
    // Apart on their own cache lines: the producer writes head, the consumer tail.
    alignas(64) std::atomic<std::size_t> m_head{0};
    alignas(64) std::atomic<std::size_t> m_tail{0};
    alignas(64) std::atomic<quint64> m_dropped{0};
    std::atomic<quint64> m_pushed{0};
    std::atomic<qint64> m_bodyBytes{0};
};

} // namespace gh
