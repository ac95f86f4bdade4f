#pragma once

#include "config/ConfigService.h"
#include "config/EntityKind.h"
#include "http/HttpRequest.h"
#include "http/HttpResponse.h"
#include "policy/ConsumerKeyService.h"

#include <QFuture>

#include <functional>
#include <optional>

namespace gh {

class RequestLog;
class RequestLogReader;
class ResponseCache;
class SecretResolver;
class Store;

// The admin REST API of SPEC §5 as a request handler. Runs on the thread that owns the
// store (the admin listener serves on the main thread), never on a gateway worker.
class AdminApi
{
public:
    AdminApi(Store &store, const SecretResolver &resolver, QString token);

    HttpResponse handle(const HttpRequest &request);
    // Called after every successful change to the store.
    void setChangeCallback(std::function<void()> callback) { m_onChange = std::move(callback); }
    // The response cache behind GET/DELETE /cache (none: 404 there).
    void setResponseCache(ResponseCache *cache) { m_cache = cache; }
    // GET /metrics: the Prometheus text (none: 404 there).
    void setMetricsSource(std::function<QByteArray()> source) { m_metrics = std::move(source); }
    // The admin token check (Authorization: Bearer <token>), for AdminHandler's /events.
    bool authorized(const HttpRequest &request) const;
    // The request log behind GET /logs and GET /stats/usage (its written/dropped counters)
    // and the reader they query. None: 404 there.
    void setRequestLog(RequestLog *log, const RequestLogReader *reader)
    {
        m_log = log;
        m_reader = reader;
    }
    // GET /logs and GET /stats/usage, authorized: they scan the request log, millions of
    // rows for a long range, so they run on the reader's pool and the answer comes as a
    // future (refusals ready at once): the admin listener (and, in the desktop app, the UI
    // sharing its thread) never waits for a scan. nullopt: anything else, for handle().
    std::optional<QFuture<HttpResponse>> handleDeferred(const HttpRequest &request);

private:
    HttpResponse health() const;
    HttpResponse getConfig(const HttpRequest &request);
    HttpResponse putConfig(const HttpRequest &request);
    HttpResponse collection(const HttpRequest &request, EntityKind kind, const QString &key);
    HttpResponse listEntities(EntityKind kind);
    HttpResponse getEntity(EntityKind kind, const QString &key);
    HttpResponse putEntity(const HttpRequest &request, EntityKind kind, const QString &key);
    HttpResponse deleteEntity(EntityKind kind, const QString &key);
    // /consumers/{name}/keys[/{prefix}[/rotate]]: list, create, revoke, rotate.
    HttpResponse consumerKeys(const HttpRequest &request, const QStringList &segments);
    HttpResponse keyResponse(const ConsumerKeyService::Result &result, int okStatus);
    HttpResponse serviceResponse(const ConfigService::Result &result, int okStatus);
    // GET /cache: entries and bytes; DELETE /cache[?route=NAME]: purge, count removed.
    HttpResponse cache(const HttpRequest &request);
    // POST /bundles/export | /bundles/preview | /bundles/apply (docs/bundles.md).
    HttpResponse bundles(const HttpRequest &request, const QString &action);
    // GET /logs?limit=&since=&before_id=&route=&model=&consumer=&status= (newest first).
    QFuture<HttpResponse> logs(const HttpRequest &request);
    // GET /stats/usage?from=&to=&group_by=model|provider|consumer|route|day.
    QFuture<HttpResponse> usage(const HttpRequest &request);
    void changed();

    Store &m_store;
    ConfigService m_service;
    ConsumerKeyService m_keys;
    QString m_token;
    std::function<void()> m_onChange;
    ResponseCache *m_cache = nullptr;
    std::function<QByteArray()> m_metrics;
    RequestLog *m_log = nullptr;
    const RequestLogReader *m_reader = nullptr;
};

} // namespace gh
