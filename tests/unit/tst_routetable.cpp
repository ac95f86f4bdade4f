#include "config/ConfigLoader.h"
#include "config/ConfigValidator.h"
#include "routing/ConfigSnapshot.h"
#include "routing/SnapshotHolder.h"
#include "routing/TargetHealthRegistry.h"
#include "routing/WorkerRouting.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <atomic>

using namespace gh;

namespace {

// Parses and validates a YAML config, failing the test on any problem, so the tests
// see exactly the normalized tree the gateway would.
QJsonObject normalizedConfig(const QByteArray &yaml)
{
    ConfigDocument document = ConfigLoader::parse(yaml, ConfigFormat::Yaml);
    for (const ConfigProblem &problem : std::as_const(document.problems))
        qWarning("%s", qUtf8Printable(problem.toString()));
    const ConfigProblems problems = ConfigValidator::validate(document.root);
    for (const ConfigProblem &problem : problems)
        qWarning("%s", qUtf8Printable(problem.toString()));
    if (!document.problems.isEmpty() || !problems.isEmpty())
        qFatal("test config is invalid");
    return document.root;
}

// Plain literals: moc cannot tokenize raw strings.
const QByteArray routesYaml =
    "services:\n"
    "  - name: svc-a\n"
    "    targets: [{url: \"http://127.0.0.1:9001\"}]\n"
    "  - name: svc-b\n"
    "    targets: [{url: \"http://127.0.0.1:9002/base/\"}]\n"
    "routes:\n"
    "  - {name: billing, service: svc-a, strip_path: true, match: {paths: [/billing], methods: "
    "[GET, POST]}}\n"
    "  - {name: billing-admin, service: svc-a, match: {paths: [/billing/admin], methods: "
    "[DELETE]}}\n"
    "  - {name: billing-v2, service: svc-b, strip_path: true, match: {paths: [/billing/v2/]}}\n"
    "  - {name: billing-draft, service: svc-b, state: draft, match: {paths: [/billing/x]}}\n"
    "  - {name: orders, service: svc-a, match: {paths: [/orders], methods: [PUT]}}\n"
    "  - {name: orders-write, service: svc-a, match: {paths: [/orders], methods: [POST]}}\n"
    "  - {name: reports-any, service: svc-b, match: {paths: [/reports]}}\n"
    "  - {name: reports-get, service: svc-a, match: {paths: [/reports], methods: [GET]}}\n"
    "  - {name: api-exact, service: svc-a, match: {hosts: [API.example.com]}}\n"
    "  - {name: api-exact-port, service: svc-b, match: {hosts: [\"api.example.com:8443\"]}}\n"
    "  - {name: api-wild, service: svc-a, match: {hosts: [\"*.example.com\"]}}\n"
    "  - {name: api-wild-deep, service: svc-b, match: {hosts: [\"*.eu.example.com\"]}}\n"
    "  - {name: api-wild-billing, service: svc-b, match: {hosts: [\"*.example.com\"], paths: "
    "[/billing]}}\n"
    "  - {name: draft-route, service: svc-a, state: draft, match: {paths: [/draft]}}\n"
    "  - {name: retired-route, service: svc-a, state: retired, match: {paths: [/old]}}\n"
    "  - {name: deprecated-route, service: svc-a, state: deprecated, sunset: \"2027-06-30\", "
    "match: {paths: [/legacy]}}\n"
    "  - {name: root-strip, service: svc-a, strip_path: true, match: {hosts: [strip.test], paths: "
    "[/]}}\n"
    "  - {name: host-only-get, service: svc-a, match: {hosts: [get.test], methods: [GET]}}\n";

QByteArray outcomeName(RouteMatch::Outcome outcome)
{
    switch (outcome) {
    case RouteMatch::Outcome::Matched:
        return "Matched";
    case RouteMatch::Outcome::NotFound:
        return "NotFound";
    case RouteMatch::Outcome::Gone:
        return "Gone";
    case RouteMatch::Outcome::MethodNotAllowed:
        return "MethodNotAllowed";
    }
    return "?";
}

} // namespace

class TestRouteTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void match_data();
    void match();
    void deprecatedHeaders();
    void deprecationDateSurvivesReload();
    void compiledFields();
    void unknownServiceSkipped();
    void stripSegments();
    void serviceTargets();
    void snapshotPublication();
    void measureCosts();

private:
    TargetHealthRegistry m_registry;
    std::shared_ptr<const ConfigSnapshot> m_snapshot;
};

