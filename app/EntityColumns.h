#pragma once

#include "config/EntityKind.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>

#include <functional>

namespace gh {

// One column of an entity table: its header and how to render a cell from the entity's
// JSON (SPEC §3 field names).
struct EntityColumn
{
    QString title;
    std::function<QString(const QJsonObject &)> text;
};

// Which columns each kind of entity shows. Secret values never reach a cell: a provider's
// key column only says what kind of reference is set.
class EntityColumns
{
    Q_DECLARE_TR_FUNCTIONS(EntityColumns)

public:
    static QList<EntityColumn> forKind(EntityKind kind);
    // "env: OPENAI_API_KEY", "keychain: openai", "none", or "set" for anything else.
    static QString describeKey(const QJsonValue &apiKey);
};

} // namespace gh
