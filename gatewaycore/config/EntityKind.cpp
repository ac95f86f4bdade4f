#include "EntityKind.h"

namespace gh {

const QList<EntityKind> &allEntityKinds()
{
    static const QList<EntityKind> kinds{EntityKind::Provider, EntityKind::Model,
                                         EntityKind::Price,    EntityKind::Consumer,
                                         EntityKind::Service,  EntityKind::Route,
                                         EntityKind::PromptApi};
    return kinds;
}

QString sectionName(EntityKind kind)
{
    switch (kind) {
    case EntityKind::Provider: return QStringLiteral("providers");
    case EntityKind::Model: return QStringLiteral("models");
    case EntityKind::Price: return QStringLiteral("prices");
    case EntityKind::Consumer: return QStringLiteral("consumers");
    case EntityKind::Service: return QStringLiteral("services");
    case EntityKind::Route: return QStringLiteral("routes");
    case EntityKind::PromptApi: return QStringLiteral("prompt_apis");
    }
    return {};
}

QString collectionPath(EntityKind kind)
{
    return kind == EntityKind::PromptApi ? QStringLiteral("prompt-apis") : sectionName(kind);
}

QString displayName(EntityKind kind)
{
    switch (kind) {
    case EntityKind::Provider: return QStringLiteral("provider");
    case EntityKind::Model: return QStringLiteral("model");
    case EntityKind::Price: return QStringLiteral("price");
    case EntityKind::Consumer: return QStringLiteral("consumer");
    case EntityKind::Service: return QStringLiteral("service");
    case EntityKind::Route: return QStringLiteral("route");
    case EntityKind::PromptApi: return QStringLiteral("prompt API");
    }
    return {};
}

std::optional<EntityKind> kindFromSection(const QString &section)
{
    for (EntityKind k : allEntityKinds()) {
        if (sectionName(k) == section)
            return k;
    }
    return std::nullopt;
}

std::optional<EntityKind> kindFromCollectionPath(const QString &segment)
{
    for (EntityKind k : allEntityKinds()) {
        if (collectionPath(k) == segment)
            return k;
    }
    return std::nullopt;
}

} // namespace gh
