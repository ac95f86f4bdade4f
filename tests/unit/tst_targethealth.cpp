#include "routing/ConfigSnapshot.h"
#include "routing/TargetHealth.h"
#include "routing/TargetHealthRegistry.h"

#include <QJsonArray>
#include <QTest>
#include <QThread>

using namespace gh;

namespace {

qint64 s_now = 1000000;

std::shared_ptr<const HealthPolicy> testPolicy()
{
    auto policy = std::make_shared<HealthPolicy>();
    policy->clock = [] {
        return s_now;
    };
    return policy;
}

QJsonObject configWith(const QList<std::pair<QString, QStringList>> &services)
{
    QJsonArray array;
    for (const auto &[name, urls] : services) {
        QJsonArray targets;
        for (const QString &url : urls)
            targets.append(
                QJsonObject{{QStringLiteral("url"), url}, {QStringLiteral("weight"), 1}});
        array.append(
            QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("targets"), targets}});
    }
    return QJsonObject{{QStringLiteral("services"), array}};
}

using Availability = TargetHealth::Availability;

} // namespace

class TestTargetHealth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { s_now = 1000000; }
    void ejectAfterConsecutiveFailures();
    void successResetsCount();
    void cooldown();
    void halfOpenSingleProbe();
    void staleProbeIsRetried();
    void probeSuccessRecovers();
    void backoffDoublesUpToMax();
    void backoffResetsAfterQuietPeriod();
    void failuresWhileEjectedDontExtend();
    void activeCheckOverrides();
    void concurrentReports();
    void registryReuseAcrossSnapshots();
};

void TestTargetHealth::ejectAfterConsecutiveFailures()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    QCOMPARE(health.availability(s_now), Availability::Available);
    health.reportFailure();
    health.reportFailure();
    QCOMPARE(health.consecutiveFailures(), 2);
    QVERIFY(!health.isEjected());
    QCOMPARE(health.availability(s_now), Availability::Available);
    health.reportFailure();
    QVERIFY(health.isEjected());
    QVERIFY(!health.isHealthy());
    QCOMPARE(health.ejectionCount(), quint64(1));
    QCOMPARE(health.ejectedUntil(), s_now + 10000);
    QCOMPARE(health.availability(s_now), Availability::Unavailable);
}

void TestTargetHealth::successResetsCount()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    health.reportFailure();
    health.reportFailure();
    health.reportSuccess();
    QCOMPARE(health.consecutiveFailures(), 0);
    health.reportFailure();
    health.reportFailure();
    QVERIFY(!health.isEjected());
    health.reportFailure();
    QVERIFY(health.isEjected());
}

void TestTargetHealth::cooldown()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    for (int i = 0; i < 3; ++i)
        health.reportFailure();
    const qint64 ejectedAt = s_now;
    s_now = ejectedAt + 9999;
    QCOMPARE(health.availability(s_now), Availability::Unavailable);
    s_now = ejectedAt + 10000;
    QCOMPARE(health.availability(s_now), Availability::Probe);
    QVERIFY(health.isEjected()); // still ejected until a request proves otherwise
}

void TestTargetHealth::halfOpenSingleProbe()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    for (int i = 0; i < 3; ++i)
        health.reportFailure();
    s_now += 10000;
    QVERIFY(health.tryBeginProbe(s_now));
    QVERIFY(!health.tryBeginProbe(s_now)); // one probe at a time
    QCOMPARE(health.availability(s_now), Availability::Unavailable);

    // Probes from several threads at once: exactly one wins.
    TargetHealth racy(QStringLiteral("s"), QStringLiteral("http://b"), testPolicy());
    for (int i = 0; i < 3; ++i)
        racy.reportFailure();
    s_now += 10000;
    std::atomic<int> winners{0};
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads.append(QThread::create([&] {
            for (int i = 0; i < 1000; ++i)
                winners += racy.tryBeginProbe(s_now) ? 1 : 0;
        }));
        threads.back()->start();
    }
    for (QThread *thread : std::as_const(threads)) {
        QVERIFY(thread->wait(5000));
        delete thread;
    }
    QCOMPARE(winners.load(), 1);
}

void TestTargetHealth::staleProbeIsRetried()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    for (int i = 0; i < 3; ++i)
        health.reportFailure();
    s_now += 10000;
    QVERIFY(health.tryBeginProbe(s_now)); // ... and that request never reports back
    s_now += health.policy().probeTimeoutMs - 1;
    QCOMPARE(health.availability(s_now), Availability::Unavailable);
    s_now += 1;
    QCOMPARE(health.availability(s_now), Availability::Probe);
    QVERIFY(health.tryBeginProbe(s_now));
}

void TestTargetHealth::probeSuccessRecovers()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    for (int i = 0; i < 3; ++i)
        health.reportFailure();
    s_now += 10000;
    QVERIFY(health.tryBeginProbe(s_now));
    health.reportSuccess();
    QVERIFY(!health.isEjected());
    QVERIFY(health.isHealthy());
    QCOMPARE(health.availability(s_now), Availability::Available);
    QCOMPARE(health.consecutiveFailures(), 0);
}

void TestTargetHealth::backoffDoublesUpToMax()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    for (int i = 0; i < 3; ++i)
        health.reportFailure();
    const QList<qint64> expected{20000, 40000, 80000, 160000, 300000, 300000};
    qint64 cooldown = 10000;
    for (const qint64 next : expected) {
        s_now += cooldown; // half-open
        QVERIFY(health.tryBeginProbe(s_now));
        health.reportFailure(); // the probe failed: ejected again, for longer
        QCOMPARE(health.ejectedUntil() - s_now, next);
        QCOMPARE(health.currentCooldownMs(), next);
        QCOMPARE(health.availability(s_now), Availability::Unavailable);
        cooldown = next;
    }
    QCOMPARE(health.ejectionCount(), quint64(7));
}

