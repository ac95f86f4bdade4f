#include "ResponseCache.h"

#include <QMutexLocker>

#include <algorithm>
#include <chrono>

namespace gh {

namespace {

qint64 steadyMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

QList<QByteArray> varyNames(const HttpHeaders &response)
{
    QList<QByteArray> names;
    for (const QByteArray &field : response.values("vary")) {
        for (const QByteArray &name : field.split(',')) {
            const QByteArray trimmed = name.trimmed().toLower();
            if (!trimmed.isEmpty() && !names.contains(trimmed))
                names.append(trimmed);
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

ResponseCache::ResponseCache(qint64 capacityBytes, Clock clock)
    : m_clock(clock ? std::move(clock) : Clock(steadyMs))
    , m_capacity(qMax<qint64>(capacityBytes, 0))
{}

void ResponseCache::setCapacity(qint64 bytes)
{
    QMutexLocker lock(&m_mutex);
    m_capacity = qMax<qint64>(bytes, 0);
    evictLocked(0);
}

qint64 ResponseCache::capacity() const
{
    QMutexLocker lock(&m_mutex);
    return m_capacity;
}

qint64 ResponseCache::maxEntryBytes() const
{
    QMutexLocker lock(&m_mutex);
    return qMin(m_capacity / 8, MaxEntryCap);
}

QByteArray ResponseCache::routeKey(const QString &route, const QByteArray &host,
                                   const QByteArray &target)
{
    // NUL cannot occur in a route name, host or request target: the parts never blur.
    return QByteArray("route\0", 6) + route.toUtf8() + '\0' + host.toLower() + '\0' + target;
}

QByteArray ResponseCache::variantKey(const QByteArray &baseKey, const QList<QByteArray> &vary,
                                     const HttpHeaders &request)
{
    QByteArray key = baseKey;
    for (const QByteArray &name : vary) {
        // Absent and empty differ: "Accept-Encoding:" is a choice, no header is another.
        key += '\0' + name + (request.contains(name) ? "=" + request.combinedValue(name) : "!");
    }
    return key;
}

qint64 ResponseCache::sizeOf(const QByteArray &key, const Entry &entry)
{
    qint64 size = key.size() + entry.body.size() + entry.scope.size() * 2;
    for (const HttpHeaders::Entry &header : entry.headers.entries())
        size += header.first.size() + header.second.size() + 4;
    return size;
}

std::shared_ptr<const ResponseCache::Entry> ResponseCache::lookup(const QByteArray &baseKey,
                                                                  const HttpHeaders &request)
{
    QMutexLocker lock(&m_mutex);
    const auto base = m_bases.constFind(baseKey);
    if (base == m_bases.constEnd())
        return {};
    const auto found = m_index.constFind(variantKey(baseKey, base->vary, request));
    if (found == m_index.constEnd())
        return {};
    const Lru::iterator it = found.value();
    if (m_clock() - it->entry->storedMs >= it->entry->ttlMs) {
        removeLocked(it);
        return {};
    }
    m_lru.splice(m_lru.begin(), m_lru, it);
    return it->entry;
}

bool ResponseCache::insert(const QByteArray &baseKey, const HttpHeaders &request, Entry entry)
{
    if (entry.ttlMs <= 0 || entry.headers.hasToken("vary", "*"))
        return false;
    const QList<QByteArray> vary = varyNames(entry.headers);
    const QByteArray key = variantKey(baseKey, vary, request);
    const qint64 size = sizeOf(key, entry);

    QMutexLocker lock(&m_mutex);
    if (size > qMin(m_capacity / 8, MaxEntryCap))
        return false;
    entry.storedMs = m_clock();
    if (const auto old = m_index.constFind(key); old != m_index.constEnd())
        removeLocked(old.value());
    auto base = m_bases.find(baseKey);
    if (base != m_bases.end() && base->vary != vary) {
        // The resource now varies on other headers: its old variants can never match.
        removeIfLocked([&baseKey](const Node &node) { return node.baseKey == baseKey; });
        base = m_bases.end();
    }
    evictLocked(size);
    if (base == m_bases.end())
        base = m_bases.insert(baseKey, Base{vary, 0});
    ++base->variants;
    m_lru.push_front(Node{key, baseKey, std::make_shared<const Entry>(std::move(entry)), size});
    m_index.insert(key, m_lru.begin());
    m_bytes += size;
    return true;
}

void ResponseCache::removeLocked(Lru::iterator it)
{
    m_bytes -= it->bytes;
    m_index.remove(it->key);
    const auto base = m_bases.find(it->baseKey);
    if (base != m_bases.end() && --base->variants <= 0)
        m_bases.erase(base);
    m_lru.erase(it);
}

void ResponseCache::evictLocked(qint64 room)
{
    while (!m_lru.empty() && m_bytes + room > m_capacity)
        removeLocked(std::prev(m_lru.end()));
}

int ResponseCache::removeIfLocked(const std::function<bool(const Node &)> &predicate)
{
    int removed = 0;
    for (auto it = m_lru.begin(); it != m_lru.end();) {
        const auto next = std::next(it);
        if (predicate(*it)) {
            removeLocked(it);
            ++removed;
        }
        it = next;
    }
    return removed;
}

int ResponseCache::invalidate(const QByteArray &baseKey)
{
    QMutexLocker lock(&m_mutex);
    const auto base = m_bases.constFind(baseKey);
    if (base == m_bases.constEnd())
        return 0;
    if (base->vary.isEmpty()) {
        // One variant, keyed by the base key itself: no scan.
        const auto it = m_index.constFind(baseKey);
        if (it == m_index.constEnd())
            return 0;
        removeLocked(it.value());
        return 1;
    }
    return removeIfLocked([&baseKey](const Node &node) { return node.baseKey == baseKey; });
}

int ResponseCache::purge()
{
    QMutexLocker lock(&m_mutex);
    const int removed = int(m_lru.size());
    m_lru.clear();
    m_index.clear();
    m_bases.clear();
    m_bytes = 0;
    return removed;
}

int ResponseCache::purgeScope(const QString &scope)
{
    QMutexLocker lock(&m_mutex);
    return removeIfLocked([&scope](const Node &node) { return node.entry->scope == scope; });
}

int ResponseCache::count() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_lru.size());
}

qint64 ResponseCache::bytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_bytes;
}

qint64 ResponseCache::nowMs() const
{
    return m_clock();
}

qint64 ResponseCache::ageSeconds(const Entry &entry) const
{
    return entry.initialAgeS + qMax<qint64>(m_clock() - entry.storedMs, 0) / 1000;
}

HttpResponse ResponseCache::hitResponse(const Entry &entry) const
{
    HttpResponse response{entry.status, entry.headers, entry.body};
    response.headers.set("age", QByteArray::number(ageSeconds(entry)));
    response.headers.set("x-gatehouse-cache", "HIT");
    return response;
}

} // namespace gh
