#include "http/HttpRequest.h"
#include "policy/CorsPolicy.h"
#include "routing/RouteTable.h"

#include <QJsonArray>
#include <QTest>

using namespace gh;

namespace {

QJsonArray list(const QStringList &items)
{
    return QJsonArray::fromStringList(items);
}

HttpHeaders headers(std::initializer_list<std::pair<const char *, const char *>> fields)
{
    HttpHeaders result;
    for (const auto &[name, value] : fields)
        result.add(name, value);
    return result;
}

// Every Access-Control-* field of headers, as "name: value" (to assert there are none).
QStringList corsFields(const HttpHeaders &headers)
{
    QStringList fields;
    for (const HttpHeaders::Entry &entry : headers.entries()) {
        if (entry.first.toLower().startsWith("access-control-"))
            fields.append(QString::fromLatin1(entry.first + ": " + entry.second));
    }
    return fields;
}

const QJsonObject appOrigins{
    {"origins", list({"https://app.example.com", "http://localhost:3000"})}};

} // namespace

class TestCorsPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalizeOrigin_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("origin"); // empty: not an origin

        QTest::newRow("https") << "https://example.com" << QByteArray("https://example.com");
        QTest::newRow("case") << "HTTPS://Example.COM" << QByteArray("https://example.com");
        QTest::newRow("default port dropped")
            << "https://example.com:443" << QByteArray("https://example.com");
        QTest::newRow("http default port")
            << "http://example.com:80" << QByteArray("http://example.com");
        QTest::newRow("other port kept")
            << "http://localhost:3000" << QByteArray("http://localhost:3000");
        QTest::newRow("trailing slash")
            << "https://example.com/" << QByteArray("https://example.com");
        QTest::newRow("ipv6") << "http://[::1]:8080" << QByteArray("http://[::1]:8080");
        QTest::newRow("path") << "https://example.com/app" << QByteArray();
        QTest::newRow("query") << "https://example.com?x=1" << QByteArray();
        QTest::newRow("no scheme") << "localhost:3000" << QByteArray();
        QTest::newRow("other scheme") << "ftp://example.com" << QByteArray();
        QTest::newRow("user info") << "https://u@example.com" << QByteArray();
        QTest::newRow("star") << "*" << QByteArray();
    }

    void normalizeOrigin()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, origin);
        QCOMPARE(CorsPolicy::normalizeOrigin(text), origin);
    }

    void disabledWithoutConfig()
    {
        const CorsPolicy policy = CorsPolicy::fromJson({});
        QVERIFY(!policy.isEnabled());
        HttpHeaders response = headers({{"Access-Control-Allow-Origin", "*"}});
        policy.applyToResponse(headers({{"Origin", "https://app.example.com"}}), response);
        // Off means untouched: the upstream's own CORS headers pass, nothing is added.
        QCOMPARE(corsFields(response), QStringList{"Access-Control-Allow-Origin: *"});
        QVERIFY(!response.contains("vary"));
    }

    void isPreflight()
    {
        HttpRequest request;
        request.method = "OPTIONS";
        request.headers =
            headers({{"Origin", "https://a.example"}, {"Access-Control-Request-Method", "PUT"}});
        QVERIFY(CorsPolicy::isPreflight(request));
        request.method = "GET";
        QVERIFY(!CorsPolicy::isPreflight(request));
        request.method = "OPTIONS";
        request.headers = headers({{"Origin", "https://a.example"}});
        QVERIFY(!CorsPolicy::isPreflight(request)); // a plain OPTIONS goes upstream
    }

    void preflightAllowed()
    {
        const CorsPolicy policy = CorsPolicy::fromJson(appOrigins);
        const CorsPolicy::Preflight result = policy.preflight(
            headers({{"Origin", "https://app.example.com"},
                     {"Access-Control-Request-Method", "PUT"},
                     {"Access-Control-Request-Headers", "Content-Type, X-Api-Key"}}),
            true);
        QVERIFY(result.allowed);
        QVERIFY(result.refusal.isEmpty());
        QCOMPARE(result.headers.value("access-control-allow-origin"), "https://app.example.com");
        // No methods configured: the method the route serves is echoed.
        QCOMPARE(result.headers.value("access-control-allow-methods"), "PUT");
        QCOMPARE(result.headers.value("access-control-allow-headers"), "content-type, x-api-key");
        QCOMPARE(result.headers.value("access-control-max-age"), "600");
        QVERIFY(!result.headers.contains("access-control-allow-credentials"));
        QVERIFY(result.headers.hasToken("vary", "origin"));
        QVERIFY(result.headers.hasToken("vary", "access-control-request-method"));
        QVERIFY(result.headers.hasToken("vary", "access-control-request-headers"));
    }

    void preflightConfiguredLists()
    {
        const CorsPolicy policy =
            CorsPolicy::fromJson({{"origins", list({"https://app.example.com"})},
                                  {"methods", list({"GET", "POST"})},
                                  {"headers", list({"Content-Type", "Authorization"})},
                                  {"credentials", true},
                                  {"max_age_s", 3600}});
        const CorsPolicy::Preflight result =
            policy.preflight(headers({{"Origin", "https://app.example.com"},
                                      {"Access-Control-Request-Method", "POST"},
                                      {"Access-Control-Request-Headers", "authorization"}}),
                             false);
        QVERIFY2(result.allowed, qPrintable(result.refusal));
        QCOMPARE(result.headers.value("access-control-allow-origin"), "https://app.example.com");
        QCOMPARE(result.headers.value("access-control-allow-methods"), "GET, POST");
        QCOMPARE(result.headers.value("access-control-allow-headers"),
                 "content-type, authorization");
        QCOMPARE(result.headers.value("access-control-allow-credentials"), "true");
        QCOMPARE(result.headers.value("access-control-max-age"), "3600");
    }

    void preflightRefused_data()
    {
        QTest::addColumn<QJsonObject>("config");
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("requestHeaders");
        QTest::addColumn<bool>("methodServed");
        QTest::addColumn<QString>("refusal");

        QTest::newRow("origin not listed")
            << appOrigins << QByteArray("https://evil.example") << QByteArray("GET") << QByteArray()
            << true << "CORS: origin https://evil.example is not allowed";
        QTest::newRow("origin differs by port")
            << appOrigins << QByteArray("http://localhost:3001") << QByteArray("GET")
            << QByteArray() << true << "CORS: origin http://localhost:3001 is not allowed";
        QTest::newRow("origin differs by scheme")
            << appOrigins << QByteArray("http://app.example.com") << QByteArray("GET")
            << QByteArray() << true << "CORS: origin http://app.example.com is not allowed";
        QTest::newRow("method the route does not serve")
            << appOrigins << QByteArray("https://app.example.com") << QByteArray("DELETE")
            << QByteArray() << false << "CORS: method DELETE is not allowed";
        QTest::newRow("method not in cors.methods")
            << QJsonObject{{"origins", list({"*"})}, {"methods", list({"GET"})}}
            << QByteArray("https://x.example") << QByteArray("PUT") << QByteArray() << true
            << "CORS: method PUT is not allowed";
        QTest::newRow("header not in cors.headers")
            << QJsonObject{{"origins", list({"*"})}, {"headers", list({"content-type"})}}
            << QByteArray("https://x.example") << QByteArray("POST")
            << QByteArray("content-type, x-secret") << true
            << "CORS: request header x-secret is not allowed";
    }

    void preflightRefused()
    {
        QFETCH(QJsonObject, config);
        QFETCH(QByteArray, origin);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, requestHeaders);
        QFETCH(bool, methodServed);
        QFETCH(QString, refusal);
        HttpHeaders request;
        request.add("Origin", origin);
        request.add("Access-Control-Request-Method", method);
        if (!requestHeaders.isEmpty())
            request.add("Access-Control-Request-Headers", requestHeaders);
        const CorsPolicy::Preflight result =
            CorsPolicy::fromJson(config).preflight(request, methodServed);
        QVERIFY(!result.allowed);
        QCOMPARE(result.refusal, refusal);
        QCOMPARE(corsFields(result.headers), QStringList());
        QVERIFY(result.headers.hasToken("vary", "origin"));
    }

    void anyOrigin()
    {
        const CorsPolicy open = CorsPolicy::fromJson({{"origins", list({"*"})}});
        HttpHeaders response;
        open.applyToResponse(headers({{"Origin", "https://anything.example"}}), response);
        QCOMPARE(response.value("access-control-allow-origin"), "*");
        const CorsPolicy::Preflight result =
            open.preflight(headers({{"Origin", "https://anything.example"},
                                    {"Access-Control-Request-Method", "PATCH"}}),
                           true);
        QVERIFY(result.allowed);
        QCOMPARE(result.headers.value("access-control-allow-origin"), "*");
        QVERIFY(!result.headers.contains("access-control-allow-headers"));
    }

    void actualResponse()
    {
        const CorsPolicy policy =
            CorsPolicy::fromJson({{"origins", list({"https://app.example.com"})},
                                  {"expose_headers", list({"x-gatehouse-request-id", "X-Total"})},
                                  {"credentials", true}});
        HttpHeaders response = headers({{"Content-Type", "application/json"},
                                        {"Vary", "Accept-Encoding"},
                                        {"Access-Control-Allow-Origin", "*"},
                                        {"Access-Control-Allow-Methods", "GET"}});
        policy.applyToResponse(headers({{"Origin", "https://app.example.com"}}), response);
        QCOMPARE(corsFields(response),
                 (QStringList{"Access-Control-Allow-Origin: https://app.example.com",
                              "Access-Control-Allow-Credentials: true",
                              "Access-Control-Expose-Headers: x-gatehouse-request-id, X-Total"}));
        QCOMPARE(response.values("vary"), (QList<QByteArray>{"Accept-Encoding", "Origin"}));
        QCOMPARE(response.value("content-type"), "application/json");
    }

    void actualResponseOriginNotAllowed()
    {
        const CorsPolicy policy = CorsPolicy::fromJson(appOrigins);
        // The upstream's own permissive header does not leak past the route's policy.
        HttpHeaders response = headers({{"Access-Control-Allow-Origin", "*"}});
        policy.applyToResponse(headers({{"Origin", "https://evil.example"}}), response);
        QCOMPARE(corsFields(response), QStringList());
        QCOMPARE(response.value("vary"), "Origin");

        HttpHeaders noOrigin;
        policy.applyToResponse(HttpHeaders(), noOrigin);
        QCOMPARE(corsFields(noOrigin), QStringList());
        QCOMPARE(noOrigin.value("vary"), "Origin");
    }

    void varyNotRepeated()
    {
        const CorsPolicy policy = CorsPolicy::fromJson(appOrigins);
        HttpHeaders response = headers({{"Vary", "origin, accept"}});
        policy.applyToResponse(headers({{"Origin", "http://localhost:3000"}}), response);
        QCOMPARE(response.values("vary"), QList<QByteArray>{"origin, accept"});
        HttpHeaders star = headers({{"Vary", "*"}});
        policy.applyToResponse(headers({{"Origin", "http://localhost:3000"}}), star);
        QCOMPARE(star.values("vary"), QList<QByteArray>{"*"});
    }

    void preflightMatch()
    {
        const QJsonObject route{
            {"name", "api"},
            {"service", "s"},
            {"match", QJsonObject{{"paths", list({"/api"})}, {"methods", list({"GET", "POST"})}}},
            {"cors", appOrigins}};
        const RouteTable table =
            RouteTable::build(QJsonArray{route}, [](const QString &) { return 0; });
        HttpRequest request;
        request.method = "OPTIONS";
        request.path = "/api/items";
        request.headers = headers(
            {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "POST"}});
        bool served = false;
        RouteMatch match = CorsPolicy::preflightMatch(table, request, &served);
        QVERIFY(match.isMatched());
        QCOMPARE(match.route->name, QStringLiteral("api"));
        QVERIFY(served);
        QVERIFY(match.route->cors.isEnabled());

        // The route does not serve DELETE, yet the preflight still finds it (no 405).
        request.headers.set("Access-Control-Request-Method", "DELETE");
        match = CorsPolicy::preflightMatch(table, request, &served);
        QVERIFY(match.isMatched());
        QCOMPARE(match.route->name, QStringLiteral("api"));
        QVERIFY(!served);

        request.path = "/other";
        match = CorsPolicy::preflightMatch(table, request, &served);
        QCOMPARE(match.outcome, RouteMatch::Outcome::NotFound);
        QVERIFY(!served);
    }
};

QTEST_GUILESS_MAIN(TestCorsPolicy)
#include "tst_corspolicy.moc"
