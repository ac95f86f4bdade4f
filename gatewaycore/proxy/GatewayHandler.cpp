#include "GatewayHandler.h"

#include "AiCall.h"
#include "ProxyCall.h"
#include "ai/AiCatalog.h"
#include "ai/OpenAiEmbeddingsCodec.h"
#include "cache/CachePolicy.h"
#include "cache/ResponseCache.h"
#include "http/HttpExchange.h"
#include "log/RequestLog.h"
#include "log/RequestLogBuffer.h"
#include "metrics/WorkerMetrics.h"
#include "policy/JwtAuthenticator.h"
#include "policy/RateLimitGrant.h"
#include "policy/RateLimitSet.h"
#include "policy/RateLimiter.h"
#include "portal/PortalPage.h"
#include "prompt/PromptCatalog.h"
#include "routing/ConfigSnapshot.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTimeZone>

#include <chrono>

namespace gh {

namespace {

bool consumerAllowed(const CompiledRoute &route, const QString &consumer)
{
    const QJsonArray allowed = route.json.value(QLatin1String("consumers")).toArray();
    if (allowed.isEmpty())
        return true; // the validator fills ["*"]; an empty list in the store means the same
    for (const QJsonValue &value : allowed) {
        const QString name = value.toString();
        if (name == QLatin1String("*") || name == consumer)
            return true;
    }
    return false;
}

QString ipRefusal(const QHostAddress &peer, const QString &route)
{
    const QString address = IpRules::unmapped(peer).toString();
    return route.isEmpty()
               ? QStringLiteral("requests from %1 are not allowed by the gateway's IP rules")
                     .arg(address)
               : QStringLiteral("requests from %1 are not allowed on route %2").arg(address, route);
}

HttpResponse ipRefused(const QHostAddress &peer, const QString &route)
{
    return HttpResponse::error(403, ipRefusal(peer, route), "ip_not_allowed", "permission_error");
}

// A CORS preflight answered by the gateway: 204 with the allow headers, else `refused`.
HttpResponse preflightResponse(const CorsPolicy::Preflight &preflight, HttpResponse refused)
{
    HttpResponse response = preflight.allowed ? HttpResponse{204, {}, {}} : std::move(refused);
    for (const HttpHeaders::Entry &entry : preflight.headers.entries())
        response.headers.add(entry.first, entry.second);
    return response;
}

bool isCatalogPath(const QByteArray &path)
{
    return path == "/_gatehouse/openapi.json" || path == "/_gatehouse/portal" ||
           path.startsWith("/_gatehouse/portal/");
}

// The catalog's documents (docs/catalog.md): GET and HEAD only, built once per config.
HttpResponse catalogResponse(const HttpRequest &request, const ConfigSnapshot &snapshot)
{
    if (request.method != "GET" && request.method != "HEAD") {
        HttpResponse r = HttpResponse::error(405, QStringLiteral("use GET %1")
                                                      .arg(QString::fromUtf8(request.path)));
        r.headers.set("allow", "GET, HEAD");
        return r;
    }
    if (request.path == "/_gatehouse/openapi.json") {
        HttpResponse r = HttpResponse::text(200, snapshot.portal().openApiJson(), "application/json");
        r.headers.set("cache-control", "no-cache");
        return r;
    }
    if (request.path == "/_gatehouse/portal") {
        HttpResponse r{301, {}, {}};
        r.headers.set("location", "/_gatehouse/portal/");
        return r;
    }
    if (request.path != "/_gatehouse/portal/")
        return HttpResponse::error(404, QStringLiteral("no such page in the catalog; see /_gatehouse/portal/"));
    const QByteArray baseUrl =
        PortalPage::baseUrlFor(request.headers.value("host"), request.secure, "127.0.0.1:4141");
    HttpResponse r = HttpResponse::text(200, PortalPage::withBaseUrl(snapshot.portal().portalPage(), baseUrl),
                                        "text/html; charset=utf-8");
    // Config text is escaped anyway; the policy makes any slip inert.
    r.headers.set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
    r.headers.set("x-content-type-options", "nosniff");
    r.headers.set("referrer-policy", "no-referrer");
    r.headers.set("cache-control", "no-cache");
    return r;
}

} // namespace

GatewayHandler::GatewayHandler(const SnapshotHolder &snapshots, quint64 seed,
                               std::shared_ptr<ResponseCache> cache,
                               std::shared_ptr<RateLimiter> limiter,
                               std::shared_ptr<RequestLogBuffer> log,
                               std::shared_ptr<WorkerMetrics> metrics)
    : m_routing(snapshots, seed)
    , m_random(seed ? seed : QRandomGenerator::global()->generate64())
    , m_cache(std::move(cache))
    , m_limiter(std::move(limiter))
    , m_log(std::move(log))
    , m_metrics(std::move(metrics))
{
    m_idPrefix =
        QByteArray::number(QRandomGenerator::global()->generate64(), 16).rightJustified(16, '0');
}

GatewayHandler::~GatewayHandler() = default;

qint64 GatewayHandler::nowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

qint64 GatewayHandler::elapsedUs(qint64 startNs)
{
    return (nowNs() - startNs) / 1000;
}

QByteArray GatewayHandler::nextRequestId()
{
    return m_idPrefix + QByteArray::number(++m_counter, 16).rightJustified(8, '0');
}

void GatewayHandler::answer(HttpExchange *exchange, HttpResponse response,
                            const QByteArray &requestId)
{
    // The gateway's own refusals say why in the log (the body's error.message, in either
    // dialect); error paths only, so the parse costs nothing on the hot path.
    if (RequestRecord *record = exchange->logRecord(); record && response.status >= 400) {
        const QJsonObject error = QJsonDocument::fromJson(response.body)
                                      .object()
                                      .value(QLatin1String("error"))
                                      .toObject();
        record->error = error.value(QLatin1String("message")).toString();
        if (record->error.isEmpty())
            record->error = QString::fromLatin1(errorCodeForStatus(response.status));
    }
    response.headers.set("x-gatehouse-request-id", requestId);
    response.headers.set("x-gatehouse-overhead-us",
                         QByteArray::number(elapsedUs(exchange->startNs())));
    if (m_answerCors)
        m_answerCors->applyToResponse(exchange->request().headers, response.headers);
    exchange->respond(response);
}

void GatewayHandler::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const QByteArray requestId = nextRequestId();
    // Set once the route (or AI endpoint) is known; never outlives this call.
    const auto resetCors = qScopeGuard([this] { m_answerCors = nullptr; });

