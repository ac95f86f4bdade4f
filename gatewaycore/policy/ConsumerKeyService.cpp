#include "ConsumerKeyService.h"

#include "ApiKey.h"
#include "config/EntityKind.h"
#include "store/Database.h"
#include "store/Store.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace gh {

namespace {

constexpr qint64 kDayMs = 24 * 3600 * 1000LL;

QJsonValue isoOrNull(qint64 ms)
{
    if (!ms)
        return QJsonValue::Null;
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); // "…Z"
}

// A JSON number that is a whole number in [min, max].
bool wholeNumber(const QJsonValue &value, double min, double max, qint64 *out)
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    if (d != std::floor(d) || d < min || d > max)
        return false;
    *out = qint64(d);
    return true;
}

} // namespace

ConsumerKeyService::ConsumerKeyService(Store &store)
    : m_store(store)
    , m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{}

bool ConsumerKeyService::parseOptions(const QJsonObject &body, qint64 nowMs, Options *options,
                                      QString *error)
{
    *options = {};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != QLatin1String("expires_at") &&
            it.key() != QLatin1String("expires_in_days")) {
            *error = QStringLiteral("unknown field \"%1\" (expected expires_at or expires_in_days)")
                         .arg(it.key());
            return false;
        }
    }
    const QJsonValue at = body.value(QStringLiteral("expires_at"));
    const QJsonValue days = body.value(QStringLiteral("expires_in_days"));
    if (!at.isUndefined() && !at.isNull() && !days.isUndefined() && !days.isNull()) {
        *error = QStringLiteral("give expires_at or expires_in_days, not both");
        return false;
    }
    if (!at.isUndefined() && !at.isNull()) {
        QDateTime when = QDateTime::fromString(at.toString(), Qt::ISODateWithMs);
        if (!at.isString() || !when.isValid()) {
            *error = QStringLiteral("expires_at must be an ISO 8601 date and time, like "
                                    "\"2030-01-31T12:00:00Z\"");
            return false;
        }
        if (when.timeSpec() == Qt::LocalTime)
            when.setTimeZone(QTimeZone::utc()); // no offset given: UTC, like the rest of the API
        options->expiresAt = when.toMSecsSinceEpoch();
        if (options->expiresAt <= nowMs) {
            *error = QStringLiteral("expires_at %1 is not in the future").arg(at.toString());
            return false;
        }
    } else if (!days.isUndefined() && !days.isNull()) {
        qint64 n = 0;
        if (!wholeNumber(days, 1, 36500, &n)) {
            *error =
                QStringLiteral("expires_in_days must be a whole number of days from 1 to 36500");
            return false;
        }
        options->expiresAt = nowMs + n * kDayMs;
    }
    return true;
}

bool ConsumerKeyService::parseRotation(const QJsonObject &body, qint64 nowMs, Options *options,
                                       int *graceSeconds, QString *error)
{
    QJsonObject rest = body;
    rest.remove(QStringLiteral("grace_s"));
    if (!parseOptions(rest, nowMs, options, error))
        return false;
    *graceSeconds = 0;
    const QJsonValue grace = body.value(QStringLiteral("grace_s"));
    if (!grace.isUndefined() && !grace.isNull()) {
        qint64 n = 0;
        if (!wholeNumber(grace, 0, kMaxGraceSeconds, &n)) {
            *error =
                QStringLiteral("grace_s must be a whole number of seconds from 0 to %1 (30 days)")
                    .arg(kMaxGraceSeconds);
            return false;
        }
        *graceSeconds = int(n);
    }
    return true;
}

ConsumerKeyService::Result ConsumerKeyService::failure(Status status, const QString &message) const
{
    Result result;
    result.status = status;
    result.message = message;
    return result;
}

bool ConsumerKeyService::consumerExists(const QString &consumer) const
{
    return m_store.entities(EntityKind::Consumer).contains(consumer);
}

ConsumerKeyService::Result ConsumerKeyService::list(const QString &consumer) const
{
    if (!consumerExists(consumer))
        return failure(Status::NotFound, QStringLiteral("no consumer named \"%1\"").arg(consumer));
    Result result;
    result.keys = m_store.consumerKeys().list(consumer);
    return result;
}

bool ConsumerKeyService::generateKey(const QString &consumer, const Options &options, QString *raw,
                                     ConsumerKey *key, QString *error)
{
    const QList<ConsumerKey> existing = m_store.consumerKeys().list(consumer);
    // 62^6 prefixes make a clash unlikely; a clash would make the prefix ambiguous in
    // DELETE /consumers/{name}/keys/{prefix}, so draw again.
    for (int attempt = 0; attempt < 8; ++attempt) {
        const QString candidate = ApiKey::generate();
        const QString prefix = ApiKey::displayPrefix(candidate);
        const bool clash = std::any_of(existing.begin(), existing.end(),
                                       [&](const ConsumerKey &k) { return k.prefix == prefix; });
        if (clash)
            continue;
        *raw = candidate;
        *key = {};
        key->consumer = consumer;
        key->hash = ApiKey::hash(candidate);
        key->prefix = prefix;
        key->createdAt = now();
        key->expiresAt = options.expiresAt;
        return true;
    }
    *error = QStringLiteral("cannot draw a key with a distinct prefix");
    return false;
}

