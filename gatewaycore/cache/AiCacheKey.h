#pragma once

#include "ai/ChatTypes.h"
#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace gh {

// The opt-in exact-match cache of the AI chat endpoints (settings.ai_cache): which calls
// it applies to and the key they are stored under. Only deterministic-looking calls are
// cached — temperature 0, or a caller's explicit `x-gatehouse-cache: on` — and only while
// settings.ai_cache.enabled; `x-gatehouse-cache: off` or Cache-Control: no-store / no-cache
// on the request skips it. Consumers never share entries: an answer may carry what one
// consumer's prompt revealed, and a shared entry would also hide who spent what.
class AiCacheKey
{
public:
    // settings.ai_cache.ttl_s in seconds when the cache is on, else 0.
    static qint64 ttlSeconds(const QJsonObject &settings);
    // Whether this call may be answered from / stored into the cache.
    static bool applies(const QJsonObject &rawRequest, const HttpHeaders &request);
    // The caller's dialect, the consumer, whether the answer streams, and the exact
    // request JSON without `stream` (keys sorted by QJsonObject, so equal requests give
    // equal bytes). Streamed and whole answers are separate entries: each is stored as
    // the bytes the caller received.
    static QByteArray key(ChatDialect dialect, const QString &consumer,
                          const QJsonObject &rawRequest);
    // The Entry::scope of AI entries (DELETE /cache?route=ai purges them).
    static QString scope() { return QStringLiteral("ai"); }
};

} // namespace gh
