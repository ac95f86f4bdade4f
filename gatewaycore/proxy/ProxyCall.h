#pragma once

#include "cache/ResponseCache.h"
#include "http/HttpHeaders.h"
#include "http/UpstreamError.h"
#include "routing/RouteMatch.h"
#include "routing/TargetPick.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace gh {

class HttpExchange;
class HttpHeaders;
class UpstreamConnection;
class UpstreamPool;
class WorkerConfig;
struct CompiledService;

// One request proxied to a service: picks a target, streams the request body to it and
// its response back with backpressure both ways, retries idempotent requests that never
// reached an upstream, and answers 502/504 in JSON when it cannot — or, once the
// response has begun, aborts it so the client sees the truncation. Deletes itself.
class ProxyCall : public QObject
{
    Q_OBJECT

public:
    ProxyCall(HttpExchange *exchange, std::shared_ptr<WorkerConfig> config, RouteMatch match,
              QString consumer, QByteArray credentialHeader, QByteArray requestId, UpstreamPool &pool);
    ~ProxyCall() override;

    void start();
    // The route caches: mark the answer MISS and store it under key if it may be stored
    // (captured while it is relayed, kept only when complete).
    void setCache(ResponseCache *cache, QByteArray key, qint64 ttlS);
    // An unsafe method on a caching route: a 2xx/3xx answer invalidates what is stored for
    // the request target and for Location / Content-Location paths (RFC 9111 §4.4).
    void setCacheInvalidation(ResponseCache *cache);
    // Fields for every answer to this request, the upstream's or the gateway's own
    // (the x-ratelimit-* of the limits that apply).
    void addResponseHeaders(const HttpHeaders &headers);

private:
    void sendToNextTarget();
    void onResponseHead(int status, const HttpHeaders &headers);
    void onResponseBody(QByteArrayView piece);
    void onResponseComplete();
    void onFailed(UpstreamError error, const QString &message);
    void onClientClosed();
    bool canRetry(UpstreamError error) const;
    void releaseAttempt(bool success);
    void failRequest(int status, const QString &message, const QByteArray &code);
    void finish();
    // Upstream wait so far (sent → response head or failure) into the log record.
    void noteUpstreamTime();
    void setLogError(const QString &error);

    QPointer<HttpExchange> m_exchange;
    std::shared_ptr<WorkerConfig> m_config; // keeps the route and service alive
    RouteMatch m_match;
    const CompiledService *m_service = nullptr;
    QString m_consumer;
    QByteArray m_credentialHeader;
    QByteArray m_requestId;
    UpstreamPool &m_pool;
    UpstreamConnection *m_connection = nullptr;
    TargetPick m_pick;
    std::vector<int> m_tried;
    int m_attempts = 0;
    bool m_idempotent = false;
    bool m_bodyStarted = false;
    bool m_finished = false;
    qint64 m_sentNs = 0;     // when the request went to the upstream
    qint64 m_beforeSendUs = 0; // gateway time before that
    qint64 m_upstreamNs = 0;   // summed over attempts, for the log's upstream_ms
    ResponseCache *m_cache = nullptr;
    QByteArray m_cacheKey;
    qint64 m_cacheTtlS = 0;
    ResponseCache *m_invalidateCache = nullptr;
    HttpHeaders m_extraHeaders; // addResponseHeaders()
    std::unique_ptr<ResponseCache::Entry> m_capture; // the response being captured
    qint64 m_captureLength = -1;
};

} // namespace gh
