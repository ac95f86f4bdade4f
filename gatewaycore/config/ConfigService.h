#pragma once

#include "ConfigBundle.h"
#include "ConfigProblem.h"
#include "ConfigValidator.h"
#include "EntityKind.h"

#include <QJsonObject>
#include <QStringList>

namespace gh {

class SecretResolver;
class Store;

// Every change to the stored config goes through here — from the admin API, the desktop
// editors or a config file — so each gets the same validation, the same referential
// checks and the same secret handling.
class ConfigService
{
public:
    enum class Status { Ok, Created, Invalid, NotFound, Conflict, StoreError };

    struct Result
    {
        Status status = Status::Ok;
        ConfigProblems problems; // Invalid / Conflict / StoreError: what is wrong, by field
        QJsonObject entity;      // Ok / Created: the stored entity as exported
        QStringList warnings;
        QStringList sections;    // applyDocument: the sections applied
        bool ok() const { return status == Status::Ok || status == Status::Created; }
    };

    ConfigService(Store &store, const SecretResolver &resolver);

    ConfigContext context() const;
    // What the store holds that validation checks against: entity names, route and prompt
    // API paths.
    static ConfigContext contextOf(Store &store);
    // Creates or replaces the entity stored under key ("provider/model" for prices).
    // The entity may repeat its name but must not contradict the key.
    Result putEntity(EntityKind kind, const QString &key, QJsonObject entity);
    // Refused with Conflict while something still refers to the entity.
    Result deleteEntity(EntityKind kind, const QString &key);
    // A whole SPEC §3 document: validated, then applied in one transaction.
    Result applyDocument(QJsonObject root, bool dryRun = false);

    // Bundles (docs/bundles.md): the selected entities with what they need, secrets as
    // references; what importing one would change; and importing it in one transaction.
    ConfigBundle::Export exportBundle(const ConfigBundle::Selection &selection);
    ConfigBundle::Plan planBundle(const QJsonObject &bundle, ConfigBundle::Mode mode);
    // Refused (Invalid, nothing changed) when the plan has problems.
    Result applyBundle(const QJsonObject &bundle, ConfigBundle::Mode mode, ConfigBundle::Plan *plan = nullptr);

private:
    Store &m_store;
    const SecretResolver &m_resolver;
};

} // namespace gh
