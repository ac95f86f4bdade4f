#pragma once

#include "UpstreamOrigin.h"

#include <QHash>
#include <QList>
#include <QObject>

class QTimer;

namespace gh {

class UpstreamConnection;

// Keep-alive connections to upstreams, one pool per worker thread (not thread-safe by
// design: a worker's connections never leave it).
//
// acquire() hands out an idle connection to the same origin when one is still alive
// (most recently used first: the warmest, least likely to be timed out by the
// upstream), else a new, unconnected one. Either way the pool owns it (QObject parent);
// give it back with release() when done, from any of its slots. A reused connection the
// upstream closed in the meantime fails with ClosedBeforeResponse: retry idempotent
// requests once on a fresh connection (wasReused() tells the two cases apart).
class UpstreamPool : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        int maxIdlePerOrigin = 32;
        int maxIdleTotal = 1024;
        // Below typical upstream keep-alive timeouts (nginx: 75 s), so that we close
        // first rather than race the upstream's close with a new request.
        int idleTimeoutMs = 50000;
    };

    explicit UpstreamPool(QObject *parent = nullptr);
    explicit UpstreamPool(Limits limits, QObject *parent = nullptr);
    ~UpstreamPool() override;

    UpstreamConnection *acquire(const UpstreamOrigin &origin);
    // Keeps the connection for reuse if its response completed and both sides allow
    // keep-alive (and the limits have room); otherwise closes and deletes it (later).
    // Disconnects every signal the caller connected.
    void release(UpstreamConnection *connection);

    int idleCount() const { return m_idleTotal; }
    int idleCount(const UpstreamOrigin &origin) const;
    quint64 connectionsCreated() const { return m_created; }
    quint64 connectionsReused() const { return m_reused; }
    void closeIdle();

private:
    struct IdleEntry
    {
        UpstreamConnection *connection;
        qint64 sinceMs;
    };

    void removeIdle(UpstreamConnection *connection);
    void dispose(UpstreamConnection *connection);
    void evictOldest();
    void sweep();

    Limits m_limits;
    QHash<QString, QList<IdleEntry>> m_idle; // per origin key, oldest first
    int m_idleTotal = 0;
    quint64 m_created = 0;
    quint64 m_reused = 0;
    QTimer *m_sweepTimer = nullptr;
};

} // namespace gh