    if (request.path == "/_gatehouse/health") {
        // Local monitors and the desktop app always reach health; others meet settings.ip.
        if (!request.peerAddress.isLoopback() &&
            !m_routing.refresh()->snapshot().ipRules().allows(request.peerAddress))
            return answer(exchange, ipRefused(request.peerAddress, {}), requestId);
        if (request.method != "GET" && request.method != "HEAD")
            return answer(exchange,
                          HttpResponse::error(405, QStringLiteral("use GET /_gatehouse/health")),
                          requestId);
        return answer(
            exchange,
            HttpResponse::json(
                200, QJsonObject{{"status", "ok"}, {"version", QStringLiteral(GATEHOUSE_VERSION)}}),
            requestId);
    }

    if (isCatalogPath(request.path)) {
        const std::shared_ptr<WorkerConfig> config = m_routing.refresh();
        if (!config->snapshot().ipRules().allows(request.peerAddress))
            return answer(exchange, ipRefused(request.peerAddress, {}), requestId);
        return answer(exchange, catalogResponse(request, config->snapshot()), requestId);
    }

    // Held for the whole request: a reload never changes a request midway.
    std::shared_ptr<WorkerConfig> config = m_routing.refresh();
    if (m_log || m_metrics) {
        if (m_logGeneration != config->generation()) {
            const QJsonObject &settings = config->snapshot().settings();
            m_logRequests = m_log && settings.value(QLatin1String("log_requests")).toBool(true);
            m_logBodies = m_logRequests && settings.value(QLatin1String("log_bodies")).toBool(false);
            m_logGeneration = config->generation();
        }
        // /metrics counts every request from the same record, logged or not.
        if (m_logRequests || m_metrics) {
            exchange->enableLogRecord(m_logBodies ? RequestLog::BodyCaptureBytes : 0);
            RequestRecord &record = *exchange->logRecord();
            record.tsMs = QDateTime::currentMSecsSinceEpoch();
            record.requestId = requestId;
            record.method = request.method;
            record.path = request.target;
        }
    }
    const RouteMatch match =
        config->match(request.method, request.headers.value("host"), request.path);
    if (RequestRecord *record = exchange->logRecord(); record && match.route)
        record->route = match.route->name;
    if (handleAi(exchange, config, match, requestId))
        return;
    if (handlePromptApi(exchange, config, requestId))
        return;
    if (!config->snapshot().ipRules().allows(request.peerAddress))
        return answer(exchange, ipRefused(request.peerAddress, {}), requestId);
    // A CORS route answers its browsers' preflights itself, whatever methods it lists.
    if (CorsPolicy::isPreflight(request)) {
        bool methodServed = false;
        const RouteMatch target =
            CorsPolicy::preflightMatch(config->snapshot().routes(), request, &methodServed);
        if (target.isMatched() && target.route->cors.isEnabled()) {
            if (!target.route->ipRules.allows(request.peerAddress))
                return answer(exchange, ipRefused(request.peerAddress, target.route->name),
                              requestId);
            const CorsPolicy::Preflight preflight =
                target.route->cors.preflight(request.headers, methodServed);
            return answer(exchange,
                          preflightResponse(preflight, HttpResponse::error(403, preflight.refusal,
                                                                           "cors_rejected",
                                                                           "permission_error")),
                          requestId);
        }
    }
    switch (match.outcome) {
    case RouteMatch::Outcome::NotFound:
        return answer(exchange,
                      HttpResponse::error(404,
                                          QStringLiteral("no route matches %1 %2")
                                              .arg(QString::fromLatin1(request.method),
                                                   QString::fromUtf8(request.path)),
                                          "route_not_found", "not_found"),
                      requestId);
    case RouteMatch::Outcome::Gone:
        return answer(
            exchange,
            HttpResponse::error(410, QStringLiteral("route %1 is retired").arg(match.route->name),
                                "route_retired", "not_found"),
            requestId);
    case RouteMatch::Outcome::MethodNotAllowed: {
        HttpResponse r = HttpResponse::error(
            405, QStringLiteral("%1 is not allowed here").arg(QString::fromLatin1(request.method)),
            "method_not_allowed");
        r.headers.set("Allow", match.allowHeader());
        return answer(exchange, r, requestId);
    }
    case RouteMatch::Outcome::Matched:
        break;
    }

