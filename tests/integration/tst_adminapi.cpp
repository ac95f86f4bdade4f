// JSON bodies write "//" as "\/\/": moc reads raw strings as comments otherwise.
// The admin API of SPEC §5 over real loopback HTTP against a gatehoused child process.
#include "DaemonProcess.h"
#include "HttpClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace gh::test;

class TestAdminApi : public QObject
{
    Q_OBJECT

private:
    HttpResult call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                    const QByteArray &contentType = "application/json")
    {
        QList<std::pair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + m_daemon->adminToken().toUtf8()}};
        if (!body.isEmpty())
            headers.append({"Content-Type", contentType});
        return HttpClient::request(method, m_daemon->adminUrl() + path, body, headers);
    }

    static QJsonArray problems(const HttpResult &r)
    {
        return r.json()[QStringLiteral("error")][QStringLiteral("problems")].toArray();
    }

    static QString firstProblem(const HttpResult &r)
    {
        const QJsonObject p = problems(r).first().toObject();
        return p[QStringLiteral("path")].toString() + QStringLiteral(": ") + p[QStringLiteral("message")].toString();
    }

    std::unique_ptr<DaemonProcess> m_daemon;

private Q_SLOTS:
    void init()
    {
        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start(), m_daemon->standardError().constData());
    }

    void cleanup() { QCOMPARE(m_daemon->terminate(), 0); }

    void tokenIsRequired()
    {
        const HttpResult none = HttpClient::request("GET", m_daemon->adminUrl() + QStringLiteral("/routes"));
        QCOMPARE(none.status, 401);
        QVERIFY(none.header("WWW-Authenticate").startsWith("Bearer"));
        QCOMPARE(none.json()[QStringLiteral("error")][QStringLiteral("type")].toString(), QStringLiteral("authentication_error"));
        const HttpResult wrong = HttpClient::request("GET", m_daemon->adminUrl() + QStringLiteral("/routes"), {},
                                                     {{"Authorization", "Bearer nope"}});
        QCOMPARE(wrong.status, 401);
        QCOMPARE(HttpClient::request("GET", m_daemon->adminUrl() + QStringLiteral("/health")).status, 200);
        QCOMPARE(call("GET", QStringLiteral("/routes")).status, 200);
    }

    void crudRoundTrip()
    {
        HttpResult r = call("PUT", QStringLiteral("/services/billing"),
                            R"({"targets": [{"url": "http:\/\/127.0.0.1:9000"}], "health_check": {"path": "/health", "interval_ms": 5000}})");
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json()[QStringLiteral("name")].toString(), QStringLiteral("billing"));
        // Normalized with its defaults.
        QCOMPARE(r.json()[QStringLiteral("balance")].toString(), QStringLiteral("round-robin"));

        r = call("PUT", QStringLiteral("/routes/billing-api"),
                 R"({"match": {"paths": ["/billing"], "methods": ["GET", "POST"]}, "service": "billing", "strip_path": true})");
        QCOMPARE(r.status, 201);
        r = call("GET", QStringLiteral("/routes/billing-api"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("service")].toString(), QStringLiteral("billing"));
        QCOMPARE(r.json()[QStringLiteral("auth")].toString(), QStringLiteral("key"));
        QCOMPARE(r.json()[QStringLiteral("state")].toString(), QStringLiteral("published"));

        r = call("PUT", QStringLiteral("/routes/billing-api"),
                 R"({"name": "billing-api", "match": {"paths": ["/billing"]}, "service": "billing", "state": "deprecated", "sunset": "2027-06-30"})");
        QCOMPARE(r.status, 200);
        r = call("GET", QStringLiteral("/routes"));
        QCOMPARE(r.json()[QStringLiteral("data")].toArray().size(), 1);
        QCOMPARE(r.json()[QStringLiteral("data")][0][QStringLiteral("state")].toString(), QStringLiteral("deprecated"));

        // A service still used by a route cannot be deleted.
        r = call("DELETE", QStringLiteral("/services/billing"));
        QCOMPARE(r.status, 409);
        QVERIFY2(firstProblem(r).contains(QStringLiteral("unknown service \"billing\"")), qPrintable(firstProblem(r)));

        QCOMPARE(call("DELETE", QStringLiteral("/routes/billing-api")).status, 204);
        QCOMPARE(call("DELETE", QStringLiteral("/services/billing")).status, 204);
        QCOMPARE(call("GET", QStringLiteral("/services/billing")).status, 404);
        QCOMPARE(call("DELETE", QStringLiteral("/services/billing")).status, 404);
    }

    void validationErrorsNameTheField()
    {
        HttpResult r = call("PUT", QStringLiteral("/routes/r1"), R"({"match": {"paths": ["/x"]}, "service": "billng"})");
        QCOMPARE(r.status, 400);
        QCOMPARE(firstProblem(r), QStringLiteral("service: unknown service \"billng\""));
        QCOMPARE(r.json()[QStringLiteral("error")][QStringLiteral("code")].toString(), QStringLiteral("invalid_config"));

        r = call("PUT", QStringLiteral("/providers/p"), R"({"type": "openai", "colour": "red"})");
        QCOMPARE(r.status, 400);
        QCOMPARE(firstProblem(r), QStringLiteral("colour: unknown key"));

        r = call("PUT", QStringLiteral("/providers/p"), R"({"name": "q", "type": "openai"})");
        QCOMPARE(r.status, 400);
        QCOMPARE(firstProblem(r), QStringLiteral("name: \"q\" does not match \"p\" in the path"));

        r = call("PUT", QStringLiteral("/providers/p"), R"({"type": "openai", "api_key": "sk-live-123"})");
        QCOMPARE(r.status, 400);
        QVERIFY2(firstProblem(r).startsWith(QStringLiteral("api_key: must be a ${env:NAME}")), qPrintable(firstProblem(r)));

        r = call("PUT", QStringLiteral("/providers/p"), R"({"type": )");
        QCOMPARE(r.status, 400);
        QVERIFY2(firstProblem(r).contains(QStringLiteral("JSON syntax error")), qPrintable(firstProblem(r)));

        r = call("PUT", QStringLiteral("/providers/p"), "[1,2]");
        QCOMPARE(r.status, 400);

        r = call("PUT", QStringLiteral("/providers/p"), {});
        QCOMPARE(r.status, 400);
        QCOMPARE(firstProblem(r), QStringLiteral(": request body is empty; expected a JSON object"));

        QCOMPARE(call("GET", QStringLiteral("/providers")).json()[QStringLiteral("data")].toArray().size(), 0);
        QCOMPARE(call("GET", QStringLiteral("/nothing-here")).status, 404);
        QCOMPARE(call("POST", QStringLiteral("/routes/x")).status, 405);
    }

    void everyCollectionAcceptsAnEntity()
    {
        QCOMPARE(call("PUT", QStringLiteral("/providers/openai"), R"({"type": "openai", "api_key": "${env:OPENAI_API_KEY}"})").status, 201);
        QCOMPARE(call("PUT", QStringLiteral("/providers/openrouter"), R"({"type": "openrouter", "api_key": "${env:OR_KEY}"})").status, 201);
        QCOMPARE(call("PUT", QStringLiteral("/models/fast"), R"({"targets": [{"provider": "openai", "model": "gpt-4o-mini"}]})").status, 201);
        // Price keys and model names may contain "/".
        HttpResult r = call("PUT", QStringLiteral("/prices/openrouter/anthropic/claude-3.5-sonnet"), R"({"input": 3, "output": 15})");
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json()[QStringLiteral("model")].toString(), QStringLiteral("anthropic/claude-3.5-sonnet"));
        QCOMPARE(call("GET", QStringLiteral("/prices/openrouter/anthropic/claude-3.5-sonnet")).status, 200);
        QCOMPARE(call("PUT", QStringLiteral("/consumers/me"), R"({"allow_models": ["*"]})").status, 201);
        QCOMPARE(call("PUT", QStringLiteral("/services/s"), R"({"targets": [{"url": "http:\/\/127.0.0.1:9000"}]})").status, 201);
        QCOMPARE(call("PUT", QStringLiteral("/routes/r"), R"({"match": {"paths": ["/r"]}, "service": "s"})").status, 201);
        QCOMPARE(call("PUT", QStringLiteral("/prompt-apis/sentiment"),
                      R"({"path": "/prompts/sentiment", "model": "fast", "template": "Classify: {{text}}", "inputs": {"text": {"type": "string", "required": true}}})")
                     .status,
                 201);
        const QJsonObject config = call("GET", QStringLiteral("/config")).json().object();
        for (const char *section : {"providers", "models", "prices", "consumers", "services", "routes", "prompt_apis"})
            QVERIFY2(config[QLatin1String(section)].toArray().size() >= 1, section);
        QCOMPARE(config[QStringLiteral("settings")][QStringLiteral("ai_auth")].toString(), QStringLiteral("key"));
    }

    void consumerKeysAreShownOnce()
    {
        QCOMPARE(call("PUT", QStringLiteral("/consumers/me"), R"({})").status, 201);
        const HttpResult created = call("POST", QStringLiteral("/consumers/me/keys"));
        QCOMPARE(created.status, 201);
        const QString key = created.json()[QStringLiteral("key")].toString();
        QVERIFY(key.startsWith(QStringLiteral("gh-")));
        QCOMPARE(key.size(), 46);
        const HttpResult consumer = call("GET", QStringLiteral("/consumers/me"));
        const QByteArray body = consumer.body;
        QVERIFY(!body.contains(key.toUtf8()));
        QCOMPARE(consumer.json()[QStringLiteral("keys")].toArray().size(), 1);
        QVERIFY(consumer.json()[QStringLiteral("keys")][0].toString().startsWith(QStringLiteral("sha256:")));
        QVERIFY(!call("GET", QStringLiteral("/config")).body.contains(key.toUtf8()));
        QCOMPARE(call("POST", QStringLiteral("/consumers/ghost/keys")).status, 404);
    }

    void putConfigAppliesYamlAndReportsEveryProblem()
    {
        HttpResult r = call("PUT", QStringLiteral("/config"),
                            "services:\n  - name: a\n    targets: [{url: http://127.0.0.1:1}]\n"
                            "routes:\n  - name: r\n    match: {paths: [/r]}\n    service: a\n",
                            "application/yaml");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("sections")].toArray().size(), 2);

        r = call("PUT", QStringLiteral("/config"),
                 "routes:\n  - name: r\n    match: {paths: [r]}\n    service: zzz\n    bogus: 1\n", "application/yaml");
        QCOMPARE(r.status, 400);
        QCOMPARE(problems(r).size(), 3);
        // Nothing was applied: the good route is still there.
        QCOMPARE(call("GET", QStringLiteral("/routes/r")).json()[QStringLiteral("service")].toString(), QStringLiteral("a"));

        // A section present replaces; absent sections are left alone.
        r = call("PUT", QStringLiteral("/config"), R"({"routes": []})");
        QCOMPARE(r.status, 200);
        QCOMPARE(call("GET", QStringLiteral("/routes")).json()[QStringLiteral("data")].toArray().size(), 0);
        QCOMPARE(call("GET", QStringLiteral("/services")).json()[QStringLiteral("data")].toArray().size(), 1);

        const HttpResult yaml = call("GET", QStringLiteral("/config?format=yaml"));
        QCOMPARE(yaml.status, 200);
        QVERIFY(yaml.header("Content-Type").startsWith("application/yaml"));
        QVERIFY(yaml.body.contains("services:"));
        // The export applies back cleanly.
        QCOMPARE(call("PUT", QStringLiteral("/config"), yaml.body, "application/yaml").status, 200);
    }

    void changesSurviveARestart()
    {
        QCOMPARE(call("PUT", QStringLiteral("/services/keep"), R"({"targets": [{"url": "http:\/\/127.0.0.1:9000", "weight": 3}]})").status, 201);
        const QString token = m_daemon->adminToken();
        QCOMPARE(m_daemon->terminate(), 0);
        QVERIFY(m_daemon->start());
        QCOMPARE(m_daemon->adminToken(), token);
        const HttpResult r = call("GET", QStringLiteral("/services/keep"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("targets")][0][QStringLiteral("weight")].toInt(), 3);
    }
};

QTEST_GUILESS_MAIN(TestAdminApi)
#include "tst_adminapi.moc"
