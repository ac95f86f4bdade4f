#include "WorkerConfig.h"

namespace gh {

WorkerConfig::WorkerConfig(std::shared_ptr<const ConfigSnapshot> snapshot, quint64 seed)
    : m_snapshot(snapshot ? std::move(snapshot) : ConfigSnapshot::empty())
{
    const std::vector<CompiledService> &services = m_snapshot->services();
    m_balancers.reserve(services.size());
    for (const CompiledService &service : services) {
        // Distinct streams per service from one worker seed (splitmix-style constant).
        m_balancers.emplace_back(service,
                                 seed + 0x9E3779B97F4A7C15ULL * quint64(service.index + 1));
    }
}

LoadBalancer *WorkerConfig::balancer(int serviceIndex)
{
    if (serviceIndex < 0 || size_t(serviceIndex) >= m_balancers.size())
        return nullptr;
    return &m_balancers[size_t(serviceIndex)];
}

} // namespace gh
