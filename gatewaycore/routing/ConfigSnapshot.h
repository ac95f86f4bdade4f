#pragma once

#include "CompiledService.h"
#include "RouteTable.h"
#include "ai/AiCatalog.h"
#include "policy/ConsumerDirectory.h"
#include "policy/CorsPolicy.h"
#include "policy/IpRules.h"
#include "policy/JwtDirectory.h"
#include "portal/PortalDocuments.h"
#include "prompt/PromptCatalog.h"

#include <QHash>
#include <QJsonObject>
#include <QMetaType>

#include <memory>
#include <vector>

namespace gh {

class TargetHealthRegistry;

// Everything a request needs from the config, compiled once and never changed: the
// route table, the services, the settings and the whole normalized document for layers
// that read it directly. Published through SnapshotHolder; a request keeps the one it
// started with until it ends, so a reload never changes a request midway.
class ConfigSnapshot
{
public:
    // normalizedConfig: the validated SPEC §3 tree (defaults filled). Target health comes
    // from registry, so unchanged targets keep theirs across reloads; previous (the
    // snapshot being replaced, if any) keeps a still-deprecated route's (or prompt API's)
    // Deprecation date.
    static std::shared_ptr<const ConfigSnapshot> build(const QJsonObject &normalizedConfig,
                                                       TargetHealthRegistry &registry,
                                                       quint64 generation,
                                                       const ConfigSnapshot *previous = nullptr,
                                                       ConsumerDirectory consumers = {},
                                                       std::shared_ptr<const AiCatalog> ai = {},
                                                       JwtDirectory jwt = {});
    // No routes, no services: what a holder starts with.
    static std::shared_ptr<const ConfigSnapshot> empty();

    ConfigSnapshot(const ConfigSnapshot &) = delete;
    ConfigSnapshot &operator=(const ConfigSnapshot &) = delete;

    quint64 generation() const { return m_generation; }
    const RouteTable &routes() const { return m_routes; }
    const std::vector<CompiledService> &services() const { return m_services; }
    const CompiledService *service(int index) const;
    const CompiledService *service(const QString &name) const;
    const QJsonObject &settings() const { return m_settings; }
    const QJsonObject &config() const { return m_config; }
    // Who holds which consumer key (references resolved when the snapshot was built).
    const ConsumerDirectory &consumers() const { return m_consumers; }
    // Providers, public models and prices (keys resolved when the snapshot was built).
    const AiCatalog &ai() const { return *m_ai; }
    // settings.ip: checked on every gateway request (health from loopback excepted).
    const IpRules &ipRules() const { return m_ipRules; }
    // settings.cors: CORS on the AI endpoints, off when absent.
    const CorsPolicy &aiCors() const { return m_aiCors; }
    // The verifier of each `auth: jwt` route (keys resolved when the snapshot was built).
    const JwtDirectory &jwt() const { return m_jwt; }
    // The catalog (/_gatehouse/portal/, /_gatehouse/openapi.json), built on first request.
    const PortalDocuments &portal() const { return *m_portal; }
    // The prompt APIs, by path (looked up before the routes).
    const PromptCatalog &prompts() const { return m_prompts; }

private:
    ConfigSnapshot() = default;

    quint64 m_generation = 0;
    RouteTable m_routes;
    std::vector<CompiledService> m_services;
    QHash<QString, int> m_serviceIndex;
    QJsonObject m_settings;
    QJsonObject m_config;
    ConsumerDirectory m_consumers;
    std::shared_ptr<const AiCatalog> m_ai;
    IpRules m_ipRules;
    CorsPolicy m_aiCors;
    JwtDirectory m_jwt;
    std::unique_ptr<PortalDocuments> m_portal;
    PromptCatalog m_prompts;
};

} // namespace gh

// Snapshots travel through queued signals (to the HealthChecker's thread, the GUI).
Q_DECLARE_METATYPE(std::shared_ptr<const gh::ConfigSnapshot>)
