#pragma once

#include "ConfigProblem.h"
#include "ConfigValidator.h"
#include "EntityKind.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace gh {

// Sharing part of a config (docs/bundles.md): a bundle is a SPEC §3 document holding
// selected providers, models, prices, services, routes and prompt APIs (never consumers
// or settings: they hold identities, keys and machine choices), secrets as references,
// plus an optional `gatehouse_bundle` header. Pure: works on exported documents; the
// admin API and the desktop app read the store and apply through ConfigService.
class ConfigBundle
{
public:
    static constexpr const char *HeaderKey = "gatehouse_bundle";
    static const QList<EntityKind> &bundleKinds();

    struct Selection
    {
        QHash<EntityKind, QStringList> names; // keys: names, "provider/model" for prices
        bool withDependencies = true;        // a route's service, a prompt API's model, ...
    };

    struct Export
    {
        QJsonObject document; // header + sections in SPEC order (only non-empty ones)
        ConfigProblems problems; // unknown names, kinds a bundle cannot carry
    };
    // From a full export of the store (ConfigExporter::exportAll).
    static Export exportSelection(const QJsonObject &exported, const Selection &selection,
                                  const QString &exportedAt = {});

    enum class Mode { Merge, Replace };
    enum class ChangeType { Add, Change, Remove, Unchanged };
    struct Change
    {
        EntityKind kind;
        QString key;
        ChangeType type = ChangeType::Add;
        QStringList fields; // Change: the top-level fields that differ
    };
    struct Plan
    {
        QList<Change> changes;      // in section order, then by key
        QJsonObject document;       // what ConfigService::applyDocument gets
        ConfigProblems problems;    // non-empty: nothing may be applied
        QStringList warnings;

        bool ok() const { return problems.isEmpty(); }
        QList<Change> ofType(ChangeType type) const;
    };
    // What importing `bundle` would do to the store exported as `exported`. Merge (the
    // default) adds and replaces the bundle's entities and removes nothing; Replace makes
    // every section the bundle has match it, as applying a config file does (SPEC §3),
    // and is refused when it would remove something an entity outside the bundle needs.
    static Plan plan(const QJsonObject &exported, QJsonObject bundle, Mode mode,
                     const ConfigContext &context);

    static QString changeTypeName(ChangeType type);
    // The entities `entity` refers to by name: (kind, key) pairs.
    static QList<std::pair<EntityKind, QString>> references(EntityKind kind, const QJsonObject &entity,
                                                            const QJsonObject &exported);
};

} // namespace gh