    const CompiledRoute &route = *match.route;
    if (!route.ipRules.allows(request.peerAddress))
        return answer(exchange, ipRefused(request.peerAddress, route.name), requestId);
    m_answerCors = &route.cors;
    QString consumer;
    QByteArray credentialHeader;
    if (route.auth == CompiledRoute::Auth::Key) {
        const ConsumerDirectory::PresentedKey presented =
            ConsumerDirectory::presentedKey(request.headers);
        if (presented.key.isEmpty()) {
            HttpResponse r =
                HttpResponse::error(401,
                                    QStringLiteral("this route needs a consumer key: send "
                                                   "Authorization: Bearer <key> or x-api-key"),
                                    "missing_api_key", "authentication_error");
            r.headers.set("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
            return answer(exchange, r, requestId);
        }
        const ConsumerDirectory::Lookup found = config->snapshot().consumers().lookup(
            presented.key, QDateTime::currentMSecsSinceEpoch());
        consumer = found.consumer;
        if (RequestRecord *record = exchange->logRecord())
            record->consumer = consumer;
        if (consumer.isNull()) {
            HttpResponse r = HttpResponse::error(
                401, found.expired ? QStringLiteral("consumer key expired") : QStringLiteral("invalid consumer key"),
                found.expired ? "expired_api_key" : "invalid_api_key", "authentication_error");
            r.headers.set("WWW-Authenticate",
                          "Bearer realm=\"gatehouse\", error=\"invalid_token\"");
            return answer(exchange, r, requestId);
        }
        if (!consumerAllowed(route, consumer)) {
            return answer(
                exchange,
                HttpResponse::error(
                    403,
                    QStringLiteral("consumer %1 may not call route %2").arg(consumer, route.name),
                    "forbidden", "permission_error"),
                requestId);
        }
        credentialHeader = presented.header;
    } else if (route.auth == CompiledRoute::Auth::Jwt) {
        // The token's sub is the consumer for the route's ACL (docs/policies.md, JWT).
        const JwtAuthenticator::Outcome jwt = JwtAuthenticator::authenticate(
            config->snapshot().jwt().verifier(route.name), route.name, request.headers,
            QDateTime::currentSecsSinceEpoch());
        if (!jwt.ok)
            return answer(exchange, jwt.response, requestId);
        if (RequestRecord *record = exchange->logRecord())
            record->consumer = jwt.subject;
        if (!consumerAllowed(route, jwt.subject))
            return answer(exchange, JwtAuthenticator::forbidden(jwt.subject, route.name),
                          requestId);
        consumer = jwt.subject;
        credentialHeader = jwt.credentialHeader;
    }

    // Rate limits (docs/policies.md): after auth and ACL, so the consumer's limits count too.
    const std::shared_ptr<RateLimitGrant> rate =
        admitRate(exchange, *config, route.name, consumer, false);
    if (rate && !rate->allowed()) {
        HttpResponse r = HttpResponse::error(429, rate->message(), "rate_limit_exceeded",
                                             "rate_limit_error");
        rate->applyHeaders(r.headers);
        return answer(exchange, r, requestId);
    }

    // Route cache (docs/policies.md, Response cache): after auth, GET and HEAD share entries.
    const qint64 cacheTtlS =
        route.json.value(QLatin1String("cache")).toObject().value(QLatin1String("ttl_s")).toInteger();
    const bool cacheable =
        m_cache && cacheTtlS > 0 && (request.method == "GET" || request.method == "HEAD");
    QByteArray cacheKey;
    if (cacheable) {
        cacheKey = ResponseCache::routeKey(route.name, request.headers.value("host"), request.target);
        const auto hit = CachePolicy::bypassesLookup(request.headers)
                             ? nullptr
                             : m_cache->lookup(cacheKey, request.headers);
        if (hit && (!CachePolicy::isAuthorized(request.headers) ||
                    CachePolicy::authorizedMayUse(hit->headers))) {
            HttpResponse response = m_cache->hitResponse(*hit);
            for (const HttpHeaders::Entry &extra : match.extraHeaders().entries())
                response.headers.set(extra.first, extra.second);
            if (rate)
                rate->applyHeaders(response.headers);
            if (RequestRecord *record = exchange->logRecord())
                record->cache = "HIT";
            return answer(exchange, response, requestId);
        }
    }

    // The connection answers a body over the limit itself (now, or once it is streaming):
    // with the request id and the route's CORS headers, so a browser app can read why.
    HttpHeaders errorHeaders;
    errorHeaders.set("x-gatehouse-request-id", requestId);
    route.cors.applyToResponse(request.headers, errorHeaders);
    exchange->setErrorHeaders(errorHeaders);
    if (!exchange->setBodyLimit(route.maxBodyBytes))
        return; // 413 answered

    auto *call = new ProxyCall(exchange, std::move(config), match, consumer, credentialHeader,
                               requestId, m_pool);
    if (cacheable)
        call->setCache(m_cache.get(), cacheKey, cacheTtlS);
    else if (m_cache && cacheTtlS > 0 && request.method != "OPTIONS" && request.method != "TRACE")
        call->setCacheInvalidation(m_cache.get());
    if (rate) {
        HttpHeaders rateHeaders;
        rate->applyHeaders(rateHeaders);
        call->addResponseHeaders(rateHeaders);
    }
    call->start();
}

bool GatewayHandler::handleAi(HttpExchange *exchange, const std::shared_ptr<WorkerConfig> &config,
                              const RouteMatch &match, const QByteArray &requestId)
{
    const HttpRequest &request = exchange->request();
    enum class Kind { Chat, Messages, Embeddings, Models };
    Kind kind;
    if (request.path == "/v1/chat/completions")
        kind = Kind::Chat;
    else if (request.path == "/v1/messages")
        kind = Kind::Messages;
    else if (request.path == "/v1/embeddings")
        kind = Kind::Embeddings;
    else if (request.path == "/v1/models")
        kind = Kind::Models;
    else
        return false;
    const AiCatalog &catalog = config->snapshot().ai();
    // With no AI models configured, a user's own route for these paths (an OpenAI-style
    // upstream proxied as is) keeps working.
    if (catalog.isEmpty() && match.outcome != RouteMatch::Outcome::NotFound)
        return false;

    // Anthropic's SDK sends anthropic-version on every call, /v1/models included.
    const ChatDialect dialect =
        kind == Kind::Messages ||
                (kind == Kind::Models && request.headers.contains("anthropic-version"))
            ? ChatDialect::Anthropic
            : ChatDialect::OpenAi;
    const auto fail = [&](const ChatError &error, const QByteArray &allow = {}) {
        HttpResponse response =
            HttpResponse::json(allow.isEmpty() ? AiCall::errorStatus(dialect, error) : 405,
                               AiCall::errorBody(dialect, error));
        if (!allow.isEmpty())
            response.headers.set("Allow", allow);
        if (error.kind == ChatError::Kind::Authentication)
            response.headers.set("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
        answer(exchange, response, requestId);
        return true;
    };

    if (!config->snapshot().ipRules().allows(request.peerAddress))
        return fail({ChatError::Kind::Permission, ipRefusal(request.peerAddress, {}), {}});
    const CorsPolicy &cors = config->snapshot().aiCors();
    if (cors.isEnabled() && CorsPolicy::isPreflight(request)) {
        const QByteArray wanted = request.headers.value("access-control-request-method").trimmed();
        const bool served = wanted == (kind == Kind::Models ? "GET" : "POST") ||
                            (kind == Kind::Models && wanted == "HEAD");
        const CorsPolicy::Preflight preflight = cors.preflight(request.headers, served);
        const ChatError refusal{ChatError::Kind::Permission, preflight.refusal, {}};
        answer(
            exchange,
            preflightResponse(preflight, HttpResponse::json(AiCall::errorStatus(dialect, refusal),
                                                            AiCall::errorBody(dialect, refusal))),
            requestId);
        return true;
    }
    m_answerCors = &cors;

    const QByteArray method = kind == Kind::Models ? "GET" : "POST";
    if (request.method != method && !(kind == Kind::Models && request.method == "HEAD")) {
        return fail({ChatError::Kind::InvalidRequest,
                     QStringLiteral("use %1 %2")
                         .arg(QString::fromLatin1(method), QString::fromUtf8(request.path)),
                     {}},
                    method);
    }

    QString consumer;
    if (config->snapshot().settings().value(QLatin1String("ai_auth")).toString() !=
        QLatin1String("none")) {
        const ConsumerDirectory::PresentedKey presented =
            ConsumerDirectory::presentedKey(request.headers);
        if (presented.key.isEmpty())
            return fail(
                {ChatError::Kind::Authentication,
                 QStringLiteral(
                     "the AI endpoints need a consumer key: send Authorization: Bearer <key> or "
                     "x-api-key"),
                 {}});
        const ConsumerDirectory::Lookup found = config->snapshot().consumers().lookup(
            presented.key, QDateTime::currentMSecsSinceEpoch());
        consumer = found.consumer;
        if (RequestRecord *record = exchange->logRecord())
            record->consumer = consumer;
        if (consumer.isNull())
            return fail({ChatError::Kind::Authentication,
                         found.expired ? QStringLiteral("consumer key expired")
                                       : QStringLiteral("invalid consumer key"),
                         {}});
    }

    if (kind == Kind::Models) {
        QStringList names;
        for (const QString &name : catalog.modelNames()) {
            if (consumer.isEmpty() || catalog.consumerMayUse(consumer, name))
                names.append(name);
        }
        const qint64 created =
            config->snapshot().generation() ? QDateTime::currentSecsSinceEpoch() : 0;
        QJsonObject body;
        if (dialect == ChatDialect::Anthropic) {
            // Anthropic's list shape:
            // {data:[{type,id,display_name,created_at}],has_more,first_id,last_id}.
            QJsonArray data;
            const QString createdAt =
                QDateTime::fromSecsSinceEpoch(created, QTimeZone::utc()).toString(Qt::ISODate);
            for (const QString &name : std::as_const(names))
                data.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("model")},
                                        {QStringLiteral("id"), name},
                                        {QStringLiteral("display_name"), name},
                                        {QStringLiteral("created_at"), createdAt}});
            body = QJsonObject{{QStringLiteral("data"), data},
                               {QStringLiteral("has_more"), false},
                               {QStringLiteral("first_id"),
                                names.isEmpty() ? QJsonValue() : QJsonValue(names.first())},
                               {QStringLiteral("last_id"),
                                names.isEmpty() ? QJsonValue() : QJsonValue(names.last())}};
        } else {
            body = OpenAiEmbeddingsCodec::writeModelList(names, created);
        }
        answer(exchange, HttpResponse::json(200, body), requestId);
        return true;
    }

    // Rate limits (docs/policies.md): the consumer's; tokens are charged by the AiCall.
    const std::shared_ptr<RateLimitGrant> rate = admitRate(exchange, *config, {}, consumer, true);
    if (rate && !rate->allowed()) {
        const ChatError refusal{ChatError::Kind::RateLimit, rate->message(), {}};
        HttpResponse response = HttpResponse::json(AiCall::errorStatus(dialect, refusal),
                                                   AiCall::errorBody(dialect, refusal));
        rate->applyHeaders(response.headers);
        answer(exchange, response, requestId);
        return true;
    }

    const AiCall::Endpoint endpoint = kind == Kind::Chat       ? AiCall::Endpoint::ChatCompletions
                                      : kind == Kind::Messages ? AiCall::Endpoint::Messages
                                                               : AiCall::Endpoint::Embeddings;
    auto *call = new AiCall(exchange, config, endpoint, consumer, requestId, m_pool, m_random);
    call->setCache(m_cache.get());
    call->setRateLimit(rate);
    call->start();
    return true;
}

