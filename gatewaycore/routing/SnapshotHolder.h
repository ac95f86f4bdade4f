#pragma once

#include "ConfigSnapshot.h"

#include <atomic>
#include <memory>

namespace gh {

// Where the current ConfigSnapshot is published (one holder, shared by all workers).
//
// current() is std::atomic<std::shared_ptr>::load(): correct from any thread, but in
// libstdc++ 12 it takes a spin lock embedded in the pointer and bumps a shared
// reference count, so every call bounces one cache line between workers. Workers
// therefore don't call it per request: WorkerRouting compares version() (one acquire
// load of a counter that changes only on publish) with the version it last saw and
// reloads only when it moved.
class SnapshotHolder
{
public:
    SnapshotHolder();
    explicit SnapshotHolder(std::shared_ptr<const ConfigSnapshot> initial);

    std::shared_ptr<const ConfigSnapshot> current() const;
    // Swaps in a new snapshot; requests already running keep theirs. Any thread.
    void publish(std::shared_ptr<const ConfigSnapshot> snapshot);
    // Increments on every publish().
    quint64 version() const { return m_version.load(std::memory_order_acquire); }

private:
    std::atomic<std::shared_ptr<const ConfigSnapshot>> m_snapshot;
    std::atomic<quint64> m_version{0};
};

} // namespace gh
