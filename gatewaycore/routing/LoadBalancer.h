#pragma once

#include "CompiledService.h"
#include "TargetPick.h"

#include <QVarLengthArray>

#include <random>
#include <span>
#include <vector>

namespace gh {

// Chooses a target of one service for one worker thread (not thread-safe: each worker
// has its own, see WorkerConfig). Weight-0 targets are never picked; targets in
// `excluding` (already tried by this request) neither.
//
// - RoundRobin: nginx's smooth weighted round-robin (weights 5,1,1 -> a a b a c a a),
//   deterministic per worker.
// - LeastConnections: the fewest in-flight requests per unit of weight, counted across
//   all workers (TargetHealth::activeRequests); ties by smooth weighted round-robin.
// - Random: weighted, from a per-balancer PRNG (seeded by the caller for tests).
//
// Health: ejected or actively-down targets are skipped; a half-open one is picked only
// by the single request that wins its probe slot. When every usable target is down the
// default (AllDownPolicy::TryAnyway) is to pick among them regardless of health, like
// Envoy's panic mode and nginx with a single server: the request then fails or succeeds
// for real (and a success revives the target) instead of a synthetic 503, and a brief
// total outage heals without waiting for the cooldown. AllDownPolicy::Fail returns an
// invalid pick instead ("no healthy upstream").
class LoadBalancer
{
public:
    enum class AllDownPolicy { TryAnyway, Fail };

    LoadBalancer(const CompiledService &service, quint64 seed);

    // Increments the chosen target's in-flight count: call release() when the attempt
    // ends (success or failure). Invalid when no target is left.
    TargetPick pick(std::span<const int> excluding = {});
    static void release(const TargetPick &pick);

    void setAllDownPolicy(AllDownPolicy policy) { m_allDownPolicy = policy; }
    AllDownPolicy allDownPolicy() const { return m_allDownPolicy; }
    const CompiledService &service() const { return *m_service; }

private:
    // Per target, for one pick: 0 not a candidate, 1 candidate, 2 candidate needing the
    // probe slot.
    using Candidates = QVarLengthArray<quint8, 16>;

    int choose(const Candidates &candidates);
    int chooseSmooth(const Candidates &candidates);
    int chooseLeastConnections(Candidates candidates);
    int chooseRandom(const Candidates &candidates);

    const CompiledService *m_service;
    std::vector<qint64> m_currentWeights; // smooth round-robin state
    std::mt19937_64 m_random;
    AllDownPolicy m_allDownPolicy = AllDownPolicy::TryAnyway;
};

} // namespace gh
