#pragma once

#include "http/HttpExchangeHandler.h"
#include "http/HttpResponse.h"
#include "http/UpstreamPool.h"
#include "routing/WorkerRouting.h"

#include <QByteArray>
#include <QRandomGenerator>

namespace gh {

class CorsPolicy;
class RateLimitGrant;
class RateLimitSet;
class RateLimiter;
class RequestLogBuffer;
class WorkerMetrics;
class ResponseCache;
class SnapshotHolder;

// The gateway listener's per-worker request handler: gateway-owned endpoints, route
// matching on the worker's config snapshot, route lifecycle and key auth, then a
// ProxyCall streams the request to the chosen upstream. Lives on its worker's thread
// with that worker's routing state and connection pool: nothing here is shared.
class GatewayHandler : public HttpExchangeHandler
{
public:
    // cache: the Gateway's response cache shared by all workers (none: no caching).
    // limiter: the Gateway's rate limits, likewise shared (none: no rate limits).
    // log: this worker's request log buffer (none: no request log).
    // metrics: this worker's /metrics counters (none: not counted).
    explicit GatewayHandler(const SnapshotHolder &snapshots, quint64 seed = 0,
                            std::shared_ptr<ResponseCache> cache = {},
                            std::shared_ptr<RateLimiter> limiter = {},
                            std::shared_ptr<RequestLogBuffer> log = {},
                            std::shared_ptr<WorkerMetrics> metrics = {});
    ~GatewayHandler() override;

    void handle(HttpExchange *exchange) override;
    // The exchange's log record, completed with what the connection measured, goes to
    // this worker's buffer (never blocks; a full buffer counts a drop).
    void exchangeFinished(HttpExchange *exchange) override;

    UpstreamPool &pool() { return m_pool; }
    // Time since the request's head was complete, in µs (x-gatehouse-overhead-us).
    static qint64 elapsedUs(qint64 startNs);
    static qint64 nowNs();

private:
    QByteArray nextRequestId();
    void answer(HttpExchange *exchange, HttpResponse response, const QByteArray &requestId);
    // SPEC §4 AI endpoints: true when the request was one (answered or handed to an AiCall).
    bool handleAi(HttpExchange *exchange, const std::shared_ptr<WorkerConfig> &config,
                  const RouteMatch &match, const QByteArray &requestId);
    // SPEC §4 prompt APIs (exact paths, before routes): true when the path is one.
    bool handlePromptApi(HttpExchange *exchange, const std::shared_ptr<WorkerConfig> &config,
                         const QByteArray &requestId);
    // Rate limits (docs/policies.md): null when none applies; a refused grant has been
    // answered with 429 by the caller; an admitted one holds its slots until the exchange
    // is gone.
    std::shared_ptr<RateLimitGrant> admitRate(HttpExchange *exchange, const WorkerConfig &config,
                                              const QString &route, const QString &consumer,
                                              bool aiTokens);

    WorkerRouting m_routing;
    UpstreamPool m_pool;
    QByteArray m_idPrefix; // random per worker; a counter makes each id unique
    quint64 m_counter = 0;
    QRandomGenerator m_random; // weighted AI target picks
    // CORS for gateway-made answers of the request being handled (its route's, or the AI
    // endpoints'); reset when handle() returns.
    const CorsPolicy *m_answerCors = nullptr;
    std::shared_ptr<ResponseCache> m_cache;
    std::shared_ptr<RateLimiter> m_limiter;
    std::shared_ptr<const RateLimitSet> m_limits; // of m_limitsGeneration
    quint64 m_limitsGeneration = 0;
    std::shared_ptr<RequestLogBuffer> m_log;
    std::shared_ptr<WorkerMetrics> m_metrics;
    // settings.log_requests / log_bodies of m_logGeneration, read once per config.
    quint64 m_logGeneration = ~quint64(0);
    bool m_logRequests = true;
    bool m_logBodies = false;
};

} // namespace gh
