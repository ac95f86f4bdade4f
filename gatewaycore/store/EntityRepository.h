#pragma once

#include "config/EntityKind.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace gh {

class Database;

// Persists one kind of SPEC §3 entity as validated JSON documents keyed by name
// (prices by "provider/model"). The JSON keeps §3's field names, so the store, the
// config file and the admin API all speak one schema.
class EntityRepository
{
public:
    EntityRepository(Database &db, EntityKind kind);

    EntityKind kind() const { return m_kind; }
    QString table() const;

    QList<QJsonObject> list() const;          // ordered by key
    QStringList names() const;
    std::optional<QJsonObject> get(const QString &key) const;
    bool contains(const QString &key) const;
    // Inserts or replaces the entity stored under `key`, keeping its creation time.
    bool put(const QString &key, const QJsonObject &entity);
    // false with an empty lastError() when nothing was stored under `key`.
    bool remove(const QString &key);
    // Makes the table hold exactly `entities` (keyed by `keys`); run inside a Transaction.
    bool replaceAll(const QList<std::pair<QString, QJsonObject>> &entities);

    QString lastError() const { return m_lastError; }

private:
    Database &m_db;
    EntityKind m_kind;
    mutable QString m_lastError;
};

} // namespace gh
