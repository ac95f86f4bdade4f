#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace gh {

// The entity sections of the declarative config (SPEC §3), in dependency order:
// a later kind may refer to an earlier one by name.
enum class EntityKind { Provider, Model, Price, Consumer, Service, Route, PromptApi };

const QList<EntityKind> &allEntityKinds();
// "providers", "models", ... , "prompt_apis" — the key in the config file.
QString sectionName(EntityKind kind);
// "providers", ..., "prompt-apis" — the admin API collection path segment.
QString collectionPath(EntityKind kind);
// Singular, for messages: "provider", "prompt API".
QString displayName(EntityKind kind);
std::optional<EntityKind> kindFromSection(const QString &section);
std::optional<EntityKind> kindFromCollectionPath(const QString &segment);

} // namespace gh
