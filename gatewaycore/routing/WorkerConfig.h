#pragma once

#include "ConfigSnapshot.h"
#include "LoadBalancer.h"
#include "RouteMatch.h"

#include <memory>
#include <vector>

namespace gh {

// One worker thread's view of one ConfigSnapshot: the snapshot plus that worker's load
// balancers (one per service). Used by one thread only. A request holds the
// shared_ptr<WorkerConfig> it started with (a reference count touched by this worker
// alone), so picks, releases and route pointers stay valid across a reload.
class WorkerConfig
{
public:
    WorkerConfig(std::shared_ptr<const ConfigSnapshot> snapshot, quint64 seed);
    WorkerConfig(const WorkerConfig &) = delete;
    WorkerConfig &operator=(const WorkerConfig &) = delete;

    const ConfigSnapshot &snapshot() const { return *m_snapshot; }
    const std::shared_ptr<const ConfigSnapshot> &snapshotPointer() const { return m_snapshot; }
    quint64 generation() const { return m_snapshot->generation(); }

    RouteMatch match(QByteArrayView method, QByteArrayView host, const QByteArray &path) const
    {
        return m_snapshot->routes().match(method, host, path);
    }
    // nullptr for an index the snapshot does not have.
    LoadBalancer *balancer(int serviceIndex);

private:
    std::shared_ptr<const ConfigSnapshot> m_snapshot;
    std::vector<LoadBalancer> m_balancers; // by service index
};

} // namespace gh