void TestRouteTable::initTestCase()
{
    m_snapshot = ConfigSnapshot::build(normalizedConfig(routesYaml), m_registry, 1);
    QCOMPARE(m_snapshot->services().size(), size_t(2));
}

void TestRouteTable::match_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("outcome");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QByteArray>("upstreamPath"); // Matched: path; 405: Allow

    // Segment-aware prefixes and strip_path.
    QTest::newRow("prefix exact") << QByteArray("GET") << QByteArray() << QByteArray("/billing")
                                  << QByteArray("Matched") << "billing" << QByteArray("/");
    QTest::newRow("prefix trailing slash")
        << QByteArray("GET") << QByteArray("") << QByteArray("/billing/") << QByteArray("Matched")
        << "billing" << QByteArray("/");
    QTest::newRow("prefix child") << QByteArray("GET") << QByteArray()
                                  << QByteArray("/billing/invoices") << QByteArray("Matched")
                                  << "billing" << QByteArray("/invoices");
    QTest::newRow("prefix grandchild POST")
        << QByteArray("POST") << QByteArray() << QByteArray("/billing/invoices/42")
        << QByteArray("Matched") << "billing" << QByteArray("/invoices/42");
    QTest::newRow("not a segment boundary")
        << QByteArray("GET") << QByteArray() << QByteArray("/billingx") << QByteArray("NotFound")
        << QString() << QByteArray();
    QTest::newRow("shorter than prefix") << QByteArray("GET") << QByteArray() << QByteArray("/bill")
                                         << QByteArray("NotFound") << QString() << QByteArray();
    QTest::newRow("paths are case-sensitive")
        << QByteArray("GET") << QByteArray() << QByteArray("/Billing") << QByteArray("NotFound")
        << QString() << QByteArray();
    QTest::newRow("asterisk-form") << QByteArray("OPTIONS") << QByteArray() << QByteArray("*")
                                   << QByteArray("NotFound") << QString() << QByteArray();
    QTest::newRow("trailing slash in config prefix")
        << QByteArray("GET") << QByteArray() << QByteArray("/billing/v2") << QByteArray("Matched")
        << "billing-v2" << QByteArray("/");
    QTest::newRow("longest prefix any method")
        << QByteArray("PATCH") << QByteArray() << QByteArray("/billing/v2/items")
        << QByteArray("Matched") << "billing-v2" << QByteArray("/items");

    // Methods.
    QTest::newRow("HEAD matches GET route")
        << QByteArray("HEAD") << QByteArray() << QByteArray("/billing/x") << QByteArray("Matched")
        << "billing" << QByteArray("/x");
    QTest::newRow("405 Allow") << QByteArray("DELETE") << QByteArray() << QByteArray("/billing/x")
                               << QByteArray("MethodNotAllowed") << QString()
                               << QByteArray("GET, HEAD, POST");
    QTest::newRow("longer prefix for its method")
        << QByteArray("DELETE") << QByteArray() << QByteArray("/billing/admin/users")
        << QByteArray("Matched") << "billing-admin" << QByteArray("/billing/admin/users");
    QTest::newRow("falls back to shorter prefix for other method")
        << QByteArray("GET") << QByteArray() << QByteArray("/billing/admin/users")
        << QByteArray("Matched") << "billing" << QByteArray("/admin/users");
    QTest::newRow("405 Allow union over prefixes")
        << QByteArray("PATCH") << QByteArray() << QByteArray("/billing/admin")
        << QByteArray("MethodNotAllowed") << QString() << QByteArray("GET, HEAD, POST, DELETE");
    QTest::newRow("405 union of two routes")
        << QByteArray("GET") << QByteArray() << QByteArray("/orders")
        << QByteArray("MethodNotAllowed") << QString() << QByteArray("POST, PUT");
    QTest::newRow("PUT route") << QByteArray("PUT") << QByteArray() << QByteArray("/orders/1")
                               << QByteArray("Matched") << "orders" << QByteArray("/orders/1");
    QTest::newRow("POST route same prefix")
        << QByteArray("POST") << QByteArray() << QByteArray("/orders") << QByteArray("Matched")
        << "orders-write" << QByteArray("/orders");
    QTest::newRow("explicit methods before method-less")
        << QByteArray("GET") << QByteArray() << QByteArray("/reports") << QByteArray("Matched")
        << "reports-get" << QByteArray("/reports");
    QTest::newRow("method-less for other methods")
        << QByteArray("DELETE") << QByteArray() << QByteArray("/reports/x") << QByteArray("Matched")
        << "reports-any" << QByteArray("/reports/x");
    QTest::newRow("HEAD prefers GET route")
        << QByteArray("HEAD") << QByteArray() << QByteArray("/reports") << QByteArray("Matched")
        << "reports-get" << QByteArray("/reports");
    QTest::newRow("unknown method only method-less")
        << QByteArray("TRACE") << QByteArray() << QByteArray("/reports") << QByteArray("Matched")
        << "reports-any" << QByteArray("/reports");
    QTest::newRow("methods are case-sensitive")
        << QByteArray("get") << QByteArray() << QByteArray("/orders")
        << QByteArray("MethodNotAllowed") << QString() << QByteArray("POST, PUT");

    // Hosts.
    QTest::newRow("exact host") << QByteArray("GET") << QByteArray("api.example.com")
                                << QByteArray("/anything") << QByteArray("Matched") << "api-exact"
                                << QByteArray("/anything");
    QTest::newRow("exact host case-insensitive")
        << QByteArray("GET") << QByteArray("API.Example.COM") << QByteArray("/x")
        << QByteArray("Matched") << "api-exact" << QByteArray("/x");
    QTest::newRow("exact host port stripped")
        << QByteArray("GET") << QByteArray("api.example.com:4141") << QByteArray("/x")
        << QByteArray("Matched") << "api-exact" << QByteArray("/x");
    QTest::newRow("exact host with port")
        << QByteArray("GET") << QByteArray("api.example.com:8443") << QByteArray("/x")
        << QByteArray("Matched") << "api-exact-port" << QByteArray("/x");
    QTest::newRow("exact host trailing dot")
        << QByteArray("GET") << QByteArray("api.example.com.") << QByteArray("/x")
        << QByteArray("Matched") << "api-exact" << QByteArray("/x");
    QTest::newRow("exact host beats longer prefix elsewhere")
        << QByteArray("GET") << QByteArray("api.example.com") << QByteArray("/billing")
        << QByteArray("Matched") << "api-exact" << QByteArray("/billing");
    QTest::newRow("wildcard one label")
        << QByteArray("GET") << QByteArray("www.example.com") << QByteArray("/x")
        << QByteArray("Matched") << "api-wild" << QByteArray("/x");
    QTest::newRow("wildcard several labels")
        << QByteArray("GET") << QByteArray("a.b.example.com:80") << QByteArray("/x")
        << QByteArray("Matched") << "api-wild" << QByteArray("/x");
    QTest::newRow("wildcard longer suffix first")
        << QByteArray("GET") << QByteArray("x.eu.example.com") << QByteArray("/x")
        << QByteArray("Matched") << "api-wild-deep" << QByteArray("/x");
    QTest::newRow("wildcard longest prefix")
        << QByteArray("GET") << QByteArray("x.example.com") << QByteArray("/billing/z")
        << QByteArray("Matched") << "api-wild-billing" << QByteArray("/billing/z");
    QTest::newRow("wildcard never the apex")
        << QByteArray("GET") << QByteArray("example.com") << QByteArray("/billing")
        << QByteArray("Matched") << "billing" << QByteArray("/");
    QTest::newRow("wildcard suffix must be whole labels")
        << QByteArray("GET") << QByteArray("evilexample.com") << QByteArray("/x")
        << QByteArray("NotFound") << QString() << QByteArray();
    QTest::newRow("suffix elsewhere in name")
        << QByteArray("GET") << QByteArray("a.example.com.evil.net") << QByteArray("/x")
        << QByteArray("NotFound") << QString() << QByteArray();
    QTest::newRow("IPv6 literal host")
        << QByteArray("GET") << QByteArray("[::1]:4141") << QByteArray("/billing/a")
        << QByteArray("Matched") << "billing" << QByteArray("/a");
    QTest::newRow("host-only route strips nothing at /")
        << QByteArray("GET") << QByteArray("strip.test") << QByteArray("/x/y")
        << QByteArray("Matched") << "root-strip" << QByteArray("/x/y");
    QTest::newRow("host-only route 405")
        << QByteArray("POST") << QByteArray("get.test") << QByteArray("/")
        << QByteArray("MethodNotAllowed") << QString() << QByteArray("GET, HEAD");
    QTest::newRow("host-only route HEAD")
        << QByteArray("HEAD") << QByteArray("GET.test") << QByteArray("/a") << QByteArray("Matched")
        << "host-only-get" << QByteArray("/a");

    // Lifecycle.
    QTest::newRow("draft invisible") << QByteArray("GET") << QByteArray() << QByteArray("/draft")
                                     << QByteArray("NotFound") << QString() << QByteArray();
    QTest::newRow("draft shadows nothing")
        << QByteArray("GET") << QByteArray() << QByteArray("/billing/x/1") << QByteArray("Matched")
        << "billing" << QByteArray("/x/1");
    QTest::newRow("retired gone") << QByteArray("GET") << QByteArray() << QByteArray("/old/thing")
                                  << QByteArray("Gone") << "retired-route" << QByteArray();
    QTest::newRow("deprecated still served")
        << QByteArray("POST") << QByteArray() << QByteArray("/legacy/a") << QByteArray("Matched")
        << "deprecated-route" << QByteArray("/legacy/a");
}

