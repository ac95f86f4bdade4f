#include "RequestLogBuffer.h"

#include <bit>

namespace gh {

RequestLogBuffer::RequestLogBuffer(std::size_t capacity)
    : m_slots(std::make_unique<RequestRecord[]>(std::bit_ceil(capacity < 2 ? 2 : capacity)))
    , m_mask(std::bit_ceil(capacity < 2 ? 2 : capacity) - 1)
{}

bool RequestLogBuffer::push(RequestRecord &&record)
{
    const std::size_t head = m_head.load(std::memory_order_relaxed);
    if (head - m_tail.load(std::memory_order_acquire) > m_mask) {
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    if (const qint64 body = record.requestBody.size() + record.responseBody.size()) {
        if (m_bodyBytes.load(std::memory_order_relaxed) + body > BodyBudgetBytes) {
            record.requestBody.clear();
            record.responseBody.clear();
            record.bodiesTruncated = true;
        } else {
            m_bodyBytes.fetch_add(body, std::memory_order_relaxed);
        }
    }
    m_slots[head & m_mask] = std::move(record);
    m_head.store(head + 1, std::memory_order_release);
    // Only this thread writes it: no locked add needed.
    m_pushed.store(m_pushed.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return true;
}

std::size_t RequestLogBuffer::size() const
{
    return m_head.load(std::memory_order_acquire) - m_tail.load(std::memory_order_acquire);
}

} // namespace gh
