#include "ConsumerDirectory.h"

#include "secrets/SecretReference.h"
#include "secrets/SecretResolver.h"

#include <QCryptographicHash>
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
                directory.m_byDigest.insert(digest, name);
        }
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

QString ConsumerDirectory::consumerForKey(QByteArrayView rawKey) const
{
    if (rawKey.isEmpty() || m_byDigest.isEmpty())
        return {};
    // A hash table lookup on the digest: what an attacker controls is hashed first, so
    // lookup timing says nothing about stored keys.
    return m_byDigest.value(QCryptographicHash::hash(rawKey, QCryptographicHash::Sha256));
}

void ConsumerDirectory::addKey(QByteArrayView rawKey, const QString &consumer)
{
    m_byDigest.insert(QCryptographicHash::hash(rawKey, QCryptographicHash::Sha256), consumer);
}

} // namespace gh
