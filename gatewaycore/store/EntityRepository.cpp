#include "EntityRepository.h"

#include "Database.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>

namespace gh {

namespace {

QJsonObject parseSpec(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QString serialize(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

EntityRepository::EntityRepository(Database &db, EntityKind kind)
    : m_db(db)
    , m_kind(kind)
{}

QString EntityRepository::table() const
{
    // sectionName() is a fixed identifier, never user input: safe to splice into SQL.
    return sectionName(m_kind);
}

QList<QJsonObject> EntityRepository::list() const
{
    QList<QJsonObject> result;
    Statement s = m_db.prepare(QStringLiteral("SELECT spec FROM %1 ORDER BY name").arg(table()));
    while (s.next())
        result.append(parseSpec(s.text(0)));
    return result;
}

QStringList EntityRepository::names() const
{
    QStringList result;
    Statement s = m_db.prepare(QStringLiteral("SELECT name FROM %1 ORDER BY name").arg(table()));
    while (s.next())
        result.append(s.text(0));
    return result;
}

std::optional<QJsonObject> EntityRepository::get(const QString &key) const
{
    Statement s = m_db.prepare(QStringLiteral("SELECT spec FROM %1 WHERE name = ?").arg(table()));
    s.bind(1, key);
    if (s.next())
        return parseSpec(s.text(0));
    return std::nullopt;
}

bool EntityRepository::contains(const QString &key) const
{
    return get(key).has_value();
}

bool EntityRepository::put(const QString &key, const QJsonObject &entity)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    Statement s = m_db.prepare(
        QStringLiteral("INSERT INTO %1 (name, spec, created_at, updated_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET spec = excluded.spec, "
                       "updated_at = excluded.updated_at")
            .arg(table()));
    s.bind(1, key).bind(2, serialize(entity)).bind(3, now).bind(4, now);
    if (!s.run()) {
        m_lastError = m_db.lastError();
        return false;
    }
    return true;
}

bool EntityRepository::remove(const QString &key)
{
    m_lastError.clear();
    Statement s = m_db.prepare(QStringLiteral("DELETE FROM %1 WHERE name = ?").arg(table()));
    s.bind(1, key);
    if (!s.run()) {
        m_lastError = m_db.lastError();
        return false;
    }
    return m_db.changes() > 0;
}

bool EntityRepository::replaceAll(const QList<std::pair<QString, QJsonObject>> &entities)
{
    QSet<QString> keep;
    for (const auto &[key, entity] : entities) {
        if (!put(key, entity))
            return false;
        keep.insert(key);
    }
    const QStringList existing = names();
    for (const QString &name : existing) {
        if (!keep.contains(name) && !remove(name) && !m_lastError.isEmpty())
            return false;
    }
    return true;
}

} // namespace gh
