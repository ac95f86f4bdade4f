#include "ConsumerKeyRepository.h"

#include "Database.h"

#include <QDateTime>

namespace gh {

namespace {

const char kColumns[] = "id, consumer, hash, prefix, reference, created_at, expires_at, revoked_at";

ConsumerKey readKey(const Statement &s)
{
    ConsumerKey key;
    key.id = s.int64(0);
    key.consumer = s.text(1);
    key.hash = s.text(2);
    key.prefix = s.text(3);
    key.reference = s.text(4);
    key.createdAt = s.int64(5);
    key.expiresAt = s.int64(6);
    key.revokedAt = s.int64(7);
    return key;
}

} // namespace

ConsumerKeyRepository::ConsumerKeyRepository(Database &db)
    : m_db(db)
{}

QList<ConsumerKey> ConsumerKeyRepository::list(const QString &consumer) const
{
    QList<ConsumerKey> result;
    Statement s = m_db.prepare(
        QStringLiteral("SELECT %1 FROM consumer_keys WHERE consumer = ? ORDER BY id")
            .arg(QLatin1String(kColumns)));
    s.bind(1, consumer);
    while (s.next())
        result.append(readKey(s));
    return result;
}

QList<ConsumerKey> ConsumerKeyRepository::listAll() const
{
    QList<ConsumerKey> result;
    Statement s = m_db.prepare(QStringLiteral("SELECT %1 FROM consumer_keys ORDER BY consumer, id")
                                   .arg(QLatin1String(kColumns)));
    while (s.next())
        result.append(readKey(s));
    return result;
}

std::optional<ConsumerKey> ConsumerKeyRepository::findByHash(const QString &hash) const
{
    Statement s = m_db.prepare(QStringLiteral("SELECT %1 FROM consumer_keys WHERE hash = ?")
                                   .arg(QLatin1String(kColumns)));
    s.bind(1, hash);
    if (s.next())
        return readKey(s);
    return std::nullopt;
}

bool ConsumerKeyRepository::add(ConsumerKey &key)
{
    if (key.createdAt == 0)
        key.createdAt = QDateTime::currentMSecsSinceEpoch();
    Statement s = m_db.prepare(QStringLiteral(
        "INSERT INTO consumer_keys (consumer, hash, prefix, reference, created_at, expires_at, "
        "revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    s.bind(1, key.consumer).bind(2, key.hash).bind(3, key.prefix);
    if (key.reference.isEmpty())
        s.bindNull(4);
    else
        s.bind(4, key.reference);
    s.bind(5, key.createdAt);
    key.expiresAt ? s.bind(6, key.expiresAt) : s.bindNull(6);
    key.revokedAt ? s.bind(7, key.revokedAt) : s.bindNull(7);
    if (!s.run()) {
        m_lastError = m_db.lastError();
        return false;
    }
    key.id = m_db.lastInsertRowId();
    return true;
}

bool ConsumerKeyRepository::setRevokedAt(qint64 id, qint64 revokedAt)
{
    Statement s = m_db.prepare(QStringLiteral("UPDATE consumer_keys SET revoked_at = ? WHERE id = ?"));
    revokedAt ? s.bind(1, revokedAt) : s.bindNull(1);
    s.bind(2, id);
    if (!s.run()) {
        m_lastError = m_db.lastError();
        return false;
    }
    return true;
}

bool ConsumerKeyRepository::removeAllFor(const QString &consumer)
{
    Statement s = m_db.prepare(QStringLiteral("DELETE FROM consumer_keys WHERE consumer = ?"));
    s.bind(1, consumer);
    if (!s.run()) {
        m_lastError = m_db.lastError();
        return false;
    }
    return true;
}

} // namespace gh
