// The gateway's generic reverse proxy (SPEC §3 services/routes, §4) end to end: a real
// gatehoused child in front of a real nginx and scripted raw upstreams, driven by raw
// sockets where bytes matter and by HttpClient elsewhere.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "NginxProcess.h"
#include "RawHttp.h"
#include "ScriptedUpstream.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <algorithm>
#include <memory>

using namespace gh::test;

namespace {

const QByteArray kMeKey = "gh-testkey-me-0123456789abcdef";
const QByteArray kOtherKey = "gh-testkey-other-0123456789abcdef";
const QByteArray kHello = "hello from nginx\n";

// Everything an upstream saw that the hop-by-hop and forwarding tests look at.
const char kEchoLocation[] =
    "location /echo { return 200 \"xff=$http_x_forwarded_for|via=$http_via|"
    "xfh=$http_x_forwarded_host|xfp=$http_x_forwarded_proto|conn=$http_connection|te=$http_te|"
    "secret=$http_x_hop|ka=$http_keep_alive|up=$http_upgrade|auth=$http_authorization|"
    "xak=$http_x_api_key|rid=$http_x_gatehouse_request_id|uri=$request_uri|\\n\"; }\n";

// "key=value|..." from the echo location.
QByteArray echoField(const QByteArray &body, const QByteArray &key)
{
    const QList<QByteArray> fields = body.trimmed().split('|');
    for (const QByteArray &field : fields) {
        if (field.startsWith(key + '='))
            return field.mid(key.size() + 1);
    }
    return "<missing>";
}

QByteArray errorCode(const QByteArray &body)
{
    return QJsonDocument::fromJson(body)[QStringLiteral("error")][QStringLiteral("code")]
        .toString()
        .toUtf8();
}

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

// Deterministic, non-repeating-looking bytes.
QByteArray pattern(qsizetype size, quint32 seed)
{
    QByteArray out(size, Qt::Uninitialized);
    quint32 x = seed * 2654435761u + 1;
    for (qsizetype i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = char(x & 0xff);
    }
    return out;
}

} // namespace

class TestProxy : public QObject
{
    Q_OBJECT

private:
    QString gateway(const QString &path) const { return m_daemon->gatewayUrl() + path; }
    QByteArray hostHeader() const { return QUrl(m_daemon->gatewayUrl()).authority().toUtf8(); }

    HttpResult get(const QString &path,
                   const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        return HttpClient::request("GET", gateway(path), {}, headers, 10000);
    }

    HttpResult admin(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        return HttpClient::request(
            method, m_daemon->adminUrl() + path,
            body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
            {{"Authorization", "Bearer " + m_daemon->adminToken().toUtf8()}});
    }

    // One request on a fresh raw connection.
    RawResponse raw(const QByteArray &bytes, bool *ok = nullptr, int timeoutMs = 10000)
    {
        RawConnection connection;
        if (!connection.connectTo(m_daemon->gatewayUrl()) || !connection.send(bytes)) {
            if (ok)
                *ok = false;
            return {};
        }
        return connection.read(timeoutMs, bytes.startsWith("HEAD "), ok);
    }

