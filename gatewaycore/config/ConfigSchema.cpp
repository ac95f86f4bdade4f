#include "ConfigSchema.h"

#include <QHash>

namespace gh {

namespace {

QStringList corsKeys()
{
    return {QStringLiteral("origins"),     QStringLiteral("methods"),
            QStringLiteral("headers"),     QStringLiteral("expose_headers"),
            QStringLiteral("credentials"), QStringLiteral("max_age_s")};
}

const QHash<QString, QStringList> &schemaKeys()
{
    static const QHash<QString, QStringList> keys{
        {QString(), ConfigSchema::sectionNames()},
        {QStringLiteral("providers"),
         {QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("base_url"),
          QStringLiteral("api_key"), QStringLiteral("headers"), QStringLiteral("timeout_ms"),
          QStringLiteral("api_version"), QStringLiteral("budget")}},
        {QStringLiteral("providers.budget"), {QStringLiteral("usd"), QStringLiteral("period")}},
        {QStringLiteral("models"),
         {QStringLiteral("name"), QStringLiteral("targets"), QStringLiteral("fallbacks"),
          QStringLiteral("retries")}},
        {QStringLiteral("models.targets"),
         {QStringLiteral("provider"), QStringLiteral("model"), QStringLiteral("weight")}},
        {QStringLiteral("prices"),
         {QStringLiteral("provider"), QStringLiteral("model"), QStringLiteral("input"),
          QStringLiteral("output"), QStringLiteral("cached_input"), QStringLiteral("cache_write")}},
        {QStringLiteral("consumers"),
         {QStringLiteral("name"), QStringLiteral("keys"), QStringLiteral("allow_models"),
          QStringLiteral("rate_limit"), QStringLiteral("budget")}},
        {QStringLiteral("consumers.rate_limit"),
         {QStringLiteral("requests_per_minute"), QStringLiteral("tokens_per_minute"),
          QStringLiteral("concurrent")}},
        {QStringLiteral("consumers.budget"), {QStringLiteral("usd"), QStringLiteral("period")}},
        {QStringLiteral("services"),
         {QStringLiteral("name"), QStringLiteral("targets"), QStringLiteral("balance"),
          QStringLiteral("health_check"), QStringLiteral("timeout_ms"), QStringLiteral("retries"),
          QStringLiteral("ca_file")}},
        {QStringLiteral("services.targets"), {QStringLiteral("url"), QStringLiteral("weight")}},
        {QStringLiteral("services.health_check"),
         {QStringLiteral("path"), QStringLiteral("interval_ms")}},
        {QStringLiteral("routes"),
         {QStringLiteral("name"), QStringLiteral("match"), QStringLiteral("service"),
          QStringLiteral("strip_path"), QStringLiteral("auth"), QStringLiteral("jwt"),
          QStringLiteral("consumers"), QStringLiteral("rate_limit"), QStringLiteral("cache"),
          QStringLiteral("cors"), QStringLiteral("state"), QStringLiteral("sunset"),
          QStringLiteral("max_body_bytes"), QStringLiteral("ip"), QStringLiteral("version"),
          QStringLiteral("description")}},
        {QStringLiteral("routes.match"),
         {QStringLiteral("paths"), QStringLiteral("methods"), QStringLiteral("hosts")}},
        {QStringLiteral("routes.jwt"),
         {QStringLiteral("algorithms"), QStringLiteral("secret"), QStringLiteral("public_key"),
          QStringLiteral("issuer"), QStringLiteral("audience"), QStringLiteral("leeway_s"),
          QStringLiteral("forward_token")}},
        {QStringLiteral("routes.rate_limit"),
         {QStringLiteral("requests_per_second"), QStringLiteral("requests_per_minute"),
          QStringLiteral("burst"), QStringLiteral("concurrent")}},
        {QStringLiteral("routes.cache"), {QStringLiteral("ttl_s")}},
        {QStringLiteral("routes.cors"), corsKeys()},
        {QStringLiteral("routes.ip"), {QStringLiteral("allow"), QStringLiteral("deny")}},
        {QStringLiteral("prompt_apis"),
         {QStringLiteral("name"), QStringLiteral("path"), QStringLiteral("model"),
          QStringLiteral("system"), QStringLiteral("template"), QStringLiteral("inputs"),
          QStringLiteral("params"), QStringLiteral("output"), QStringLiteral("auth"),
          QStringLiteral("state"), QStringLiteral("sunset"), QStringLiteral("version"),
          QStringLiteral("description")}},
        {QStringLiteral("prompt_apis.inputs.*"),
         {QStringLiteral("type"), QStringLiteral("description"), QStringLiteral("required"),
          QStringLiteral("default"), QStringLiteral("values"), QStringLiteral("max_length"),
          QStringLiteral("items")}},
        {QStringLiteral("prompt_apis.inputs.*.items"),
         {QStringLiteral("type"), QStringLiteral("values"), QStringLiteral("max_length")}},
        {QStringLiteral("prompt_apis.output"),
         {QStringLiteral("format"), QStringLiteral("json_schema")}},
        {QStringLiteral("prompt_apis.params"),
         {QStringLiteral("temperature"), QStringLiteral("top_p"), QStringLiteral("max_tokens"),
          QStringLiteral("stop"), QStringLiteral("presence_penalty"),
          QStringLiteral("frequency_penalty"), QStringLiteral("seed"),
          QStringLiteral("response_format"), QStringLiteral("json_schema")}},
        {QStringLiteral("settings"),
         {QStringLiteral("ai_auth"), QStringLiteral("log_requests"), QStringLiteral("log_bodies"),
          QStringLiteral("log_retention_days"), QStringLiteral("cache"), QStringLiteral("ip"),
          QStringLiteral("cors"), QStringLiteral("ai_cache")}},
        {QStringLiteral("settings.cache"), {QStringLiteral("max_mb")}},
        {QStringLiteral("settings.ai_cache"), {QStringLiteral("enabled"), QStringLiteral("ttl_s")}},
        {QStringLiteral("settings.cors"), corsKeys()},
        {QStringLiteral("settings.ip"), {QStringLiteral("allow"), QStringLiteral("deny")}},
    };
    return keys;
}

} // namespace

const QStringList &ConfigSchema::sectionNames()
{
    static const QStringList names{QStringLiteral("providers"),   QStringLiteral("models"),
                                   QStringLiteral("prices"),      QStringLiteral("consumers"),
                                   QStringLiteral("services"),    QStringLiteral("routes"),
                                   QStringLiteral("prompt_apis"), QStringLiteral("settings")};
    return names;
}

QStringList ConfigSchema::keys(const QString &schemaPath)
{
    return schemaKeys().value(schemaPath);
}

bool ConfigSchema::isFreeMap(const QString &schemaPath)
{
    return schemaPath == QLatin1String("providers.headers") ||
           schemaPath == QLatin1String("prompt_apis.inputs");
}

QString ConfigSchema::childPath(const QString &schemaPath, const QString &key)
{
    if (schemaPath.isEmpty())
        return key;
    if (isFreeMap(schemaPath))
        return schemaPath + QStringLiteral(".*");
    return schemaPath + u'.' + key;
}

} // namespace gh
