#include "ProxyCall.h"

#include "ForwardedHeaders.h"
#include "GatewayHandler.h"
#include "cache/CachePolicy.h"
#include "http/HttpExchange.h"
#include "http/UpstreamConnection.h"
#include "http/UpstreamPool.h"
#include "log/RequestRecord.h"
#include "routing/ConfigSnapshot.h"
#include "routing/LoadBalancer.h"
#include "routing/TargetHealth.h"
#include "routing/WorkerConfig.h"

namespace gh {

namespace {

bool isIdempotent(const QByteArray &method)
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT"
           || method == "DELETE" || method == "TRACE";
}

QByteArray rawPath(const QByteArray &target)
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

} // namespace

ProxyCall::ProxyCall(HttpExchange *exchange, std::shared_ptr<WorkerConfig> config, RouteMatch match,
                     QString consumer, QByteArray credentialHeader, QByteArray requestId, UpstreamPool &pool)
    : m_exchange(exchange)
    , m_config(std::move(config))
    , m_match(std::move(match))
    , m_consumer(std::move(consumer))
    , m_credentialHeader(std::move(credentialHeader))
    , m_requestId(std::move(requestId))
    , m_pool(pool)
{
    m_service = m_config->snapshot().service(m_match.route->serviceIndex);
    m_idempotent = isIdempotent(exchange->request().method);
    connect(exchange, &HttpExchange::clientClosed, this, &ProxyCall::onClientClosed);
}

ProxyCall::~ProxyCall()
{
    if (m_connection)
        m_pool.release(m_connection);
}

void ProxyCall::start()
{
    if (!m_service) {
        failRequest(502, QStringLiteral("route %1 has no service").arg(m_match.route->name), "no_service");
        return;
    }
    sendToNextTarget();
}

void ProxyCall::setCacheInvalidation(ResponseCache *cache)
{
    m_invalidateCache = cache;
}

void ProxyCall::setCache(ResponseCache *cache, QByteArray key, qint64 ttlS)
{
    m_cache = cache;
    m_cacheKey = std::move(key);
    m_cacheTtlS = ttlS;
}

void ProxyCall::addResponseHeaders(const HttpHeaders &headers)
{
    for (const HttpHeaders::Entry &entry : headers.entries())
        m_extraHeaders.set(entry.first, entry.second);
}

void ProxyCall::sendToNextTarget()
{
    LoadBalancer *balancer = m_config->balancer(m_service->index);
    m_pick = balancer ? balancer->pick(m_tried) : TargetPick();
    if (!m_pick) {
        failRequest(502, QStringLiteral("service %1 has no upstream target to try").arg(m_service->name),
                    "no_upstream");
        return;
    }
    m_tried.push_back(m_pick.index);
    ++m_attempts;
    const ServiceTarget &target = *m_pick.target;
    const HttpRequest &request = m_exchange->request();

    const UpstreamOrigin origin = target.isHttps()
                                      ? UpstreamOrigin::https(target.host, target.port, m_service->tls)
                                      : UpstreamOrigin::http(target.host, target.port);
    m_connection = m_pool.acquire(origin);
    connect(m_connection, &UpstreamConnection::responseHead, this, &ProxyCall::onResponseHead);
    connect(m_connection, &UpstreamConnection::responseBody, this, &ProxyCall::onResponseBody);
    connect(m_connection, &UpstreamConnection::responseComplete, this, &ProxyCall::onResponseComplete);
    connect(m_connection, &UpstreamConnection::failed, this, &ProxyCall::onFailed);
    connect(m_connection, &UpstreamConnection::writeBufferDrained, this, [this] {
        if (m_exchange)
            m_exchange->resumeBody();
    });
    // Body bytes that came before the connection was up wait in its outbox; on connect
    // they go straight to the kernel, and when it takes them all no bytesWritten (hence
    // no writeBufferDrained) ever follows: resume here, or the upload stalls for good.
    connect(m_connection, &UpstreamConnection::connected, this, [this] {
        if (m_exchange && m_connection && m_exchange->isBodyPaused() &&
            m_connection->pendingOutput() < UpstreamConnection::WriteLowWater)
            m_exchange->resumeBody();
    });

    UpstreamRequest upstream;
    upstream.method = request.method;
    QByteArray path = rawPath(request.target);
    if (m_match.route->stripPath)
        path = RouteMatch::stripSegments(path, m_match.strippedSegments);
    upstream.target = target.upstreamPath(path);
    if (!request.query.isEmpty())
        upstream.target += '?' + request.query;
    upstream.headers = ForwardedHeaders::forUpstream(request.headers, request.peerAddress,
                                                     request.headers.value("host"), m_credentialHeader,
                                                     m_requestId, request.secure);
    if (m_exchange->hasBody()) {
        upstream.bodyMode = m_exchange->isChunked() ? UpstreamRequest::BodyMode::Chunked
                                                    : UpstreamRequest::BodyMode::Length;
        upstream.contentLength = m_exchange->contentLength();
    }
    upstream.connectTimeoutMs = qMin(m_service->timeoutMs, 10000);
    upstream.readTimeoutMs = m_service->timeoutMs;

    m_beforeSendUs = GatewayHandler::elapsedUs(m_exchange->startNs());
    m_sentNs = GatewayHandler::nowNs();
    m_connection->start(upstream);

    if (m_exchange->hasBody() && !m_bodyStarted) {
        m_bodyStarted = true;
        m_exchange->setBodyReceiver(
            [this](QByteArrayView data) {
                if (m_connection && !m_connection->writeBody(data) && m_exchange)
                    m_exchange->pauseBody();
            },
            [this] {
                if (m_connection)
                    m_connection->endBody();
            });
    }
}

