#pragma once

#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace gh {

class RouteTable;
struct HttpRequest;
struct RouteMatch;

// CORS for one route (SPEC §3 `routes[].cors`) or the AI endpoints (`settings.cors`):
// `{origins, methods?, headers?, expose_headers?, credentials?, max_age_s?}`. Off (no
// header at all) without the key. Built once per config snapshot; the decisions are
// pure functions of the request headers (Fetch standard, "CORS protocol").
class CorsPolicy
{
public:
    static constexpr int DefaultMaxAgeS = 600;

    // What the gateway answers a preflight with: 204 + headers when allowed, else 403
    // with `refusal` as the error message (and only the Vary header: no allow headers).
    struct Preflight
    {
        bool allowed = false;
        HttpHeaders headers;
        QString refusal;
    };

    // From a validated `cors` mapping; an empty object (no `cors` key) is a disabled policy.
    static CorsPolicy fromJson(const QJsonObject &cors);
    // "HTTPS://Example.com:443" -> "https://example.com"; empty when text is not an origin
    // (scheme://host[:port] with nothing after it).
    static QByteArray normalizeOrigin(const QString &text);

    bool isEnabled() const { return m_enabled; }
    bool allowsOrigin(const QByteArray &origin) const;

    // OPTIONS with Origin and Access-Control-Request-Method: a browser asking first.
    static bool isPreflight(const HttpRequest &request);
    // The route a preflight is about: the one the actual request (method from
    // Access-Control-Request-Method) would reach — so a route's method list never turns
    // a preflight into a 405 — else the route serving that path for other methods, with
    // methodServed false. Not Matched when no route serves the path.
    static RouteMatch preflightMatch(const RouteTable &routes, const HttpRequest &request,
                                     bool *methodServed);

    // methodServed: whether the route serves the requested method at all (the default
    // when `methods` is not configured).
    Preflight preflight(const HttpHeaders &request, bool methodServed) const;
    // Headers of an actual (non-preflight) response: replaces any Access-Control-* the
    // upstream sent (this policy is the authority for the route) and adds Vary: Origin.
    // Does nothing when the policy is disabled.
    void applyToResponse(const HttpHeaders &request, HttpHeaders &response) const;

private:
    QByteArray allowOriginValue(const QByteArray &origin) const;
    static void addVary(HttpHeaders &headers, const QByteArray &field);

    bool m_enabled = false;
    bool m_anyOrigin = false;
    QList<QByteArray> m_origins; // normalized
    bool m_methodsListed = false;
    bool m_anyMethod = false;
    QList<QByteArray> m_methods; // upper case
    bool m_headersListed = false;
    QList<QByteArray> m_headers; // lower case
    QByteArray m_exposeHeaders;  // the Access-Control-Expose-Headers value, empty = none
    bool m_credentials = false;
    int m_maxAgeS = DefaultMaxAgeS;
};

} // namespace gh
