#include "http/HttpServer.h"
#include "routing/ConfigSnapshot.h"
#include "routing/HealthChecker.h"
#include "routing/TargetHealth.h"
#include "routing/TargetHealthRegistry.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <atomic>
#include <memory>

using namespace gh;

namespace {

// A tiny upstream on 127.0.0.1 whose health endpoint answers 200 or 503 on demand.
class Upstream
{
public:
    Upstream()
        : m_server(std::make_unique<HttpServer>(
              [this](const HttpRequest &request) {
                  ++m_requests;
                  m_lastPath = request.path;
                  return HttpResponse::text(m_healthy ? 200 : 503, "ok");
              },
              HttpServer::Options{}))
    {
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            qFatal("cannot listen");
    }

    QString url(const QString &basePath = {}) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->serverPort()).arg(basePath);
    }
    void setHealthy(bool healthy) { m_healthy = healthy; }
    int requests() const { return m_requests; }
    QByteArray lastPath() const { return m_lastPath; }

private:
    std::atomic<bool> m_healthy{true};
    std::atomic<int> m_requests{0};
    QByteArray m_lastPath;
    std::unique_ptr<HttpServer> m_server;
};

QJsonObject config(const QStringList &urls, int intervalMs = 100)
{
    QJsonArray targets;
    for (const QString &url : urls)
        targets.append(QJsonObject{{QStringLiteral("url"), url}, {QStringLiteral("weight"), 1}});
    const QJsonObject check{{QStringLiteral("path"), QStringLiteral("/health")},
                            {QStringLiteral("interval_ms"), intervalMs}};
    const QJsonObject service{{QStringLiteral("name"), QStringLiteral("svc")},
                              {QStringLiteral("targets"), targets},
                              {QStringLiteral("health_check"), check}};
    // A service without health_check is never probed.
    const QJsonObject unchecked{{QStringLiteral("name"), QStringLiteral("quiet")},
                                {QStringLiteral("targets"),
                                 QJsonArray{QJsonObject{{QStringLiteral("url"), urls.front()}}}}};
    return QJsonObject{{QStringLiteral("services"), QJsonArray{service, unchecked}}};
}

bool signalled(const QSignalSpy &spy, const QString &url, bool healthy)
{
    for (const QList<QVariant> &args : spy) {
        if (args.at(0).toString() == QLatin1String("svc") && args.at(1).toString() == url &&
            args.at(2).toBool() == healthy)
            return true;
    }
    return false;
}

} // namespace

class TestHealthChecker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void marksUnhealthyAndBack();
    void stopsCheckingRemovedTargets();
    void unreachableTargetIsDown();
    void runsOnItsOwnThread();
};

void TestHealthChecker::marksUnhealthyAndBack()
{
    Upstream a;
    Upstream b;
    TargetHealthRegistry registry;
    const QString urlA = a.url();
    const QString urlB = b.url(QStringLiteral("/base/"));
    const auto snapshot = ConfigSnapshot::build(config({urlA, urlB}), registry, 1);
    const std::shared_ptr<TargetHealth> healthA = registry.find(QStringLiteral("svc"), urlA);
    const std::shared_ptr<TargetHealth> healthB = registry.find(QStringLiteral("svc"), urlB);

    HealthChecker checker;
    QSignalSpy spy(&checker, &HealthChecker::targetHealthChanged);
    checker.setSnapshot(snapshot);
    QCOMPARE(checker.targetCount(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(healthA->activeState() == TargetHealth::ActiveState::Up &&
                                 healthB->activeState() == TargetHealth::ActiveState::Up,
                             2000);
    QVERIFY(signalled(spy, urlA, true));
    QCOMPARE(a.lastPath(), QByteArray("/health"));
    QCOMPARE(b.lastPath(), QByteArray("/base/health")); // the target's base path first

    a.setHealthy(false);
    QTRY_VERIFY_WITH_TIMEOUT(!healthA->isHealthy(), 1000);
    QCOMPARE(healthA->availability(healthA->now()), TargetHealth::Availability::Unavailable);
    QVERIFY(signalled(spy, urlA, false));
    QVERIFY(healthB->isHealthy());

    a.setHealthy(true);
    QTRY_VERIFY_WITH_TIMEOUT(healthA->isHealthy(), 1000);
    QCOMPARE(spy.count(), 4); // A up, B up, A down, A up
    QVERIFY(spy.last().at(2).toBool());
}

void TestHealthChecker::stopsCheckingRemovedTargets()
{
    Upstream a;
    Upstream b;
    TargetHealthRegistry registry;
    HealthChecker checker;
    checker.setSnapshot(ConfigSnapshot::build(config({a.url(), b.url()}), registry, 1));
    QTRY_VERIFY_WITH_TIMEOUT(a.requests() >= 2 && b.requests() >= 2, 2000);

    checker.setSnapshot(ConfigSnapshot::build(config({a.url()}), registry, 2));
    QCOMPARE(checker.targetCount(), 1);
    QTest::qWait(50); // a check already on the wire may still land
    const int bRequests = b.requests();
    const int aRequests = a.requests();
    QTest::qWait(500);
    QCOMPARE(b.requests(), bRequests);
    QVERIFY2(a.requests() >= aRequests + 3, "the unchanged target keeps being checked");

    checker.setSnapshot(nullptr);
    QCOMPARE(checker.targetCount(), 0);
    QTest::qWait(50);
    const int aFinal = a.requests();
    QTest::qWait(300);
    QCOMPARE(a.requests(), aFinal);
}

void TestHealthChecker::unreachableTargetIsDown()
{
    // A port nobody listens on: take a free one and close it again.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort());
    probe.close();

    TargetHealthRegistry registry;
    HealthChecker checker;
    QSignalSpy spy(&checker, &HealthChecker::targetHealthChanged);
    checker.setSnapshot(ConfigSnapshot::build(config({url}), registry, 1));
    const std::shared_ptr<TargetHealth> health = registry.find(QStringLiteral("svc"), url);
    QTRY_VERIFY_WITH_TIMEOUT(health->activeState() == TargetHealth::ActiveState::Down, 2000);
    QVERIFY(signalled(spy, url, false));
    QVERIFY(checker.checksSent() >= 1);
}

void TestHealthChecker::runsOnItsOwnThread()
{
    Upstream a;
    TargetHealthRegistry registry;
    QThread thread;
    auto *checker = new HealthChecker;
    checker->moveToThread(&thread);
    connect(&thread, &QThread::finished, checker, &QObject::deleteLater);
    thread.start();
    QSignalSpy spy(checker, &HealthChecker::targetHealthChanged);

    const auto snapshot = ConfigSnapshot::build(config({a.url()}), registry, 1);
    // Queued by name, as a signal from the main thread would deliver it.
    QVERIFY(QMetaObject::invokeMethod(checker, "setSnapshot", Qt::QueuedConnection,
                                      Q_ARG(std::shared_ptr<const gh::ConfigSnapshot>, snapshot)));
    const std::shared_ptr<TargetHealth> health = registry.find(QStringLiteral("svc"), a.url());
    QTRY_VERIFY_WITH_TIMEOUT(health->activeState() == TargetHealth::ActiveState::Up, 2000);
    a.setHealthy(false);
    QTRY_VERIFY_WITH_TIMEOUT(!health->isHealthy(), 1000);
    QTRY_COMPARE(spy.count(), 2); // queued from the checker's thread

    thread.quit();
    QVERIFY(thread.wait(5000));
}

QTEST_GUILESS_MAIN(TestHealthChecker)
#include "tst_healthchecker.moc"