void ProxyCall::onResponseHead(int status, const HttpHeaders &headers)
{
    if (!m_exchange)
        return;
    const qint64 headNs = GatewayHandler::nowNs();
    noteUpstreamTime();
    HttpHeaders out = ForwardedHeaders::forClient(headers);
    if (m_cache) {
        // Stored before the per-request headers (extras, CORS, ids) are added: a hit adds
        // its own. GET only, with a known length under the per-entry cap.
        const qint64 announced = m_connection->response().contentLength();
        const qint64 ttl = CachePolicy::storableTtl(m_cacheTtlS, status,
                                                    m_exchange->request().headers, headers);
        if (ttl > 0 && m_exchange->request().method == "GET" && announced >= 0 &&
            announced <= m_cache->maxEntryBytes()) {
            m_capture = std::make_unique<ResponseCache::Entry>();
            m_capture->status = status;
            m_capture->headers = out;
            m_capture->headers.remove("age");
            m_capture->scope = m_match.route->name;
            m_capture->ttlMs = ttl * 1000;
            m_capture->initialAgeS = headers.value("age").toLongLong();
            m_capture->body.reserve(announced);
            m_captureLength = announced;
        }
        out.set("x-gatehouse-cache", "MISS");
        if (RequestRecord *record = m_exchange->logRecord())
            record->cache = "MISS";
    }
    if (m_invalidateCache && status >= 200 && status < 400) {
        const QString &route = m_match.route->name;
        const HttpRequest &request = m_exchange->request();
        const QByteArray host = request.headers.value("host");
        m_invalidateCache->invalidate(ResponseCache::routeKey(route, host, request.target));
        // Only same-origin paths: an absolute URL may name a host this route never cached.
        for (const char *name : {"location", "content-location"}) {
            const QByteArray where = headers.value(name);
            if (where.startsWith('/') && !where.startsWith("//"))
                m_invalidateCache->invalidate(ResponseCache::routeKey(route, host, where));
        }
    }
    for (const HttpHeaders::Entry &extra : m_match.extraHeaders().entries())
        out.set(extra.first, extra.second);
    for (const HttpHeaders::Entry &extra : m_extraHeaders.entries())
        out.set(extra.first, extra.second);
    if (m_match.route)
        m_match.route->cors.applyToResponse(m_exchange->request().headers, out);
    out.set("x-gatehouse-request-id", m_requestId);
    // Time inside the gateway until the response head: before the upstream was asked,
    // and from its answer until now (the upstream's own time excluded).
    const qint64 overheadUs = m_beforeSendUs + (GatewayHandler::nowNs() - headNs) / 1000;
    out.set("x-gatehouse-overhead-us", QByteArray::number(overheadUs));
    qint64 length = m_connection->response().contentLength();
    if (m_exchange->request().method == "HEAD") {
        bool ok = false;
        const qint64 announced = headers.value("content-length").toLongLong(&ok);
        length = ok ? announced : -1;
    }
    if (m_pick.health) {
        if (status == 502 || status == 503 || status == 504)
            m_pick.health->reportFailure();
        else
            m_pick.health->reportSuccess();
    }
    connect(m_exchange, &HttpExchange::writable, this, [this] {
        if (m_connection)
            m_connection->resumeReading();
    });
    m_exchange->startResponse(status, out, length);
}

void ProxyCall::onResponseBody(QByteArrayView piece)
{
    if (!m_exchange)
        return;
    if (m_capture) {
        if (m_capture->body.size() + piece.size() > m_captureLength)
            m_capture.reset(); // more than announced: not a response to keep
        else
            m_capture->body.append(piece.data(), piece.size());
    }
    // A slow client: stop reading the upstream until the client catches up.
    if (!m_exchange->writeBody(piece) && m_connection)
        m_connection->pauseReading();
}

