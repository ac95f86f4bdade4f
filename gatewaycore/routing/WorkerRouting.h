#pragma once

#include "WorkerConfig.h"

#include <memory>

namespace gh {

class SnapshotHolder;

// Per worker thread: keeps the worker's WorkerConfig in step with a SnapshotHolder.
// refresh() per request costs one acquire load of the holder's version; only after a
// publish does it load the new snapshot and build fresh balancers (new requests get the
// new config within one request; running ones keep their WorkerConfig).
//
//     std::shared_ptr<WorkerConfig> config = routing.refresh(); // hold for the request
//     RouteMatch m = config->match(method, host, path);
//     LoadBalancer *lb = config->balancer(m.route->serviceIndex);
//     TargetPick pick = lb->pick(tried);
//     ... LoadBalancer::release(pick); pick.health->reportSuccess() / reportFailure();
class WorkerRouting
{
public:
    // seed: for the worker's random balancers (0: a random one).
    explicit WorkerRouting(const SnapshotHolder &holder, quint64 seed = 0);
    WorkerRouting(const WorkerRouting &) = delete;
    WorkerRouting &operator=(const WorkerRouting &) = delete;

    const std::shared_ptr<WorkerConfig> &refresh();
    const std::shared_ptr<WorkerConfig> &current() const { return m_config; }

private:
    void reload(quint64 version);

    const SnapshotHolder *m_holder;
    quint64 m_seed;
    quint64 m_version = 0;
    quint64 m_reloads = 0;
    std::shared_ptr<WorkerConfig> m_config;
};

} // namespace gh
