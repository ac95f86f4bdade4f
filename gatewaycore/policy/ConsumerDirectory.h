#pragma once

#include "http/HttpHeaders.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace gh {

class SecretResolver;
struct ConsumerKey;

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

    // The stored key rows (ConsumerKeyRepository::listAll()), so expiry and revocation
    // times come along; references are resolved again here.
    static ConsumerDirectory fromKeys(const QList<ConsumerKey> &keys, const SecretResolver &resolver,
                                      QStringList *warnings = nullptr, qint64 nowMs = -1);

    // What a presented key is worth right now. The directory is built once per config
    // change, so the times are checked here per request: two integer compares.
    struct Lookup
    {
        QString consumer;     // null unless the key is valid now
        bool expired = false; // a known key past its expires_at
    };
    Lookup lookup(QByteArrayView rawKey, qint64 nowMs) const;

    // Authorization: Bearer <key>, else x-api-key (the OpenAI and Anthropic SDK conventions).
    static PresentedKey presentedKey(const HttpHeaders &headers);
    // The consumer owning rawKey if it is valid now, or a null string. One SHA-256 and
    // one hash lookup.
    QString consumerForKey(QByteArrayView rawKey) const;
    int keyCount() const { return int(m_byDigest.size()); }
    // A key that exists only in memory (the desktop app's own key for its Playground).
    void addKey(QByteArrayView rawKey, const QString &consumer);

private:
    struct Entry
    {
        QString consumer;
        qint64 expiresAt = 0; // ms since the epoch; 0: never
        qint64 revokedAt = 0; // ms; 0: never; later than now: a rotation's grace period
    };
    QHash<QByteArray, Entry> m_byDigest; // raw SHA-256 (32 bytes) → owner and validity
};

} // namespace gh
