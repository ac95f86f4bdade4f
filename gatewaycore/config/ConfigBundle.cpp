#include "ConfigBundle.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace gh {

namespace {

using Ref = std::pair<EntityKind, QString>;

QHash<QString, QJsonObject> byKey(EntityKind kind, const QJsonObject &document)
{
    QHash<QString, QJsonObject> out;
    for (const QJsonValue &value : document.value(sectionName(kind)).toArray()) {
        const QJsonObject entity = value.toObject();
        out.insert(ConfigValidator::entityKey(kind, entity), entity);
    }
    return out;
}

QString refText(const Ref &ref)
{
    return QStringLiteral("%1 \"%2\"").arg(displayName(ref.first), ref.second);
}

} // namespace

const QList<EntityKind> &ConfigBundle::bundleKinds()
{
    static const QList<EntityKind> kinds{EntityKind::Provider, EntityKind::Model, EntityKind::Price,
                                         EntityKind::Service,  EntityKind::Route, EntityKind::PromptApi};
    return kinds;
}

QList<ConfigBundle::Change> ConfigBundle::Plan::ofType(ChangeType type) const
{
    QList<Change> out;
    for (const Change &change : changes) {
        if (change.type == type)
            out.append(change);
    }
    return out;
}

QString ConfigBundle::changeTypeName(ChangeType type)
{
    switch (type) {
    case ChangeType::Add:
        return QStringLiteral("add");
    case ChangeType::Change:
        return QStringLiteral("change");
    case ChangeType::Remove:
        return QStringLiteral("remove");
    case ChangeType::Unchanged:
        break;
    }
    return QStringLiteral("unchanged");
}

QList<Ref> ConfigBundle::references(EntityKind kind, const QJsonObject &entity, const QJsonObject &exported)
{
    QList<Ref> refs;
    const auto name = [&entity](const char *key) { return entity.value(QLatin1String(key)).toString(); };
    switch (kind) {
    case EntityKind::Route:
        if (!name("service").isEmpty())
            refs.append({EntityKind::Service, name("service")});
        break;
    case EntityKind::PromptApi:
        if (!name("model").isEmpty())
            refs.append({EntityKind::Model, name("model")});
        break;
    case EntityKind::Price:
        if (!name("provider").isEmpty())
            refs.append({EntityKind::Provider, name("provider")});
        break;
    case EntityKind::Model: {
        QSet<QString> prices;
        for (const QJsonValue &target : entity.value(QLatin1String("targets")).toArray()) {
            const QJsonObject t = target.toObject();
            const QString provider = t.value(QLatin1String("provider")).toString();
            refs.append({EntityKind::Provider, provider});
            prices.insert(provider + QLatin1Char('/') + t.value(QLatin1String("model")).toString());
        }
        for (const QJsonValue &fallback : entity.value(QLatin1String("fallbacks")).toArray())
            refs.append({EntityKind::Model, fallback.toString()});
        // A model's configured prices travel with it, so its cost reads the same elsewhere.
        for (const QString &key : byKey(EntityKind::Price, exported).keys()) {
            if (prices.contains(key))
                refs.append({EntityKind::Price, key});
        }
        break;
    }
    default:
        break;
    }
    return refs;
}

ConfigBundle::Export ConfigBundle::exportSelection(const QJsonObject &exported, const Selection &selection,
                                                   const QString &exportedAt)
{
    Export result;
    QHash<EntityKind, QHash<QString, QJsonObject>> store;
    for (EntityKind kind : bundleKinds())
        store.insert(kind, byKey(kind, exported));

    QHash<EntityKind, QSet<QString>> chosen;
    QList<Ref> pending;
    for (auto it = selection.names.begin(); it != selection.names.end(); ++it) {
        if (!bundleKinds().contains(it.key())) {
            result.problems.append({sectionName(it.key()),
                                    QStringLiteral("a bundle cannot carry %1: they hold keys and choices of "
                                                   "this machine")
                                        .arg(sectionName(it.key()))});
            continue;
        }
        for (const QString &key : it.value()) {
            if (!store.value(it.key()).contains(key))
                result.problems.append({sectionName(it.key()), QStringLiteral("no %1 \"%2\"").arg(displayName(it.key()), key)});
            else
                pending.append({it.key(), key});
        }
    }
    if (!result.problems.isEmpty())
        return result;

    while (!pending.isEmpty()) {
        const Ref ref = pending.takeFirst();
        if (chosen[ref.first].contains(ref.second))
            continue;
        chosen[ref.first].insert(ref.second);
        if (!selection.withDependencies)
            continue;
        for (const Ref &dependency : references(ref.first, store.value(ref.first).value(ref.second), exported)) {
            if (store.value(dependency.first).contains(dependency.second))
                pending.append(dependency);
        }
    }

    QJsonObject document;
    document.insert(QLatin1String(HeaderKey),
                    QJsonObject{{QStringLiteral("format"), 1},
                                {QStringLiteral("gatehouse"), QStringLiteral(GATEHOUSE_VERSION)},
                                {QStringLiteral("exported_at"),
                                 exportedAt.isEmpty() ? QDateTime::currentDateTimeUtc().toString(Qt::ISODate)
                                                      : exportedAt}});
    for (EntityKind kind : bundleKinds()) {
        QStringList keys(chosen.value(kind).begin(), chosen.value(kind).end());
        if (keys.isEmpty())
            continue;
        keys.sort();
        QJsonArray items;
        for (const QString &key : std::as_const(keys))
            items.append(store.value(kind).value(key));
        document.insert(sectionName(kind), items);
    }
    result.document = document;
    return result;
}

