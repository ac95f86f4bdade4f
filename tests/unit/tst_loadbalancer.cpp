#include "routing/CompiledService.h"
#include "routing/LoadBalancer.h"
#include "routing/TargetHealth.h"
#include "routing/TargetHealthRegistry.h"

#include <QJsonArray>
#include <QTest>

#include <array>

using namespace gh;

namespace {

qint64 s_now = 1000000;

HealthPolicy testPolicy()
{
    HealthPolicy policy;
    policy.clock = [] {
        return s_now;
    };
    return policy;
}

QJsonObject serviceJson(const QString &balance, const QList<int> &weights)
{
    QJsonArray targets;
    for (qsizetype i = 0; i < weights.size(); ++i)
        targets.append(QJsonObject{
            {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1").arg(9000 + i)},
            {QStringLiteral("weight"), weights.at(i)}});
    return QJsonObject{{QStringLiteral("name"), QStringLiteral("svc")},
                       {QStringLiteral("targets"), targets},
                       {QStringLiteral("balance"), balance}};
}

// Picks n times (releasing each), returns the chosen indices as letters "aab...".
QByteArray sequence(LoadBalancer &balancer, int n)
{
    QByteArray picked;
    for (int i = 0; i < n; ++i) {
        const TargetPick pick = balancer.pick();
        picked += pick ? char('a' + pick.index) : '-';
        LoadBalancer::release(pick);
    }
    return picked;
}

std::array<int, 8> counts(LoadBalancer &balancer, int n)
{
    std::array<int, 8> result{};
    for (int i = 0; i < n; ++i) {
        const TargetPick pick = balancer.pick();
        if (pick)
            ++result[size_t(pick.index)];
        LoadBalancer::release(pick);
    }
    return result;
}

void eject(const ServiceTarget &target)
{
    for (int i = 0; i < target.health->policy().failureThreshold; ++i)
        target.health->reportFailure();
    QVERIFY(target.health->isEjected());
}

} // namespace

class TestLoadBalancer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { s_now = 1000000; }
    void smoothRoundRobinSequence_data();
    void smoothRoundRobinSequence();
    void roundRobinDistribution();
    void leastConnections();
    void leastConnectionsWeighted();
    void leastConnectionsSharedAcrossWorkers();
    void randomWeighted();
    void weightZeroNeverPicked_data();
    void weightZeroNeverPicked();
    void excluding();
    void skipsUnhealthy();
    void halfOpenProbeGoesToOneRequest();
    void allDown();
    void releaseCountsInFlight();
};

void TestLoadBalancer::smoothRoundRobinSequence_data()
{
    QTest::addColumn<QList<int>>("weights");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("5,1,1 (nginx)") << QList<int>{5, 1, 1} << QByteArray("aabacaaaabacaa");
    QTest::newRow("equal") << QList<int>{1, 1, 1} << QByteArray("abcabc");
    QTest::newRow("2,1") << QList<int>{2, 1} << QByteArray("abaaba");
    QTest::newRow("single") << QList<int>{3} << QByteArray("aaa");
}

void TestLoadBalancer::smoothRoundRobinSequence()
{
    QFETCH(QList<int>, weights);
    QFETCH(QByteArray, expected);
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service =
        CompiledService::compile(serviceJson(QStringLiteral("round-robin"), weights), 0, registry);
    LoadBalancer balancer(service, 1);
    QCOMPARE(sequence(balancer, int(expected.size())), expected);
}

void TestLoadBalancer::roundRobinDistribution()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service = CompiledService::compile(
        serviceJson(QStringLiteral("round-robin"), {5, 1, 1}), 0, registry);
    LoadBalancer balancer(service, 1);
    const auto c = counts(balancer, 7000);
    QCOMPARE(c[0], 5000);
    QCOMPARE(c[1], 1000);
    QCOMPARE(c[2], 1000);

    const CompiledService uneven = CompiledService::compile(
        serviceJson(QStringLiteral("round-robin"), {3, 2, 0, 5}), 0, registry);
    LoadBalancer second(uneven, 1);
    const auto d = counts(second, 1000);
    QCOMPARE(d[0], 300);
    QCOMPARE(d[1], 200);
    QCOMPARE(d[2], 0);
    QCOMPARE(d[3], 500);
}