void TestRouteTable::match()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, outcome);
    QFETCH(QString, route);
    QFETCH(QByteArray, upstreamPath);

    const RouteMatch m = m_snapshot->routes().match(method, host, path);
    QCOMPARE(outcomeName(m.outcome), outcome);
    QCOMPARE(m.route ? m.route->name : QString(), route);
    if (m.outcome == RouteMatch::Outcome::Matched)
        QCOMPARE(m.upstreamPath, upstreamPath);
    else if (m.outcome == RouteMatch::Outcome::MethodNotAllowed)
        QCOMPARE(m.allowHeader(), upstreamPath);
    if (m.route)
        QCOMPARE(m.route->serviceIndex, m_snapshot->service(m.route->serviceName)->index);
}

void TestRouteTable::deprecatedHeaders()
{
    const qint64 before = QDateTime::currentSecsSinceEpoch();
    TargetHealthRegistry registry;
    const auto snapshot = ConfigSnapshot::build(normalizedConfig(routesYaml), registry, 1);
    const RouteMatch m = snapshot->routes().match("GET", "", "/legacy");
    QVERIFY(m.isMatched());
    const HttpHeaders &headers = m.extraHeaders();
    QCOMPARE(headers.size(), 2);
    QCOMPARE(headers.value("sunset"), QByteArray("Wed, 30 Jun 2027 00:00:00 GMT"));
    const QByteArray deprecation = headers.value("deprecation");
    QVERIFY2(deprecation.startsWith('@'), deprecation.constData()); // RFC 9745 sf-date
    const qint64 since = deprecation.mid(1).toLongLong();
    QVERIFY(since >= before && since <= QDateTime::currentSecsSinceEpoch());

    QVERIFY(snapshot->routes().match("GET", "", "/billing").extraHeaders().isEmpty());
    QVERIFY(RouteMatch().extraHeaders().isEmpty());
    QCOMPARE(
        CompiledRoute::httpDate(QDateTime(QDate(1994, 11, 6), QTime(8, 49, 37), QTimeZone::utc())),
        QByteArray("Sun, 06 Nov 1994 08:49:37 GMT"));
}

