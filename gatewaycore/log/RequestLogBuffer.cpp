#include "RequestLogBuffer.h"

#include <bit>

namespace gh {

RequestLogBuffer::RequestLogBuffer(std::size_t capacity)
    : m_slots(std::make_unique<RequestRecord[]>(std::bit_ceil(capacity < 2 ? 2 : capacity)))
    , m_slotBodyBytes(std::make_unique<qint64[]>(std::bit_ceil(capacity < 2 ? 2 : capacity)))
    , m_mask(std::bit_ceil(capacity < 2 ? 2 : capacity) - 1)
{}

bool RequestLogBuffer::push(RequestRecord &&record)
{
    const std::size_t head = m_head.load(std::memory_order_relaxed);
    if (head - m_tail.load(std::memory_order_acquire) > m_mask) {
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    qint64 charged = 0;
    if (const qint64 body = record.requestBody.size() + record.responseBody.size()) {
        if (m_bodyBytes.load(std::memory_order_relaxed) + body > BodyBudgetBytes) {
            record.requestBody.clear();
            record.responseBody.clear();
            record.bodiesTruncated = true;
        } else {
            m_bodyBytes.fetch_add(body, std::memory_order_relaxed);
            charged = body;
        }
    }
    // A released slot's entry is 0 again: only a charge needs writing.
    if (charged)
        m_slotBodyBytes[head & m_mask] = charged;
    if (!record.requestHeaders.isEmpty() || !record.responseHeaders.isEmpty() ||
        !record.requestBody.isNull() || !record.responseBody.isNull())
        m_captured.fetch_add(1, std::memory_order_relaxed); // published by the head store
    // A swap (Qt's move assignment): the slot's previous record, long written, leaves with
    // `record` and is freed on this thread when the caller drops it.
    m_slots[head & m_mask] = std::move(record);
    m_head.store(head + 1, std::memory_order_release);
    // Only this thread writes it: no locked add needed.
    m_pushed.store(m_pushed.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return true;
}

void RequestLogBuffer::release(std::size_t n)
{
    const std::size_t tail = m_tail.load(std::memory_order_relaxed);
    if (m_captured.load(std::memory_order_relaxed) == 0) {
        m_tail.store(tail + n, std::memory_order_release);
        return;
    }
    qint64 charged = 0;
    qint64 released = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t index = (tail + i) & m_mask;
        RequestRecord &slot = m_slots[index];
        // Only with settings.log_bodies: rare enough to free here.
        if (!slot.requestHeaders.isEmpty() || !slot.responseHeaders.isEmpty() ||
            !slot.requestBody.isNull() || !slot.responseBody.isNull()) {
            slot.requestHeaders = {};
            slot.responseHeaders = {};
            slot.requestBody = {};
            slot.responseBody = {};
            ++released;
        }
        if (m_slotBodyBytes[index]) {
            charged += m_slotBodyBytes[index];
            m_slotBodyBytes[index] = 0;
        }
    }
    if (released)
        m_captured.fetch_sub(released, std::memory_order_relaxed);
    if (charged)
        m_bodyBytes.fetch_sub(charged, std::memory_order_relaxed);
    m_tail.store(tail + n, std::memory_order_release);
}

std::size_t RequestLogBuffer::size() const
{
    return m_head.load(std::memory_order_acquire) - m_tail.load(std::memory_order_acquire);
}

} // namespace gh
