#pragma once

#include "http/HttpHeaders.h"
#include "http/HttpResponse.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>

#include <functional>
#include <list>
#include <memory>

namespace gh {

// The gateway's response cache: one LRU shared by every worker thread (a mutex around
// short lookups and inserts; bodies are implicitly shared, never copied under it), owned
// by the Gateway so it survives config reloads. Bounded by bytes of stored keys, headers
// and bodies (settings.cache.max_mb). Entries are keyed by a base key (route, host and
// target for routes; see AiCacheKey for the AI endpoints) plus the values of the request
// headers the stored response's Vary names; a Vary: * response is never stored.
class ResponseCache
{
public:
    // Milliseconds on a monotonic clock; tests inject their own.
    using Clock = std::function<qint64()>;

    struct Entry
    {
        int status = 200;
        HttpHeaders headers; // as the upstream sent them to the client, no per-request ones
        QByteArray body;
        QString scope;    // route name (or "ai"), for DELETE /cache?route=
        qint64 ttlMs = 0; // fresh for this long after storedMs
        qint64 storedMs = 0;
        qint64 initialAgeS = 0; // the upstream's Age when stored
    };

    // The largest single entry: 1/8 of the capacity, at most 8 MiB.
    static constexpr qint64 MaxEntryCap = 8 * 1024 * 1024;

    explicit ResponseCache(qint64 capacityBytes = 0, Clock clock = {});
    ResponseCache(const ResponseCache &) = delete;
    ResponseCache &operator=(const ResponseCache &) = delete;

    // 0 turns the cache off (and empties it); a smaller capacity evicts at once.
    void setCapacity(qint64 bytes);
    qint64 capacity() const;
    qint64 maxEntryBytes() const;

    // Route entries: GET and HEAD share one (the method is not part of the key).
    static QByteArray routeKey(const QString &route, const QByteArray &host,
                               const QByteArray &target);

    // The fresh entry for baseKey whose Vary'd request headers match request's, or null.
    // A hit becomes the most recently used; an expired entry is dropped.
    std::shared_ptr<const Entry> lookup(const QByteArray &baseKey, const HttpHeaders &request);
    // Stores entry (storedMs is set here) unless it is too big, Vary: *, or the cache is
    // off; evicts least recently used entries to make room. True when stored.
    bool insert(const QByteArray &baseKey, const HttpHeaders &request, Entry entry);

    // RFC 9111 §4.4: an unsafe request that succeeded makes every stored variant of its
    // target stale. Returns how many were removed (0 without a lookup when none exist).
    int invalidate(const QByteArray &baseKey);

    // Removes every entry, or those of one route; returns how many.
    int purge();
    int purgeScope(const QString &scope);

    int count() const;
    qint64 bytes() const;
    qint64 nowMs() const;
    // Seconds since the entry was produced upstream (RFC 9111 §4.2.3, simplified).
    qint64 ageSeconds(const Entry &entry) const;

    // A hit as a whole response: the stored status, headers and body plus Age.
    HttpResponse hitResponse(const Entry &entry) const;

private:
    struct Node
    {
        QByteArray key;
        QByteArray baseKey;
        std::shared_ptr<const Entry> entry;
        qint64 bytes = 0;
    };
    struct Base
    {
        QList<QByteArray> vary; // lower-case request header names, sorted
        int variants = 0;
    };
    using Lru = std::list<Node>;

    static QByteArray variantKey(const QByteArray &baseKey, const QList<QByteArray> &vary,
                                 const HttpHeaders &request);
    static qint64 sizeOf(const QByteArray &key, const Entry &entry);
    void removeLocked(Lru::iterator it);
    void evictLocked(qint64 room);
    int removeIfLocked(const std::function<bool(const Node &)> &predicate);

    mutable QMutex m_mutex;
    Clock m_clock;
    qint64 m_capacity = 0;
    qint64 m_bytes = 0;
    Lru m_lru; // front: most recently used
    QHash<QByteArray, Lru::iterator> m_index;
    QHash<QByteArray, Base> m_bases;
};

} // namespace gh
