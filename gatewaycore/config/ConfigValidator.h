#pragma once

#include "ConfigProblem.h"
#include "EntityKind.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>

namespace gh {

// Names of entities that exist outside the document being validated (the store's
// current content), used for cross-references into sections the document does not
// contain.
struct ConfigContext
{
    QHash<EntityKind, QSet<QString>> existingNames;
    // URL paths claimed by the stored routes (match.paths) and prompt APIs (path), by entity
    // name: a prompt API's path must not be a route's, nor another prompt API's.
    QHash<EntityKind, QHash<QString, QStringList>> existingPaths;
};

// Checks a config tree against SPEC §3 and normalizes it: every problem is reported
// with its path (`routes[2].service: unknown service "billng"`), never just the
// first, and omitted keys get their defaults so the tree shows effective values.
// A tree with problems is left partly normalized and must not be applied.
class ConfigValidator
{
public:
    // The whole document. A cross-reference into a section the document contains is
    // checked against that section only (applying it replaces the store's); into an
    // absent section, against `context`.
    static ConfigProblems validate(QJsonObject &root, const ConfigContext &context = {});
    // One entity, e.g. the body of admin PUT /routes/x with path "routes[x]"; `path`
    // prefixes every problem verbatim. Cross-references are checked against `context`.
    static ConfigProblems validateEntity(EntityKind kind, QJsonObject &entity, const QString &path,
                                         const ConfigContext &context);
    static ConfigProblems validateSettings(QJsonObject &settings,
                                           const QString &path = QStringLiteral("settings"));
    // The entity's key in its section: its name; for prices "provider/model" (provider
    // names never contain "/", model names may). Empty when missing or not a string.
    static QString entityKey(EntityKind kind, const QJsonObject &entity);
};

} // namespace gh
