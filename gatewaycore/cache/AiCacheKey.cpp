#include "AiCacheKey.h"

#include "CachePolicy.h"

#include <QJsonDocument>
#include <QJsonValue>

namespace gh {

qint64 AiCacheKey::ttlSeconds(const QJsonObject &settings)
{
    const QJsonObject aiCache = settings.value(QLatin1String("ai_cache")).toObject();
    if (!aiCache.value(QLatin1String("enabled")).toBool(false))
        return 0;
    return qMax<qint64>(aiCache.value(QLatin1String("ttl_s")).toInteger(300), 0);
}

bool AiCacheKey::applies(const QJsonObject &rawRequest, const HttpHeaders &request)
{
    const QByteArray optIn = request.value("x-gatehouse-cache").trimmed().toLower();
    if (optIn == "off" || CachePolicy::bypassesLookup(request))
        return false;
    if (optIn == "on")
        return true;
    const QJsonValue temperature = rawRequest.value(QLatin1String("temperature"));
    return temperature.isDouble() && temperature.toDouble() == 0.0;
}

QByteArray AiCacheKey::key(ChatDialect dialect, const QString &consumer,
                           const QJsonObject &rawRequest)
{
    QJsonObject canonical = rawRequest;
    const bool stream = canonical.take(QLatin1String("stream")).toBool(false);
    QByteArray key("ai\0", 3);
    key += dialect == ChatDialect::Anthropic ? "anthropic" : "openai";
    key += '\0' + consumer.toUtf8() + '\0' + (stream ? "stream" : "whole") + '\0';
    key += QJsonDocument(canonical).toJson(QJsonDocument::Compact);
    return key;
}

} // namespace gh