void ProxyCall::onResponseComplete()
{
    if (m_capture && m_exchange && m_capture->body.size() == m_captureLength)
        m_cache->insert(m_cacheKey, m_exchange->request().headers, std::move(*m_capture));
    m_capture.reset();
    if (m_exchange)
        m_exchange->endResponse();
    releaseAttempt(true);
    finish();
}

bool ProxyCall::canRetry(UpstreamError error) const
{
    if (!m_exchange || m_exchange->isResponseStarted() || m_exchange->hasBody())
        return false; // a streamed body cannot be sent twice
    // A pooled connection the upstream had closed: the request never arrived. Always
    // worth one more try on a fresh connection, whatever the method.
    if (error == UpstreamError::ClosedBeforeResponse && m_connection && m_connection->wasReused()
        && m_connection->requestBytesSent() == 0)
        return m_attempts <= m_service->retries + 1;
    if (!m_idempotent || m_attempts > m_service->retries)
        return false;
    return error == UpstreamError::ConnectFailed || error == UpstreamError::ConnectTimeout
           || error == UpstreamError::ClosedBeforeResponse || error == UpstreamError::ReadTimeout;
}

void ProxyCall::onFailed(UpstreamError error, const QString &message)
{
    if (!m_exchange) {
        finish();
        return;
    }
    const bool staleReuse = error == UpstreamError::ClosedBeforeResponse && m_connection
                            && m_connection->wasReused();
    if (!m_exchange->isResponseStarted())
        noteUpstreamTime();
    if (m_pick.health && !staleReuse)
        m_pick.health->reportFailure();
    if (m_exchange->isResponseStarted()) {
        // The client has part of the response: it must see it broken, not complete.
        setLogError(
            QStringLiteral("upstream %1 of service %2 failed mid-response: %3")
                .arg(m_pick.target ? m_pick.target->url : QString(), m_service->name, message));
        m_exchange->abortResponse();
        releaseAttempt(false);
        finish();
        return;
    }
    if (canRetry(error)) {
        if (staleReuse)
            m_tried.pop_back(); // the target is fine; only that connection was stale
        releaseAttempt(false);
        sendToNextTarget();
        return;
    }
    // Named before releaseAttempt() forgets the pick.
    const QString target = m_pick.target ? m_pick.target->url : QString();
    releaseAttempt(false);
    const bool timeout = error == UpstreamError::ConnectTimeout || error == UpstreamError::ReadTimeout;
    failRequest(timeout ? 504 : 502,
                QStringLiteral("upstream %1 of service %2: %3").arg(target, m_service->name, message),
                timeout ? "upstream_timeout" : "upstream_unavailable");
}

void ProxyCall::onClientClosed()
{
    if (m_exchange && !m_exchange->isResponseStarted())
        noteUpstreamTime();
    if (m_connection)
        m_connection->abort();
    releaseAttempt(false);
    finish();
}

void ProxyCall::releaseAttempt(bool success)
{
    Q_UNUSED(success)
    if (m_pick) {
        LoadBalancer::release(m_pick);
        m_pick = TargetPick();
    }
    if (m_connection) {
        UpstreamConnection *connection = std::exchange(m_connection, nullptr);
        connection->disconnect(this);
        m_pool.release(connection);
    }
}

void ProxyCall::failRequest(int status, const QString &message, const QByteArray &code)
{
    if (m_exchange) {
        HttpResponse response = HttpResponse::error(status, message, code, "upstream_error");
        for (const HttpHeaders::Entry &extra : m_extraHeaders.entries())
            response.headers.set(extra.first, extra.second);
        response.headers.set("x-gatehouse-request-id", m_requestId);
        response.headers.set("x-gatehouse-overhead-us",
                             QByteArray::number(GatewayHandler::elapsedUs(m_exchange->startNs())));
        if (m_match.route) // a browser app can read why its call failed
            m_match.route->cors.applyToResponse(m_exchange->request().headers, response.headers);
        setLogError(message);
        m_exchange->respond(response);
    }
    finish();
}

void ProxyCall::noteUpstreamTime()
{
    if (!m_sentNs)
        return; // no attempt waiting
    m_upstreamNs += GatewayHandler::nowNs() - std::exchange(m_sentNs, 0);
    if (RequestRecord *record = m_exchange ? m_exchange->logRecord() : nullptr)
        record->upstreamMs = double(m_upstreamNs) / 1e6;
}

void ProxyCall::setLogError(const QString &error)
{
    if (RequestRecord *record = m_exchange ? m_exchange->logRecord() : nullptr)
        record->error = error;
}

void ProxyCall::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    releaseAttempt(false);
    deleteLater();
}

} // namespace gh
