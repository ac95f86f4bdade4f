#include "ConfigSnapshot.h"

#include "TargetHealthRegistry.h"

#include <QDateTime>
#include <QJsonArray>

namespace gh {

std::shared_ptr<const ConfigSnapshot> ConfigSnapshot::build(const QJsonObject &normalizedConfig,
                                                            TargetHealthRegistry &registry,
                                                            quint64 generation,
                                                            const ConfigSnapshot *previous,
                                                            ConsumerDirectory consumers,
                                                            std::shared_ptr<const AiCatalog> ai,
                                                            JwtDirectory jwt)
{
    std::shared_ptr<ConfigSnapshot> snapshot(new ConfigSnapshot);
    snapshot->m_generation = generation;
    snapshot->m_ai = ai ? std::move(ai) : std::make_shared<const AiCatalog>();
    snapshot->m_consumers = std::move(consumers);
    snapshot->m_jwt = std::move(jwt);
    snapshot->m_config = normalizedConfig;
    snapshot->m_portal = std::make_unique<PortalDocuments>(normalizedConfig);
    snapshot->m_settings = normalizedConfig.value(QLatin1String("settings")).toObject();
    snapshot->m_ipRules =
        IpRules::fromJson(snapshot->m_settings.value(QLatin1String("ip")).toObject());
    snapshot->m_aiCors =
        CorsPolicy::fromJson(snapshot->m_settings.value(QLatin1String("cors")).toObject());

    registry.beginBuild();
    const QJsonArray services = normalizedConfig.value(QLatin1String("services")).toArray();
    snapshot->m_services.reserve(services.size());
    for (const QJsonValue &value : services) {
        const int index = int(snapshot->m_services.size());
        CompiledService service = CompiledService::compile(value.toObject(), index, registry);
        if (snapshot->m_serviceIndex.contains(service.name)) {
            qWarning("Routing: duplicate service \"%s\"; the first one wins",
                     qUtf8Printable(service.name));
            continue;
        }
        snapshot->m_serviceIndex.insert(service.name, index);
        snapshot->m_services.push_back(std::move(service));
    }
    registry.finishBuild();

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto deprecatedSince = [previous, now](const QString &routeName) {
        if (previous) {
            const CompiledRoute *before = previous->routes().find(routeName);
            if (before && before->isDeprecated() && before->deprecatedSince > 0)
                return before->deprecatedSince;
        }
        return now;
    };
    const ConfigSnapshot *self = snapshot.get();
    snapshot->m_routes = RouteTable::build(
        normalizedConfig.value(QLatin1String("routes")).toArray(),
        [self](const QString &name) { return self->m_serviceIndex.value(name, -1); },
        deprecatedSince);
    snapshot->m_prompts = PromptCatalog::build(
        normalizedConfig.value(QLatin1String("prompt_apis")).toArray(),
        [previous, now](const QString &name) {
            const CompiledPromptApi *before = previous ? previous->prompts().find(name) : nullptr;
            return before && before->isDeprecated() && before->deprecatedSince > 0
                       ? before->deprecatedSince
                       : now;
        });
    return snapshot;
}

std::shared_ptr<const ConfigSnapshot> ConfigSnapshot::empty()
{
    std::shared_ptr<ConfigSnapshot> snapshot(new ConfigSnapshot);
    snapshot->m_ai = std::make_shared<const AiCatalog>();
    snapshot->m_portal = std::make_unique<PortalDocuments>(QJsonObject());
    return snapshot;
}

const CompiledService *ConfigSnapshot::service(int index) const
{
    if (index < 0 || size_t(index) >= m_services.size())
        return nullptr;
    return &m_services[size_t(index)];
}

const CompiledService *ConfigSnapshot::service(const QString &name) const
{
    return service(m_serviceIndex.value(name, -1));
}

} // namespace gh