void TestTargetHealth::backoffResetsAfterQuietPeriod()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    const auto ejectOnce = [&] {
        for (int i = 0; i < 3; ++i)
            health.reportFailure();
    };
    ejectOnce();
    s_now += 10000;
    health.reportSuccess(); // recovered
    ejectOnce();            // flapping: ejected again soon after
    QCOMPARE(health.ejectedUntil() - s_now, 20000);
    s_now += 20000;
    health.reportSuccess();
    s_now += 400000; // healthy for longer than the longest cooldown
    ejectOnce();
    QCOMPARE(health.ejectedUntil() - s_now, 10000);
}

void TestTargetHealth::failuresWhileEjectedDontExtend()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    for (int i = 0; i < 3; ++i)
        health.reportFailure();
    const qint64 until = health.ejectedUntil();
    s_now += 5000;
    for (int i = 0; i < 5; ++i)
        health.reportFailure(); // requests that started before the ejection
    QCOMPARE(health.ejectedUntil(), until);
    QCOMPARE(health.ejectionCount(), quint64(1));
}

void TestTargetHealth::activeCheckOverrides()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    QCOMPARE(health.activeState(), TargetHealth::ActiveState::Unknown);
    QVERIFY(health.setActiveResult(false));
    QVERIFY(!health.setActiveResult(false)); // unchanged
    QCOMPARE(health.availability(s_now), Availability::Unavailable);
    QVERIFY(!health.isHealthy());
    health.reportSuccess(); // passive success doesn't override a failing check
    QCOMPARE(health.availability(s_now), Availability::Unavailable);
    QVERIFY(health.setActiveResult(true));
    QCOMPARE(health.availability(s_now), Availability::Available);

    // A passing check also ends a passive ejection.
    for (int i = 0; i < 3; ++i)
        health.reportFailure();
    QCOMPARE(health.availability(s_now), Availability::Unavailable);
    QVERIFY(!health.setActiveResult(true));
    QCOMPARE(health.availability(s_now), Availability::Available);
    QVERIFY(health.isHealthy());
}

void TestTargetHealth::concurrentReports()
{
    TargetHealth health(QStringLiteral("s"), QStringLiteral("http://a"), testPolicy());
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads.append(QThread::create([&health, t] {
            for (int i = 0; i < 20000; ++i) {
                health.beginRequest();
                if ((i + t) % 3 == 0)
                    health.reportFailure(s_now);
                else
                    health.reportSuccess(s_now);
                (void)health.availability(s_now);
                health.endRequest();
            }
        }));
        threads.back()->start();
    }
    for (QThread *thread : std::as_const(threads)) {
        QVERIFY(thread->wait(10000));
        delete thread;
    }
    QCOMPARE(health.activeRequests(), 0);
    health.reportSuccess();
    QVERIFY(health.isHealthy());
}

void TestTargetHealth::registryReuseAcrossSnapshots()
{
    TargetHealthRegistry registry;
    const QString u1 = QStringLiteral("http://127.0.0.1:9001");
    const QString u2 = QStringLiteral("http://127.0.0.1:9002");
    const QString u3 = QStringLiteral("http://127.0.0.1:9003");
    const auto first = ConfigSnapshot::build(
        configWith({{QStringLiteral("a"), {u1, u2}}, {QStringLiteral("b"), {u1}}}), registry, 1);
    QCOMPARE(registry.size(), 3);
    const std::shared_ptr<TargetHealth> a1 = registry.find(QStringLiteral("a"), u1);
    QVERIFY(a1);
    QCOMPARE(first->service(QStringLiteral("a"))->targets[0].health, a1);
    // Same URL in another service: its own health.
    QVERIFY(registry.find(QStringLiteral("b"), u1) != a1);
    for (int i = 0; i < 3; ++i)
        a1->reportFailure();
    QVERIFY(a1->isEjected());

    // Reload: a keeps u1 (and its ejection), drops u2, gains u3; b is gone.
    const auto second = ConfigSnapshot::build(configWith({{QStringLiteral("a"), {u3, u1}}}),
                                              registry, 2, first.get());
    const CompiledService *a = second->service(QStringLiteral("a"));
    QCOMPARE(a->targets[1].health, a1);
    QVERIFY(a->targets[1].health->isEjected());
    QVERIFY(!a->targets[0].health->isEjected());
    QCOMPARE(registry.size(), 2);
    QVERIFY(!registry.find(QStringLiteral("a"), u2));
    QVERIFY(!registry.find(QStringLiteral("b"), u1));
    // The old snapshot still works with its own objects while requests finish.
    QVERIFY(first->service(QStringLiteral("a"))->targets[1].health);

    // Re-adding a dropped target starts fresh.
    const auto third =
        ConfigSnapshot::build(configWith({{QStringLiteral("a"), {u1, u2}}}), registry, 3);
    QVERIFY(third->service(QStringLiteral("a"))->targets[1].health !=
            first->service(QStringLiteral("a"))->targets[1].health);
    QCOMPARE(third->service(QStringLiteral("a"))->targets[0].health, a1);
}

QTEST_GUILESS_MAIN(TestTargetHealth)
#include "tst_targethealth.moc"
