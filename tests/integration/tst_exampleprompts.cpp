// examples/prompt-apis.yaml as users copy it, served by a real gatehoused: only the
// providers' base URLs point at the mock providers (tests/mocks), everything else is the
// file itself. Each of its three prompt APIs is called the way its comment says.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "MockProviderProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace gh::test;

namespace {

const QByteArray kKey = "gh-example-prompts-0123456789abcdefghijk";

} // namespace

class TestExamplePrompts : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    MockProviderProcess m_mock;
    std::unique_ptr<DaemonProcess> m_daemon;

    HttpResult call(const QString &path, const QJsonObject &body,
                    QList<std::pair<QByteArray, QByteArray>> headers = {})
    {
        headers.append(std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + kKey));
        headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
        return HttpClient::request("POST", m_daemon->gatewayUrl() + path,
                                   QJsonDocument(body).toJson(QJsonDocument::Compact), headers, 15000);
    }

    QJsonObject lastUpstreamBody()
    {
        const QJsonArray seen = m_mock.requests();
        return seen.isEmpty() ? QJsonObject() : seen.last().toObject().value("body").toObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!MockProviderProcess::isAvailable())
            QSKIP("needs Node.js for the mock providers");
        QVERIFY2(m_mock.start(), qPrintable(m_mock.errorString()));
        QFile example(QStringLiteral(GATEHOUSE_SOURCE_DIR "/examples/prompt-apis.yaml"));
        QVERIFY(example.open(QIODevice::ReadOnly));
        QString yaml = QString::fromUtf8(example.readAll());
        // The one change: each provider line gets the mock's base URL for its type.
        const auto pointAtMock = [&](const QString &type, const QString &path) {
            const QString from = QStringLiteral("type: %1,").arg(type);
            QVERIFY2(yaml.contains(from), qPrintable(type));
            yaml.replace(from, QStringLiteral("type: %1, base_url: \"%2%3\",").arg(type, m_mock.baseUrl(), path));
        };
        pointAtMock(QStringLiteral("openai"), QStringLiteral("/openai/v1"));
        pointAtMock(QStringLiteral("anthropic"), QStringLiteral("/anthropic"));
        QFile config(m_tmp.filePath(QStringLiteral("prompt-apis.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(yaml.toUtf8());
        config.close();
        qputenv("OPENAI_API_KEY", "test-key-openai");
        qputenv("ANTHROPIC_API_KEY", "test-key-anthropic");
        qputenv("GATEHOUSE_KEY", kKey);
        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start({QStringLiteral("--config"), config.fileName()}), m_daemon->standardError().constData());
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->terminate(), 0);
    }

    void translateUsesItsDefaultTarget()
    {
        const HttpResult r = call(QStringLiteral("/prompts/translate"), {{"text", "Good morning"}});
        QCOMPARE(r.status, 200);
        const QJsonObject answer = r.json().object();
        QCOMPARE(answer.value("output").toString(), QStringLiteral("Hello from openai: Good morning"));
        QCOMPARE(answer.value("model").toString(), QStringLiteral("gpt-4o-mini"));
        QVERIFY(answer.value("usage").toObject().value("input_tokens").toInt() > 0);
        // The system prompt got the enum's default; the user message is the text alone.
        const QJsonArray messages = lastUpstreamBody().value("messages").toArray();
        QVERIFY(messages.first().toObject().value("content").toString().contains(QLatin1String("into French.")));
        QCOMPARE(messages.last().toObject().value("content").toString(), QStringLiteral("Good morning"));
        // A target outside the enum is refused, naming the field.
        const HttpResult refused = call(QStringLiteral("/prompts/translate"), {{"text", "x"}, {"target", "Klingon"}});
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.body.contains("target"));
    }

    void summarizeStreams()
    {
        const HttpResult r = call(QStringLiteral("/prompts/summarize"),
                                  {{"text", "A long report."}, {"max_words", 50}, {"stream", true}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("text/event-stream"));
        QVERIFY(r.body.startsWith("event: start"));
        QVERIFY(r.body.contains("event: delta"));
        QVERIFY(r.body.contains("event: done"));
        const QString user = lastUpstreamBody().value("messages").toArray().last().toObject().value("content").toString();
        QVERIFY2(user.startsWith(QLatin1String("Summarize the following text in at most 50 words, as one paragraph.")),
                 qPrintable(user));
        QVERIFY(user.endsWith(QLatin1String("A long report.")));
        // OpenAI takes the limit as max_completion_tokens (docs/ai-gateway.md).
        QCOMPARE(lastUpstreamBody().value("max_completion_tokens").toInt(), 400);
    }

    void sentimentChecksItsSchema()
    {
        // The mock answers JSON mode with {"answer": …}, which the example's schema does not
        // allow: the gateway says so (502) instead of passing it on.
        const HttpResult r = call(QStringLiteral("/prompts/sentiment"), {{"text", "Thanks, it works!"}});
        QCOMPARE(r.status, 502);
        const QString message = r.json().object().value("error").toObject().value("message").toString();
        QVERIFY2(message.contains(QLatin1String("sentiment")), qPrintable(message));
        // The provider was asked for JSON, with the example's schema.
        const QJsonObject sent = lastUpstreamBody();
        QVERIFY2(sent.contains("response_format"), QJsonDocument(sent).toJson().constData());
        QCOMPARE(sent.value("temperature").toInt(), 0);
        // Missing input: 400 naming it.
        const HttpResult missing = call(QStringLiteral("/prompts/sentiment"), {});
        QCOMPARE(missing.status, 400);
        QVERIFY(missing.body.contains("text"));
    }

    void listedInTheCatalog()
    {
        const HttpResult r = HttpClient::request("GET", m_daemon->gatewayUrl() + "/_gatehouse/openapi.json");
        QCOMPARE(r.status, 200);
        const QJsonObject paths = r.json().object().value("paths").toObject();
        for (const char *path : {"/prompts/sentiment", "/prompts/translate", "/prompts/summarize"})
            QVERIFY2(paths.contains(QLatin1String(path)), path);
    }
};

QTEST_GUILESS_MAIN(TestExamplePrompts)
#include "tst_exampleprompts.moc"
