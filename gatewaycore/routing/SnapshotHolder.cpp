#include "SnapshotHolder.h"

namespace gh {

SnapshotHolder::SnapshotHolder()
    : SnapshotHolder(ConfigSnapshot::empty())
{}

SnapshotHolder::SnapshotHolder(std::shared_ptr<const ConfigSnapshot> initial)
    : m_snapshot(initial ? std::move(initial) : ConfigSnapshot::empty())
{}

std::shared_ptr<const ConfigSnapshot> SnapshotHolder::current() const
{
    return m_snapshot.load(std::memory_order_acquire);
}

void SnapshotHolder::publish(std::shared_ptr<const ConfigSnapshot> snapshot)
{
    if (!snapshot)
        snapshot = ConfigSnapshot::empty();
    // Store the snapshot before bumping the version: a worker that sees the new version
    // is guaranteed to load this snapshot (or a later one).
    m_snapshot.store(std::move(snapshot), std::memory_order_release);
    m_version.fetch_add(1, std::memory_order_acq_rel);
}

} // namespace gh