    std::unique_ptr<NginxProcess> m_nginx;
    std::unique_ptr<DaemonProcess> m_daemon;
    std::unique_ptr<ScriptedUpstream> m_echo;    // answers with what it received
    std::unique_ptr<ScriptedUpstream> m_sink;    // the same, for tests that need fresh connections
    std::unique_ptr<ScriptedUpstream> m_hang;    // accepts, reads, never answers
    std::unique_ptr<ScriptedUpstream> m_partial; // half a response, then dies
    std::unique_ptr<ScriptedUpstream> m_fail503; // always 503 (passive ejection)
    std::unique_ptr<ScriptedUpstream> m_slow;    // answers after 1.5 s (hot reload)
    std::unique_ptr<ScriptedUpstream> m_counter; // counts requests (smuggling)
    std::unique_ptr<ScriptedUpstream> m_slammer; // closes every connection unanswered
    QTemporaryDir m_tmp;
    quint16 m_backPort = 0; // a health-checked target that comes back later
    QElapsedTimer m_started;

private Q_SLOTS:
    void initTestCase()
    {
        if (!NginxProcess::isAvailable())
            QSKIP("nginx is not installed");
        m_nginx = std::make_unique<NginxProcess>();
        QVERIFY(m_nginx->addFile(QStringLiteral("hello.txt"), kHello));
        QVERIFY(m_nginx->addFile(QStringLiteral("base/x.txt"), "base x\n"));
        QVERIFY(m_nginx->start(
            QString::fromLatin1(kEchoLocation) +
            QStringLiteral("location = /health { return 200 \"ok\\n\"; }\n"
                           "location /base/echo { return 200 \"base uri=$request_uri\\n\"; }\n")));

        m_echo = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            return UpstreamReply::respond(200, "method=" + r.method + " target=" + r.target +
                                                   " bytes=" + QByteArray::number(r.bodyBytes) +
                                                   " sha256=" + r.bodySha256 +
                                                   " chunked=" + (r.chunked ? "yes" : "no") +
                                                   " length=" + r.header("content-length"));
        });
        m_sink = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            return UpstreamReply::respond(200, "bytes=" + QByteArray::number(r.bodyBytes) +
                                                   " sha256=" + r.bodySha256);
        });
        m_hang = std::make_unique<ScriptedUpstream>([](const SeenRequest &) {
            UpstreamReply reply;
            reply.hang = true;
            return reply;
        });
        m_partial = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            UpstreamReply reply;
            reply.closeAfter = true;
            if (r.target.contains("chunked"))
                reply.bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" +
                              QByteArray(1024, 'c') + "\r\n200\r\n" + QByteArray(100, 'd');
            else
                reply.bytes =
                    "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + QByteArray(1000, 'l');
            return reply;
        });
        m_fail503 = std::make_unique<ScriptedUpstream>(
            [](const SeenRequest &) { return UpstreamReply::respond(503, "down"); });
        m_slow = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            UpstreamReply reply = UpstreamReply::respond(200, "slow-old-config");
            if (r.complete)
                reply.delayMs = 1500;
            return reply;
        });
        m_counter = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            return UpstreamReply::respond(200, "counted " + r.target);
        });
        m_slammer = std::make_unique<ScriptedUpstream>([](const SeenRequest &) {
            UpstreamReply reply;
            reply.closeAfter = true; // no bytes: closed before any response
            return reply;
        });
        for (ScriptedUpstream *upstream :
             {m_echo.get(), m_sink.get(), m_hang.get(), m_partial.get(), m_fail503.get(),
              m_slow.get(), m_counter.get(), m_slammer.get()})
            QVERIFY(upstream->start());
        m_backPort = unusedPort();
        const quint16 refusedPort = unusedPort();

        QFile jwtSecret(m_tmp.filePath(QStringLiteral("jwt.secret")));
        QVERIFY(jwtSecret.open(QIODevice::WriteOnly));
        jwtSecret.write("a-jwt-secret-for-tests-only-0123456789");
        jwtSecret.close();

        const QString nginx = m_nginx->url();
        const QString dead = QStringLiteral("http://127.0.0.1:%1").arg(refusedPort);
        QString yaml = QString::fromLatin1(
            "consumers:\n"
            "  - name: me\n"
            "    keys: [\"%KEYME%\"]\n"
            "  - name: other\n"
            "    keys: [\"%KEYOTHER%\"]\n"
            "services:\n"
            "  - {name: web, targets: [{url: \"%NGINX%\"}]}\n"
            "  - {name: webbase, targets: [{url: \"%NGINX%/base\"}]}\n"
            "  - {name: echo, targets: [{url: \"%ECHO%\"}]}\n"
            "  - {name: sink, targets: [{url: \"%SINK%\"}]}\n"
            "  - {name: refused, targets: [{url: \"%DEAD%\"}]}\n"
            "  - {name: hang, targets: [{url: \"%HANG%\"}], timeout_ms: 500}\n"
            "  - {name: partial, targets: [{url: \"%PARTIAL%\"}]}\n"
            "  - {name: retry, targets: [{url: \"%DEAD%\"}, {url: \"%NGINX%\"}], retries: 1}\n"
            "  - {name: retry-closed, targets: [{url: \"%SLAMMER%\"}, {url: \"%NGINX%\"}], "
            "retries: 1}\n"
            "  - name: checked\n"
            "    targets: [{url: \"%NGINX%\"}, {url: \"http://127.0.0.1:%BACKPORT%\"}]\n"
            "    health_check: {path: /health, interval_ms: 200}\n"
            "  - {name: passive, targets: [{url: \"%NGINX%\"}, {url: \"%FAIL503%\"}]}\n"
            "  - {name: slow, targets: [{url: \"%SLOW%\"}]}\n"
            "  - {name: counter, targets: [{url: \"%COUNTER%\"}]}\n"
            "routes:\n"
            "  - {name: web, match: {paths: [/web]}, service: web, strip_path: true, auth: none}\n"
            "  - {name: web-deep, match: {paths: [/web/deep]}, service: webbase, strip_path: true, "
            "auth: none}\n"
            "  - {name: methods, match: {paths: [/m], methods: [GET, POST]}, service: web, "
            "strip_path: true, auth: none}\n"
            "  - {name: hosts, match: {paths: [/h], hosts: [\"*.example.test\"]}, service: web, "
            "strip_path: true, auth: none}\n"
            "  - {name: draft, match: {paths: [/draft]}, service: web, strip_path: true, auth: "
            "none, state: draft}\n"
            "  - {name: retired, match: {paths: [/retired]}, service: web, strip_path: true, auth: "
            "none, state: retired}\n"
            "  - name: deprecated\n"
            "    match: {paths: [/old]}\n"
            "    service: web\n"
            "    strip_path: true\n"
            "    auth: none\n"
            "    state: deprecated\n"
            "    sunset: 2027-06-30\n"
            "  - {name: key, match: {paths: [/key]}, service: web, strip_path: true}\n"
            "  - {name: key-other, match: {paths: [/keyother]}, service: web, strip_path: true, "
            "consumers: [other]}\n"
            "  - name: jwt\n"
            "    match: {paths: [/jwt]}\n"
            "    service: web\n"
            "    strip_path: true\n"
            "    auth: jwt\n"
            "    jwt: {secret: \"${file:%JWTFILE%}\"}\n"
            "  - {name: echo, match: {paths: [/up]}, service: echo, strip_path: true, auth: none}\n"
            "  - {name: sink, match: {paths: [/sink]}, service: sink, strip_path: true, auth: "
            "none}\n"
            "  - {name: small, match: {paths: [/small]}, service: echo, strip_path: true, auth: "
            "none, max_body_bytes: 1000}\n"
            "  - {name: large, match: {paths: [/large]}, service: echo, strip_path: true, auth: "
            "none,\n"
            "     max_body_bytes: 33554432}\n"
            "  - {name: slow, match: {paths: [/slow]}, service: slow, strip_path: true, auth: "
            "none}\n"
            "  - {name: refused, match: {paths: [/refused]}, service: refused, auth: none}\n"
            "  - {name: hang, match: {paths: [/hang]}, service: hang, auth: none}\n"
            "  - {name: partial, match: {paths: [/partial]}, service: partial, auth: none}\n"
            "  - {name: retry, match: {paths: [/retry]}, service: retry, strip_path: true, auth: "
            "none}\n"
            "  - {name: retry-closed, match: {paths: [/retryclosed]}, service: retry-closed, "
            "strip_path: true, auth: none}\n"
            "  - {name: checked, match: {paths: [/checked]}, service: checked, strip_path: true, "
            "auth: none}\n"
            "  - {name: passive, match: {paths: [/passive]}, service: passive, strip_path: true, "
            "auth: none}\n"
            "  - {name: reload, match: {paths: [/reload]}, service: slow, strip_path: true, auth: "
            "none}\n"
            "  - {name: counter, match: {paths: [/count]}, service: counter, auth: none}\n");
        yaml.replace(QStringLiteral("%KEYME%"), QString::fromLatin1(kMeKey))
            .replace(QStringLiteral("%KEYOTHER%"), QString::fromLatin1(kOtherKey))
            .replace(QStringLiteral("%NGINX%"), nginx)
            .replace(QStringLiteral("%DEAD%"), dead)
            .replace(QStringLiteral("%ECHO%"), m_echo->url())
            .replace(QStringLiteral("%SINK%"), m_sink->url())
            .replace(QStringLiteral("%HANG%"), m_hang->url())
            .replace(QStringLiteral("%PARTIAL%"), m_partial->url())
            .replace(QStringLiteral("%SLAMMER%"), m_slammer->url())
            .replace(QStringLiteral("%BACKPORT%"), QString::number(m_backPort))
            .replace(QStringLiteral("%FAIL503%"), m_fail503->url())
            .replace(QStringLiteral("%SLOW%"), m_slow->url())
            .replace(QStringLiteral("%COUNTER%"), m_counter->url())
            .replace(QStringLiteral("%JWTFILE%"), jwtSecret.fileName());
        QFile config(m_tmp.filePath(QStringLiteral("gatehouse.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(yaml.toUtf8());
        config.close();

        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start({QStringLiteral("--config"), config.fileName()}),
                 m_daemon->standardError().constData());
        m_started.start();
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->terminate(), 0);
    }

    // --- 1. routing -------------------------------------------------------------------

    void prefixMatchStripsPathAndKeepsQuery()
    {
        HttpResult r = get(QStringLiteral("/web/hello.txt"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, kHello);

        r = get(QStringLiteral("/web/echo?a=1&b=two%20words"));
        QCOMPARE(r.status, 200);
        QCOMPARE(echoField(r.body, "uri"), QByteArray("/echo?a=1&b=two%20words"));

        // A prefix matches whole segments only.
        r = get(QStringLiteral("/webfoo/hello.txt"));
        QCOMPARE(r.status, 404);
        QCOMPARE(errorCode(r.body), QByteArray("route_not_found"));
    }

    void longestPrefixWinsAndTargetBasePath()
    {
        // /web/deep beats /web, and its service's target URL carries the base path /base.
        HttpResult r = get(QStringLiteral("/web/deep/echo?x=1"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("base uri=/base/echo?x=1\n"));
        r = get(QStringLiteral("/web/deep/x.txt"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("base x\n"));
        // Whole segments: /web/deepx is /web's (nginx's own 404), not /web/deep's.
        r = get(QStringLiteral("/web/deepx"));
        QCOMPARE(r.status, 404);
        QVERIFY2(!r.body.contains("base uri"), r.body.constData());
        QVERIFY(errorCode(r.body).isEmpty());
    }

    void methodNotAllowedListsAllow()
    {
        QCOMPARE(get(QStringLiteral("/m/hello.txt")).status, 200);
        const HttpResult r = HttpClient::request("DELETE", gateway(QStringLiteral("/m/hello.txt")));
        QCOMPARE(r.status, 405);
        QCOMPARE(errorCode(r.body), QByteArray("method_not_allowed"));
        const QByteArray allow = r.header("Allow");
        QVERIFY2(allow.contains("GET") && allow.contains("POST"), allow.constData());
        QVERIFY2(!allow.contains("DELETE"), allow.constData());
    }

    void wildcardHosts_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("status");
        QTest::newRow("sub") << QByteArray("api.example.test") << 200;
        QTest::newRow("deep sub with port") << QByteArray("a.b.Example.TEST:8080") << 200;
        QTest::newRow("apex") << QByteArray("example.test") << 404;
        QTest::newRow("other") << QByteArray("api.example.org") << 404;
        QTest::newRow("suffix only") << QByteArray("badexample.test") << 404;
    }

    void wildcardHosts()
    {
        QFETCH(QByteArray, host);
        QFETCH(int, status);
        bool ok = false;
        const RawResponse r = raw(rawRequest("GET", "/h/hello.txt", host), &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, status);
        if (status == 200)
            QCOMPARE(r.body, kHello);
        else
            QCOMPARE(errorCode(r.body), QByteArray("route_not_found"));
    }

    void notFoundIsJson()
    {
        const HttpResult r = get(QStringLiteral("/no/such/route"));
        QCOMPARE(r.status, 404);
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        QCOMPARE(errorCode(r.body), QByteArray("route_not_found"));
        QVERIFY(!r.header("x-gatehouse-request-id").isEmpty());
    }

    void routeLifecycle()
    {
        HttpResult r = get(QStringLiteral("/draft/hello.txt"));
        QCOMPARE(r.status, 404);
        QCOMPARE(errorCode(r.body), QByteArray("route_not_found"));

        r = get(QStringLiteral("/retired/hello.txt"));
        QCOMPARE(r.status, 410);
        QCOMPARE(errorCode(r.body), QByteArray("route_retired"));

        r = get(QStringLiteral("/old/hello.txt"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, kHello);
        static const QRegularExpression structuredDate(QStringLiteral("^@\\d+$"));
        QVERIFY2(structuredDate.match(QString::fromLatin1(r.header("Deprecation"))).hasMatch(),
                 r.header("Deprecation").constData());
        QCOMPARE(r.header("Sunset"), QByteArray("Wed, 30 Jun 2027 00:00:00 GMT"));
        // Only the deprecated route carries them.
        r = get(QStringLiteral("/web/hello.txt"));
        QVERIFY(r.header("Deprecation").isEmpty());
        QVERIFY(r.header("Sunset").isEmpty());
    }

    // --- 2. headers -------------------------------------------------------------------

    void forwardedHeadersAndHopByHop()
    {
        const QByteArray extra = "Connection: keep-alive, X-Hop, Upgrade, TE\r\n"
                                 "X-Hop: do-not-forward\r\n"
                                 "Keep-Alive: timeout=5\r\n"
                                 "TE: trailers\r\n"
                                 "Upgrade: websocket\r\n"
                                 "X-Forwarded-For: 10.1.2.3\r\n";
        bool ok = false;
        const RawResponse r = raw(rawRequest("GET", "/web/echo?q=1", hostHeader(), extra), &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, 200);
        QCOMPARE(echoField(r.body, "xff"), QByteArray("10.1.2.3, 127.0.0.1"));
        QVERIFY2(echoField(r.body, "via").contains("1.1 gatehouse"), r.body.constData());
        QCOMPARE(echoField(r.body, "xfh"), hostHeader());
        QCOMPARE(echoField(r.body, "xfp"), QByteArray("http"));
        QCOMPARE(echoField(r.body, "secret"), QByteArray());
        QCOMPARE(echoField(r.body, "te"), QByteArray());
        QCOMPARE(echoField(r.body, "ka"), QByteArray());
        QCOMPARE(echoField(r.body, "up"), QByteArray());
        const QByteArray connection = echoField(r.body, "conn").toLower();
        QVERIFY2(!connection.contains("x-hop") && !connection.contains("upgrade") &&
                     !connection.contains("te"),
                 connection.constData());
        // The upstream gets the same request id the client sees.
        QCOMPARE(echoField(r.body, "rid"), r.header("x-gatehouse-request-id"));
        QCOMPARE(echoField(r.body, "uri"), QByteArray("/echo?q=1"));
    }

    void responseHeaders()
    {
        QSet<QByteArray> ids;
        static const QRegularExpression integer(QStringLiteral("^\\d+$"));
        for (const QString &path : {QStringLiteral("/web/hello.txt"), QStringLiteral("/web/echo"),
                                    QStringLiteral("/nowhere"), QStringLiteral("/web/hello.txt"),
                                    QStringLiteral("/retired/x")}) {
            bool ok = false;
            const RawResponse r = raw(rawRequest("GET", path.toUtf8(), hostHeader()), &ok);
            QVERIFY(ok);
            const QByteArray id = r.header("x-gatehouse-request-id");
            QVERIFY2(!id.isEmpty(), r.head.constData());
            QCOMPARE(r.headerCount("x-gatehouse-request-id"), 1);
            ids.insert(id);
            QVERIFY2(
                integer.match(QString::fromLatin1(r.header("x-gatehouse-overhead-us"))).hasMatch(),
                r.head.constData());
            QCOMPARE(r.headerCount("x-gatehouse-overhead-us"), 1);
            QCOMPARE(r.headerCount("Date"), 1);
        }
        QCOMPARE(ids.size(), 5);
        // Proxied responses say they went through us.
        const RawResponse proxied = raw(rawRequest("GET", "/web/hello.txt", hostHeader()));
        QVERIFY2(proxied.header("Via").contains("1.1 gatehouse"), proxied.head.constData());
    }

    // --- 3. auth ----------------------------------------------------------------------

    void keyAuth()
    {
        HttpResult r = get(QStringLiteral("/key/echo"));
        QCOMPARE(r.status, 401);
        QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer"));
        QCOMPARE(errorCode(r.body), QByteArray("missing_api_key"));

        r = get(QStringLiteral("/key/echo"),
                {{"Authorization", "Bearer gh-not-a-valid-key-0123456789"}});
        QCOMPARE(r.status, 401);
        QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer"));
        QCOMPARE(errorCode(r.body), QByteArray("invalid_api_key"));
        r = get(QStringLiteral("/key/echo"), {{"x-api-key", "gh-not-a-valid-key-0123456789"}});
        QCOMPARE(r.status, 401);

        // The right key passes, and the credential stays with the gateway.
        r = get(QStringLiteral("/key/echo"), {{"Authorization", "Bearer " + kMeKey}});
        QCOMPARE(r.status, 200);
        QCOMPARE(echoField(r.body, "auth"), QByteArray());
        r = get(QStringLiteral("/key/echo"), {{"x-api-key", kMeKey}});
        QCOMPARE(r.status, 200);
        QCOMPARE(echoField(r.body, "xak"), QByteArray());

        // No key needed where auth is none; a JWT route takes no consumer key for a token.
        QCOMPARE(get(QStringLiteral("/web/hello.txt")).status, 200);
        r = get(QStringLiteral("/jwt/hello.txt"));
        QCOMPARE(r.status, 401);
        r = get(QStringLiteral("/jwt/hello.txt"), {{"Authorization", "Bearer " + kMeKey}});
        QCOMPARE(r.status, 401);
    }

    void generatedKeyAndConsumerAcl()
    {
        const HttpResult created = admin("POST", QStringLiteral("/consumers/me/keys"));
        QCOMPARE(created.status, 201);
        const QByteArray key = created.json()[QStringLiteral("key")].toString().toUtf8();
        QVERIFY(key.startsWith("gh-"));
        HttpResult r = get(QStringLiteral("/key/hello.txt"), {{"Authorization", "Bearer " + key}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, kHello);

        // key-other lets only consumer "other" in.
        r = get(QStringLiteral("/keyother/hello.txt"), {{"Authorization", "Bearer " + kMeKey}});
        QCOMPARE(r.status, 403);
        QCOMPARE(errorCode(r.body), QByteArray("forbidden"));
        r = get(QStringLiteral("/keyother/hello.txt"), {{"Authorization", "Bearer " + key}});
        QCOMPARE(r.status, 403);
        r = get(QStringLiteral("/keyother/hello.txt"), {{"x-api-key", kOtherKey}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, kHello);
    }

    // --- 4. keep-alive and pipelining -------------------------------------------------

    void pipelinedRequestsAnswerInOrder()
    {
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        const QByteArray host = hostHeader();
        QVERIFY(connection.send(
            rawRequest("GET", "/web/echo?n=1", host) + rawRequest("GET", "/nowhere", host) +
            rawRequest("GET", "/web/hello.txt", host) + rawRequest("GET", "/web/deep/x.txt", host) +
            rawRequest("GET", "/web/echo?n=5", host)));
        bool ok = false;
        RawResponse r = connection.read(10000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, 200);
        QCOMPARE(echoField(r.body, "uri"), QByteArray("/echo?n=1"));
        r = connection.read(10000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, 404);
        r = connection.read(10000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(r.body, kHello);
        r = connection.read(10000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(r.body, QByteArray("base x\n"));
        r = connection.read(10000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(echoField(r.body, "uri"), QByteArray("/echo?n=5"));
        QVERIFY(connection.isOpen());
    }

    void manySequentialRequestsOnOneConnection()
    {
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        const QByteArray host = hostHeader();
        for (int i = 0; i < 200; ++i) {
            const QByteArray target =
                i % 3 == 0 ? QByteArray("/web/hello.txt") : "/web/echo?i=" + QByteArray::number(i);
            QVERIFY(connection.send(rawRequest("GET", target, host)));
            bool ok = false;
            const RawResponse r = connection.read(10000, false, &ok);
            QVERIFY2(ok, QByteArray::number(i).constData());
            QCOMPARE(r.status, 200);
            if (i % 3 == 0)
                QCOMPARE(r.body, kHello);
            else
                QCOMPARE(echoField(r.body, "uri"), "/echo?i=" + QByteArray::number(i));
            QVERIFY(r.header("Connection").toLower() != "close");
        }
        QVERIFY(connection.isOpen());
    }

    // --- 5. request bodies ------------------------------------------------------------

    void chunkedUploadIsStreamed()
    {
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        const qint64 before = m_echo->bodyBytes();
        QVERIFY(connection.send(
            "POST /up/upload?kind=chunked HTTP/1.1\r\nHost: " + hostHeader() +
            "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n"));
        QByteArray sent;
        const QByteArray first = pattern(64 * 1024, 1);
        sent += first;
        QVERIFY(connection.send(QByteArray::number(first.size(), 16) + "\r\n" + first + "\r\n"));
        // Streamed, not buffered: the upstream has the first chunk before the body ended.
        QVERIFY(ScriptedUpstream::waitFor(
            [&] { return m_echo->bodyBytes() - before >= first.size(); }, 5000));
        for (int i = 0; i < 40; ++i) {
            const QByteArray piece = pattern(1 + (i * 7919) % 100000, quint32(i + 2));
            sent += piece;
            QVERIFY(connection.send(QByteArray::number(piece.size(), 16) + ";ext=1\r\n" + piece +
                                    "\r\n"));
        }
        QVERIFY(connection.send("0\r\n\r\n"));
        bool ok = false;
        const RawResponse r = connection.read(10000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.body.contains("method=POST target=/upload?kind=chunked"), r.body.constData());
        QVERIFY2(r.body.contains(" bytes=" + QByteArray::number(sent.size()) + " "),
                 r.body.constData());
        QVERIFY2(r.body.contains("sha256=" + sha256Hex(sent)), r.body.constData());
        QVERIFY2(r.body.contains("chunked=yes"), r.body.constData());

        // Content-Length bodies keep their length on the way up; same connection.
        const QByteArray body = pattern(1024 * 1024 + 3, 99);
        QVERIFY(
            connection.send(rawRequest("PUT", "/up/upload?kind=length", hostHeader(), {}, body)));
        const RawResponse put = connection.read(10000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(put.status, 200);
        QVERIFY2(put.body.contains("sha256=" + sha256Hex(body)), put.body.constData());
        QVERIFY2(put.body.contains("chunked=no length=" + QByteArray::number(body.size())),
                 put.body.constData());
    }

    void wholeBodyArrivesBeforeTheUpstreamConnects()
    {
        // The body is all there before the (new) upstream connection is up: it waits in
        // the connection's outbox, the client is paused, and both must resume on connect.
        QCOMPARE(m_sink->connections(), 0);
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        const QByteArray body = pattern(4 * 1024 * 1024 + 11, 5);
        QVERIFY(connection.send(rawRequest("PUT", "/sink/first", hostHeader(), {}, body), 10000));
        bool ok = false;
        const RawResponse r = connection.read(10000, false, &ok);
        QVERIFY2(ok, qPrintable(QStringLiteral("upstream got %1 of %2 bytes")
                                    .arg(m_sink->bodyBytes())
                                    .arg(body.size())));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, "bytes=" + QByteArray::number(body.size()) + " sha256=" + sha256Hex(body));
    }

    void pipelinedUploadBehindASlowRequest()
    {
        // While the first response is awaited, the second request (head and a body far
        // larger than the gateway's input buffer) is already on the wire.
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        const QByteArray body = pattern(3 * 1024 * 1024, 6);
        connection.socket().write(rawRequest("GET", "/slow/first", hostHeader()) +
                                  rawRequest("PUT", "/sink/second", hostHeader(), {}, body));
        bool ok = false;
        const RawResponse first = connection.read(10000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, QByteArray("slow-old-config"));
        const RawResponse second = connection.read(10000, false, &ok);
        QVERIFY2(ok,
                 qPrintable(
                     QStringLiteral("the pipelined upload stalled: status %1").arg(second.status)));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.body,
                 "bytes=" + QByteArray::number(body.size()) + " sha256=" + sha256Hex(body));
    }

    void tooLargeBodyIsRefusedBeforeItIsSent()
    {
        // The default route body limit is 10 MiB (max_body_bytes is not in the config schema).
        const int before = m_echo->requests();
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        QVERIFY(connection.send("POST /up/big HTTP/1.1\r\nHost: " + hostHeader() +
                                "\r\nContent-Length: 10485761\r\nExpect: 100-continue\r\n\r\n"));
        bool ok = false;
        const RawResponse r = connection.read(5000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, 413); // not 100 Continue: the body is never asked for
        QVERIFY(connection.waitForClosed(5000));
        QCOMPARE(m_echo->requests(), before);

        // Exactly at the limit is fine.
        RawConnection exact;
        QVERIFY(exact.connectTo(m_daemon->gatewayUrl()));
        const QByteArray body = pattern(10 * 1024 * 1024, 7);
        QVERIFY(exact.send(rawRequest("POST", "/up/exact", hostHeader(), {}, body), 20000));
        const RawResponse fits = exact.read(20000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(fits.status, 200);
        QVERIFY2(fits.body.contains("sha256=" + sha256Hex(body)), fits.body.constData());
    }

    void routeBodyLimits()
    {
        // routes[].max_body_bytes: 1000 on /small.
        const int before = m_echo->requests();
        RawConnection tooLarge;
        QVERIFY(tooLarge.connectTo(m_daemon->gatewayUrl()));
        QVERIFY(tooLarge.send("POST /small/x HTTP/1.1\r\nHost: " + hostHeader() +
                              "\r\nContent-Length: 1001\r\nExpect: 100-continue\r\n\r\n"));
        bool ok = false;
        RawResponse r = tooLarge.read(5000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, 413);
        QVERIFY(tooLarge.waitForClosed(5000));
        QCOMPARE(m_echo->requests(), before);

        const QByteArray fits = pattern(1000, 3);
        r = raw(rawRequest("POST", "/small/x", hostHeader(), {}, fits), &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.body.contains("sha256=" + sha256Hex(fits)), r.body.constData());

        r = raw("POST /small/x HTTP/1.1\r\nHost: " + hostHeader() +
                    "\r\nTransfer-Encoding: chunked\r\n\r\n" + "5dc\r\n" + QByteArray(1500, 'c') +
                    "\r\n0\r\n\r\n",
                &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, 413);

        // A route may also allow more than the 10 MiB default (32 MiB on /large).
        const QByteArray big = pattern(12 * 1024 * 1024, 4);
        RawConnection large;
        QVERIFY(large.connectTo(m_daemon->gatewayUrl()));
        large.send("POST /large/x HTTP/1.1\r\nHost: " + hostHeader() +
                       "\r\nContent-Length: " + QByteArray::number(big.size()) + "\r\n\r\n" + big,
                   20000);
        r = large.read(20000, false, &ok);
        QVERIFY2(
            r.status != 413,
            "a route's max_body_bytes above 10 MiB is capped at 10 MiB by the gateway listener");
        QVERIFY(ok);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.body.contains("sha256=" + sha256Hex(big)), r.body.constData());
    }

    void tooLargeChunkedBodyIsCutOff()
    {
        // No length up front: the limit strikes while streaming. The client gets a 413,
        // the upstream never a complete request.
        const QList<SeenRequest> seenBefore = m_echo->seen();
        const int completeBefore =
            int(std::count_if(seenBefore.cbegin(), seenBefore.cend(),
                              [](const SeenRequest &s) { return s.complete; }));
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        QVERIFY(connection.send("POST /up/bigchunked HTTP/1.1\r\nHost: " + hostHeader() +
                                "\r\nTransfer-Encoding: chunked\r\n\r\n"));
        const QByteArray piece(256 * 1024, 'x');
        const QByteArray frame = QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
        for (int i = 0; i < 48 && connection.isOpen() && connection.socket().bytesAvailable() == 0;
             ++i)
            connection.send(frame, 2000);
        bool ok = false;
        const RawResponse r = connection.read(5000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(r.status, 413);
        QVERIFY(connection.waitForClosed(5000));
        QTest::qWait(200);
        const QList<SeenRequest> seen = m_echo->seen();
        const int completeAfter = int(std::count_if(
            seen.cbegin(), seen.cend(), [](const SeenRequest &s) { return s.complete; }));
        QCOMPARE(completeAfter, completeBefore);
    }

    // --- 6. upstream failures ---------------------------------------------------------

    void connectionRefusedIs502()
    {
        QElapsedTimer timer;
        timer.start();
        const HttpResult r = get(QStringLiteral("/refused/x"));
        QCOMPARE(r.status, 502);
        QCOMPARE(errorCode(r.body), QByteArray("upstream_unavailable"));
        QVERIFY(!r.header("x-gatehouse-request-id").isEmpty());
        QVERIFY2(timer.elapsed() < 2000, QByteArray::number(timer.elapsed()).constData());
    }

    void silentUpstreamIs504()
    {
        QElapsedTimer timer;
        timer.start();
        const HttpResult r = get(QStringLiteral("/hang/x"));
        const qint64 elapsed = timer.elapsed();
        QCOMPARE(r.status, 504);
        QCOMPARE(errorCode(r.body), QByteArray("upstream_timeout"));
        QVERIFY2(elapsed >= 450 && elapsed < 4000, QByteArray::number(elapsed).constData());
        QVERIFY(m_hang->requests() >= 1);
    }

    void upstreamDeathMidBodyAbortsTheResponse_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<bool>("chunked");
        QTest::newRow("content-length") << QByteArray("/partial/length") << false;
        QTest::newRow("chunked") << QByteArray("/partial/chunked") << true;
    }

    void upstreamDeathMidBodyAbortsTheResponse()
    {
        QFETCH(QByteArray, target);
        QFETCH(bool, chunked);
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        QVERIFY(connection.send(rawRequest("GET", target, hostHeader())));
        bool ok = true;
        const RawResponse r = connection.read(10000, false, &ok);
        QVERIFY2(!ok, "a response whose upstream died must not arrive complete");
        QCOMPARE(r.status, 200);
        QVERIFY(!r.complete);
        QCOMPARE(r.chunked, chunked);
        if (chunked) {
            QVERIFY(r.body.size() >= 1024); // what was relayed before the death
        } else {
            QCOMPARE(r.contentLength, 100000);
            QVERIFY(r.body.size() < 100000);
        }
        QVERIFY(connection.waitForClosed(5000));
    }

    void idempotentRequestRetriedOnNextTarget()
    {
        // First target refuses connections, or accepts and closes without a word.
        for (const QString &prefix : {QStringLiteral("/retry"), QStringLiteral("/retryclosed")}) {
            for (int i = 0; i < 6; ++i) {
                const HttpResult r = get(prefix + QStringLiteral("/hello.txt"));
                QVERIFY2(r.status == 200,
                         qPrintable(prefix + QStringLiteral(" #%1: %2").arg(i).arg(r.status)));
                QCOMPARE(r.body, kHello);
            }
        }
        QVERIFY(m_slammer->connections() >= 1); // the closing target was really tried
    }

    // --- 7. health ----------------------------------------------------------------------

    void activeHealthCheckTakesTargetOutAndBack()
    {
        // Checks every 200 ms; the first ran at start. Give them time to mark the down target.
        const qint64 wait = 1000 - m_started.elapsed();
        if (wait > 0)
            QTest::qWait(int(wait));
        for (int i = 0; i < 30; ++i) {
            const HttpResult r = get(QStringLiteral("/checked/hello.txt"));
            QVERIFY2(r.status == 200, qPrintable(QStringLiteral("#%1: %2 %3")
                                                     .arg(i)
                                                     .arg(r.status)
                                                     .arg(QString::fromUtf8(r.body))));
            QCOMPARE(r.body, kHello);
        }
        // The target comes back: after a passing check it gets traffic again.
        ScriptedUpstream back(
            [](const SeenRequest &) { return UpstreamReply::respond(200, "back\n"); });
        QVERIFY(back.start(m_backPort));
        QElapsedTimer timer;
        timer.start();
        bool served = false;
        for (int i = 0; i < 400 && !served && timer.elapsed() < 5000; ++i) {
            const HttpResult r = get(QStringLiteral("/checked/hello.txt"));
            QCOMPARE(r.status, 200);
            served = r.body == "back\n";
            if (!served)
                QTest::qWait(10);
        }
        QVERIFY2(served, "the recovered target got no traffic within 5 s");
        qInfo("recovered target served again after %lld ms", timer.elapsed());
        back.stop();
    }

    void passiveEjectionAfterThreeFailures()
    {
        int failures = 0;
        for (int i = 0; i < 40 && m_fail503->requests() < 3; ++i) {
            const HttpResult r = get(QStringLiteral("/passive/hello.txt"));
            if (r.status == 503)
                ++failures;
            else
                QCOMPARE(r.status, 200);
        }
        QCOMPARE(m_fail503->requests(), 3);
        QCOMPARE(failures, 3);
        // Ejected for 10 s: everything goes to the healthy target now.
        for (int i = 0; i < 20; ++i) {
            const HttpResult r = get(QStringLiteral("/passive/hello.txt"));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, kHello);
        }
        QCOMPARE(m_fail503->requests(), 3);
    }

    // --- 8. hot reload ------------------------------------------------------------------

    void hotReloadKeepsInFlightRequestsOnOldConfig()
    {
        RawConnection keepAlive; // opened before the change, reused after it
        QVERIFY(keepAlive.connectTo(m_daemon->gatewayUrl()));
        QVERIFY(keepAlive.send(rawRequest("GET", "/web/hello.txt", hostHeader())));
        bool ok = false;
        QCOMPARE(keepAlive.read(5000, false, &ok).status, 200);

        RawConnection inFlight;
        QVERIFY(inFlight.connectTo(m_daemon->gatewayUrl()));
        const int slowBefore = m_slow->requests();
        QVERIFY(inFlight.send(rawRequest("GET", "/reload/hello.txt", hostHeader())));
        QVERIFY(ScriptedUpstream::waitFor([&] { return m_slow->requests() > slowBefore; }, 5000));

        const QJsonObject route{
            {QStringLiteral("name"), QStringLiteral("reload")},
            {QStringLiteral("match"),
             QJsonObject{{QStringLiteral("paths"), QJsonArray{QStringLiteral("/reload")}}}},
            {QStringLiteral("service"), QStringLiteral("web")},
            {QStringLiteral("strip_path"), true},
            {QStringLiteral("auth"), QStringLiteral("none")}};
        const HttpResult put = admin("PUT", QStringLiteral("/routes/reload"), route);
        QCOMPARE(put.status, 200);
        QElapsedTimer sincePut;
        sincePut.start();
        QVERIFY(keepAlive.send(rawRequest("GET", "/reload/hello.txt", hostHeader())));
        const RawResponse after = keepAlive.read(5000, false, &ok);
        const qint64 latency = sincePut.elapsed();
        QVERIFY(ok);
        QCOMPARE(after.status, 200);
        QCOMPARE(after.body, kHello); // the very next request follows the new config
        qInfo("first request after the route change answered %lld ms after the PUT", latency);
        QVERIFY2(latency < 1000, QByteArray::number(latency).constData());
        QCOMPARE(m_slow->requests(), slowBefore + 1);

        // The request in flight during the change completes on the old config.
        const RawResponse old = inFlight.read(5000, false, &ok);
        QVERIFY(ok);
        QCOMPARE(old.status, 200);
        QCOMPARE(old.body, QByteArray("slow-old-config"));

        // New routes appear and vanish at once.
        QJsonObject fresh = route;
        fresh.insert(QStringLiteral("name"), QStringLiteral("fresh"));
        fresh.insert(QStringLiteral("match"),
                     QJsonObject{{QStringLiteral("paths"), QJsonArray{QStringLiteral("/fresh")}}});
        QCOMPARE(get(QStringLiteral("/fresh/hello.txt")).status, 404);
        QCOMPARE(admin("PUT", QStringLiteral("/routes/fresh"), fresh).status, 201);
        QCOMPARE(get(QStringLiteral("/fresh/hello.txt")).body, kHello);
        QCOMPARE(admin("DELETE", QStringLiteral("/routes/fresh")).status, 204);
        QCOMPARE(get(QStringLiteral("/fresh/hello.txt")).status, 404);
    }

    // Server-sent events: each event reaches the client while the upstream is still
    // holding the stream open (nothing waits for more data or for the end).
    void serverSentEventsAreRelayedAsTheyCome()
    {
        QTcpServer upstream;
        QVERIFY(upstream.listen(QHostAddress::LocalHost, 0));
        QTcpSocket *side = nullptr;
        QByteArray seen;
        connect(&upstream, &QTcpServer::newConnection, this, [&] {
            side = upstream.nextPendingConnection();
            connect(side, &QTcpSocket::readyRead, this, [&] { seen += side->readAll(); });
        });
        const QJsonObject service{
            {QStringLiteral("targets"),
             QJsonArray{QJsonObject{{QStringLiteral("url"),
                                     QStringLiteral("http://127.0.0.1:%1").arg(upstream.serverPort())}}}}};
        QCOMPARE(admin("PUT", QStringLiteral("/services/events"), service).status, 201);
        const QJsonObject route{
            {QStringLiteral("match"), QJsonObject{{QStringLiteral("paths"), QJsonArray{QStringLiteral("/events")}}}},
            {QStringLiteral("service"), QStringLiteral("events")},
            {QStringLiteral("auth"), QStringLiteral("none")}};
        QCOMPARE(admin("PUT", QStringLiteral("/routes/events"), route).status, 201);

        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, quint16(QUrl(m_daemon->gatewayUrl()).port()));
        QVERIFY(client.waitForConnected(3000));
        client.write("GET /events/feed HTTP/1.1\r\nHost: " + hostHeader()
                     + "\r\nAccept: text/event-stream\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains("\r\n\r\n"), 5000);
        side->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n");
        QByteArray got;
        for (int i = 1; i <= 3; ++i) {
            const QByteArray event = "data: {\"n\":" + QByteArray::number(i) + "}\n\n";
            side->write(QByteArray::number(event.size(), 16) + "\r\n" + event + "\r\n");
            // The event arrives before the upstream sends anything more.
            QTRY_VERIFY_WITH_TIMEOUT((got += client.readAll()).contains(event), 3000);
        }
        QVERIFY2(got.contains("Content-Type: text/event-stream"), got.constData());
        QVERIFY(!got.contains("0\r\n\r\n"));
        side->write("0\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT((got += client.readAll()).endsWith("0\r\n\r\n"), 3000);
        QCOMPARE(admin("DELETE", QStringLiteral("/routes/events")).status, 204);
        QCOMPARE(admin("DELETE", QStringLiteral("/services/events")).status, 204);
    }

    // --- 9. request smuggling -----------------------------------------------------------

    void smugglingIsRefused_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("upstreamRequests"); // at most
        const QByteArray smuggled = "GET /count/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
        const QByteArray head = "POST /count/front HTTP/1.1\r\nHost: x\r\n";
        QTest::newRow("CL+TE")
            << head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled
            << 400 << 0;
        QTest::newRow("TE+CL")
            << head + "Transfer-Encoding: chunked\r\nContent-Length: 47\r\n\r\n0\r\n\r\n" + smuggled
            << 400 << 0;
        QTest::newRow("duplicate CL")
            << head + "Content-Length: 5\r\nContent-Length: 47\r\n\r\nhello" + smuggled << 400 << 0;
        QTest::newRow("CL list") << head + "Content-Length: 5, 5\r\n\r\nhello" + smuggled << 400
                                 << 0;
        QTest::newRow("CL sign") << head + "Content-Length: +5\r\n\r\nhello" + smuggled << 400 << 0;
        // RFC 9112 §6.1: a transfer coding the server does not implement is 501.
        QTest::newRow("TE gzip, chunked")
            << head + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + smuggled << 501 << 0;
        QTest::newRow("TE chunked, chunked")
            << head + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n" + smuggled << 400 << 0;
        QTest::newRow("TE identity")
            << head + "Transfer-Encoding: identity\r\n\r\n0\r\n\r\n" + smuggled << 400 << 0;
        QTest::newRow("TE space before colon")
            << head + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + smuggled << 400 << 0;
        QTest::newRow("obs-fold") << head + "X-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n" +
                                         smuggled
                                  << 400 << 0;
        QTest::newRow("obs-fold TE")
            << head + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n" + smuggled << 400 << 0;
        // The head is fine, so it may already be on its way up; the body is not.
        QTest::newRow("bad chunk size")
            << head + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n" + smuggled << 400
            << 1;
        QTest::newRow("chunk size overflow")
            << head + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff1\r\nhello\r\n0\r\n\r\n" +
                   smuggled
            << 400 << 1;
        QTest::newRow("chunk without CRLF")
            << head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n" + smuggled << 400
            << 1;
    }

    void smugglingIsRefused()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(int, upstreamRequests);
        const int before = m_counter->requests();
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        QVERIFY(connection.send(request));
        bool ok = false;
        const RawResponse r = connection.read(5000, false, &ok);
        QVERIFY2(ok, r.head.constData());
        QCOMPARE(r.status, status);
        // Nothing more on this connection: it is closed after the error.
        QVERIFY(connection.waitForClosed(5000));
        QVERIFY(!connection.reader().hasResponse());
        QTest::qWait(100);
        QVERIFY2(m_counter->requests() - before <= upstreamRequests,
                 QByteArray::number(m_counter->requests() - before).constData());
        for (const SeenRequest &seen : m_counter->seen()) {
            QVERIFY2(!seen.target.contains("smuggled"), seen.target.constData());
            QVERIFY2(!seen.complete || seen.method != "POST",
                     "a broken body reached the upstream whole");
        }
        // A good request right after still works.
        const HttpResult good = get(QStringLiteral("/count/ok"));
        QCOMPARE(good.status, 200);
        QCOMPARE(good.body, QByteArray("counted /count/ok"));
    }
};

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
