#pragma once

#include "store/ConsumerKeyRepository.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace gh {

class Store;

// How a new key is made.
struct ConsumerKeyOptions
{
    qint64 expiresAt = 0; // ms since the epoch; 0: never
};

// The lifecycle of consumer keys (SPEC §2): create (shown once), list, revoke, rotate.
// One implementation for the admin API and the desktop app; callers publish a new
// config snapshot after a successful change so it applies to the next request.
class ConsumerKeyService
{
public:
    enum class Status { Ok, Created, NotFound, Invalid, Conflict, StoreError };

    using Options = ConsumerKeyOptions;

    struct Result
    {
        Status status = Status::Ok;
        QString message;         // why, when not Ok/Created
        QString rawKey;          // the new key, only on Created: shown once, never stored
        ConsumerKey key;         // the created, revoked or rotated-to key
        ConsumerKey previous;    // rotate: the old key with its revocation time
        QList<ConsumerKey> keys; // list
        bool ok() const { return status == Status::Ok || status == Status::Created; }
    };

    explicit ConsumerKeyService(Store &store);

    // Reads {"expires_at": "<ISO 8601>"} or {"expires_in_days": N} (not both); an empty
    // body means no expiry. An expiry not in the future is an error.
    static bool parseOptions(const QJsonObject &body, qint64 nowMs, Options *options,
                             QString *error);
    // Reads {"grace_s": N} plus the options above: 0..30 days; 0 revokes at once.
    static bool parseRotation(const QJsonObject &body, qint64 nowMs, Options *options,
                              int *graceSeconds, QString *error);

    Result list(const QString &consumer) const;
    Result create(const QString &consumer, const Options &options = {});
    // Revokes now; a key in a rotation's grace period is cut off at once.
    Result revoke(const QString &consumer, const QString &prefix);
    // A new key; the old one is revoked after graceSeconds (0: at once).
    Result rotate(const QString &consumer, const QString &prefix, int graceSeconds,
                  const Options &options = {});

    // "active", "expired", "revoked" or "revoking" (grace period running).
    static QString state(const ConsumerKey &key, qint64 nowMs);
    // The listing shape: prefix, times as ISO 8601 UTC (or null), state. Never the hash.
    static QJsonObject toJson(const ConsumerKey &key, qint64 nowMs);

    // Tests move the clock.
    void setClock(std::function<qint64()> now) { m_now = std::move(now); }
    qint64 now() const { return m_now(); }

    static constexpr int kMaxGraceSeconds = 30 * 24 * 3600;

private:
    Result failure(Status status, const QString &message) const;
    bool consumerExists(const QString &consumer) const;
    // The one key of consumer with this prefix, or a NotFound/Conflict failure.
    Result findByPrefix(const QString &consumer, const QString &prefix) const;
    // A fresh key whose prefix no other key of the consumer has.
    bool generateKey(const QString &consumer, const Options &options, QString *raw,
                     ConsumerKey *key, QString *error);

    Store &m_store;
    std::function<qint64()> m_now;
};

} // namespace gh
