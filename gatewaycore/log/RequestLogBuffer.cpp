#include "RequestLogBuffer.h"

#include <algorithm>
#include <bit>
#include <new>

namespace gh {

namespace {

std::size_t slotCount(std::size_t capacity)
{
    return std::bit_ceil(capacity < 2 ? 2 : capacity);
}

} // namespace

void RequestLogBuffer::FreeStorage::operator()(RequestRecord *storage) const
{
    ::operator delete(storage, std::align_val_t(alignof(RequestRecord)));
}

RequestLogBuffer::RequestLogBuffer(std::size_t capacity)
    : m_slots(static_cast<RequestRecord *>(::operator new(
          slotCount(capacity) * sizeof(RequestRecord), std::align_val_t(alignof(RequestRecord)))))
    , m_slotBodyBytes(static_cast<qint64 *>(std::calloc(slotCount(capacity), sizeof(qint64))))
    , m_mask(slotCount(capacity) - 1)
{
    if (!m_slotBodyBytes)
        throw std::bad_alloc();
}

RequestLogBuffer::~RequestLogBuffer()
{
    // Slots 0 .. min(pushed, capacity) - 1 were constructed.
    const std::size_t constructed = std::min(m_head.load(std::memory_order_acquire), m_mask + 1);
    for (std::size_t i = 0; i < constructed; ++i)
        m_slots.get()[i].~RequestRecord();
}

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
        m_slotBodyBytes.get()[head & m_mask] = charged;
    if (!record.requestHeaders.isEmpty() || !record.responseHeaders.isEmpty() ||
        !record.requestBody.isNull() || !record.responseBody.isNull())
        m_captured.fetch_add(1, std::memory_order_relaxed); // published by the head store
    RequestRecord *slot = m_slots.get() + (head & m_mask);
    if (head <= m_mask) // the first lap: nothing there yet
        new (slot) RequestRecord(std::move(record));
    else // a swap (Qt's move assignment): the slot's previous record, long written, leaves
         // with `record` and is freed on this thread when the caller drops it
        *slot = std::move(record);
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
        RequestRecord &slot = m_slots.get()[index];
        // Only with settings.log_bodies: rare enough to free here.
        if (!slot.requestHeaders.isEmpty() || !slot.responseHeaders.isEmpty() ||
            !slot.requestBody.isNull() || !slot.responseBody.isNull()) {
            slot.requestHeaders = {};
            slot.responseHeaders = {};
            slot.requestBody = {};
            slot.responseBody = {};
            ++released;
        }
        if (m_slotBodyBytes.get()[index]) {
            charged += m_slotBodyBytes.get()[index];
            m_slotBodyBytes.get()[index] = 0;
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