void TestRouteTable::deprecationDateSurvivesReload()
{
    TargetHealthRegistry registry;
    const QJsonObject config = normalizedConfig(routesYaml);
    const auto first = ConfigSnapshot::build(config, registry, 1);
    // Pretend the first snapshot was built long ago.
    const_cast<CompiledRoute *>(first->routes().find(QStringLiteral("deprecated-route")))
        ->deprecatedSince = 1700000000;
    const auto second = ConfigSnapshot::build(config, registry, 2, first.get());
    QCOMPARE(second->routes().match("GET", "", "/legacy").extraHeaders().value("Deprecation"),
             QByteArray("@1700000000"));
    QCOMPARE(second->generation(), quint64(2));
}

void TestRouteTable::compiledFields()
{
    const CompiledRoute *billing = m_snapshot->routes().find(QStringLiteral("billing"));
    QVERIFY(billing);
    QCOMPARE(billing->serviceName, QStringLiteral("svc-a"));
    QCOMPARE(billing->serviceIndex, 0);
    QVERIFY(billing->stripPath);
    QCOMPARE(billing->auth, CompiledRoute::Auth::Key); // default
    QCOMPARE(billing->state, CompiledRoute::State::Published);
    QCOMPARE(billing->maxBodyBytes, qint64(10 * 1024 * 1024));
    QCOMPARE(billing->methods, MethodSet(MethodSet::Get | MethodSet::Post));
    QCOMPARE(billing->json.value(QLatin1String("name")).toString(), QStringLiteral("billing"));
    const CompiledRoute *v2 = m_snapshot->routes().find(QStringLiteral("billing-v2"));
    QCOMPARE(v2->paths, QList<QByteArray>{"/billing/v2"});
    QCOMPARE(m_snapshot->routes().find(QStringLiteral("api-exact"))->hosts,
             QStringList{QStringLiteral("api.example.com")});
    // Drafts are listed (for the GUI) though never matched.
    QVERIFY(m_snapshot->routes().find(QStringLiteral("draft-route")));
    QCOMPARE(m_snapshot->routes().routes().size(), size_t(18));
}

