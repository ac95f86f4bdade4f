#pragma once

#include <QtGlobal>

#include <functional>

namespace gh {

// When passive health checks eject a target and for how long. Shared (read-only) by
// every TargetHealth of a registry.
struct HealthPolicy
{
    int failureThreshold = 3;      // consecutive failures that eject a target
    qint64 cooldownMs = 10000;     // first ejection; doubles on each repeated one ...
    qint64 maxCooldownMs = 300000; // ... up to this; an ejection this long after the
                                   // previous one starts again at cooldownMs
    qint64 probeTimeoutMs = 60000; // a half-open probe that never reports is retried
    std::function<qint64()> clock; // monotonic milliseconds; empty = steady clock

    qint64 now() const;
    static qint64 steadyNowMs();
};

} // namespace gh
