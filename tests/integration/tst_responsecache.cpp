// The response cache end to end (SPEC §3 routes[].cache, settings.cache, settings.ai_cache;
// docs/policies.md "Response cache"): a real gatehoused in front of a scripted upstream
// that counts what reaches it, so a HIT is proven by the upstream count staying put.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "RawHttp.h"
#include "ScriptedUpstream.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <atomic>
#include <memory>

using namespace gh::test;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray sseData(const QJsonObject &object)
{
    return "data: " + json(object) + "\n\n";
}

QJsonObject chunk(const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null)
{
    return {{"id", "chatcmpl-cache"},
            {"object", "chat.completion.chunk"},
            {"created", 1700000000},
            {"model", "m"},
            {"choices",
             QJsonArray{QJsonObject{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}};
}

// OpenAI's chat completion and stream shapes; the answer text carries a counter so a
// replay from the cache is told apart from a second provider call.
QByteArray completion(int n)
{
    return json({{"id", "chatcmpl-cache"},
                 {"object", "chat.completion"},
                 {"created", 1700000000},
                 {"model", "m"},
                 {"choices", QJsonArray{QJsonObject{
                                 {"index", 0},
                                 {"message", QJsonObject{{"role", "assistant"},
                                                         {"content", QStringLiteral("answer %1").arg(n)}}},
                                 {"finish_reason", "stop"}}}},
                 {"usage", QJsonObject{{"prompt_tokens", 5}, {"completion_tokens", 2}, {"total_tokens", 7}}}});
}

QByteArray stream(int n)
{
    QByteArray out = sseData(chunk({{"role", "assistant"}, {"content", ""}}));
    out += sseData(chunk({{"content", QStringLiteral("streamed %1").arg(n)}}));
    out += sseData(chunk({}, "stop"));
    out += "data: [DONE]\n\n";
    return out;
}

} // namespace

class TestResponseCache : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<ScriptedUpstream> m_up;
    std::unique_ptr<DaemonProcess> m_daemon;
    std::atomic<int> m_counter{0};

    HttpResult get(const QString &path, const Headers &headers = {}, const QByteArray &method = "GET")
    {
        return HttpClient::request(method, m_daemon->gatewayUrl() + path, {}, headers);
    }

    // QNetworkAccessManager waits for a HEAD's announced body: HEAD goes over a raw
    // connection, with the Host the GETs above send.
    RawResponse head(const QByteArray &path)
    {
        RawConnection connection;
        if (!connection.connectTo(m_daemon->gatewayUrl()))
            return {};
        const QByteArray host = QUrl(m_daemon->gatewayUrl()).authority().toUtf8();
        if (!connection.send(rawRequest("HEAD", path, host)))
            return {};
        return connection.read(10000, true);
    }

    HttpResult chat(const QJsonObject &body, const Headers &headers = {})
    {
        Headers all = headers;
        all.append(std::make_pair(QByteArray("content-type"), QByteArray("application/json")));
        return HttpClient::request("POST", m_daemon->gatewayUrl() + "/v1/chat/completions",
                                   json(body), all);
    }

    HttpResult admin(const QByteArray &method, const QString &path)
    {
        return HttpClient::request(method, m_daemon->adminUrl() + path, {},
                                   {{"authorization", "Bearer " + m_daemon->adminToken().toUtf8()}});
    }

    // Requests the upstream saw whose target starts with prefix.
    int seen(const QByteArray &prefix) const
    {
        int n = 0;
        for (const SeenRequest &r : m_up->seen())
            n += r.target.startsWith(prefix) ? 1 : 0;
        return n;
    }

    static QJsonObject chatBody(const QJsonValue &temperature, bool streamed = false,
                                const QString &text = QStringLiteral("hello"))
    {
        QJsonObject body{{"model", "gpt"},
                         {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", text}}}}};
        if (!temperature.isUndefined())
            body.insert("temperature", temperature);
        if (streamed)
            body.insert("stream", true);
        return body;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_up = std::make_unique<ScriptedUpstream>([this](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            const int n = ++m_counter;
            const QByteArray body = "n=" + QByteArray::number(n) + " " + r.target;
            if (r.target.startsWith("/v1/chat/completions")) {
                if (QJsonDocument::fromJson(r.body).object().value("stream").toBool())
                    return UpstreamReply::respond(200, stream(n), {{"content-type", "text/event-stream"}});
                return UpstreamReply::respond(200, completion(n), {{"content-type", "application/json"}});
            }
            if (r.target.startsWith("/c/vary"))
                return UpstreamReply::respond(200, body + " ae=" + r.header("accept-encoding"),
                                              {{"Vary", "Accept-Encoding"}});
            if (r.target.startsWith("/c/star"))
                return UpstreamReply::respond(200, body, {{"Vary", "*"}});
            if (r.target.startsWith("/c/nostore"))
                return UpstreamReply::respond(200, body, {{"Cache-Control", "no-store"}});
            if (r.target.startsWith("/c/private"))
                return UpstreamReply::respond(200, body, {{"Cache-Control", "private, max-age=60"}});
            if (r.target.startsWith("/c/public"))
                return UpstreamReply::respond(200, body, {{"Cache-Control", "public, max-age=60"}});
            if (r.target.startsWith("/c/short"))
                return UpstreamReply::respond(200, body, {{"Cache-Control", "max-age=1"}});
            if (r.target.startsWith("/c/error"))
                return UpstreamReply::respond(500, body);
            if (r.method == "POST" && r.target.startsWith("/c/items/fail"))
                return UpstreamReply::respond(409, body);
            if (r.method == "POST" && r.target.startsWith("/c/items"))
                return UpstreamReply::respond(201, body, {{"Location", "/c/items/7"}});
            return UpstreamReply::respond(200, body, {{"Content-Type", "text/plain"}, {"X-Origin", "yes"}});
        });
        m_up->setKeepBodies(true);
        QVERIFY(m_up->start());

        QString yaml = QStringLiteral(
            "settings:\n"
            "  ai_auth: none\n"
            "  cache: {max_mb: 16}\n"
            "  ai_cache: {enabled: true, ttl_s: 60}\n"
            "providers:\n"
            "  - {name: oa, type: openai-compatible, base_url: \"%UP%/v1\"}\n"
            "models:\n"
            "  - {name: gpt, targets: [{provider: oa, model: m}]}\n"
            "services:\n"
            "  - {name: origin, targets: [{url: \"%UP%\"}]}\n"
            "routes:\n"
            "  - {name: cached, match: {paths: [/c]}, service: origin, auth: none, cache: {ttl_s: 60}}\n"
            "  - {name: other, match: {paths: [/o]}, service: origin, auth: none, cache: {ttl_s: 60}}\n"
            "  - {name: plain, match: {paths: [/p]}, service: origin, auth: none}\n");
        yaml.replace(QStringLiteral("%UP%"), m_up->url());
        QFile config(m_tmp.filePath(QStringLiteral("cache.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(yaml.toUtf8());
        config.close();
        m_daemon = std::make_unique<DaemonProcess>();
        if (!m_daemon->start({QStringLiteral("--config"), config.fileName()}))
            QFAIL(m_daemon->standardError().constData());
    }

    void missThenHit()
    {
        const HttpResult miss = get("/c/one?x=1");
        QCOMPARE(miss.status, 200);
        QCOMPARE(miss.header("x-gatehouse-cache"), QByteArray("MISS"));
        QVERIFY(miss.header("age").isEmpty());
        QCOMPARE(seen("/c/one"), 1);

        const HttpResult hit = get("/c/one?x=1");
        QCOMPARE(hit.status, 200);
        QCOMPARE(hit.header("x-gatehouse-cache"), QByteArray("HIT"));
        QCOMPARE(hit.body, miss.body); // the stored answer, not a new one
        QCOMPARE(hit.header("x-origin"), QByteArray("yes"));
        QCOMPARE(hit.header("content-type"), QByteArray("text/plain"));
        QVERIFY(!hit.header("age").isEmpty());
        QVERIFY(!hit.header("x-gatehouse-request-id").isEmpty());
        QVERIFY(hit.header("x-gatehouse-request-id") != miss.header("x-gatehouse-request-id"));
        QCOMPARE(seen("/c/one"), 1); // the upstream was not asked again

        // Another query string is another resource.
        QCOMPARE(get("/c/one?x=2").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/one"), 2);
    }

    void headAfterGetHit()
    {
        const HttpResult first = get("/c/head");
        QCOMPARE(first.header("x-gatehouse-cache"), QByteArray("MISS"));
        const RawResponse hit = head("/c/head");
        QCOMPARE(hit.status, 200);
        QCOMPARE(hit.header("x-gatehouse-cache"), QByteArray("HIT"));
        QVERIFY(hit.body.isEmpty());
        QCOMPARE(hit.header("content-length"), QByteArray::number(first.body.size()));
        QCOMPARE(seen("/c/head"), 1);
        // A HEAD miss is proxied but stores nothing: the next GET still goes upstream.
        const RawResponse miss = head("/c/headfirst");
        QCOMPARE(miss.status, 200);
        QCOMPARE(miss.header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(get("/c/headfirst").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/headfirst"), 2);
    }

    void varyKeepsVariantsApart()
    {
        const HttpResult gzip = get("/c/vary", {{"accept-encoding", "gzip"}});
        const HttpResult br = get("/c/vary", {{"accept-encoding", "br"}});
        QCOMPARE(gzip.header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(br.header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/vary"), 2);
        const HttpResult gzipAgain = get("/c/vary", {{"accept-encoding", "gzip"}});
        const HttpResult brAgain = get("/c/vary", {{"accept-encoding", "br"}});
        QCOMPARE(gzipAgain.header("x-gatehouse-cache"), QByteArray("HIT"));
        QCOMPARE(brAgain.header("x-gatehouse-cache"), QByteArray("HIT"));
        QVERIFY(gzipAgain.body.endsWith("ae=gzip"));
        QVERIFY(brAgain.body.endsWith("ae=br"));
        QCOMPARE(seen("/c/vary"), 2);
    }

    void varyStarNeverCached()
    {
        get("/c/star");
        QCOMPARE(get("/c/star").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/star"), 2);
    }

    void noStoreNeverCached()
    {
        get("/c/nostore");
        const HttpResult again = get("/c/nostore");
        QCOMPARE(again.header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(again.header("cache-control"), QByteArray("no-store"));
        QCOMPARE(seen("/c/nostore"), 2);
    }

    void privateNeverCached()
    {
        get("/c/private");
        QCOMPARE(get("/c/private").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/private"), 2);
    }

    void authorizationNotCached()
    {
        const Headers auth{{"authorization", "Bearer someone"}};
        QCOMPARE(get("/c/auth", auth).header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(get("/c/auth", auth).header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/auth"), 2);
        // Nor does it read what an anonymous request stored...
        get("/c/anon");
        QCOMPARE(get("/c/anon").header("x-gatehouse-cache"), QByteArray("HIT"));
        QCOMPARE(get("/c/anon", auth).header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/anon"), 2);
        // ...unless the response says public (RFC 9111 §3.5).
        QCOMPARE(get("/c/public", auth).header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(get("/c/public", auth).header("x-gatehouse-cache"), QByteArray("HIT"));
        QCOMPARE(seen("/c/public"), 1);
    }

    void requestNoCacheBypasses()
    {
        get("/c/bypass");
        QCOMPARE(get("/c/bypass", {{"cache-control", "no-cache"}}).header("x-gatehouse-cache"),
                 QByteArray("MISS"));
        QCOMPARE(seen("/c/bypass"), 2);
        // The refreshed answer was stored: a normal request hits it.
        const HttpResult hit = get("/c/bypass");
        QCOMPARE(hit.header("x-gatehouse-cache"), QByteArray("HIT"));
        QVERIFY(hit.body.startsWith("n="));
        QCOMPARE(seen("/c/bypass"), 2);
    }

    void maxAgeExpires()
    {
        get("/c/short");
        QCOMPARE(get("/c/short").header("x-gatehouse-cache"), QByteArray("HIT"));
        QTest::qWait(1100);
        QCOMPARE(get("/c/short").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/short"), 2);
    }

    void errorsAndUncachedRoutes()
    {
        QCOMPARE(get("/c/error").status, 500);
        QCOMPARE(get("/c/error").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/error"), 2);
        const HttpResult plain = get("/p/x");
        QCOMPARE(plain.status, 200);
        QVERIFY(plain.header("x-gatehouse-cache").isEmpty());
        get("/p/x");
        QCOMPARE(seen("/p/x"), 2);
    }

    // RFC 9111 §4.4: a successful unsafe request makes the stored target (and the
    // Location it names) stale; a failed one does not.
    void unsafeMethodsInvalidate()
    {
        const QString base = m_daemon->gatewayUrl();
        QCOMPARE(get("/c/items").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(get("/c/items/7").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(get("/c/items/fail").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(get("/c/items").header("x-gatehouse-cache"), QByteArray("HIT"));
        QCOMPARE(get("/c/items/7").header("x-gatehouse-cache"), QByteArray("HIT"));

        // A refused POST (409) leaves the entry alone.
        QCOMPARE(HttpClient::request("POST", base + "/c/items/fail", "{}").status, 409);
        QCOMPARE(get("/c/items/fail").header("x-gatehouse-cache"), QByteArray("HIT"));

        // A 201 with Location drops both the target and the created resource.
        QCOMPARE(HttpClient::request("POST", base + "/c/items", "{}").status, 201);
        QCOMPARE(get("/c/items").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(get("/c/items/7").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(get("/c/items").header("x-gatehouse-cache"), QByteArray("HIT"));

        // PUT and DELETE too; another query string is another resource and stays.
        QCOMPARE(get("/c/items?page=2").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(HttpClient::request("DELETE", base + "/c/items").status, 200);
        QCOMPARE(get("/c/items").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(get("/c/items?page=2").header("x-gatehouse-cache"), QByteArray("HIT"));
        QCOMPARE(HttpClient::request("PUT", base + "/c/items?page=2", "{}").status, 200);
        QCOMPARE(get("/c/items?page=2").header("x-gatehouse-cache"), QByteArray("MISS"));
    }

    void purgeThroughAdminApi()
    {
        get("/c/purge");
        get("/o/kept");
        QCOMPARE(get("/c/purge").header("x-gatehouse-cache"), QByteArray("HIT"));
        const HttpResult stats = admin("GET", "/cache");
        QCOMPARE(stats.status, 200);
        QVERIFY(stats.json().object().value("entries").toInt() >= 2);

        const HttpResult purged = admin("DELETE", "/cache?route=cached");
        QCOMPARE(purged.status, 200);
        QVERIFY(purged.json().object().value("removed").toInt() >= 1);
        QCOMPARE(get("/c/purge").header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(seen("/c/purge"), 2);
        QCOMPARE(get("/o/kept").header("x-gatehouse-cache"), QByteArray("HIT")); // other route kept

        const HttpResult all = admin("DELETE", "/cache");
        QCOMPARE(all.status, 200);
        QVERIFY(all.json().object().value("removed").toInt() >= 2);
        QCOMPARE(admin("GET", "/cache").json().object().value("entries").toInt(), 0);
        QCOMPARE(get("/o/kept").header("x-gatehouse-cache"), QByteArray("MISS"));

        const HttpResult wrong = admin("POST", "/cache");
        QCOMPARE(wrong.status, 405);
        QCOMPARE(wrong.header("allow"), QByteArray("GET, DELETE"));
        QCOMPARE(wrong.json().object().value("error").toObject().value("type").toString(),
                 QStringLiteral("invalid_request_error"));
        const HttpResult anonymous = HttpClient::request("DELETE", m_daemon->adminUrl() + "/cache");
        QCOMPARE(anonymous.status, 401);
    }

    void aiTemperatureZeroHits()
    {
        const int before = seen("/v1/chat/completions");
        const HttpResult miss = chat(chatBody(0));
        QCOMPARE(miss.status, 200);
        QCOMPARE(miss.header("x-gatehouse-cache"), QByteArray("MISS"));
        const HttpResult hit = chat(chatBody(0));
        QCOMPARE(hit.status, 200);
        QCOMPARE(hit.header("x-gatehouse-cache"), QByteArray("HIT"));
        QCOMPARE(hit.body, miss.body);
        QCOMPARE(hit.header("x-gatehouse-provider"), QByteArray("oa"));
        QCOMPARE(hit.header("x-gatehouse-cost-usd").toDouble(), 0.0);
        QCOMPARE(seen("/v1/chat/completions"), before + 1);
        // Another prompt is another entry.
        QCOMPARE(chat(chatBody(0, false, QStringLiteral("other"))).header("x-gatehouse-cache"),
                 QByteArray("MISS"));
        QCOMPARE(seen("/v1/chat/completions"), before + 2);
    }

    void aiWarmTemperatureNotCachedUnlessOptedIn()
    {
        const int before = seen("/v1/chat/completions");
        const HttpResult first = chat(chatBody(0.7));
        QVERIFY(first.header("x-gatehouse-cache").isEmpty());
        const HttpResult second = chat(chatBody(0.7));
        QVERIFY(second.header("x-gatehouse-cache").isEmpty());
        QVERIFY(second.body != first.body);
        QCOMPARE(seen("/v1/chat/completions"), before + 2);

        const Headers optIn{{"x-gatehouse-cache", "on"}};
        QCOMPARE(chat(chatBody(0.7), optIn).header("x-gatehouse-cache"), QByteArray("MISS"));
        QCOMPARE(chat(chatBody(0.7), optIn).header("x-gatehouse-cache"), QByteArray("HIT"));
        QCOMPARE(seen("/v1/chat/completions"), before + 3);
        // Opting out skips even a temperature-0 entry.
        chat(chatBody(0));
        QVERIFY(chat(chatBody(0), {{"x-gatehouse-cache", "off"}}).header("x-gatehouse-cache").isEmpty());
    }

    void aiStreamReplayed()
    {
        const int before = seen("/v1/chat/completions");
        const HttpResult miss = chat(chatBody(0, true));
        QCOMPARE(miss.status, 200);
        QCOMPARE(miss.header("x-gatehouse-cache"), QByteArray("MISS"));
        QVERIFY(miss.header("content-type").startsWith("text/event-stream"));
        QVERIFY(miss.body.contains("streamed"));
        QVERIFY(miss.body.trimmed().endsWith("data: [DONE]"));

        const HttpResult hit = chat(chatBody(0, true));
        QCOMPARE(hit.status, 200);
        QCOMPARE(hit.header("x-gatehouse-cache"), QByteArray("HIT"));
        QVERIFY(hit.header("content-type").startsWith("text/event-stream"));
        QCOMPARE(hit.body, miss.body); // the same events, replayed as a stream
        QCOMPARE(seen("/v1/chat/completions"), before + 1);
        // The whole (non-stream) answer is a separate entry.
        QCOMPARE(chat(chatBody(0, false, QStringLiteral("streamonly"))).header("x-gatehouse-cache"),
                 QByteArray("MISS"));
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            m_daemon->terminate();
        if (m_up)
            m_up->stop();
    }
};

QTEST_GUILESS_MAIN(TestResponseCache)
#include "tst_responsecache.moc"