void TestRouteTable::unknownServiceSkipped()
{
    QJsonObject config = normalizedConfig(routesYaml);
    QJsonArray routes = config.value(QLatin1String("routes")).toArray();
    QJsonObject broken = routes.at(0).toObject();
    broken.insert(QLatin1String("service"), QStringLiteral("missing"));
    routes[0] = broken;
    config.insert(QLatin1String("routes"), routes);

    TargetHealthRegistry registry;
    QTest::ignoreMessage(
        QtWarningMsg, "Routing: route \"billing\" refers to unknown service \"missing\"; skipped");
    const auto snapshot = ConfigSnapshot::build(config, registry, 1);
    QVERIFY(!snapshot->routes().find(QStringLiteral("billing")));
    QCOMPARE(snapshot->routes().match("GET", "", "/billing").outcome,
             RouteMatch::Outcome::NotFound);
    QCOMPARE(snapshot->routes().match("PUT", "", "/orders").route->name, QStringLiteral("orders"));
}

void TestRouteTable::stripSegments()
{
    QCOMPARE(RouteMatch::stripSegments("/billing/a%20b/c", 1), QByteArray("/a%20b/c"));
    QCOMPARE(RouteMatch::stripSegments("/a/b/c", 2), QByteArray("/c"));
    QCOMPARE(RouteMatch::stripSegments("/billing", 1), QByteArray("/"));
    QCOMPARE(RouteMatch::stripSegments("/billing/", 1), QByteArray("/"));
    QCOMPARE(RouteMatch::stripSegments("/x", 0), QByteArray("/x"));
    const RouteMatch m = m_snapshot->routes().match("GET", "", "/billing/v2/items");
    QCOMPARE(m.strippedSegments, 2);
    QCOMPARE(m_snapshot->routes().match("GET", "", "/orders").strippedSegments, 0);
}

