#include "TargetHealth.h"

#include <algorithm>

namespace gh {

TargetHealth::TargetHealth(QString service, QString url, std::shared_ptr<const HealthPolicy> policy)
    : m_service(std::move(service))
    , m_url(std::move(url))
    , m_policy(policy ? std::move(policy) : std::make_shared<const HealthPolicy>())
{}

TargetHealth::Availability TargetHealth::availability(qint64 now) const
{
    if (m_activeState.load(std::memory_order_relaxed) == int(ActiveState::Down))
        return Availability::Unavailable;
    const qint64 until = m_ejectedUntil.load(std::memory_order_acquire);
    if (until == 0)
        return Availability::Available;
    if (now < until)
        return Availability::Unavailable;
    const qint64 probeSince = m_probeSince.load(std::memory_order_acquire);
    if (probeSince != NoProbe && now - probeSince < m_policy->probeTimeoutMs)
        return Availability::Unavailable; // another request is probing
    return Availability::Probe;
}

bool TargetHealth::tryBeginProbe(qint64 now)
{
    qint64 probeSince = m_probeSince.load(std::memory_order_acquire);
    if (probeSince != NoProbe && now - probeSince < m_policy->probeTimeoutMs)
        return false;
    // Only one worker wins the half-open slot.
    return m_probeSince.compare_exchange_strong(probeSince, now, std::memory_order_acq_rel);
}

void TargetHealth::reportSuccess(qint64 now)
{
    Q_UNUSED(now)
    m_failures.store(0, std::memory_order_relaxed);
    // Any success proves the target answers: end an ejection (the half-open probe's
    // success, or a request sent while every target was down).
    if (m_ejectedUntil.load(std::memory_order_acquire) != 0) {
        m_ejectedUntil.store(0, std::memory_order_release);
        m_probeSince.store(NoProbe, std::memory_order_release);
    }
}

void TargetHealth::reportFailure(qint64 now)
{
    const qint64 until = m_ejectedUntil.load(std::memory_order_acquire);
    if (until != 0) {
        // Half-open and it failed again: eject for longer. Failures of requests still
        // running from before the ejection don't extend it.
        if (now >= until)
            eject(now, until);
        return;
    }
    const int failures = m_failures.fetch_add(1, std::memory_order_relaxed) + 1;
    if (failures >= m_policy->failureThreshold)
        eject(now, 0);
}

bool TargetHealth::eject(qint64 now, qint64 expectedUntil)
{
    // Repeated ejections back off; one long after the previous starts over.
    const qint64 previous = m_lastEjectionAt.load(std::memory_order_relaxed);
    int level = m_ejectionLevel.load(std::memory_order_relaxed);
    if (previous == 0 || now - previous > m_policy->maxCooldownMs + m_policy->cooldownMs)
        level = 0;
    else
        level = std::min(level + 1, 30);
    const qint64 until = std::max<qint64>(now + cooldownForLevel(level), 1);
    if (!m_ejectedUntil.compare_exchange_strong(expectedUntil, until, std::memory_order_acq_rel))
        return false; // another thread ejected it first
    m_ejectionLevel.store(level, std::memory_order_relaxed);
    m_lastEjectionAt.store(now, std::memory_order_relaxed);
    m_failures.store(0, std::memory_order_relaxed);
    m_probeSince.store(NoProbe, std::memory_order_release);
    m_ejections.fetch_add(1, std::memory_order_relaxed);
    return true;
}

qint64 TargetHealth::cooldownForLevel(int level) const
{
    qint64 cooldown = std::max<qint64>(m_policy->cooldownMs, 1);
    for (int i = 0; i < level && cooldown < m_policy->maxCooldownMs; ++i)
        cooldown *= 2;
    return std::min(cooldown, std::max(m_policy->maxCooldownMs, m_policy->cooldownMs));
}

qint64 TargetHealth::currentCooldownMs() const
{
    return cooldownForLevel(m_ejectionLevel.load(std::memory_order_relaxed));
}

bool TargetHealth::setActiveResult(bool up)
{
    const int state = int(up ? ActiveState::Up : ActiveState::Down);
    const int previous = m_activeState.exchange(state, std::memory_order_acq_rel);
    if (up) {
        // A passing check overrides a passive ejection.
        m_failures.store(0, std::memory_order_relaxed);
        m_ejectedUntil.store(0, std::memory_order_release);
        m_probeSince.store(NoProbe, std::memory_order_release);
    }
    return previous != state;
}

TargetHealth::ActiveState TargetHealth::activeState() const
{
    return ActiveState(m_activeState.load(std::memory_order_relaxed));
}

bool TargetHealth::isHealthy() const
{
    return activeState() != ActiveState::Down && !isEjected();
}

} // namespace gh