void GatewayHandler::exchangeFinished(HttpExchange *exchange)
{
    RequestRecord *record = exchange->logRecord();
    if (!record)
        return;
    const qint64 start = exchange->startNs();
    record->latencyMs = double(nowNs() - start) / 1e6;
    if (exchange->responseHeadNs())
        record->ttfbMs = double(exchange->responseHeadNs() - start) / 1e6;
    record->status = exchange->responseStatus();
    record->bytesIn = exchange->requestBodyBytes();
    record->bytesOut = exchange->responseBodyBytes();
    if (record->error.isEmpty())
        record->error = exchange->edgeError();
    if (!exchange->isFinished()) {
        // nginx's 499: the client left before it had its whole answer.
        if (!record->status)
            record->status = 499;
        if (record->error.isEmpty())
            record->error =
                QStringLiteral("the client closed the connection before the response ended");
    } else if (exchange->isAborted() && record->error.isEmpty()) {
        record->error = QStringLiteral("the response was cut off");
    }
    if (m_metrics)
        m_metrics->record(*record);
    if (m_logRequests)
        m_log->push(std::move(*record));
}

bool GatewayHandler::handlePromptApi(HttpExchange *exchange,
                                     const std::shared_ptr<WorkerConfig> &config,
                                     const QByteArray &requestId)
{
    const HttpRequest &request = exchange->request();
    const ConfigSnapshot &snapshot = config->snapshot();
    const CompiledPromptApi *api = snapshot.prompts().match(request.path);
    if (!api)
        return false; // drafts too: they are invisible, like draft routes
    if (RequestRecord *record = exchange->logRecord())
        record->promptApi = api->name;
    // Every answer of a deprecated prompt API says so, refusals included.
    const auto refuse = [&](HttpResponse response) {
        for (const HttpHeaders::Entry &entry : api->extraHeaders.entries())
            response.headers.set(entry.first, entry.second);
        answer(exchange, response, requestId);
        return true;
    };
    if (!snapshot.ipRules().allows(request.peerAddress))
        return refuse(ipRefused(request.peerAddress, {}));
    // Browser apps call prompt APIs like the AI endpoints: settings.cors applies.
    const CorsPolicy &cors = snapshot.aiCors();
    if (cors.isEnabled() && CorsPolicy::isPreflight(request)) {
        const bool served =
            request.headers.value("access-control-request-method").trimmed() == "POST";
        const CorsPolicy::Preflight preflight = cors.preflight(request.headers, served);
        return refuse(
            preflightResponse(preflight, HttpResponse::error(403, preflight.refusal,
                                                             "cors_rejected", "permission_error")));
    }
    m_answerCors = &cors;
    if (api->state == CompiledPromptApi::State::Retired)
        return refuse(HttpResponse::error(410,
                                          QStringLiteral("prompt API %1 is retired").arg(api->name),
                                          "prompt_api_retired", "not_found"));
    if (request.method != "POST") {
        HttpResponse response = HttpResponse::error(
            405,
            QStringLiteral("use POST %1 with a JSON object of the prompt API's inputs")
                .arg(QString::fromUtf8(api->path)),
            "method_not_allowed");
        response.headers.set("Allow", "POST");
        return refuse(response);
    }

    QString consumer;
    if (api->auth == CompiledPromptApi::Auth::Key) {
        const ConsumerDirectory::PresentedKey presented =
            ConsumerDirectory::presentedKey(request.headers);
        const ConsumerDirectory::Lookup found =
            presented.key.isEmpty()
                ? ConsumerDirectory::Lookup{}
                : snapshot.consumers().lookup(presented.key, QDateTime::currentMSecsSinceEpoch());
        if (found.consumer.isNull()) {
            HttpResponse response =
                presented.key.isEmpty()
                    ? HttpResponse::error(401,
                                          QStringLiteral("prompt API %1 needs a consumer key: "
                                                         "send Authorization: Bearer <key> or "
                                                         "x-api-key")
                                              .arg(api->name),
                                          "missing_api_key", "authentication_error")
                    : HttpResponse::error(401,
                                          found.expired ? QStringLiteral("consumer key expired")
                                                        : QStringLiteral("invalid consumer key"),
                                          found.expired ? "expired_api_key" : "invalid_api_key",
                                          "authentication_error");
            response.headers.set("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
            return refuse(response);
        }
        consumer = found.consumer;
        if (RequestRecord *record = exchange->logRecord())
            record->consumer = consumer;
        // The consumer's allow_models decide, as for the AI endpoints.
        if (!snapshot.ai().consumerMayUse(consumer, api->model))
            return refuse(HttpResponse::error(
                403,
                QStringLiteral("consumer %1 may not use model %2 (prompt API %3)")
                    .arg(consumer, api->model, api->name),
                "forbidden", "permission_error"));
    }

    // Budgets are checked by the AiCall; rate limits here, the consumer's.
    const std::shared_ptr<RateLimitGrant> rate = admitRate(exchange, *config, {}, consumer, true);
    if (rate && !rate->allowed()) {
        HttpResponse response =
            HttpResponse::error(429, rate->message(), "rate_limit_exceeded", "rate_limit_error");
        rate->applyHeaders(response.headers);
        return refuse(response);
    }
    auto *call = new AiCall(exchange, config, AiCall::Endpoint::ChatCompletions, consumer,
                            requestId, m_pool, m_random);
    call->setPromptApi(api);
    call->setCache(m_cache.get());
    call->setRateLimit(rate);
    call->start();
    return true;
}

std::shared_ptr<RateLimitGrant> GatewayHandler::admitRate(HttpExchange *exchange,
                                                          const WorkerConfig &config,
                                                          const QString &route,
                                                          const QString &consumer, bool aiTokens)
{
    if (!m_limiter)
        return nullptr;
    // Compiled once per config (the buckets themselves are shared by all workers).
    if (!m_limits || m_limitsGeneration != config.generation()) {
        m_limits = m_limiter->limitsFor(config.generation(), config.snapshot().config());
        m_limitsGeneration = config.generation();
    }
    if (m_limits->isEmpty())
        return nullptr;
    std::shared_ptr<RateLimitGrant> grant = m_limits->admit(route, consumer, aiTokens);
    // Concurrency slots are held until the exchange is gone: response sent or client left.
    if (grant && grant->allowed())
        QObject::connect(exchange, &QObject::destroyed, [grant] { grant->release(); });
    return grant;
}

} // namespace gh
