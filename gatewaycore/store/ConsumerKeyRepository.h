#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace gh {

class Database;

// A consumer's key as stored: never the key itself, only its SHA-256 and a short prefix
// that lets a person recognise it ("gh-7Kq2…").
struct ConsumerKey
{
    qint64 id = 0;
    QString consumer;
    QString hash;      // lowercase hex SHA-256 of the raw key
    QString prefix;    // display prefix
    QString reference; // "${env:NAME}" when the key came from a reference, so export can repeat it
    qint64 createdAt = 0;
    qint64 expiresAt = 0; // 0: never
    qint64 revokedAt = 0; // 0: active
};

class ConsumerKeyRepository
{
public:
    explicit ConsumerKeyRepository(Database &db);

    QList<ConsumerKey> list(const QString &consumer) const;
    QList<ConsumerKey> listAll() const;
    std::optional<ConsumerKey> findByHash(const QString &hash) const;
    bool add(ConsumerKey &key); // sets key.id and createdAt when 0
    // Revocation is a time: one in the future is a rotation's grace period.
    bool setRevokedAt(qint64 id, qint64 revokedAt);
    bool removeAllFor(const QString &consumer);
    QString lastError() const { return m_lastError; }

private:
    Database &m_db;
    QString m_lastError;
};

} // namespace gh
