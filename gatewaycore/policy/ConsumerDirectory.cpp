#include "ConsumerDirectory.h"

#include "secrets/SecretReference.h"
#include "store/ConsumerKeyRepository.h"
#include "secrets/SecretResolver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>

namespace gh {

ConsumerDirectory ConsumerDirectory::build(const QList<QJsonObject> &consumers,
                                           const SecretResolver &resolver, QStringList *warnings)
{
    ConsumerDirectory directory;
    for (const QJsonObject &consumer : consumers) {
        const QString name = consumer.value(QStringLiteral("name")).toString();
        const QJsonArray keys = consumer.value(QStringLiteral("keys")).toArray();
        for (const QJsonValue &value : keys) {
            const QString key = value.toString();
            QByteArray digest;
            if (key.startsWith(QLatin1String("sha256:"))) {
                digest = QByteArray::fromHex(key.mid(7).toLatin1());
            } else if (SecretReference::looksLikeReference(key)) {
                const SecretResult resolved = resolver.resolve(key);
                if (!resolved.ok) {
                    if (warnings)
                        warnings->append(QStringLiteral("consumer %1: %2; that key cannot authenticate")
                                             .arg(name, resolved.message));
                    continue;
                }
                digest = QCryptographicHash::hash(resolved.value.toUtf8(), QCryptographicHash::Sha256);
            }
            if (digest.size() == 32)
                directory.m_byDigest.insert(digest, Entry{name, 0, 0});
        }
    }
    return directory;
}

ConsumerDirectory ConsumerDirectory::fromKeys(const QList<ConsumerKey> &keys,
                                              const SecretResolver &resolver, QStringList *warnings,
                                              qint64 nowMs)
{
    if (nowMs < 0)
        nowMs = QDateTime::currentMSecsSinceEpoch();
    ConsumerDirectory directory;
    for (const ConsumerKey &key : keys) {
        if (key.revokedAt && key.revokedAt <= nowMs)
            continue; // revoked keys never match, whatever the config file still says
        QByteArray digest;
        if (!key.reference.isEmpty()) {
            const SecretResult resolved = resolver.resolve(key.reference);
            if (!resolved.ok) {
                if (warnings)
                    warnings->append(QStringLiteral("consumer %1: %2; that key cannot authenticate")
                                         .arg(key.consumer, resolved.message));
                continue;
            }
            digest = QCryptographicHash::hash(resolved.value.toUtf8(), QCryptographicHash::Sha256);
        } else {
            digest = QByteArray::fromHex(key.hash.toLatin1());
        }
        if (digest.size() == 32)
            directory.m_byDigest.insert(digest, Entry{key.consumer, key.expiresAt, key.revokedAt});
    }
    return directory;
}

ConsumerDirectory::PresentedKey ConsumerDirectory::presentedKey(const HttpHeaders &headers)
{
    const QByteArray authorization = headers.value("authorization");
    if (authorization.size() > 7 && authorization.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return {authorization.mid(7).trimmed(), QByteArrayLiteral("authorization")};
    const QByteArray apiKey = headers.value("x-api-key");
    if (!apiKey.isEmpty())
        return {apiKey.trimmed(), QByteArrayLiteral("x-api-key")};
    return {};
}

ConsumerDirectory::Lookup ConsumerDirectory::lookup(QByteArrayView rawKey, qint64 nowMs) const
{
    if (rawKey.isEmpty() || m_byDigest.isEmpty())
        return {};
    // Not a timing oracle, though the digest is found by hashing and comparing bytes that
    // are not constant-time: what a caller controls is run through SHA-256 first, so how
    // far a lookup gets (the bucket, the first differing byte) depends on the digest of
    // the guess. Learning that SHA-256(guess) shares leading bytes with a stored digest
    // says nothing about the key without a SHA-256 preimage, and QHash seeds its bucket
    // hash per process. Only a guess equal to a key matches.
    const auto it = m_byDigest.constFind(QCryptographicHash::hash(rawKey, QCryptographicHash::Sha256));
    if (it == m_byDigest.constEnd())
        return {};
    if (it->revokedAt && it->revokedAt <= nowMs)
        return {};
    if (it->expiresAt && it->expiresAt <= nowMs)
        return {QString(), true};
    return {it->consumer, false};
}

QString ConsumerDirectory::consumerForKey(QByteArrayView rawKey) const
{
    return lookup(rawKey, QDateTime::currentMSecsSinceEpoch()).consumer;
}

void ConsumerDirectory::addKey(QByteArrayView rawKey, const QString &consumer)
{
    m_byDigest.insert(QCryptographicHash::hash(rawKey, QCryptographicHash::Sha256), Entry{consumer, 0, 0});
}

} // namespace gh
