#include "CorsPolicy.h"

#include "http/HttpRequest.h"
#include "routing/RouteTable.h"

#include <QJsonArray>
#include <QUrl>

namespace gh {

namespace {

QList<QByteArray> strings(const QJsonValue &value)
{
    QList<QByteArray> list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        list.append(item.toString().toUtf8());
    return list;
}

// Access-Control-Request-Headers: "content-type, x-api-key" -> lower-case names.
QList<QByteArray> requestedHeaders(const HttpHeaders &request)
{
    QList<QByteArray> names;
    const QList<QByteArray> parts =
        request.combinedValue("access-control-request-headers").split(',');
    for (const QByteArray &part : parts) {
        const QByteArray name = part.trimmed().toLower();
        if (!name.isEmpty() && !names.contains(name))
            names.append(name);
    }
    return names;
}

} // namespace

QByteArray CorsPolicy::normalizeOrigin(const QString &text)
{
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || text.contains(u' ') || url.host().isEmpty() ||
        !url.userInfo().isEmpty() || (!url.path().isEmpty() && url.path() != u'/') ||
        url.hasQuery() || url.hasFragment())
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return {};
    // Browsers leave the default port out of Origin.
    if (url.port() == (scheme == QLatin1String("https") ? 443 : 80))
        url.setPort(-1);
    return url.toString(QUrl::FullyEncoded | QUrl::RemovePath).toLower().toUtf8();
}

CorsPolicy CorsPolicy::fromJson(const QJsonObject &cors)
{
    CorsPolicy policy;
    if (cors.isEmpty())
        return policy;
    policy.m_enabled = true;
    for (const QByteArray &origin : strings(cors.value(QLatin1String("origins")))) {
        if (origin == "*") {
            policy.m_anyOrigin = true;
        } else {
            const QByteArray normalized = normalizeOrigin(QString::fromUtf8(origin));
            if (!normalized.isEmpty())
                policy.m_origins.append(normalized);
        }
    }
    if (cors.contains(QLatin1String("methods"))) {
        policy.m_methodsListed = true;
        for (const QByteArray &method : strings(cors.value(QLatin1String("methods")))) {
            if (method == "*")
                policy.m_anyMethod = true;
            else
                policy.m_methods.append(method.toUpper());
        }
    }
    if (cors.contains(QLatin1String("headers"))) {
        const QList<QByteArray> headers = strings(cors.value(QLatin1String("headers")));
        // "*" allows whatever the browser asks for (echoed back, which unlike a literal
        // "*" also covers Authorization and credentialed requests).
        policy.m_headersListed = !headers.contains("*");
        for (const QByteArray &header : headers)
            policy.m_headers.append(header.toLower());
    }
    policy.m_exposeHeaders = strings(cors.value(QLatin1String("expose_headers"))).join(", ");
    policy.m_credentials = cors.value(QLatin1String("credentials")).toBool(false);
    policy.m_maxAgeS = cors.value(QLatin1String("max_age_s")).toInt(DefaultMaxAgeS);
    return policy;
}

bool CorsPolicy::allowsOrigin(const QByteArray &origin) const
{
    if (!m_enabled || origin.isEmpty())
        return false;
    if (m_anyOrigin)
        return true;
    // Browsers send scheme and host in lower case; a hand-made request may not.
    return m_origins.contains(origin.toLower());
}

QByteArray CorsPolicy::allowOriginValue(const QByteArray &origin) const
{
    // A credentialed response may not use "*" (Fetch §3.2.5): name the origin instead.
    return m_anyOrigin && !m_credentials ? QByteArrayLiteral("*") : origin;
}

void CorsPolicy::addVary(HttpHeaders &headers, const QByteArray &field)
{
    if (headers.hasToken("vary", field) || headers.hasToken("vary", "*"))
        return;
    headers.add("Vary", field);
}

bool CorsPolicy::isPreflight(const HttpRequest &request)
{
    return request.method == "OPTIONS" && request.headers.contains("origin") &&
           request.headers.contains("access-control-request-method");
}

RouteMatch CorsPolicy::preflightMatch(const RouteTable &routes, const HttpRequest &request,
                                      bool *methodServed)
{
    const QByteArray host = request.headers.value("host");
    const QByteArray method = request.headers.value("access-control-request-method").trimmed();
    RouteMatch match = routes.match(method, host, request.path);
    *methodServed = match.isMatched();
    if (match.outcome != RouteMatch::Outcome::MethodNotAllowed)
        return match;
    // Routes serve this path, only not with that method: find one through a method it has.
    static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    const quint8 bits = match.allowedMethods.bits();
    for (int bit = 0; bit < 7; ++bit) {
        if (bits & (1 << bit))
            return routes.match(names[bit], host, request.path);
    }
    return match;
}

CorsPolicy::Preflight CorsPolicy::preflight(const HttpHeaders &request, bool methodServed) const
{
    Preflight result;
    addVary(result.headers, "Origin");
    addVary(result.headers, "Access-Control-Request-Method");
    addVary(result.headers, "Access-Control-Request-Headers");
    const QByteArray origin = request.value("origin");
    const QByteArray method = request.value("access-control-request-method").trimmed();
    if (!allowsOrigin(origin)) {
        result.refusal =
            QStringLiteral("CORS: origin %1 is not allowed").arg(QString::fromUtf8(origin));
        return result;
    }
    const bool methodAllowed =
        m_methodsListed ? m_anyMethod || m_methods.contains(method) : methodServed;
    if (!methodAllowed) {
        result.refusal =
            QStringLiteral("CORS: method %1 is not allowed").arg(QString::fromUtf8(method));
        return result;
    }
    const QList<QByteArray> headers = requestedHeaders(request);
    if (m_headersListed) {
        for (const QByteArray &header : headers) {
            if (!m_headers.contains(header)) {
                result.refusal = QStringLiteral("CORS: request header %1 is not allowed")
                                     .arg(QString::fromUtf8(header));
                return result;
            }
        }
    }

    result.allowed = true;
    result.headers.set("Access-Control-Allow-Origin", allowOriginValue(origin));
    if (m_credentials)
        result.headers.set("Access-Control-Allow-Credentials", "true");
    result.headers.set("Access-Control-Allow-Methods",
                       m_methodsListed && !m_anyMethod ? m_methods.join(", ") : method);
    if (m_headersListed && !m_headers.isEmpty())
        result.headers.set("Access-Control-Allow-Headers", m_headers.join(", "));
    else if (!headers.isEmpty())
        result.headers.set("Access-Control-Allow-Headers", headers.join(", "));
    result.headers.set("Access-Control-Max-Age", QByteArray::number(m_maxAgeS));
    return result;
}

void CorsPolicy::applyToResponse(const HttpHeaders &request, HttpHeaders &response) const
{
    if (!m_enabled)
        return;
    for (const char *name : {"access-control-allow-origin", "access-control-allow-credentials",
                             "access-control-expose-headers", "access-control-allow-methods",
                             "access-control-allow-headers", "access-control-max-age"})
        response.remove(name);
    addVary(response, "Origin");
    const QByteArray origin = request.value("origin");
    if (!allowsOrigin(origin))
        return;
    response.set("Access-Control-Allow-Origin", allowOriginValue(origin));
    if (m_credentials)
        response.set("Access-Control-Allow-Credentials", "true");
    if (!m_exposeHeaders.isEmpty())
        response.set("Access-Control-Expose-Headers", m_exposeHeaders);
}

} // namespace gh
