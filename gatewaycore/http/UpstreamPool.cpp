#include "UpstreamPool.h"

#include "UpstreamConnection.h"

#include <QTimer>

#include <chrono>

namespace gh {

namespace {

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace

UpstreamPool::UpstreamPool(QObject *parent)
    : UpstreamPool(Limits(), parent)
{}

UpstreamPool::UpstreamPool(Limits limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_sweepTimer(new QTimer(this))
{
    // One timer for all idle connections; expiry is checked again at acquire().
    m_sweepTimer->setInterval(qBound(50, m_limits.idleTimeoutMs / 4, 5000));
    connect(m_sweepTimer, &QTimer::timeout, this, &UpstreamPool::sweep);
}

UpstreamPool::~UpstreamPool() = default; // connections are children

UpstreamConnection *UpstreamPool::acquire(const UpstreamOrigin &origin)
{
    const auto it = m_idle.find(origin.key());
    if (it != m_idle.end()) {
        QList<IdleEntry> &list = it.value();
        const qint64 now = nowMs();
        while (!list.isEmpty()) {
            const IdleEntry entry = list.takeLast();
            --m_idleTotal;
            UpstreamConnection *connection = entry.connection;
            if (now - entry.sinceMs < m_limits.idleTimeoutMs && connection->isAliveForReuse()) {
                if (list.isEmpty())
                    m_idle.erase(it);
                disconnect(connection, &UpstreamConnection::idleClosed, this, nullptr);
                ++m_reused;
                return connection;
            }
            dispose(connection); // closed by the upstream, or too old
        }
        m_idle.erase(it);
    }
    ++m_created;
    return new UpstreamConnection(origin, this);
}

void UpstreamPool::release(UpstreamConnection *connection)
{
    if (!connection)
        return;
    // The next user must not get this user's slots called.
    connection->disconnect();
    if (!connection->isReusable() || m_limits.maxIdlePerOrigin <= 0 || m_limits.maxIdleTotal <= 0) {
        dispose(connection);
        return;
    }
    QList<IdleEntry> &list = m_idle[connection->origin().key()];
    if (list.size() >= m_limits.maxIdlePerOrigin) {
        dispose(list.takeFirst().connection);
        --m_idleTotal;
    }
    while (m_idleTotal >= m_limits.maxIdleTotal)
        evictOldest();
    connection->makeIdle();
    connect(connection, &UpstreamConnection::idleClosed, this,
            [this, connection] { removeIdle(connection); });
    m_idle[connection->origin().key()].append({connection, nowMs()});
    ++m_idleTotal;
    if (!m_sweepTimer->isActive())
        m_sweepTimer->start();
}

int UpstreamPool::idleCount(const UpstreamOrigin &origin) const
{
    const auto it = m_idle.constFind(origin.key());
    return it == m_idle.constEnd() ? 0 : int(it.value().size());
}

void UpstreamPool::closeIdle()
{
    for (const QList<IdleEntry> &list : std::as_const(m_idle)) {
        for (const IdleEntry &entry : list)
            dispose(entry.connection);
    }
    m_idle.clear();
    m_idleTotal = 0;
    m_sweepTimer->stop();
}

void UpstreamPool::removeIdle(UpstreamConnection *connection)
{
    const auto it = m_idle.find(connection->origin().key());
    if (it == m_idle.end())
        return;
    const qsizetype removed = it.value().removeIf(
        [connection](const IdleEntry &entry) { return entry.connection == connection; });
    m_idleTotal -= int(removed);
    if (it.value().isEmpty())
        m_idle.erase(it);
    if (removed)
        dispose(connection);
}

void UpstreamPool::dispose(UpstreamConnection *connection)
{
    connection->disconnect(this);
    connection->abort();
    connection->deleteLater(); // a slot of it may still be on the stack
}

void UpstreamPool::evictOldest()
{
    auto oldest = m_idle.end();
    for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
        if (oldest == m_idle.end() || it.value().front().sinceMs < oldest.value().front().sinceMs)
            oldest = it;
    }
    if (oldest == m_idle.end()) {
        m_idleTotal = 0;
        return;
    }
    dispose(oldest.value().takeFirst().connection);
    --m_idleTotal;
    if (oldest.value().isEmpty())
        m_idle.erase(oldest);
}

void UpstreamPool::sweep()
{
    const qint64 now = nowMs();
    for (auto it = m_idle.begin(); it != m_idle.end();) {
        QList<IdleEntry> &list = it.value();
        while (!list.isEmpty() && now - list.front().sinceMs >= m_limits.idleTimeoutMs) {
            dispose(list.takeFirst().connection);
            --m_idleTotal;
        }
        it = list.isEmpty() ? m_idle.erase(it) : std::next(it);
    }
    if (m_idleTotal == 0)
        m_sweepTimer->stop();
}

} // namespace gh
