// Gateway::consumerSpend: the desktop's view of a consumer's budget, fed by real AI calls
// through an in-process gateway to a scripted OpenAI-style provider.
#include "Gateway.h"
#include "HttpClient.h"
#include "ScriptedUpstream.h"

#include <QJsonDocument>
#include <QNetworkProxy>
#include <QTemporaryDir>
#include <QTest>

using namespace gh;
using gh::test::HttpClient;
using gh::test::ScriptedUpstream;
using gh::test::UpstreamReply;

namespace {

// 1000 tokens in and 500 out at USD 1000 / 2000 per million: USD 2 a call.
const QByteArray Completion =
    R"({"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini",)"
    R"("choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500}})";

QDate todayUtc()
{
    return QDateTime::currentDateTimeUtc().date();
}

} // namespace

class TestConsumerSpend : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void spendFollowsCallsAndBudget();
    void spendSurvivesRestart();
    void consumerWithoutBudgetOrUnknown();
    void closedGatewaySpendsNothing();

private:
    bool open(Gateway &gateway);
    int call(const Gateway &gateway, const QString &key);

    QTemporaryDir m_dir;
    std::unique_ptr<ScriptedUpstream> m_upstream;
    QString m_key;
};

void TestConsumerSpend::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QVERIFY(m_dir.isValid());
    m_upstream = std::make_unique<ScriptedUpstream>([](const gh::test::SeenRequest &) {
        return UpstreamReply::respond(200, Completion, {{"Content-Type", "application/json"}});
    });
    QVERIFY(m_upstream->start());
}

bool TestConsumerSpend::open(Gateway &gateway)
{
    GatewayOptions options;
    options.dataDir = m_dir.path();
    options.listenPort = 0;
    options.adminPort = 0;
    options.workers = 1;
    return gateway.open(options) && gateway.start();
}

int TestConsumerSpend::call(const Gateway &gateway, const QString &key)
{
    const QByteArray body = R"({"model":"fast","messages":[{"role":"user","content":"hi"}]})";
    return HttpClient::request("POST",
                               gateway.gatewayUrl() + QStringLiteral("/v1/chat/completions"), body,
                               {{"Content-Type", "application/json"},
                                {"Authorization", "Bearer " + key.toLatin1()}})
        .status;
}