void TestLoadBalancer::leastConnections()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service = CompiledService::compile(
        serviceJson(QStringLiteral("least-connections"), {1, 1, 1}), 0, registry);
    LoadBalancer balancer(service, 1);
    const TargetPick a = balancer.pick();
    const TargetPick b = balancer.pick();
    const TargetPick c = balancer.pick();
    QCOMPARE(QList<int>({a.index, b.index, c.index}), QList<int>({0, 1, 2}));
    LoadBalancer::release(b);
    const TargetPick again = balancer.pick(); // b is the only one without a request
    QCOMPARE(again.index, 1);
    LoadBalancer::release(a);
    LoadBalancer::release(c);
    // 0 and 2 idle, 1 busy: round-robin among the idle ones.
    // (Smooth round-robin carries credit from earlier picks, so check the share.)
    const QByteArray idle = sequence(balancer, 40);
    QCOMPARE(idle.count('b'), 0);
    QVERIFY2(qAbs(idle.count('a') - 20) <= 2, idle.constData());
    LoadBalancer::release(again);
    QCOMPARE(service.targets[1].health->activeRequests(), 0);
}

void TestLoadBalancer::leastConnectionsWeighted()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service = CompiledService::compile(
        serviceJson(QStringLiteral("least-connections"), {2, 1}), 0, registry);
    LoadBalancer balancer(service, 1);
    QList<TargetPick> held;
    for (int i = 0; i < 30; ++i)
        held.append(balancer.pick());
    // Requests that never finish pile up in proportion to the weights.
    QCOMPARE(service.targets[0].health->activeRequests(), 20);
    QCOMPARE(service.targets[1].health->activeRequests(), 10);
    for (const TargetPick &pick : std::as_const(held))
        LoadBalancer::release(pick);
    QCOMPARE(service.targets[0].health->activeRequests(), 0);
}

void TestLoadBalancer::leastConnectionsSharedAcrossWorkers()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service = CompiledService::compile(
        serviceJson(QStringLiteral("least-connections"), {1, 1}), 0, registry);
    LoadBalancer worker1(service, 1);
    LoadBalancer worker2(service, 2);
    const TargetPick first = worker1.pick();
    const TargetPick second = worker2.pick(); // sees worker1's in-flight request
    QVERIFY(first.index != second.index);
    LoadBalancer::release(first);
    LoadBalancer::release(second);
}

void TestLoadBalancer::randomWeighted()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service =
        CompiledService::compile(serviceJson(QStringLiteral("random"), {5, 3, 2}), 0, registry);
    LoadBalancer balancer(service, 12345);
    constexpr int picks = 30000;
    const auto c = counts(balancer, picks);
    const double expected[] = {0.5, 0.3, 0.2};
    for (int i = 0; i < 3; ++i) {
        const double share = double(c[size_t(i)]) / picks;
        QVERIFY2(qAbs(share - expected[i]) < 0.03,
                 qPrintable(QStringLiteral("target %1: %2").arg(i).arg(share)));
    }
    // Deterministic for a seed.
    LoadBalancer a(service, 7);
    LoadBalancer b(service, 7);
    QCOMPARE(sequence(a, 50), sequence(b, 50));
}

void TestLoadBalancer::weightZeroNeverPicked_data()
{
    QTest::addColumn<QString>("balance");
    QTest::newRow("round-robin") << QStringLiteral("round-robin");
    QTest::newRow("least-connections") << QStringLiteral("least-connections");
    QTest::newRow("random") << QStringLiteral("random");
}

void TestLoadBalancer::weightZeroNeverPicked()
{
    QFETCH(QString, balance);
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service =
        CompiledService::compile(serviceJson(balance, {1, 0, 2}), 0, registry);
    LoadBalancer balancer(service, 3);
    QCOMPARE(counts(balancer, 3000)[1], 0);
    // Not even when everything else is down or excluded.
    eject(service.targets[0]);
    eject(service.targets[2]);
    QCOMPARE(counts(balancer, 300)[1], 0);
    const int excluded[] = {0, 2};
    QVERIFY(!balancer.pick(excluded));
}

