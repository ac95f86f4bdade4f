// Rate limits (docs/policies.md, Rate limits) end to end: a real gatehoused with two
// workers in front of scripted upstreams. Accuracy under parallel load across workers,
// burst, per-second and per-minute limits with their exact headers, concurrent requests
// with a hanging upstream, consumer limits independent of route limits, and AI tokens per
// minute charged from the provider's usage, refused in the caller's dialect.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "RawHttp.h"
#include "ScriptedUpstream.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace gh::test;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

const QByteArray kAliceKey = "gh-ratelimit-alice-0123456789ab";
const QByteArray kBobKey = "gh-ratelimit-bob-0123456789abcd";
const QByteArray kAiKey = "gh-ratelimit-ai-0123456789abcde";

Headers bearer(const QByteArray &key)
{
    return {{"Authorization", "Bearer " + key}};
}

QJsonObject errorOf(const HttpResult &r)
{
    return r.json().object().value(QLatin1String("error")).toObject();
}

QJsonObject routeError(const QString &message)
{
    return {{QStringLiteral("message"), message},
            {QStringLiteral("type"), QStringLiteral("rate_limit_error")},
            {QStringLiteral("code"), QStringLiteral("rate_limit_exceeded")}};
}

// An OpenAI chat completion using 150 tokens (100 in, 50 out).
QByteArray completion()
{
    const QJsonObject body{
        {"id", "chatcmpl-rl"},
        {"object", "chat.completion"},
        {"created", 1700000000},
        {"model", "gpt-4o-mini"},
        {"choices",
         QJsonArray{QJsonObject{{"index", 0},
                                {"message", QJsonObject{{"role", "assistant"}, {"content", "Hi"}}},
                                {"finish_reason", "stop"}}}},
        {"usage",
         QJsonObject{{"prompt_tokens", 100}, {"completion_tokens", 50}, {"total_tokens", 150}}}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray chatRequest()
{
    return QByteArrayLiteral(
        "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
}

QByteArray messagesRequest()
{
    return QByteArrayLiteral("{\"model\":\"gpt\",\"max_tokens\":16,\"messages\":[{\"role\":"
                             "\"user\",\"content\":\"hello\"}]}");
}

bool hasRateHeaders(const HttpResult &r)
{
    for (const auto &[name, value] : r.headers) {
        if (name.toLower().startsWith("x-ratelimit-"))
            return true;
    }
    return false;
}

} // namespace

class TestRateLimit : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<ScriptedUpstream> m_echo;
    std::unique_ptr<ScriptedUpstream> m_slow;   // answers after 1.5 s
    std::unique_ptr<ScriptedUpstream> m_openAi; // an OpenAI-dialect provider
    std::unique_ptr<DaemonProcess> m_daemon;

    HttpResult call(const QByteArray &method, const QString &path, const Headers &headers = {},
                    const QByteArray &body = {})
    {
        return HttpClient::request(method, m_daemon->gatewayUrl() + path, body, headers);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_echo = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            return UpstreamReply::respond(200, "ok " + r.target);
        });
        m_slow = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            UpstreamReply reply = UpstreamReply::respond(200, "slow");
            reply.delayMs = 1500;
            return reply;
        });
        m_openAi = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            return UpstreamReply::respond(200, completion(),
                                          {{"content-type", "application/json"}});
        });
        for (ScriptedUpstream *upstream : {m_echo.get(), m_slow.get(), m_openAi.get()}) {
            upstream->setHashBodies(false);
            QVERIFY(upstream->start());
        }

        QString yaml = QStringLiteral(
            "providers:\n"
            "  - {name: oa, type: openai-compatible, base_url: \"%OPENAI%/v1\"}\n"
            "models:\n"
            "  - {name: gpt, targets: [{provider: oa, model: gpt-4o-mini}]}\n"
            "consumers:\n"
            "  - {name: alice, keys: [\"%ALICE%\"], rate_limit: {requests_per_minute: 3}}\n"
            "  - {name: bob, keys: [\"%BOB%\"]}\n"
            "  - {name: ai, keys: [\"%AI%\"], rate_limit: {tokens_per_minute: 200}}\n"
            "services:\n"
            "  - {name: echo, targets: [{url: \"%ECHO%\"}]}\n"
            "  - {name: slow, targets: [{url: \"%SLOW%\"}], timeout_ms: 10000}\n"
            "routes:\n"
            "  - {name: steady, match: {paths: [/steady]}, service: echo, auth: none,\n"
            "     rate_limit: {requests_per_second: 100, burst: 10}}\n"
            "  - {name: burst, match: {paths: [/burst]}, service: echo, auth: none,\n"
            "     rate_limit: {requests_per_second: 1, burst: 5}}\n"
            "  - {name: minute, match: {paths: [/minute]}, service: echo, auth: none,\n"
            "     rate_limit: {requests_per_minute: 2}}\n"
            "  - {name: keyed, match: {paths: [/keyed]}, service: echo, auth: key,\n"
            "     rate_limit: {requests_per_minute: 5}}\n"
            "  - {name: other, match: {paths: [/other]}, service: echo, auth: key}\n"
            "  - {name: hanging, match: {paths: [/hanging]}, service: slow, auth: none,\n"
            "     rate_limit: {concurrent: 2}}\n");
        yaml.replace(QStringLiteral("%ECHO%"), m_echo->url())
            .replace(QStringLiteral("%SLOW%"), m_slow->url())
            .replace(QStringLiteral("%OPENAI%"), m_openAi->url())
            .replace(QStringLiteral("%ALICE%"), QString::fromLatin1(kAliceKey))
            .replace(QStringLiteral("%BOB%"), QString::fromLatin1(kBobKey))
            .replace(QStringLiteral("%AI%"), QString::fromLatin1(kAiKey));
        QFile config(m_tmp.filePath(QStringLiteral("ratelimit.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(yaml.toUtf8());
        config.close();
        m_daemon = std::make_unique<DaemonProcess>();
        // DaemonProcess starts gatehoused with --workers 2: limits must hold across both.
        QVERIFY2(m_daemon->start({QStringLiteral("--config"), config.fileName()}),
                 m_daemon->standardError().constData());
    }

    void accuracyAcrossWorkers()
    {
        // 100 req/s, burst 10, offered ~250 req/s for 5 s over 5 keep-alive connections
        // (spread over both workers): what passes must be burst + 100/s × elapsed.
        constexpr int Connections = 5;
        constexpr qint64 DurationMs = 5000;
        const QString url = m_daemon->gatewayUrl();
        std::atomic<int> ok{0};
        std::atomic<int> limited{0};
        std::atomic<int> other{0};
        QElapsedTimer clock;
        clock.start();
        std::vector<std::unique_ptr<QThread>> threads;
        for (int c = 0; c < Connections; ++c) {
            threads.emplace_back(QThread::create([&] {
                RawConnection connection;
                if (!connection.connectTo(url)) {
                    ++other;
                    return;
                }
                const QByteArray request = rawRequest("GET", "/steady", "127.0.0.1");
                QElapsedTimer paced;
                paced.start();
                for (qint64 n = 0; clock.elapsed() < DurationMs; ++n) {
                    if (!connection.send(request)) {
                        ++other;
                        return;
                    }
                    bool complete = false;
                    const RawResponse response = connection.read(5000, false, &complete);
                    if (!complete)
                        ++other;
                    else if (response.status == 200)
                        ++ok;
                    else if (response.status == 429)
                        ++limited;
                    else
                        ++other;
                    // ~50 req/s per connection.
                    const qint64 due = (n + 1) * 20;
                    if (paced.elapsed() < due)
                        QThread::msleep(quint64(due - paced.elapsed()));
                }
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(30000));
        const double seconds = double(clock.elapsed()) / 1000.0;
        const double expected = 10 + 100 * seconds;
        qInfo("steady: %d passed, %d limited in %.2f s (expected %.0f passed)", ok.load(),
              limited.load(), seconds, expected);
        QCOMPARE(other.load(), 0);
        QVERIFY2(limited.load() > ok.load() / 2, "the offered load must exceed the limit");
        QVERIFY2(qAbs(ok.load() - expected) <= 0.1 * 100 * seconds,
                 qPrintable(
                     QStringLiteral("%1 passed, expected %2 ± 10 %").arg(ok.load()).arg(expected)));
    }

    void burstAllowance()
    {
        // 1 request per second with burst 5: five at once pass, the sixth waits a second.
        for (int i = 0; i < 5; ++i) {
            const HttpResult r = call("GET", QStringLiteral("/burst"));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("x-ratelimit-limit-requests"), QByteArray("5"));
            QCOMPARE(r.header("x-ratelimit-remaining-requests"), QByteArray::number(4 - i));
        }
        const HttpResult refused = call("GET", QStringLiteral("/burst"));
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.header("retry-after"), QByteArray("1"));
        QCOMPARE(refused.header("x-ratelimit-limit-requests"), QByteArray("5"));
        QCOMPARE(refused.header("x-ratelimit-remaining-requests"), QByteArray("0"));
        QCOMPARE(errorOf(refused),
                 routeError(QStringLiteral(
                     "rate limit reached for route burst: 1 requests per second (burst 5)")));
        QTest::qWait(1100);
        QCOMPARE(call("GET", QStringLiteral("/burst")).status, 200);
    }

    void headersExact()
    {
        const int before = m_echo->requests();
        const HttpResult first = call("GET", QStringLiteral("/minute"));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, QByteArray("ok /minute")); // the upstream's answer
        QCOMPARE(first.header("x-ratelimit-limit-requests"), QByteArray("2"));
        QCOMPARE(first.header("x-ratelimit-remaining-requests"), QByteArray("1"));
        QCOMPARE(first.header("x-ratelimit-reset-requests"), QByteArray("30s"));
        QVERIFY(first.header("retry-after").isNull());
        QVERIFY(first.header("x-ratelimit-limit-tokens").isNull());

        const HttpResult second = call("GET", QStringLiteral("/minute"));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.header("x-ratelimit-remaining-requests"), QByteArray("0"));
        // 60 s minus the time between the two requests, to the millisecond.
        const QRegularExpression nearlyMinute(QStringLiteral("^(59\\.\\d{1,3}s|1m0s)$"));
        QVERIFY2(
            nearlyMinute.match(QString::fromLatin1(second.header("x-ratelimit-reset-requests")))
                .hasMatch(),
            second.header("x-ratelimit-reset-requests").constData());

        const HttpResult refused = call("GET", QStringLiteral("/minute"));
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.header("content-type"), QByteArray("application/json"));
        QCOMPARE(refused.header("retry-after"), QByteArray("30"));
        QCOMPARE(refused.header("x-ratelimit-limit-requests"), QByteArray("2"));
        QCOMPARE(refused.header("x-ratelimit-remaining-requests"), QByteArray("0"));
        QVERIFY(
            nearlyMinute.match(QString::fromLatin1(refused.header("x-ratelimit-reset-requests")))
                .hasMatch());
        QVERIFY(!refused.header("x-gatehouse-request-id").isEmpty());
        QCOMPARE(errorOf(refused),
                 routeError(
                     QStringLiteral("rate limit reached for route minute: 2 requests per minute")));
        QCOMPARE(m_echo->requests(), before + 2); // the refused one never left the gateway
    }

    void consumerAndRouteLimitsAreIndependent()
    {
        // alice: 3 per minute of her own; route keyed: 5 per minute for everyone.
        for (int i = 0; i < 3; ++i) {
            const HttpResult r = call("GET", QStringLiteral("/keyed"), bearer(kAliceKey));
            QCOMPARE(r.status, 200);
            // The tighter of the two limits is the one described.
            QCOMPARE(r.header("x-ratelimit-limit-requests"), QByteArray("3"));
            QCOMPARE(r.header("x-ratelimit-remaining-requests"), QByteArray::number(2 - i));
        }
        const HttpResult alice = call("GET", QStringLiteral("/keyed"), bearer(kAliceKey));
        QCOMPARE(alice.status, 429);
        QCOMPARE(alice.header("retry-after"), QByteArray("20"));
        QCOMPARE(errorOf(alice),
                 routeError(QStringLiteral(
                     "rate limit reached for consumer alice: 3 requests per minute")));
        // alice's limit follows her to other routes; bob has none of his own.
        QCOMPARE(call("GET", QStringLiteral("/other"), bearer(kAliceKey)).status, 429);
        const HttpResult bobOther = call("GET", QStringLiteral("/other"), bearer(kBobKey));
        QCOMPARE(bobOther.status, 200);
        QVERIFY(!hasRateHeaders(bobOther));

        // The route has counted alice's 3 admitted requests (not the refused one): 2 left.
        for (int i = 0; i < 2; ++i) {
            const HttpResult r = call("GET", QStringLiteral("/keyed"), bearer(kBobKey));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("x-ratelimit-limit-requests"), QByteArray("5"));
            QCOMPARE(r.header("x-ratelimit-remaining-requests"), QByteArray::number(1 - i));
        }
        const HttpResult bob = call("GET", QStringLiteral("/keyed"), bearer(kBobKey));
        QCOMPARE(bob.status, 429);
        QCOMPARE(errorOf(bob), routeError(QStringLiteral(
                                   "rate limit reached for route keyed: 5 requests per minute")));
        QCOMPARE(bob.header("retry-after"), QByteArray("12"));
    }

    void concurrentLimitWithHangingUpstream()
    {
        const QString url = m_daemon->gatewayUrl();
        const int before = m_slow->requests();
        RawConnection first;
        RawConnection second;
        QVERIFY(first.connectTo(url));
        QVERIFY(second.connectTo(url));
        const QByteArray request = rawRequest("GET", "/hanging", "127.0.0.1");
        QVERIFY(first.send(request));
        QVERIFY(second.send(request));
        QVERIFY(ScriptedUpstream::waitFor([&] { return m_slow->requests() == before + 2; }, 5000));

        QElapsedTimer quick;
        quick.start();
        const HttpResult refused = call("GET", QStringLiteral("/hanging"));
        QCOMPARE(refused.status, 429);
        QVERIFY(quick.elapsed() < 1000); // answered at once, not after the upstream
        QCOMPARE(refused.header("retry-after"), QByteArray("1"));
        QVERIFY(!hasRateHeaders(refused)); // no request rate on this route
        QCOMPARE(errorOf(refused),
                 routeError(QStringLiteral(
                     "concurrency limit reached for route hanging: 2 requests at once")));
        QCOMPARE(m_slow->requests(), before + 2);

        bool complete = false;
        QCOMPARE(first.read(5000, false, &complete).status, 200);
        QVERIFY(complete);
        QCOMPARE(second.read(5000, false, &complete).status, 200);
        QVERIFY(complete);
        // Slots are back once the responses are out.
        QTest::qWait(50);
        QCOMPARE(call("GET", QStringLiteral("/hanging")).status, 200);
    }

    void tokensPerMinuteOnAiEndpoint()
    {
        // 200 tokens per minute, 150 per answer: the first answer leaves 50, the second
        // is let in (not empty) and leaves a debt of 100, the third is refused.
        const int before = m_openAi->requests();
        const HttpResult first =
            call("POST", QStringLiteral("/v1/chat/completions"),
                 bearer(kAiKey) + Headers{{"Content-Type", "application/json"}}, chatRequest());
        QCOMPARE(first.status, 200);
        QCOMPARE(first.header("x-ratelimit-limit-tokens"), QByteArray("200"));
        QCOMPARE(first.header("x-ratelimit-remaining-tokens"), QByteArray("50"));
        const QRegularExpression refill(QStringLiteral("^(45s|44\\.\\d{1,3}s)$"));
        QVERIFY2(
            refill.match(QString::fromLatin1(first.header("x-ratelimit-reset-tokens"))).hasMatch(),
            first.header("x-ratelimit-reset-tokens").constData());
        QVERIFY(first.header("x-ratelimit-limit-requests").isNull()); // no request limit

        const HttpResult second =
            call("POST", QStringLiteral("/v1/chat/completions"),
                 bearer(kAiKey) + Headers{{"Content-Type", "application/json"}}, chatRequest());
        QCOMPARE(second.status, 200);
        QCOMPARE(second.header("x-ratelimit-remaining-tokens"), QByteArray("0"));

        const HttpResult refused =
            call("POST", QStringLiteral("/v1/chat/completions"),
                 bearer(kAiKey) + Headers{{"Content-Type", "application/json"}}, chatRequest());
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.header("retry-after"), QByteArray("30"));
        QCOMPARE(refused.header("x-ratelimit-limit-tokens"), QByteArray("200"));
        QCOMPARE(refused.header("x-ratelimit-remaining-tokens"), QByteArray("0"));
        const QJsonObject error = errorOf(refused);
        QCOMPARE(error.value("message").toString(),
                 QStringLiteral("token rate limit reached for consumer ai: 200 tokens per minute"));
        QCOMPARE(error.value("type").toString(), QStringLiteral("rate_limit_error"));
        QCOMPARE(error.value("code").toString(), QStringLiteral("rate_limit_exceeded"));
        QCOMPARE(m_openAi->requests(), before + 2);

        // The Anthropic dialect gets its own error shape.
        const HttpResult anthropic = call("POST", QStringLiteral("/v1/messages"),
                                          Headers{{"x-api-key", kAiKey},
                                                  {"anthropic-version", "2023-06-01"},
                                                  {"Content-Type", "application/json"}},
                                          messagesRequest());
        QCOMPARE(anthropic.status, 429);
        QCOMPARE(anthropic.header("retry-after"), QByteArray("30"));
        const QJsonObject body = anthropic.json().object();
        QCOMPARE(body.value("type").toString(), QStringLiteral("error"));
        QCOMPARE(body.value("error").toObject().value("type").toString(),
                 QStringLiteral("rate_limit_error"));
        QCOMPARE(body.value("error").toObject().value("message").toString(),
                 QStringLiteral("token rate limit reached for consumer ai: 200 tokens per minute"));
        QCOMPARE(m_openAi->requests(), before + 2);

        // Another consumer is not limited by ai's tokens.
        const HttpResult bob =
            call("POST", QStringLiteral("/v1/chat/completions"),
                 bearer(kBobKey) + Headers{{"Content-Type", "application/json"}}, chatRequest());
        QCOMPARE(bob.status, 200);
        QVERIFY(!hasRateHeaders(bob));
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRateLimit)
#include "tst_ratelimit.moc"
