#include "LoadBalancer.h"

#include "TargetHealth.h"

#include <algorithm>

namespace gh {

LoadBalancer::LoadBalancer(const CompiledService &service, quint64 seed)
    : m_service(&service)
    , m_currentWeights(service.targets.size(), 0)
    , m_random(seed)
{}

TargetPick LoadBalancer::pick(std::span<const int> excluding)
{
    const std::vector<ServiceTarget> &targets = m_service->targets;
    const qsizetype count = qsizetype(targets.size());
    if (count == 0)
        return {};

    Candidates usable(count);
    bool anyUsable = false;
    for (qsizetype i = 0; i < count; ++i) {
        const bool excluded =
            std::find(excluding.begin(), excluding.end(), int(i)) != excluding.end();
        usable[i] = targets[i].weight > 0 && !excluded;
        anyUsable = anyUsable || usable[i];
    }
    if (!anyUsable)
        return {};

    const qint64 now = targets.front().health->now();
    Candidates healthy(count);
    bool anyHealthy = false;
    for (qsizetype i = 0; i < count; ++i) {
        healthy[i] = 0;
        if (!usable[i])
            continue;
        switch (targets[i].health->availability(now)) {
        case TargetHealth::Availability::Available:
            healthy[i] = 1;
            break;
        case TargetHealth::Availability::Probe:
            healthy[i] = 2;
            break;
        case TargetHealth::Availability::Unavailable:
            break;
        }
        anyHealthy = anyHealthy || healthy[i];
    }

    TargetPick result;
    while (anyHealthy) {
        const int chosen = choose(healthy);
        if (chosen < 0)
            break;
        // A half-open target takes one request at a time; losing the race to another
        // worker just removes it from this pick.
        if (healthy[chosen] == 2 && !targets[size_t(chosen)].health->tryBeginProbe(now)) {
            healthy[chosen] = 0;
            anyHealthy = std::any_of(healthy.begin(), healthy.end(), [](quint8 c) { return c; });
            continue;
        }
        result.index = chosen;
        break;
    }
    if (result.index < 0) {
        if (m_allDownPolicy == AllDownPolicy::Fail)
            return {};
        result.index = choose(usable);
        result.allDown = true;
    }
    if (result.index < 0)
        return {};
    const ServiceTarget &target = targets[size_t(result.index)];
    result.target = &target;
    result.health = target.health.get();
    result.health->beginRequest();
    return result;
}

void LoadBalancer::release(const TargetPick &pick)
{
    if (pick.health)
        pick.health->endRequest();
}

int LoadBalancer::choose(const Candidates &candidates)
{
    switch (m_service->balance) {
    case CompiledService::Balance::RoundRobin:
        return chooseSmooth(candidates);
    case CompiledService::Balance::LeastConnections:
        return chooseLeastConnections(candidates);
    case CompiledService::Balance::Random:
        return chooseRandom(candidates);
    }
    return chooseSmooth(candidates);
}

int LoadBalancer::chooseSmooth(const Candidates &candidates)
{
    // nginx ngx_http_upstream_get_peer(): every candidate gains its weight, the largest
    // current weight wins (first on ties) and pays back the total.
    const std::vector<ServiceTarget> &targets = m_service->targets;
    qint64 total = 0;
    int best = -1;
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        if (!candidates[i])
            continue;
        const qint64 weight = targets[size_t(i)].weight;
        m_currentWeights[size_t(i)] += weight;
        total += weight;
        if (best < 0 || m_currentWeights[size_t(i)] > m_currentWeights[size_t(best)])
            best = int(i);
    }
    if (best >= 0)
        m_currentWeights[size_t(best)] -= total;
    return best;
}

int LoadBalancer::chooseLeastConnections(Candidates candidates)
{
    // Keep only the candidates with the lowest active/weight (compared cross-multiplied,
    // no division), then round-robin among them.
    const std::vector<ServiceTarget> &targets = m_service->targets;
    int best = -1;
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        if (!candidates[i])
            continue;
        if (best < 0) {
            best = int(i);
            continue;
        }
        const ServiceTarget &a = targets[size_t(i)];
        const ServiceTarget &b = targets[size_t(best)];
        if (qint64(a.health->activeRequests()) * b.weight <
            qint64(b.health->activeRequests()) * a.weight)
            best = int(i);
    }
    if (best < 0)
        return -1;
    const ServiceTarget &lowest = targets[size_t(best)];
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        if (!candidates[i])
            continue;
        const ServiceTarget &t = targets[size_t(i)];
        if (qint64(t.health->activeRequests()) * lowest.weight !=
            qint64(lowest.health->activeRequests()) * t.weight)
            candidates[i] = 0;
    }
    return chooseSmooth(candidates);
}

int LoadBalancer::chooseRandom(const Candidates &candidates)
{
    const std::vector<ServiceTarget> &targets = m_service->targets;
    qint64 total = 0;
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        if (candidates[i])
            total += targets[size_t(i)].weight;
    }
    if (total <= 0)
        return -1;
    qint64 point = std::uniform_int_distribution<qint64>(0, total - 1)(m_random);
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        if (!candidates[i])
            continue;
        point -= targets[size_t(i)].weight;
        if (point < 0)
            return int(i);
    }
    return -1;
}

} // namespace gh
