#pragma once

#include "ServiceTarget.h"
#include "http/UpstreamOrigin.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace gh {

class TargetHealthRegistry;

// A SPEC §3 service ready for the proxy: targets parsed, balance strategy resolved,
// each target wired to its shared TargetHealth. Immutable once compiled.
struct CompiledService
{
    enum class Balance { RoundRobin, LeastConnections, Random };
    struct HealthCheck
    {
        QByteArray path; // "/health"
        int intervalMs = 10000;
    };

    QString name;
    int index = -1; // in ConfigSnapshot::services()
    std::vector<ServiceTarget> targets;
    Balance balance = Balance::RoundRobin;
    int timeoutMs = 30000;
    int retries = 0;
    std::optional<HealthCheck> healthCheck;
    QString caFile;   // optional "ca_file": a private CA for https targets
    UpstreamTlsOptions tls; // loaded from caFile when the snapshot is built, never per request
    QJsonObject json; // the normalized entity, for later policies

    // From a normalized `services[]` entity. Targets whose URL is not absolute http(s)
    // are skipped with a warning (validation prevents them).
    static CompiledService compile(const QJsonObject &json, int index,
                                   TargetHealthRegistry &registry);
    static Balance balanceFromString(const QString &name);
};

} // namespace gh
