#pragma once

#include "http/HttpHeaders.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace gh {

class SecretResolver;

// Who holds which consumer key, as an immutable lookup built off the hot path (key
// references are resolved here, once per config change) and read by every worker.
class ConsumerDirectory
{
public:
    // A key as a client presented it, and the field it came in (to strip it upstream).
    struct PresentedKey
    {
        QByteArray key;
        QByteArray header; // "authorization" or "x-api-key"; empty when none
    };

    // `consumers` as ConfigExporter lists them (keys as references or "sha256:" digests).
    static ConsumerDirectory build(const QList<QJsonObject> &consumers, const SecretResolver &resolver,
                                   QStringList *warnings = nullptr);

    // Authorization: Bearer <key>, else x-api-key (the OpenAI and Anthropic SDK conventions).
    static PresentedKey presentedKey(const HttpHeaders &headers);
    // The consumer owning rawKey, or a null string. One SHA-256 and one hash lookup.
    QString consumerForKey(QByteArrayView rawKey) const;
    int keyCount() const { return int(m_byDigest.size()); }
    // A key that exists only in memory (the desktop app's own key for its Playground).
    void addKey(QByteArrayView rawKey, const QString &consumer);

private:
    QHash<QByteArray, QString> m_byDigest; // raw SHA-256 (32 bytes) → consumer
};

} // namespace gh
