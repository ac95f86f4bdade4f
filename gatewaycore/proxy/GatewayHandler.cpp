#include "GatewayHandler.h"

#include "ProxyCall.h"
#include "http/HttpExchange.h"
#include "routing/ConfigSnapshot.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>

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

} // namespace

GatewayHandler::GatewayHandler(const SnapshotHolder &snapshots, quint64 seed)
    : m_routing(snapshots, seed)
{
    m_idPrefix = QByteArray::number(QRandomGenerator::global()->generate64(), 16).rightJustified(16, '0');
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

void GatewayHandler::answer(HttpExchange *exchange, HttpResponse response, const QByteArray &requestId)
{
    response.headers.set("x-gatehouse-request-id", requestId);
    response.headers.set("x-gatehouse-overhead-us", QByteArray::number(elapsedUs(exchange->startNs())));
    exchange->respond(response);
}

void GatewayHandler::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const QByteArray requestId = nextRequestId();

    if (request.path == "/_gatehouse/health") {
        if (request.method != "GET" && request.method != "HEAD")
            return answer(exchange, HttpResponse::error(405, QStringLiteral("use GET /_gatehouse/health")), requestId);
        return answer(exchange,
                      HttpResponse::json(200, QJsonObject{{"status", "ok"},
                                                          {"version", QStringLiteral(GATEHOUSE_VERSION)}}),
                      requestId);
    }

    // Held for the whole request: a reload never changes a request midway.
    std::shared_ptr<WorkerConfig> config = m_routing.refresh();
    const RouteMatch match = config->match(request.method, request.headers.value("host"), request.path);
    switch (match.outcome) {
    case RouteMatch::Outcome::NotFound:
        return answer(exchange,
                      HttpResponse::error(404,
                                          QStringLiteral("no route matches %1 %2")
                                              .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path)),
                                          "route_not_found", "not_found"),
                      requestId);
    case RouteMatch::Outcome::Gone:
        return answer(exchange,
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
    QString consumer;
    QByteArray credentialHeader;
    if (route.auth == CompiledRoute::Auth::Key) {
        const ConsumerDirectory::PresentedKey presented = ConsumerDirectory::presentedKey(request.headers);
        if (presented.key.isEmpty()) {
            HttpResponse r = HttpResponse::error(
                401, QStringLiteral("this route needs a consumer key: send Authorization: Bearer <key> or x-api-key"),
                "missing_api_key", "authentication_error");
            r.headers.set("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
            return answer(exchange, r, requestId);
        }
        consumer = config->snapshot().consumers().consumerForKey(presented.key);
        if (consumer.isNull()) {
            HttpResponse r = HttpResponse::error(401, QStringLiteral("invalid consumer key"), "invalid_api_key",
                                                 "authentication_error");
            r.headers.set("WWW-Authenticate", "Bearer realm=\"gatehouse\", error=\"invalid_token\"");
            return answer(exchange, r, requestId);
        }
        if (!consumerAllowed(route, consumer)) {
            return answer(exchange,
                          HttpResponse::error(403, QStringLiteral("consumer %1 may not call route %2").arg(consumer, route.name),
                                              "forbidden", "permission_error"),
                          requestId);
        }
        credentialHeader = presented.header;
    } else if (route.auth == CompiledRoute::Auth::Jwt) {
        // Fail closed until JWT verification exists: never let a JWT route through unchecked.
        return answer(exchange,
                      HttpResponse::error(401, QStringLiteral("route %1 needs JWT authentication, which this "
                                                              "Gatehouse version cannot verify yet")
                                                   .arg(route.name),
                                          "jwt_unsupported", "authentication_error"),
                      requestId);
    }

    if (!exchange->setBodyLimit(route.maxBodyBytes))
        return; // 413 answered

    auto *call = new ProxyCall(exchange, std::move(config), match, consumer, credentialHeader, requestId, m_pool);
    call->start();
}

} // namespace gh
