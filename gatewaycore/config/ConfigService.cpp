#include "ConfigService.h"

#include "ConfigApplier.h"
#include "ConfigExporter.h"
#include "store/Store.h"

#include <QJsonArray>

namespace gh {

namespace {

ConfigService::Result failure(ConfigService::Status status, ConfigProblems problems)
{
    ConfigService::Result result;
    result.status = status;
    result.problems = std::move(problems);
    return result;
}

ConfigProblem mismatch(const QString &field, const QString &given, const QString &key)
{
    return {field, QStringLiteral("\"%1\" does not match \"%2\" in the path").arg(given, key)};
}

} // namespace

ConfigService::ConfigService(Store &store, const SecretResolver &resolver)
    : m_store(store)
    , m_resolver(resolver)
{}

ConfigContext ConfigService::context() const
{
    return contextOf(m_store);
}

ConfigContext ConfigService::contextOf(Store &store)
{
    ConfigContext context;
    for (EntityKind kind : allEntityKinds()) {
        const QStringList names = store.entities(kind).names();
        context.existingNames.insert(kind, QSet<QString>(names.begin(), names.end()));
    }
    QHash<QString, QStringList> routePaths;
    const QList<QJsonObject> routes = store.entities(EntityKind::Route).list();
    for (const QJsonObject &route : routes) {
        QStringList paths;
        const QJsonArray list =
            route.value(QLatin1String("match")).toObject().value(QLatin1String("paths")).toArray();
        for (const QJsonValue &path : list)
            paths.append(path.toString());
        routePaths.insert(route.value(QLatin1String("name")).toString(), paths);
    }
    context.existingPaths.insert(EntityKind::Route, routePaths);
    QHash<QString, QStringList> promptPaths;
    const QList<QJsonObject> prompts = store.entities(EntityKind::PromptApi).list();
    for (const QJsonObject &prompt : prompts)
        promptPaths.insert(prompt.value(QLatin1String("name")).toString(),
                           {prompt.value(QLatin1String("path")).toString()});
    context.existingPaths.insert(EntityKind::PromptApi, promptPaths);
    return context;
}

ConfigService::Result ConfigService::putEntity(EntityKind kind, const QString &key, QJsonObject entity)
{
    if (kind == EntityKind::Price) {
        const qsizetype slash = key.indexOf(QLatin1Char('/'));
        if (slash <= 0 || slash == key.size() - 1)
            return failure(Status::Invalid, {{QString(), QStringLiteral("a price is named provider/model")}});
        for (const auto &[field, value] : {std::pair{QStringLiteral("provider"), key.left(slash)},
                                           std::pair{QStringLiteral("model"), key.mid(slash + 1)}}) {
            if (entity.contains(field) && entity.value(field).toString() != value)
                return failure(Status::Invalid, {mismatch(field, entity.value(field).toString(), value)});
            entity.insert(field, value);
        }
    } else {
        const QString name = QStringLiteral("name");
        if (entity.contains(name) && entity.value(name).toString() != key)
            return failure(Status::Invalid, {mismatch(name, entity.value(name).toString(), key)});
        entity.insert(name, key);
    }
    const bool keysGiven = entity.contains(QStringLiteral("keys"));
    ConfigProblems problems = ConfigValidator::validateEntity(kind, entity, QString(), context());
    if (!problems.isEmpty())
        return failure(Status::Invalid, problems);

    EntityRepository &repo = m_store.entities(kind);
    const bool existed = repo.contains(key);
    Transaction tx(m_store.database());
    QJsonObject stored = entity;
    if (kind == EntityKind::Consumer)
        stored.remove(QStringLiteral("keys")); // hashed in their own table
    if (!repo.put(key, stored))
        return failure(Status::StoreError, {{QString(), QStringLiteral("cannot store: %1").arg(repo.lastError())}});
    Result result;
    // A consumer written without "keys" keeps its keys (they have their own endpoint).
    if (kind == EntityKind::Consumer && keysGiven) {
        QString error;
        if (!ConfigApplier(m_store, m_resolver)
                 .writeConsumerKeys(key, entity.value(QStringLiteral("keys")).toArray(),
                                    QStringLiteral("keys"), &result.warnings, &error))
            return failure(Status::Invalid, {{QStringLiteral("keys"), error}});
    }
    if (!tx.commit())
        return failure(Status::StoreError,
                       {{QString(), QStringLiteral("cannot commit: %1").arg(m_store.database().lastError())}});
    result.status = existed ? Status::Ok : Status::Created;
    result.entity = ConfigExporter(m_store).exportEntity(kind, stored);
    return result;
}

ConfigService::Result ConfigService::deleteEntity(EntityKind kind, const QString &key)
{
    EntityRepository &repo = m_store.entities(kind);
    if (!repo.contains(key))
        return failure(Status::NotFound,
                       {{QString(), QStringLiteral("no %1 named \"%2\"").arg(displayName(kind), key)}});
    // Refuse to leave a dangling reference: validate what the store would hold without it.
    QJsonObject after = ConfigExporter(m_store).exportAll();
    QJsonArray remaining;
    const QJsonArray items = after.value(sectionName(kind)).toArray();
    for (const QJsonValue &item : items) {
        if (ConfigValidator::entityKey(kind, item.toObject()) != key)
            remaining.append(item);
    }
    after.insert(sectionName(kind), remaining);
    const ConfigProblems problems = ConfigValidator::validate(after);
    if (!problems.isEmpty()) {
        ConfigProblems references;
        for (const ConfigProblem &p : problems) {
            if (p.message.contains(QLatin1Char('"') + key + QLatin1Char('"')))
                references.append(p);
        }
        return failure(Status::Conflict, references.isEmpty() ? problems : references);
    }
    if (!repo.remove(key))
        return failure(Status::StoreError, {{QString(), QStringLiteral("cannot delete: %1").arg(repo.lastError())}});
    return {};
}

ConfigService::Result ConfigService::applyDocument(QJsonObject root, bool dryRun)
{
    const ConfigProblems problems = ConfigValidator::validate(root, context());
    if (!problems.isEmpty())
        return failure(Status::Invalid, problems);
    if (dryRun)
        return {};
    const ConfigApplier::Result applied = ConfigApplier(m_store, m_resolver).apply(root);
    if (!applied.ok)
        return failure(Status::StoreError, applied.problems);
    Result result;
    result.warnings = applied.warnings;
    result.sections = applied.sections;
    return result;
}

ConfigBundle::Export ConfigService::exportBundle(const ConfigBundle::Selection &selection)
{
    return ConfigBundle::exportSelection(ConfigExporter(m_store).exportAll(), selection);
}

ConfigBundle::Plan ConfigService::planBundle(const QJsonObject &bundle, ConfigBundle::Mode mode)
{
    return ConfigBundle::plan(ConfigExporter(m_store).exportAll(), bundle, mode, context());
}

ConfigService::Result ConfigService::applyBundle(const QJsonObject &bundle, ConfigBundle::Mode mode,
                                                 ConfigBundle::Plan *planOut)
{
    ConfigBundle::Plan plan = planBundle(bundle, mode);
    if (planOut)
        *planOut = plan;
    if (!plan.ok())
        return failure(Status::Invalid, plan.problems);
    Result result = applyDocument(plan.document);
    result.warnings += plan.warnings;
    return result;
}

} // namespace gh
