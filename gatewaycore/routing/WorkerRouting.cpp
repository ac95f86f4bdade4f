#include "WorkerRouting.h"

#include "SnapshotHolder.h"

#include <QRandomGenerator>

namespace gh {

WorkerRouting::WorkerRouting(const SnapshotHolder &holder, quint64 seed)
    : m_holder(&holder)
    , m_seed(seed ? seed : QRandomGenerator::system()->generate64())
{
    reload(m_holder->version());
}

const std::shared_ptr<WorkerConfig> &WorkerRouting::refresh()
{
    const quint64 version = m_holder->version();
    if (Q_UNLIKELY(version != m_version))
        reload(version);
    return m_config;
}

void WorkerRouting::reload(quint64 version)
{
    // Read the version before the snapshot: if another publish lands in between, the
    // next refresh() sees a newer version and reloads again.
    m_version = version;
    ++m_reloads;
    m_config = std::make_shared<WorkerConfig>(m_holder->current(), m_seed + m_reloads);
}

} // namespace gh