void TestLoadBalancer::excluding()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service = CompiledService::compile(
        serviceJson(QStringLiteral("round-robin"), {1, 1, 1}), 0, registry);
    LoadBalancer balancer(service, 1);
    const int tried[] = {0};
    for (int i = 0; i < 10; ++i) {
        const TargetPick pick = balancer.pick(tried);
        QVERIFY(pick.index == 1 || pick.index == 2);
        LoadBalancer::release(pick);
    }
    const int triedTwo[] = {2, 0};
    QCOMPARE(balancer.pick(triedTwo).index, 1);
    const int all[] = {0, 1, 2};
    const TargetPick none = balancer.pick(all);
    QVERIFY(!none.isValid());
    QCOMPARE(none.index, -1);
    LoadBalancer::release(none); // harmless
}

void TestLoadBalancer::skipsUnhealthy()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service = CompiledService::compile(
        serviceJson(QStringLiteral("round-robin"), {5, 1, 1}), 0, registry);
    LoadBalancer balancer(service, 1);
    eject(service.targets[0]);
    QCOMPARE(sequence(balancer, 6), QByteArray("bcbcbc"));
    service.targets[1].health->setActiveResult(false); // failing active check
    QCOMPARE(sequence(balancer, 3), QByteArray("ccc"));
    QVERIFY(!balancer.pick().allDown);
}

void TestLoadBalancer::halfOpenProbeGoesToOneRequest()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service =
        CompiledService::compile(serviceJson(QStringLiteral("round-robin"), {1, 1}), 0, registry);
    LoadBalancer worker1(service, 1);
    LoadBalancer worker2(service, 2);
    eject(service.targets[0]);
    QCOMPARE(sequence(worker1, 3), QByteArray("bbb"));

    s_now += registry.policy().cooldownMs; // cooldown over: half-open
    QList<TargetPick> picks;
    for (int i = 0; i < 4; ++i) {
        picks.append(worker1.pick());
        picks.append(worker2.pick());
    }
    int probes = 0;
    for (const TargetPick &pick : std::as_const(picks))
        probes += pick.index == 0;
    QCOMPARE(probes, 1); // exactly one request probes the ejected target
    for (const TargetPick &pick : std::as_const(picks))
        LoadBalancer::release(pick);

    service.targets[0].health->reportSuccess(); // the probe succeeded
    QCOMPARE(sequence(worker1, 4).count('a'), 2);
}

void TestLoadBalancer::allDown()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service =
        CompiledService::compile(serviceJson(QStringLiteral("round-robin"), {2, 1}), 0, registry);
    LoadBalancer balancer(service, 1);
    eject(service.targets[0]);
    service.targets[1].health->setActiveResult(false);

    // Default: try them anyway, by weight, flagged.
    QCOMPARE(balancer.allDownPolicy(), LoadBalancer::AllDownPolicy::TryAnyway);
    const TargetPick pick = balancer.pick();
    QVERIFY(pick.isValid());
    QVERIFY(pick.allDown);
    LoadBalancer::release(pick);
    QCOMPARE(sequence(balancer, 5), QByteArray("baaba")); // smooth 2:1 continues
    const int tried[] = {0};
    QCOMPARE(balancer.pick(tried).index, 1);

    balancer.setAllDownPolicy(LoadBalancer::AllDownPolicy::Fail);
    QVERIFY(!balancer.pick().isValid());

    // A success (from a request sent anyway) revives a passively ejected target.
    service.targets[0].health->reportSuccess();
    const TargetPick revived = balancer.pick();
    QCOMPARE(revived.index, 0);
    QVERIFY(!revived.allDown);
    LoadBalancer::release(revived);
}

void TestLoadBalancer::releaseCountsInFlight()
{
    TargetHealthRegistry registry(testPolicy());
    const CompiledService service =
        CompiledService::compile(serviceJson(QStringLiteral("random"), {1}), 0, registry);
    LoadBalancer balancer(service, 1);
    const TargetPick a = balancer.pick();
    const TargetPick b = balancer.pick();
    QCOMPARE(a.health, service.targets[0].health.get());
    QCOMPARE(a.target, &service.targets[0]);
    QCOMPARE(a.health->activeRequests(), 2);
    LoadBalancer::release(a);
    LoadBalancer::release(b);
    QCOMPARE(a.health->activeRequests(), 0);
}

QTEST_GUILESS_MAIN(TestLoadBalancer)
#include "tst_loadbalancer.moc"
