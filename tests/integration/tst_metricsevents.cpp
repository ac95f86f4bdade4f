// GET /metrics and GET /events on a real gatehoused: exact counters for a known traffic
// mix (routes, AI calls with tokens and cost, cache), gauges, access rules; the live
// event stream (request, budget at 80 %, config), its refusals, and a stop that ends open
// streams instead of waiting for them. Text-format rules: tst_metrics.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "MockProviderProcess.h"
#include "ScriptedUpstream.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace gh::test;

namespace {

const QByteArray kKey = "gh-metrics-test-key-0123456789abcdefghij";

// One server-sent event.
struct Event
{
    QByteArray name;
    QJsonObject data;
};

// A raw GET /events reader: keeps the stream and parses events as they come.
class EventStream
{
public:
    bool open(const QString &adminUrl, const QByteArray &token, int receiveBuffer = 0)
    {
        const QUrl url(adminUrl);
        if (receiveBuffer > 0)
            m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, receiveBuffer);
        m_socket.connectToHost(url.host(), quint16(url.port()));
        if (!m_socket.waitForConnected(5000))
            return false;
        QByteArray request = "GET /events HTTP/1.1\r\nHost: " + url.authority().toUtf8() + "\r\n";
        if (!token.isEmpty())
            request += "Authorization: Bearer " + token + "\r\n";
        request += "\r\n";
        m_socket.write(request);
        return m_socket.waitForBytesWritten(5000);
    }

    // Reads until the head arrived; the status code (0 on timeout).
    int status(int timeoutMs = 5000)
    {
        QElapsedTimer t;
        t.start();
        while (!m_buffer.contains("\r\n\r\n") && t.elapsed() < timeoutMs) {
            if (m_socket.waitForReadyRead(100))
                m_buffer += m_socket.readAll();
        }
        const int end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return 0;
        m_head = m_buffer.left(end);
        m_buffer.remove(0, end + 4);
        return m_head.mid(9, 3).toInt();
    }
    QByteArray head() const { return m_head; }

    // Waits (bounded) until an event satisfying `want` arrived; everything before it is kept.
    std::optional<Event> waitFor(const std::function<bool(const Event &)> &want, int timeoutMs = 10000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            // Data may have come in while another client ran an event loop.
            m_buffer += m_socket.readAll();
            parse();
            for (int i = 0; i < m_events.size(); ++i) {
                if (want(m_events[i]))
                    return m_events.takeAt(i);
            }
            if (m_socket.state() != QAbstractSocket::ConnectedState && !m_socket.bytesAvailable())
                return std::nullopt;
            if (m_socket.waitForReadyRead(100))
                m_buffer += m_socket.readAll();
        }
        return std::nullopt;
    }

    bool waitForClose(int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (m_socket.state() == QAbstractSocket::ConnectedState && t.elapsed() < timeoutMs) {
            if (m_socket.waitForReadyRead(100))
                m_buffer += m_socket.readAll();
        }
        return m_socket.state() != QAbstractSocket::ConnectedState;
    }
    QByteArray raw() const
    {
        QByteArray names;
        for (const Event &e : m_events)
            names += e.name + ' ';
        return "unread events: " + names + "; pending bytes: " + m_buffer;
    }

private:
    void parse()
    {
        // Chunked transfer: strip chunk size lines by looking only at SSE frames.
        QByteArray text = m_buffer;
        int pos = 0;
        while (true) {
            const int end = text.indexOf("\n\n", pos);
            if (end < 0)
                break;
            Event event;
            for (const QByteArray &line : text.mid(pos, end - pos).split('\n')) {
                if (line.startsWith("event: "))
                    event.name = line.mid(7).trimmed();
                else if (line.startsWith("data: "))
                    event.data = QJsonDocument::fromJson(line.mid(6)).object();
            }
            if (!event.name.isEmpty())
                m_events.append(event);
            pos = end + 2;
        }
        m_buffer = text.mid(pos);
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QByteArray m_head;
    QList<Event> m_events;
};

} // namespace