void TestConsumerSpend::spendFollowsCallsAndBudget()
{
    Gateway gateway;
    QVERIFY2(open(gateway), qPrintable(gateway.lastError()));
    const auto put = [&](EntityKind kind, const QString &name, const QByteArray &json) {
        const ConfigService::Result result =
            gateway.putEntity(kind, name, QJsonDocument::fromJson(json).object());
        for (const ConfigProblem &problem : result.problems)
            qWarning() << problem.toString();
        return result.ok();
    };
    QVERIFY(put(EntityKind::Provider, QStringLiteral("oai"),
                QStringLiteral(R"({"type":"openai","base_url":"%1"})")
                    .arg(m_upstream->url(QStringLiteral("/v1")))
                    .toUtf8()));
    QVERIFY(put(EntityKind::Model, QStringLiteral("fast"),
                R"({"targets":[{"provider":"oai","model":"gpt-4o-mini"}]})"));
    QVERIFY(put(EntityKind::Price, QStringLiteral("oai/gpt-4o-mini"),
                R"({"input":1000,"output":2000})"));
    QVERIFY(
        put(EntityKind::Consumer, QStringLiteral("me"), R"({"budget":{"usd":5,"period":"day"}})"));
    const ConsumerKeyService::Result key = gateway.createConsumerKey(QStringLiteral("me"));
    QVERIFY(key.ok());
    m_key = key.rawKey;

    BudgetStatus status = gateway.consumerSpend(QStringLiteral("me"));
    QVERIFY(status.budget);
    QCOMPARE(status.budget->usd, 5.0);
    QCOMPARE(status.budget->period, Budget::Period::Day);
    QCOMPARE(status.spentUsd, 0.0);
    QCOMPARE(status.periodStart, todayUtc());
    QCOMPARE(status.periodEnd, todayUtc().addDays(1));

    // Seen at once: the ledger counts a call when it ends, before the store hears of it.
    QCOMPARE(call(gateway, m_key), 200);
    QCOMPARE(gateway.consumerSpend(QStringLiteral("me")).spentUsd, 2.0);
    QCOMPARE(call(gateway, m_key), 200);
    QCOMPARE(call(gateway, m_key), 200); // 4 < 5: let in, and now over
    status = gateway.consumerSpend(QStringLiteral("me"));
    QCOMPARE(status.spentUsd, 6.0);
    QVERIFY(status.exhausted());
    QCOMPARE(call(gateway, m_key), 429); // what exhausted() promises
    QCOMPARE(gateway.consumerSpend(QStringLiteral("me")).spentUsd, 6.0);

    // Another day is another period.
    QCOMPARE(gateway.consumerSpend(QStringLiteral("me"), todayUtc().addDays(1)).spentUsd, 0.0);

    // A changed budget applies at once: a monthly USD 10 has room again.
    QVERIFY(put(EntityKind::Consumer, QStringLiteral("me"),
                R"({"budget":{"usd":10,"period":"month"}})"));
    status = gateway.consumerSpend(QStringLiteral("me"));
    QCOMPARE(status.budget->period, Budget::Period::Month);
    QCOMPARE(status.spentUsd, 6.0);
    QCOMPARE(status.periodStart, QDate(todayUtc().year(), todayUtc().month(), 1));
    QVERIFY(!status.exhausted());
    QCOMPARE(call(gateway, m_key), 200);
    QCOMPARE(gateway.consumerSpend(QStringLiteral("me")).spentUsd, 8.0);
}

void TestConsumerSpend::spendSurvivesRestart()
{
    // The first test's gateway flushed its spend to the store when it went away.
    Gateway gateway;
    QVERIFY2(open(gateway), qPrintable(gateway.lastError()));
    const BudgetStatus status = gateway.consumerSpend(QStringLiteral("me"));
    QVERIFY(status.budget);
    QCOMPARE(status.budget->usd, 10.0);
    QCOMPARE(status.spentUsd, 8.0);
    QCOMPARE(call(gateway, m_key), 200);
    QCOMPARE(gateway.consumerSpend(QStringLiteral("me")).spentUsd, 10.0);
    QVERIFY(gateway.consumerSpend(QStringLiteral("me")).exhausted());
}

void TestConsumerSpend::consumerWithoutBudgetOrUnknown()
{
    Gateway gateway;
    QVERIFY2(open(gateway), qPrintable(gateway.lastError()));
    QVERIFY(gateway.putEntity(EntityKind::Consumer, QStringLiteral("free"), {}).ok());
    const ConsumerKeyService::Result key = gateway.createConsumerKey(QStringLiteral("free"));
    QVERIFY(key.ok());
    QCOMPARE(call(gateway, key.rawKey), 200);

    BudgetStatus status = gateway.consumerSpend(QStringLiteral("free"));
    QVERIFY(!status.budget);
    QCOMPARE(status.spentUsd, 2.0); // this month's spend, no limit
    QCOMPARE(status.periodEnd, QDate(todayUtc().year(), todayUtc().month(), 1).addMonths(1));
    QVERIFY(!status.exhausted());

    status = gateway.consumerSpend(QStringLiteral("nobody"));
    QVERIFY(!status.budget);
    QCOMPARE(status.spentUsd, 0.0);
}

void TestConsumerSpend::closedGatewaySpendsNothing()
{
    Gateway gateway;
    const BudgetStatus status = gateway.consumerSpend(QStringLiteral("me"));
    QVERIFY(!status.budget);
    QCOMPARE(status.spentUsd, 0.0);
    QVERIFY(status.periodEnd.isValid());
}

QTEST_GUILESS_MAIN(TestConsumerSpend)
#include "tst_consumerspend.moc"