ConfigBundle::Plan ConfigBundle::plan(const QJsonObject &exported, QJsonObject bundle, Mode mode,
                                      const ConfigContext &context)
{
    Plan plan;
    bundle.remove(QLatin1String(HeaderKey));
    for (const QString &section : bundle.keys()) {
        const auto kind = kindFromSection(section);
        if (section == QLatin1String("settings") || (kind && !bundleKinds().contains(*kind)))
            plan.problems.append({section, QStringLiteral("a bundle cannot carry %1: they hold keys and choices "
                                                          "of this machine")
                                               .arg(section)});
    }
    if (!plan.problems.isEmpty())
        return plan;

    // The bundle as it would be stored: validated (defaults filled) against the store's names.
    QJsonObject normalized = bundle;
    plan.problems = ConfigValidator::validate(normalized, context);
    if (!plan.problems.isEmpty())
        return plan;

    QJsonObject document;
    QSet<std::pair<int, QString>> removed;
    for (EntityKind kind : bundleKinds()) {
        const QString section = sectionName(kind);
        if (!normalized.contains(section))
            continue;
        const QHash<QString, QJsonObject> stored = byKey(kind, exported);
        const QHash<QString, QJsonObject> incoming = byKey(kind, normalized);
        QStringList keys = incoming.keys();
        keys.sort();
        for (const QString &key : std::as_const(keys)) {
            const QJsonObject entity = incoming.value(key);
            if (!stored.contains(key)) {
                plan.changes.append({kind, key, ChangeType::Add, {}});
                continue;
            }
            const QJsonObject old = stored.value(key);
            QStringList fields;
            QStringList names = entity.keys() + old.keys();
            names.removeDuplicates();
            names.sort();
            for (const QString &field : std::as_const(names)) {
                if (entity.value(field) != old.value(field))
                    fields.append(field);
            }
            plan.changes.append({kind, key, fields.isEmpty() ? ChangeType::Unchanged : ChangeType::Change, fields});
        }
        QJsonArray items;
        if (mode == Mode::Merge) {
            // Everything stored stays; the bundle's entities replace theirs or are added.
            for (const QJsonValue &value : exported.value(section).toArray()) {
                if (!incoming.contains(ConfigValidator::entityKey(kind, value.toObject())))
                    items.append(value);
            }
        } else {
            QStringList gone;
            for (const QString &key : stored.keys()) {
                if (!incoming.contains(key))
                    gone.append(key);
            }
            gone.sort();
            for (const QString &key : std::as_const(gone)) {
                plan.changes.append({kind, key, ChangeType::Remove, {}});
                removed.insert({int(kind), key});
            }
        }
        for (const QJsonValue &value : bundle.value(section).toArray())
            items.append(value);
        document.insert(section, items);
    }

    // Replace: nothing left behind may point at a removed entity.
    if (!removed.isEmpty()) {
        for (EntityKind kind : allEntityKinds()) {
            const QJsonArray items = document.contains(sectionName(kind)) ? document.value(sectionName(kind)).toArray()
                                                                          : exported.value(sectionName(kind)).toArray();
            for (const QJsonValue &value : items) {
                const QJsonObject entity = value.toObject();
                for (const Ref &ref : references(kind, entity, exported)) {
                    if (ref.first != EntityKind::Price && removed.contains({int(ref.first), ref.second})) {
                        plan.problems.append(
                            {QStringLiteral("%1[%2]").arg(sectionName(kind), ConfigValidator::entityKey(kind, entity)),
                             QStringLiteral("still uses %1, which this bundle would remove").arg(refText(ref))});
                    }
                }
            }
        }
        if (!plan.problems.isEmpty())
            return plan;
    }

    // Keys referenced but not resolvable here are the importer's to supply.
    for (const QJsonValue &value : normalized.value(sectionName(EntityKind::Provider)).toArray()) {
        const QString apiKey = value.toObject().value(QLatin1String("api_key")).toString();
        if (apiKey.startsWith(QLatin1String("${keychain:")))
            plan.warnings.append(QStringLiteral("provider \"%1\" reads its key from %2: store that key in this "
                                                "machine's keychain (Providers page) before calling it")
                                     .arg(value.toObject().value(QLatin1String("name")).toString(), apiKey));
        else if (apiKey.startsWith(QLatin1String("${env:")) || apiKey.startsWith(QLatin1String("${file:")))
            plan.warnings.append(QStringLiteral("provider \"%1\" reads its key from %2 on this machine")
                                     .arg(value.toObject().value(QLatin1String("name")).toString(), apiKey));
    }
    plan.document = document;
    return plan;
}

} // namespace gh