class TestMetricsEvents : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    MockProviderProcess m_mock;
    std::unique_ptr<ScriptedUpstream> m_upstream;
    std::unique_ptr<DaemonProcess> m_daemon;

    HttpResult admin(const QByteArray &method, const QString &path, const QByteArray &body = {},
                     bool withToken = true)
    {
        QList<std::pair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        if (withToken)
            headers.append({"Authorization", "Bearer " + m_daemon->adminToken().toUtf8()});
        return HttpClient::request(method, m_daemon->adminUrl() + path, body, headers);
    }

    HttpResult chat(const QByteArray &model)
    {
        return HttpClient::request("POST", m_daemon->gatewayUrl() + "/v1/chat/completions",
                                   R"({"model":")" + model + R"(","messages":[{"role":"user","content":"count me"}]})",
                                   {{"Authorization", "Bearer " + kKey}, {"Content-Type", "application/json"}});
    }

    // The value of the first sample whose line starts with `series` (name and labels).
    static double sampleValue(const QByteArray &text, const QByteArray &series)
    {
        for (const QByteArray &line : text.split('\n')) {
            if (line.startsWith(series + ' '))
                return line.mid(series.size() + 1).toDouble();
        }
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!MockProviderProcess::isAvailable())
            QSKIP("needs Node.js for the mock providers");
        QVERIFY2(m_mock.start(), qPrintable(m_mock.errorString()));
        m_upstream = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            return UpstreamReply::respond(r.target.contains("missing") ? 404 : 200, "ok\n",
                                          {{"Cache-Control", "max-age=60"}});
        });
        QVERIFY(m_upstream->start());
        qputenv("GH_METRICS_OPENAI", "test-key-openai");
        qputenv("GH_METRICS_KEY", kKey);
        QFile config(m_tmp.filePath(QStringLiteral("metrics.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral(
                         "providers:\n"
                         "  - {name: oa, type: openai, base_url: \"%1/openai/v1\", api_key: \"${env:GH_METRICS_OPENAI}\"}\n"
                         "models:\n"
                         "  - {name: fast, targets: [{provider: oa, model: mock-model}]}\n"
                         "prices:\n"
                         "  - {provider: oa, model: mock-model, input: 10000, output: 10000}\n"
                         "consumers:\n"
                         "  - {name: me, keys: [\"${env:GH_METRICS_KEY}\"], budget: {usd: 0.05, period: day}}\n"
                         "services:\n"
                         "  - {name: origin, targets: [{url: \"%2\"}]}\n"
                         "routes:\n"
                         "  - {name: cached, match: {paths: [/c]}, service: origin, auth: none, cache: {ttl_s: 60}}\n"
                         "  - {name: plain, match: {paths: [/p]}, service: origin, auth: none}\n"
                         "settings:\n"
                         "  cache: {max_mb: 8}\n")
                         .arg(m_mock.baseUrl(), m_upstream->url())
                         .toUtf8());
        config.close();
        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start({QStringLiteral("--config"), config.fileName(), QStringLiteral("--workers"),
                                  QStringLiteral("2")}),
                 m_daemon->standardError().constData());
    }

    void cleanupTestCase()
    {
        if (m_daemon && m_daemon->process().state() == QProcess::Running)
            QCOMPARE(m_daemon->terminate(), 0);
    }

    void eventsStreamLiveTraffic()
    {
        EventStream stream;
        QVERIFY(stream.open(m_daemon->adminUrl(), m_daemon->adminToken().toUtf8()));
        QCOMPARE(stream.status(), 200);
        QVERIFY(stream.head().toLower().contains("content-type: text/event-stream"));
        QVERIFY(stream.waitFor([](const Event &e) { return e.name == "hello"; }));

        // A route call, a miss: each a `request` event with the /logs row.
        QCOMPARE(HttpClient::request("GET", m_daemon->gatewayUrl() + "/p/events-1").status, 200);
        auto request = stream.waitFor([](const Event &e) {
            return e.name == "request" && e.data.value("path").toString() == QLatin1String("/p/events-1");
        });
        QVERIFY(request);
        QCOMPARE(request->data.value("status").toInt(), 200);
        QCOMPARE(request->data.value("route").toString(), QStringLiteral("plain"));
        QVERIFY(request->data.value("id").toInteger() > 0); // the row's id, as /logs has it
        QCOMPARE(HttpClient::request("GET", m_daemon->gatewayUrl() + "/nowhere").status, 404);
        QVERIFY(stream.waitFor([](const Event &e) {
            return e.name == "request" && e.data.value("status").toInt() == 404;
        }));

        // An AI call that passes 80 % of the consumer's budget: its request event, then budget.
        QCOMPARE(chat("fast").status, 200);
        auto ai = stream.waitFor([](const Event &e) { return e.name == "request" && e.data.value("provider").toString() == QLatin1String("oa"); });
        QVERIFY(ai);
        QVERIFY(ai->data.value("cost_usd").toDouble() > 0.04);
        auto budget = stream.waitFor([](const Event &e) { return e.name == "budget"; });
        QVERIFY2(budget, stream.raw().constData());
        QCOMPARE(budget->data.value("scope").toString(), QStringLiteral("consumer"));
        QCOMPARE(budget->data.value("name").toString(), QStringLiteral("me"));
        QCOMPARE(budget->data.value("budget_usd").toDouble(), 0.05);
        QCOMPARE(budget->data.value("period").toString(), QStringLiteral("day"));
        QVERIFY(budget->data.value("spent_usd").toDouble() >= 0.04);

        // A config change.
        QCOMPARE(admin("PUT", QStringLiteral("/routes/extra"),
                       R"({"name": "extra", "match": {"paths": ["/extra"]}, "service": "origin", "auth": "none"})")
                     .status,
                 201);
        auto config = stream.waitFor([](const Event &e) { return e.name == "config"; });
        QVERIFY2(config, stream.raw().constData());
        QVERIFY(config->data.value("generation").toInt() > 0);
    }

    // A client that stops reading costs the gateway at most its high-water mark: events
    // beyond it are counted, not queued, and a `dropped` event says how many once the
    // client reads again; the stream then goes on.
    void slowReaderSkipsInsteadOfBuffering()
    {
        EventStream stream;
        QVERIFY(stream.open(m_daemon->adminUrl(), m_daemon->adminToken().toUtf8(), 4096));
        QCOMPARE(stream.status(), 200);
        // Without reading: ~6 MB of request events (4 KiB paths), far beyond the buffers.
        const QString longPath = QStringLiteral("/nowhere/") + QString(4000, QLatin1Char('x'));
        for (int i = 0; i < 1500; ++i)
            QCOMPARE(HttpClient::request("GET", m_daemon->gatewayUrl() + longPath).status, 404);
        QTest::qWait(600); // the log's next batch
        auto dropped = stream.waitFor([](const Event &e) { return e.name == "dropped"; }, 15000);
        QVERIFY2(dropped, stream.raw().left(300).constData());
        QVERIFY(dropped->data.value("missed").toInt() > 0);
        // Caught up: new events arrive again.
        QCOMPARE(HttpClient::request("GET", m_daemon->gatewayUrl() + "/p/after-drop").status, 200);
        QVERIFY(stream.waitFor([](const Event &e) {
            return e.name == "request" && e.data.value("path").toString() == QLatin1String("/p/after-drop");
        }));
    }

    void eventsRefusals()
    {
        EventStream noToken;
        QVERIFY(noToken.open(m_daemon->adminUrl(), {}));
        QCOMPARE(noToken.status(), 401);
        EventStream wrongToken;
        QVERIFY(wrongToken.open(m_daemon->adminUrl(), "not-the-token"));
        QCOMPARE(wrongToken.status(), 401);
        const HttpResult post = admin("POST", QStringLiteral("/events"), "{}");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.header("allow"), QByteArray("GET"));
    }

    void metricsCountTheMix()
    {
        const QByteArray before = admin("GET", QStringLiteral("/metrics")).body;
        const double routeOkBefore = qMax(0.0, sampleValue(before, R"(gatehouse_requests_total{route="plain",prompt_api="",model="",status="200"})"));
        // A known mix: 5 plain 200s, 2 plain 404s, cached route 1 miss + 3 hits, 1 AI call.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(HttpClient::request("GET", m_daemon->gatewayUrl() + "/p/ok").status, 200);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(HttpClient::request("GET", m_daemon->gatewayUrl() + "/p/missing").status, 404);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(HttpClient::request("GET", m_daemon->gatewayUrl() + "/c/metrics").status, 200);
        QVERIFY(chat("fast").status == 200 || chat("fast").status == 429); // budget may be spent

        // Counters are updated when the exchange ends: poll (bounded) for the last one.
        QByteArray text;
        QElapsedTimer waited;
        waited.start();
        do {
            const HttpResult r = HttpClient::request("GET", m_daemon->adminUrl() + "/metrics"); // no token: loopback
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("content-type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
            text = r.body;
        } while (sampleValue(text, R"(gatehouse_requests_total{route="cached",prompt_api="",model="",status="200"})") < 4 &&
                 waited.elapsed() < 5000 && (QTest::qWait(50), true));

        QCOMPARE(sampleValue(text, R"(gatehouse_requests_total{route="plain",prompt_api="",model="",status="200"})"),
                 routeOkBefore + 5);
        QCOMPARE(sampleValue(text, R"(gatehouse_requests_total{route="plain",prompt_api="",model="",status="404"})"), 2.0);
        QCOMPARE(sampleValue(text, R"(gatehouse_requests_total{route="cached",prompt_api="",model="",status="200"})"), 4.0);
        QCOMPARE(sampleValue(text, R"(gatehouse_cache_requests_total{cache="route",result="miss"})"), 1.0);
        QCOMPARE(sampleValue(text, R"(gatehouse_cache_requests_total{cache="route",result="hit"})"), 3.0);
        QCOMPARE(sampleValue(text, R"(gatehouse_request_duration_seconds_count{route="cached",model=""})"), 4.0);
        QCOMPARE(sampleValue(text, R"(gatehouse_request_duration_seconds_bucket{route="cached",model="",le="+Inf"})"), 4.0);
        QVERIFY(sampleValue(text, R"(gatehouse_tokens_total{provider="oa",model="mock-model",consumer="me",direction="in"})") > 0);
        QVERIFY(sampleValue(text, R"(gatehouse_cost_usd_total{provider="oa",model="mock-model",consumer="me"})") > 0.04);
        QCOMPARE(sampleValue(text, R"(gatehouse_upstream_up{service="origin",target=")" + m_upstream->url().toUtf8() + R"("})"), 1.0);
        QVERIFY(sampleValue(text, "gatehouse_open_connections") >= 0);
        QVERIFY(sampleValue(text, "gatehouse_log_records_written_total") > 0);
        QCOMPARE(sampleValue(text, "gatehouse_log_records_dropped_total"), 0.0);
        QVERIFY(sampleValue(text, "process_resident_memory_bytes") > 1e6);
        QVERIFY(text.contains("gatehouse_build_info{version=\""));
        // Health checks are not traffic.
        QCOMPARE(HttpClient::request("GET", m_daemon->gatewayUrl() + "/_gatehouse/health").status, 200);
        QVERIFY(!admin("GET", QStringLiteral("/metrics")).body.contains("_gatehouse"));
    }

    void metricsRefusals()
    {
        const HttpResult post = HttpClient::request("POST", m_daemon->adminUrl() + "/metrics", "x");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.header("allow"), QByteArray("GET, HEAD"));
        // With a token it works too (what a remote scrape with --allow-remote-admin sends).
        QCOMPARE(admin("GET", QStringLiteral("/metrics")).status, 200);
    }

    // Last: it stops the daemon.
    void stopEndsOpenStreams()
    {
        EventStream stream;
        QVERIFY(stream.open(m_daemon->adminUrl(), m_daemon->adminToken().toUtf8()));
        QCOMPARE(stream.status(), 200);
        QElapsedTimer t;
        t.start();
        QCOMPARE(m_daemon->terminate(), 0);
        // The stream ended with the daemon, well before the 10 s drain timeout.
        QVERIFY(t.elapsed() < 8000);
        QVERIFY(stream.waitForClose(2000));
    }
};

QTEST_GUILESS_MAIN(TestMetricsEvents)
#include "tst_metricsevents.moc"
