#include "CompiledService.h"

#include "TargetHealthRegistry.h"

#include <QDir>
#include <QJsonArray>

namespace gh {

CompiledService::Balance CompiledService::balanceFromString(const QString &name)
{
    if (name == QLatin1String("least-connections"))
        return Balance::LeastConnections;
    if (name == QLatin1String("random"))
        return Balance::Random;
    return Balance::RoundRobin;
}

CompiledService CompiledService::compile(const QJsonObject &json, int index,
                                         TargetHealthRegistry &registry)
{
    CompiledService service;
    service.name = json.value(QLatin1String("name")).toString();
    service.index = index;
    service.json = json;
    service.balance = balanceFromString(json.value(QLatin1String("balance")).toString());
    service.timeoutMs = json.value(QLatin1String("timeout_ms")).toInt(30000);
    service.retries = json.value(QLatin1String("retries")).toInt(0);
    service.caFile = json.value(QLatin1String("ca_file")).toString();
    if (!service.caFile.isEmpty()) {
        QString path = service.caFile;
        if (path.startsWith(QLatin1String("~/")))
            path = QDir::homePath() + path.mid(1);
        QString error;
        if (!service.tls.loadCaFile(path, &error))
            qWarning("gatehouse: service %s: %s", qPrintable(service.name), qPrintable(error));
    }

    const QJsonValue check = json.value(QLatin1String("health_check"));
    if (check.isObject()) {
        const QJsonObject object = check.toObject();
        HealthCheck healthCheck;
        healthCheck.path = object.value(QLatin1String("path")).toString().toUtf8();
        healthCheck.intervalMs = object.value(QLatin1String("interval_ms")).toInt(10000);
        if (healthCheck.path.startsWith('/') && healthCheck.intervalMs > 0)
            service.healthCheck = healthCheck;
    }

    const QJsonArray targets = json.value(QLatin1String("targets")).toArray();
    service.targets.reserve(targets.size());
    for (const QJsonValue &value : targets) {
        const QJsonObject object = value.toObject();
        const QString url = object.value(QLatin1String("url")).toString();
        auto target =
            ServiceTarget::fromUrl(url, qMax(0, object.value(QLatin1String("weight")).toInt(1)));
        if (!target) {
            qWarning("Routing: service \"%s\": skipping target with bad URL \"%s\"",
                     qUtf8Printable(service.name), qUtf8Printable(url));
            continue;
        }
        target->index = int(service.targets.size());
        target->health = registry.acquire(service.name, url);
        service.targets.push_back(std::move(*target));
    }
    return service;
}

} // namespace gh