ConsumerKeyService::Result ConsumerKeyService::create(const QString &consumer,
                                                      const Options &options)
{
    if (!consumerExists(consumer))
        return failure(Status::NotFound, QStringLiteral("no consumer named \"%1\"").arg(consumer));
    Result result;
    QString error;
    if (!generateKey(consumer, options, &result.rawKey, &result.key, &error))
        return failure(Status::StoreError, error);
    if (!m_store.consumerKeys().add(result.key))
        return failure(
            Status::StoreError,
            QStringLiteral("cannot store the key: %1").arg(m_store.consumerKeys().lastError()));
    result.status = Status::Created;
    return result;
}

ConsumerKeyService::Result ConsumerKeyService::findByPrefix(const QString &consumer,
                                                            const QString &prefix) const
{
    if (!consumerExists(consumer))
        return failure(Status::NotFound, QStringLiteral("no consumer named \"%1\"").arg(consumer));
    Result result;
    int matches = 0;
    const QList<ConsumerKey> keys = m_store.consumerKeys().list(consumer);
    for (const ConsumerKey &key : keys) {
        if (key.prefix == prefix) {
            result.key = key;
            ++matches;
        }
    }
    if (matches == 0)
        return failure(
            Status::NotFound,
            QStringLiteral("consumer \"%1\" has no key with prefix \"%2\"").arg(consumer, prefix));
    if (matches > 1)
        return failure(
            Status::Conflict,
            QStringLiteral("consumer \"%1\" has %2 keys with prefix \"%3\"; replace them "
                           "with PUT /consumers/%1 and a keys list")
                .arg(consumer)
                .arg(matches)
                .arg(prefix));
    return result;
}

ConsumerKeyService::Result ConsumerKeyService::revoke(const QString &consumer,
                                                      const QString &prefix)
{
    Result result = findByPrefix(consumer, prefix);
    if (!result.ok())
        return result;
    const qint64 nowMs = now();
    if (result.key.revokedAt && result.key.revokedAt <= nowMs)
        return failure(Status::Conflict,
                       QStringLiteral("key %1 of consumer \"%2\" was already revoked at %3")
                           .arg(prefix, consumer, isoOrNull(result.key.revokedAt).toString()));
    if (!m_store.consumerKeys().setRevokedAt(result.key.id, nowMs))
        return failure(Status::StoreError,
                       QStringLiteral("cannot revoke: %1").arg(m_store.consumerKeys().lastError()));
    result.key.revokedAt = nowMs;
    return result;
}

ConsumerKeyService::Result ConsumerKeyService::rotate(const QString &consumer,
                                                      const QString &prefix, int graceSeconds,
                                                      const Options &options)
{
    Result found = findByPrefix(consumer, prefix);
    if (!found.ok())
        return found;
    const qint64 nowMs = now();
    if (found.key.revokedAt) {
        return failure(
            Status::Conflict,
            QStringLiteral("key %1 of consumer \"%2\" is already %3 (at %4); rotate an active key")
                .arg(prefix, consumer,
                     found.key.revokedAt <= nowMs ? QStringLiteral("revoked")
                                                  : QStringLiteral("being rotated"),
                     isoOrNull(found.key.revokedAt).toString()));
    }
    Result result;
    QString error;
    if (!generateKey(consumer, options, &result.rawKey, &result.key, &error))
        return failure(Status::StoreError, error);
    // Both or neither: a caller must never be left with the old key revoked and no new one.
    Transaction tx(m_store.database());
    ConsumerKeyRepository &repo = m_store.consumerKeys();
    result.previous = found.key;
    result.previous.revokedAt = nowMs + qint64(graceSeconds) * 1000;
    if (!tx.isActive() || !repo.add(result.key) ||
        !repo.setRevokedAt(found.key.id, result.previous.revokedAt) || !tx.commit()) {
        return failure(Status::StoreError,
                       QStringLiteral("cannot rotate: %1").arg(m_store.database().lastError()));
    }
    result.status = Status::Created;
    return result;
}

QString ConsumerKeyService::state(const ConsumerKey &key, qint64 nowMs)
{
    if (key.revokedAt && key.revokedAt <= nowMs)
        return QStringLiteral("revoked");
    if (key.expiresAt && key.expiresAt <= nowMs)
        return QStringLiteral("expired");
    if (key.revokedAt)
        return QStringLiteral("revoking");
    return QStringLiteral("active");
}

QJsonObject ConsumerKeyService::toJson(const ConsumerKey &key, qint64 nowMs)
{
    return QJsonObject{{QStringLiteral("id"), key.id},
                       {QStringLiteral("prefix"), key.prefix},
                       {QStringLiteral("reference"), key.reference.isEmpty()
                                                         ? QJsonValue(QJsonValue::Null)
                                                         : QJsonValue(key.reference)},
                       {QStringLiteral("created_at"), isoOrNull(key.createdAt)},
                       {QStringLiteral("expires_at"), isoOrNull(key.expiresAt)},
                       {QStringLiteral("revoked_at"), isoOrNull(key.revokedAt)},
                       {QStringLiteral("state"), state(key, nowMs)}};
}

} // namespace gh
