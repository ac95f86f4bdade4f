// IP allow/deny lists and CORS (SPEC §3 routes[].ip, routes[].cors, settings.ip,
// settings.cors) end to end: real gatehoused children in front of a scripted upstream.
// The tests connect from 127.0.0.1, so a rule that leaves out 127.0.0.1 stands for a
// stranger's address; IPv6 and IPv4-mapped peers are covered by tst_iprules.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "RawHttp.h"
#include "ScriptedUpstream.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>
#include <QTest>

#include <atomic>
#include <memory>

using namespace gh::test;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

const QByteArray kAppOrigin = "https://app.example.com";
const QByteArray kUiOrigin = "http://localhost:5173";

QByteArray errorField(const HttpResult &r, const char *field)
{
    return r.json()
        .object()
        .value(QLatin1String("error"))
        .toObject()
        .value(QLatin1String(field))
        .toString()
        .toUtf8();
}

// Every Access-Control-* field of a response, as "name: value".
QStringList corsFields(const HttpResult &r)
{
    QStringList fields;
    for (const auto &[name, value] : r.headers) {
        if (name.toLower().startsWith("access-control-"))
            fields.append(QString::fromLatin1(name.toLower() + ": " + value));
    }
    return fields;
}

bool varies(const HttpResult &r, const QByteArray &field)
{
    for (const auto &[name, value] : r.headers) {
        if (name.compare("vary", Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &token : value.split(',')) {
            if (token.trimmed().compare(field, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

} // namespace

class TestIpCors : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<ScriptedUpstream> m_echo;
    std::unique_ptr<DaemonProcess> m_daemon; // route rules, a global deny for others, CORS
    std::unique_ptr<DaemonProcess> m_closed; // settings.ip leaves 127.0.0.1 out
    std::unique_ptr<DaemonProcess> m_plain;  // neither ip nor cors anywhere

    bool startDaemon(std::unique_ptr<DaemonProcess> &daemon, const QString &name, QString yaml)
    {
        yaml.replace(QStringLiteral("%ECHO%"), m_echo->url())
            .replace(QStringLiteral("%DEAD%"),
                     QStringLiteral("http://127.0.0.1:%1").arg(unusedPort()));
        QFile config(m_tmp.filePath(name));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        config.write(yaml.toUtf8());
        config.close();
        daemon = std::make_unique<DaemonProcess>();
        if (daemon->start({QStringLiteral("--config"), config.fileName()}))
            return true;
        qWarning("%s", daemon->standardError().constData());
        return false;
    }

    HttpResult call(const QByteArray &method, const QString &path, const Headers &headers = {},
                    const QByteArray &body = {})
    {
        return HttpClient::request(method, m_daemon->gatewayUrl() + path, body, headers);
    }

    int upstreamRequests() const { return m_echo->requests(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        // Echoes the method, and sends a permissive CORS header of its own: a CORS route
        // must replace it, a route without cors must pass it through untouched.
        m_echo = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            return UpstreamReply::respond(
                200, "method=" + r.method,
                {{"Access-Control-Allow-Origin", "*"}, {"Vary", "Accept-Encoding"}});
        });
        QVERIFY(m_echo->start());

        QVERIFY(startDaemon(
            m_daemon, QStringLiteral("open.yaml"),
            QStringLiteral(
                "consumers: [{name: me, keys: [\"gh-ipcors-key-0123456789abcdef\"]}]\n"
                "services:\n"
                "  - {name: echo, targets: [{url: \"%ECHO%\"}]}\n"
                "  - {name: dead, targets: [{url: \"%DEAD%\"}]}\n"
                "routes:\n"
                "  - {name: open, match: {paths: [/open]}, service: echo, auth: none}\n"
                "  - {name: tenonly, match: {paths: [/tenonly]}, service: echo, auth: none,\n"
                "     ip: {allow: [10.0.0.0/8]}}\n"
                "  - {name: local, match: {paths: [/local]}, service: echo, auth: none,\n"
                "     ip: {allow: [127.0.0.0/8, \"::1\"]}}\n"
                "  - {name: denywins, match: {paths: [/denywins]}, service: echo, auth: none,\n"
                "     ip: {allow: [127.0.0.0/8], deny: [127.0.0.1/32]}}\n"
                "  - {name: mappedrule, match: {paths: [/mappedrule]}, service: echo, auth: none,\n"
                "     ip: {deny: [\"::ffff:127.0.0.0/104\"]}}\n"
                "  - name: cors\n"
                "    match: {paths: [/cors], methods: [GET, POST]}\n"
                "    service: echo\n"
                "    auth: none\n"
                "    cors:\n"
                "      origins: [\"https://app.example.com\"]\n"
                "      expose_headers: [x-gatehouse-request-id]\n"
                "      credentials: true\n"
                "      max_age_s: 120\n"
                "  - name: corslisted\n"
                "    match: {paths: [/corslisted]}\n"
                "    service: echo\n"
                "    auth: none\n"
                "    cors: {origins: [\"*\"], methods: [GET], headers: [content-type]}\n"
                "  - {name: corskey, match: {paths: [/corskey]}, service: echo,\n"
                "     cors: {origins: [\"https://app.example.com\"]}}\n"
                "  - {name: corsdead, match: {paths: [/corsdead]}, service: dead, auth: none,\n"
                "     cors: {origins: [\"https://app.example.com\"]}}\n"
                "  - {name: corsip, match: {paths: [/corsip]}, service: echo, auth: none,\n"
                "     ip: {allow: [10.0.0.0/8]}, cors: {origins: [\"*\"]}}\n"
                "  - {name: corssmall, match: {paths: [/corssmall]}, service: echo, auth: none,\n"
                "     max_body_bytes: 10, cors: {origins: [\"https://app.example.com\"]}}\n"
                "settings:\n"
                "  ip: {deny: [10.0.0.0/8, \"fd00::/8\"]}\n"
                "  cors: {origins: [\"http://localhost:5173\"]}\n")));

        QVERIFY(startDaemon(
            m_closed, QStringLiteral("closed.yaml"),
            QStringLiteral("services: [{name: echo, targets: [{url: \"%ECHO%\"}]}]\n"
                           "routes:\n"
                           "  - {name: open, match: {paths: [/open]}, service: echo, auth: none,\n"
                           "     ip: {allow: [127.0.0.0/8]}}\n"
                           "settings:\n"
                           "  ip: {allow: [10.0.0.0/8]}\n")));
        QVERIFY(startDaemon(m_plain, QStringLiteral("plain.yaml"),
                            QStringLiteral("services: [{name: echo, targets: [{url: "
                                           "\"%ECHO%\"}]}]\n")));
    }

    // A body over the route's limit is refused by the connection itself, at once (length
    // known) or once a chunked body passes it: both 413s carry the route's CORS headers
    // and the request id, so the browser app can read why.
    void tooLargeCarriesCors()
    {
        const QByteArray host = QUrl(m_daemon->gatewayUrl()).authority().toUtf8();
        {
            RawConnection c;
            QVERIFY(c.connectTo(m_daemon->gatewayUrl()));
            QVERIFY(c.send(rawRequest("POST", "/corssmall/x", host, "Origin: https://app.example.com\r\n",
                                      QByteArray(100, 'x'))));
            const RawResponse r = c.read();
            QCOMPARE(r.status, 413);
            QCOMPARE(r.header("access-control-allow-origin"), QByteArray("https://app.example.com"));
            QVERIFY(!r.header("x-gatehouse-request-id").isEmpty());
        }
        {
            RawConnection c;
            QVERIFY(c.connectTo(m_daemon->gatewayUrl()));
            QVERIFY(c.send("POST /corssmall/y HTTP/1.1\r\nHost: " + host +
                           "\r\nOrigin: https://app.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n"));
            const RawResponse r = c.read();
            QCOMPARE(r.status, 413);
            QCOMPARE(r.header("access-control-allow-origin"), QByteArray("https://app.example.com"));
            QVERIFY(!r.header("x-gatehouse-request-id").isEmpty());
        }
        {
            // Another origin: refused alike, without an allow header.
            RawConnection c;
            QVERIFY(c.connectTo(m_daemon->gatewayUrl()));
            QVERIFY(c.send(rawRequest("POST", "/corssmall/z", host, "Origin: https://evil.example\r\n",
                                      QByteArray(100, 'x'))));
            const RawResponse r = c.read();
            QCOMPARE(r.status, 413);
            QVERIFY(r.header("access-control-allow-origin").isEmpty());
        }
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->terminate(), 0);
        if (m_closed)
            QCOMPARE(m_closed->terminate(), 0);
        if (m_plain)
            QCOMPARE(m_plain->terminate(), 0);
    }

    // --- IP rules ----------------------------------------------------------------------

    void routeWithoutRulesPasses()
    {
        // The global deny list (10.0.0.0/8, fd00::/8) does not name 127.0.0.1.
        const HttpResult r = call("GET", QStringLiteral("/open/x"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("method=GET"));
    }

    void routeAllowListRefusesOthers()
    {
        const int before = upstreamRequests();
        const HttpResult r = call("GET", QStringLiteral("/tenonly/x"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(errorField(r, "code"), QByteArray("ip_not_allowed"));
        QCOMPARE(errorField(r, "type"), QByteArray("permission_error"));
        QCOMPARE(errorField(r, "message"),
                 QByteArray("requests from 127.0.0.1 are not allowed on route tenonly"));
        QVERIFY(!r.header("x-gatehouse-request-id").isEmpty());
        QCOMPARE(upstreamRequests(), before); // never forwarded
    }

    void routeAllowListPasses()
    {
        const HttpResult r = call("POST", QStringLiteral("/local/x"), {}, "hi");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("method=POST"));
    }

    void denyWinsOverAllow()
    {
        const HttpResult r = call("GET", QStringLiteral("/denywins/x"));
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "code"), QByteArray("ip_not_allowed"));
        QCOMPARE(errorField(r, "message"),
                 QByteArray("requests from 127.0.0.1 are not allowed on route denywins"));
    }

    void mappedRuleMatchesIpv4Peer()
    {
        const HttpResult r = call("GET", QStringLiteral("/mappedrule/x"));
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "code"), QByteArray("ip_not_allowed"));
    }

    void globalRulesComeFirst()
    {
        // settings.ip allows only 10.0.0.0/8: the route's own allow of 127.0.0.0/8 never
        // gets a say, and no route is revealed (no 404 either).
        for (const QString &path : {QStringLiteral("/open/x"), QStringLiteral("/nowhere")}) {
            const HttpResult r = HttpClient::request("GET", m_closed->gatewayUrl() + path, {}, {});
            QCOMPARE(r.status, 403);
            QCOMPARE(errorField(r, "code"), QByteArray("ip_not_allowed"));
            QCOMPARE(errorField(r, "type"), QByteArray("permission_error"));
            QCOMPARE(errorField(r, "message"),
                     QByteArray("requests from 127.0.0.1 are not allowed by the gateway's IP "
                                "rules"));
        }
    }

    void globalRulesOnAiEndpointsSpeakTheDialect()
    {
        const QString base = m_closed->gatewayUrl();
        HttpResult r = HttpClient::request("POST", base + QStringLiteral("/v1/chat/completions"),
                                           "{}", {{"content-type", "application/json"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "type"), QByteArray("permission_error"));
        QVERIFY2(errorField(r, "message").startsWith("requests from 127.0.0.1 are not allowed"),
                 r.body.constData());

        r = HttpClient::request(
            "POST", base + QStringLiteral("/v1/messages"), "{}",
            {{"content-type", "application/json"}, {"anthropic-version", "2023-06-01"}});
        QCOMPARE(r.status, 403);
        // Anthropic's shape: {"type":"error","error":{"type":"permission_error",...}}.
        QCOMPARE(r.json().object().value(QLatin1String("type")).toString(),
                 QStringLiteral("error"));
        QCOMPARE(errorField(r, "type"), QByteArray("permission_error"));
        QVERIFY2(errorField(r, "message").startsWith("requests from 127.0.0.1 are not allowed"),
                 r.body.constData());
    }

    void healthStaysOpenOnLoopback()
    {
        const HttpResult r = HttpClient::request(
            "GET", m_closed->gatewayUrl() + QStringLiteral("/_gatehouse/health"), {}, {});
        QCOMPARE(r.status, 200);
    }

    // --- CORS: preflight ----------------------------------------------------------------

    void preflightAnsweredByTheGateway()
    {
        const int before = upstreamRequests();
        const HttpResult r = call("OPTIONS", QStringLiteral("/cors/items"),
                                  {{"Origin", kAppOrigin},
                                   {"Access-Control-Request-Method", "POST"},
                                   {"Access-Control-Request-Headers", "content-type, x-trace"}});
        QCOMPARE(r.status, 204);
        QVERIFY(r.body.isEmpty());
        QCOMPARE(r.header("access-control-allow-origin"), kAppOrigin);
        QCOMPARE(r.header("access-control-allow-methods"), QByteArray("POST"));
        QCOMPARE(r.header("access-control-allow-headers"), QByteArray("content-type, x-trace"));
        QCOMPARE(r.header("access-control-allow-credentials"), QByteArray("true"));
        QCOMPARE(r.header("access-control-max-age"), QByteArray("120"));
        QVERIFY(varies(r, "origin"));
        QVERIFY(varies(r, "access-control-request-method"));
        QCOMPARE(upstreamRequests(), before); // never forwarded
    }

    void preflightForMethodTheRouteLacksIsRefusedNot405()
    {
        // The route lists GET and POST; OPTIONS is not among them, DELETE neither.
        const HttpResult r =
            call("OPTIONS", QStringLiteral("/cors/items"),
                 {{"Origin", kAppOrigin}, {"Access-Control-Request-Method", "DELETE"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "code"), QByteArray("cors_rejected"));
        QCOMPARE(errorField(r, "type"), QByteArray("permission_error"));
        QCOMPARE(errorField(r, "message"), QByteArray("CORS: method DELETE is not allowed"));
        QCOMPARE(corsFields(r), QStringList());
        QVERIFY(varies(r, "origin"));
    }

    void preflightFromOtherOriginIsRefused()
    {
        const int before = upstreamRequests();
        const HttpResult r =
            call("OPTIONS", QStringLiteral("/cors/items"),
                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "code"), QByteArray("cors_rejected"));
        QCOMPARE(errorField(r, "message"),
                 QByteArray("CORS: origin https://evil.example is not allowed"));
        QCOMPARE(corsFields(r), QStringList());
        QCOMPARE(upstreamRequests(), before);
    }

    void preflightWithListedMethodsAndHeaders()
    {
        HttpResult r = call("OPTIONS", QStringLiteral("/corslisted"),
                            {{"Origin", "https://any.example"},
                             {"Access-Control-Request-Method", "GET"},
                             {"Access-Control-Request-Headers", "Content-Type"}});
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("access-control-allow-origin"), QByteArray("*"));
        QCOMPARE(r.header("access-control-allow-methods"), QByteArray("GET"));
        QCOMPARE(r.header("access-control-allow-headers"), QByteArray("content-type"));
        QCOMPARE(r.header("access-control-max-age"), QByteArray("600"));
        QVERIFY(r.header("access-control-allow-credentials").isEmpty());

        r = call("OPTIONS", QStringLiteral("/corslisted"),
                 {{"Origin", "https://any.example"}, {"Access-Control-Request-Method", "PUT"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "message"), QByteArray("CORS: method PUT is not allowed"));
        QCOMPARE(corsFields(r), QStringList());

        r = call("OPTIONS", QStringLiteral("/corslisted"),
                 {{"Origin", "https://any.example"},
                  {"Access-Control-Request-Method", "GET"},
                  {"Access-Control-Request-Headers", "x-secret"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "message"),
                 QByteArray("CORS: request header x-secret is not allowed"));
        QCOMPARE(corsFields(r), QStringList());
    }

    void preflightMeetsRouteIpRules()
    {
        const HttpResult r =
            call("OPTIONS", QStringLiteral("/corsip"),
                 {{"Origin", kAppOrigin}, {"Access-Control-Request-Method", "GET"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "code"), QByteArray("ip_not_allowed"));
        QCOMPARE(corsFields(r), QStringList());
    }

    void plainOptionsAndRoutesWithoutCorsGoUpstream()
    {
        // No cors key: the preflight is the upstream's business, and nothing is added.
        HttpResult r = call("OPTIONS", QStringLiteral("/open/x"),
                            {{"Origin", kAppOrigin}, {"Access-Control-Request-Method", "GET"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("method=OPTIONS"));
        QCOMPARE(corsFields(r), QStringList{"access-control-allow-origin: *"});
        QVERIFY(!varies(r, "origin"));

        r = call("GET", QStringLiteral("/open/x"), {{"Origin", kAppOrigin}});
        QCOMPARE(r.status, 200);
        QCOMPARE(corsFields(r), QStringList{"access-control-allow-origin: *"});
        QVERIFY(!varies(r, "origin"));
    }

    // --- CORS: actual requests ----------------------------------------------------------

    void actualRequestFromAllowedOrigin()
    {
        const HttpResult r = call("GET", QStringLiteral("/cors/items"), {{"Origin", kAppOrigin}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("method=GET"));
        // The upstream's "*" is replaced: credentials need the origin itself.
        QCOMPARE(corsFields(r), (QStringList{"access-control-allow-origin: " + kAppOrigin,
                                             "access-control-allow-credentials: true",
                                             "access-control-expose-headers: "
                                             "x-gatehouse-request-id"}));
        QVERIFY(varies(r, "origin"));
        QVERIFY(varies(r, "accept-encoding")); // the upstream's Vary is kept
    }

    void actualRequestFromOtherOrigin()
    {
        const HttpResult r =
            call("GET", QStringLiteral("/cors/items"), {{"Origin", "https://evil.example"}});
        QCOMPARE(r.status, 200); // the browser, not the gateway, withholds the answer
        QCOMPARE(corsFields(r), QStringList());
        QVERIFY(varies(r, "origin"));
    }

    void gatewayAnswersCarryCors()
    {
        // 401 made by the gateway: a browser app can read why.
        HttpResult r = call("GET", QStringLiteral("/corskey"), {{"Origin", kAppOrigin}});
        QCOMPARE(r.status, 401);
        QCOMPARE(errorField(r, "code"), QByteArray("missing_api_key"));
        QCOMPARE(r.header("access-control-allow-origin"), kAppOrigin);
        QVERIFY(varies(r, "origin"));

        // 502 when the upstream is unreachable.
        r = call("GET", QStringLiteral("/corsdead"), {{"Origin", kAppOrigin}});
        QCOMPARE(r.status, 502);
        QCOMPARE(r.header("access-control-allow-origin"), kAppOrigin);

        // 405 on a CORS route for a method it does not serve: no route context, no CORS.
        r = call("PUT", QStringLiteral("/cors/items"), {{"Origin", kAppOrigin}}, "x");
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("GET, HEAD, POST"));
    }

    // --- CORS on the AI endpoints (settings.cors) ----------------------------------------

    void aiPreflight()
    {
        HttpResult r = call("OPTIONS", QStringLiteral("/v1/chat/completions"),
                            {{"Origin", kUiOrigin},
                             {"Access-Control-Request-Method", "POST"},
                             {"Access-Control-Request-Headers", "authorization, content-type"}});
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("access-control-allow-origin"), kUiOrigin);
        QCOMPARE(r.header("access-control-allow-methods"), QByteArray("POST"));
        QCOMPARE(r.header("access-control-allow-headers"),
                 QByteArray("authorization, content-type"));

        // GET is not how /v1/chat/completions is called.
        r = call("OPTIONS", QStringLiteral("/v1/chat/completions"),
                 {{"Origin", kUiOrigin}, {"Access-Control-Request-Method", "GET"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "type"), QByteArray("permission_error"));
        QCOMPARE(errorField(r, "message"), QByteArray("CORS: method GET is not allowed"));
        QCOMPARE(corsFields(r), QStringList());

        // Anthropic dialect on /v1/messages.
        r = call("OPTIONS", QStringLiteral("/v1/messages"),
                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(r.json().object().value(QLatin1String("type")).toString(),
                 QStringLiteral("error"));
        QCOMPARE(errorField(r, "type"), QByteArray("permission_error"));
        QCOMPARE(errorField(r, "message"),
                 QByteArray("CORS: origin https://evil.example is not allowed"));
        QCOMPARE(corsFields(r), QStringList());
    }

    void aiAnswersCarryCors()
    {
        // ai_auth is key: the 401 is the gateway's own answer, readable by the web app.
        HttpResult r = call("GET", QStringLiteral("/v1/models"), {{"Origin", kUiOrigin}});
        QCOMPARE(r.status, 401);
        QCOMPARE(r.header("access-control-allow-origin"), kUiOrigin);
        QVERIFY(varies(r, "origin"));

        r = call(
            "GET", QStringLiteral("/v1/models"),
            {{"Origin", kUiOrigin}, {"Authorization", "Bearer gh-ipcors-key-0123456789abcdef"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("access-control-allow-origin"), kUiOrigin);

        r = call("GET", QStringLiteral("/v1/models"), {{"Origin", kAppOrigin}});
        QCOMPARE(r.status, 401);
        QCOMPARE(corsFields(r), QStringList());
    }

    void aiCorsIsOffByDefault()
    {
        // No settings.cors: no preflight answer, no CORS header on any answer.
        const QString base = m_plain->gatewayUrl();
        HttpResult r =
            HttpClient::request("OPTIONS", base + QStringLiteral("/v1/chat/completions"), {},
                                {{"Origin", kUiOrigin}, {"Access-Control-Request-Method", "POST"}});
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("POST"));
        QCOMPARE(corsFields(r), QStringList());
        QVERIFY(!varies(r, "origin"));

        r = HttpClient::request("GET", base + QStringLiteral("/v1/models"), {},
                                {{"Origin", kUiOrigin}});
        QCOMPARE(r.status, 401);
        QCOMPARE(corsFields(r), QStringList());
        QVERIFY(!varies(r, "origin"));
    }
};

QTEST_GUILESS_MAIN(TestIpCors)
#include "tst_ipcors.moc"