void TestRouteTable::serviceTargets()
{
    const CompiledService *b = m_snapshot->service(QStringLiteral("svc-b"));
    QVERIFY(b);
    QCOMPARE(b->targets.size(), size_t(1));
    const ServiceTarget &t = b->targets.front();
    QCOMPARE(t.scheme, QByteArray("http"));
    QCOMPARE(t.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(t.port, quint16(9002));
    QCOMPARE(t.hostHeader, QByteArray("127.0.0.1:9002"));
    QCOMPARE(t.basePath, QByteArray("/base"));
    QCOMPARE(t.upstreamPath("/items"), QByteArray("/base/items"));
    QCOMPARE(t.upstreamPath("/"), QByteArray("/base/"));
    QVERIFY(t.health);
    QCOMPARE(b->timeoutMs, 30000);
    QCOMPARE(b->balance, CompiledService::Balance::RoundRobin);
    QVERIFY(!b->healthCheck);

    const auto https = ServiceTarget::fromUrl(QStringLiteral("https://[::1]/"), 2);
    QVERIFY(https);
    QCOMPARE(https->port, quint16(443));
    QCOMPARE(https->host, QStringLiteral("::1"));
    QCOMPARE(https->hostHeader, QByteArray("[::1]"));
    QCOMPARE(https->basePath, QByteArray());
    QCOMPARE(https->upstreamPath("/x"), QByteArray("/x"));
    QVERIFY(https->isHttps());
    QCOMPARE(ServiceTarget::fromUrl(QStringLiteral("http://Example.COM:8080/a"), 1)->hostHeader,
             QByteArray("example.com:8080"));
    QVERIFY(!ServiceTarget::fromUrl(QStringLiteral("ftp://x"), 1));
    QVERIFY(!ServiceTarget::fromUrl(QStringLiteral("/relative"), 1));
}

void TestRouteTable::snapshotPublication()
{
    SnapshotHolder holder;
    QVERIFY(holder.current());
    QCOMPARE(holder.current()->routes().routes().size(), size_t(0));

    WorkerRouting routing(holder, 42);
    std::shared_ptr<WorkerConfig> inFlight = routing.refresh();
    QCOMPARE(inFlight->match("GET", "", "/billing").outcome, RouteMatch::Outcome::NotFound);

    holder.publish(m_snapshot);
    const std::shared_ptr<WorkerConfig> next = routing.refresh();
    QVERIFY(next != inFlight); // new config for new requests ...
    QCOMPARE(next->generation(), quint64(1));
    QVERIFY(next->match("GET", "", "/billing").isMatched());
    QCOMPARE(inFlight->match("GET", "", "/billing").outcome,
             RouteMatch::Outcome::NotFound); // ... old kept
    QVERIFY(routing.refresh() == next);      // no publish: same object, nothing rebuilt
    QVERIFY(next->balancer(0));
    QVERIFY(!next->balancer(2));

    // A publish on another thread is seen by the next refresh.
    TargetHealthRegistry registry;
    const auto third = ConfigSnapshot::build(normalizedConfig(routesYaml), registry, 3);
    QThread *publisher = QThread::create([&] { holder.publish(third); });
    publisher->start();
    QVERIFY(publisher->wait(5000));
    delete publisher;
    QCOMPARE(routing.refresh()->generation(), quint64(3));
}

void TestRouteTable::measureCosts()
{
    // Not an assertion: prints the per-call cost of match() over a table of a few
    // hundred routes and of the per-request snapshot refresh.
    QByteArray yaml =
        "services:\n  - {name: s, targets: [{url: \"http://127.0.0.1:1\"}]}\nroutes:\n";
    for (int i = 0; i < 300; ++i) {
        const QByteArray n = QByteArray::number(i);
        yaml += "  - {name: r" + n + ", service: s, match: {paths: [/api" + n + "/v1, /api" + n +
                "/v2/items], methods: [GET]}}\n";
    }
    yaml += "  - {name: host, service: s, match: {hosts: [\"*.example.com\"], paths: [/x]}}\n";
    TargetHealthRegistry registry;
    const auto snapshot = ConfigSnapshot::build(normalizedConfig(yaml), registry, 1);
    const RouteTable &table = snapshot->routes();
    const QByteArray paths[] = {"/api150/v2/items/7", "/api299/v1", "/api0/v1/x", "/nothing/here"};

    constexpr int iterations = 1000000;
    int matched = 0;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < iterations; ++i)
        matched += table.match("GET", "api.example.com:4141", paths[i & 3]).isMatched();
    const double matchNs = double(timer.nsecsElapsed()) / iterations;
    QCOMPARE(matched, iterations / 4 * 3);

    SnapshotHolder holder(snapshot);
    WorkerRouting routing(holder, 1);
    quint64 sum = 0;
    timer.restart();
    for (int i = 0; i < iterations; ++i)
        sum += routing.refresh()->generation();
    const double refreshNs = double(timer.nsecsElapsed()) / iterations;
    timer.restart();
    for (int i = 0; i < iterations; ++i)
        sum += holder.current()->generation();
    const double currentNs = double(timer.nsecsElapsed()) / iterations;
    timer.restart();
    for (int i = 0; i < iterations; ++i) {
        std::shared_ptr<WorkerConfig> perRequest = routing.refresh(); // what a request holds
        sum += perRequest->generation();
    }
    const double holdNs = double(timer.nsecsElapsed()) / iterations;

    // current() with 4 threads hammering the same holder: the shared cost workers avoid.
    std::atomic<bool> go{false};
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads.append(QThread::create([&] {
            while (!go.load())
                ;
            for (int i = 0; i < iterations / 4; ++i)
                holder.current();
        }));
        threads.back()->start();
    }
    timer.restart();
    go = true;
    for (QThread *thread : std::as_const(threads)) {
        thread->wait();
        delete thread;
    }
    const double contendedNs = double(timer.nsecsElapsed()) / (iterations / 4);
    QVERIFY(sum > 0);
    qInfo("match() over %zu routes: %.0f ns/op; WorkerRouting::refresh(): %.1f ns/op; "
          "refresh() + holding the WorkerConfig: %.1f ns/op; SnapshotHolder::current(): %.1f ns/op "
          "uncontended, %.0f ns/op per thread with 4 threads",
          table.routes().size(), matchNs, refreshNs, holdNs, currentNs, contendedNs);
}

QTEST_GUILESS_MAIN(TestRouteTable)
#include "tst_routetable.moc"
