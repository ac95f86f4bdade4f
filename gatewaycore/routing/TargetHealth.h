#pragma once

#include "HealthPolicy.h"

#include <QString>

#include <atomic>
#include <limits>
#include <memory>

namespace gh {

// The health of one upstream target of one service, shared by every worker thread and
// kept across config reloads (see TargetHealthRegistry). Lock-free: atomics only, so
// workers report outcomes and read availability without contending on a mutex.
//
// Passive: failureThreshold consecutive failures eject the target for a cooldown that
// doubles on repeated ejections (up to maxCooldownMs). When the cooldown is over the
// target is half-open: one request (a probe) may go through; its success makes the
// target healthy again, its failure ejects it again with the next, longer cooldown.
// Active (HealthChecker): a failing check makes the target unavailable until a check
// passes, whatever the passive state; a passing check also ends a passive ejection.
class TargetHealth
{
public:
    enum class Availability { Available, Probe, Unavailable };
    enum class ActiveState { Unknown, Up, Down };

    TargetHealth(QString service, QString url, std::shared_ptr<const HealthPolicy> policy);
    TargetHealth(const TargetHealth &) = delete;
    TargetHealth &operator=(const TargetHealth &) = delete;

    const QString &service() const { return m_service; }
    const QString &url() const { return m_url; }
    const HealthPolicy &policy() const { return *m_policy; }
    qint64 now() const { return m_policy->now(); }

    // Whether a balancer may pick the target at `now`. Probe: half-open, the caller must
    // win tryBeginProbe() before sending the request.
    Availability availability(qint64 now) const;
    bool tryBeginProbe(qint64 now);

    // Outcome of a proxied request (the proxy decides what a failure is: connect error,
    // timeout, 5xx).
    void reportSuccess() { reportSuccess(now()); }
    void reportFailure() { reportFailure(now()); }
    void reportSuccess(qint64 now);
    void reportFailure(qint64 now);

    // Result of an active check; true if the active state changed.
    bool setActiveResult(bool up);
    ActiveState activeState() const;

    // In-flight requests across all workers (least-connections, metrics).
    void beginRequest() { m_activeRequests.fetch_add(1, std::memory_order_relaxed); }
    void endRequest() { m_activeRequests.fetch_sub(1, std::memory_order_relaxed); }
    int activeRequests() const { return m_activeRequests.load(std::memory_order_relaxed); }

    // For status views and tests.
    bool isHealthy() const; // not actively down and not ejected
    bool isEjected() const { return m_ejectedUntil.load(std::memory_order_acquire) != 0; }
    qint64 ejectedUntil() const { return m_ejectedUntil.load(std::memory_order_acquire); }
    int consecutiveFailures() const { return m_failures.load(std::memory_order_relaxed); }
    quint64 ejectionCount() const { return m_ejections.load(std::memory_order_relaxed); }
    qint64 currentCooldownMs() const;

private:
    static constexpr qint64 NoProbe = std::numeric_limits<qint64>::min();

    bool eject(qint64 now, qint64 expectedUntil);
    qint64 cooldownForLevel(int level) const;

    const QString m_service;
    const QString m_url;
    const std::shared_ptr<const HealthPolicy> m_policy;

    std::atomic<int> m_failures{0};
    std::atomic<qint64> m_ejectedUntil{0}; // 0: not ejected
    std::atomic<qint64> m_probeSince{NoProbe};
    std::atomic<int> m_ejectionLevel{0};
    std::atomic<qint64> m_lastEjectionAt{0};
    std::atomic<quint64> m_ejections{0};
    std::atomic<int> m_activeState{int(ActiveState::Unknown)};
    std::atomic<int> m_activeRequests{0};
};

} // namespace gh
