#pragma once

namespace gh {

struct ServiceTarget;
class TargetHealth;

// The upstream a LoadBalancer chose for one attempt of one request. Valid while the
// caller holds the WorkerConfig (or snapshot) it came from.
struct TargetPick
{
    int index = -1; // in CompiledService::targets
    const ServiceTarget *target = nullptr;
    TargetHealth *health = nullptr;
    // Every usable target was down, so this one was picked regardless of its health.
    bool allDown = false;

    bool isValid() const { return target != nullptr; }
    explicit operator bool() const { return isValid(); }
};

} // namespace gh
