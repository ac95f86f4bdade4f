// The catalog's HTTP side on a real gatehoused: /_gatehouse/portal/ and
// /_gatehouse/openapi.json answers, redirects, refusals and headers, the Host header never
// reaching the page unchecked, and settings.ip applying. The documents' content and the
// OpenAPI validation are tests/clients/catalog.test.mjs; escaping rules tst_portal.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "RawHttp.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace gh::test;

class TestCatalog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<DaemonProcess> m_daemon;

    RawResponse raw(const QByteArray &method, const QByteArray &target, const QByteArray &host)
    {
        RawConnection connection;
        if (!connection.connectTo(m_daemon->gatewayUrl()))
            return {};
        if (!connection.send(rawRequest(method, target, host)))
            return {};
        return connection.read(10000, method == "HEAD");
    }

    QByteArray host() const { return QUrl(m_daemon->gatewayUrl()).authority().toUtf8(); }

    bool putConfig(const QByteArray &json)
    {
        const HttpResult r =
            HttpClient::request("PUT", m_daemon->adminUrl() + QStringLiteral("/config"), json,
                                {{"Authorization", "Bearer " + m_daemon->adminToken().toUtf8()},
                                 {"Content-Type", "application/json"}});
        if (r.status != 200)
            qWarning("PUT /config: %d %s", r.status, r.body.constData());
        return r.status == 200;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QFile config(m_tmp.filePath(QStringLiteral("catalog.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(
            "services:\n"
            "  - {name: s, targets: [{url: \"http://127.0.0.1:9\"}]}\n"
            "routes:\n"
            "  - {name: billing, match: {paths: [/billing]}, service: s, description: \"Bills\"}\n"
            "  - {name: drafty, match: {paths: [/drafty]}, service: s, state: draft}\n");
        config.close();
        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start({QStringLiteral("--config"), config.fileName()}),
                 m_daemon->standardError().constData());
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->terminate(), 0);
    }

    void portalAnswers()
    {
        const RawResponse r = raw("GET", "/_gatehouse/portal/", host());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), QByteArray("text/html; charset=utf-8"));
        QCOMPARE(r.header("content-security-policy"),
                 QByteArray("default-src 'none'; style-src 'unsafe-inline'"));
        QCOMPARE(r.header("x-content-type-options"), QByteArray("nosniff"));
        QCOMPARE(r.header("referrer-policy"), QByteArray("no-referrer"));
        QVERIFY(!r.header("x-gatehouse-request-id").isEmpty());
        QVERIFY(r.body.contains("<h3>billing</h3>"));
        QVERIFY(r.body.contains("Bills"));
        QVERIFY(!r.body.contains("drafty"));
        QVERIFY(!r.body.contains("127.0.0.1:9")); // upstreams stay private
        // The examples use the address the page was asked for.
        QVERIFY(r.body.contains("http://" + host() + "/billing"));
    }

    void openApiAnswers()
    {
        const HttpResult r =
            HttpClient::request("GET", m_daemon->gatewayUrl() + "/_gatehouse/openapi.json");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        const QJsonObject doc = r.json().object();
        QCOMPARE(doc.value("openapi").toString(), QStringLiteral("3.1.0"));
        QVERIFY(doc.value("paths").toObject().contains("/billing"));
        QVERIFY(!doc.value("paths").toObject().contains("/drafty"));
    }

    void headHasNoBody()
    {
        const RawResponse get = raw("GET", "/_gatehouse/openapi.json", host());
        const RawResponse head = raw("HEAD", "/_gatehouse/openapi.json", host());
        QCOMPARE(head.status, 200);
        QVERIFY(head.body.isEmpty());
        QCOMPARE(head.header("content-length"), QByteArray::number(get.body.size()));
    }

    void redirectsAndRefusals()
    {
        const RawResponse bare = raw("GET", "/_gatehouse/portal", host());
        QCOMPARE(bare.status, 301);
        QCOMPARE(bare.header("location"), QByteArray("/_gatehouse/portal/"));

        const RawResponse missing = raw("GET", "/_gatehouse/portal/nothing.css", host());
        QCOMPARE(missing.status, 404);
        QVERIFY(missing.body.contains("/_gatehouse/portal/"));

        for (const QByteArray method : {"POST", "PUT", "DELETE"}) {
            for (const QByteArray path : {"/_gatehouse/portal/", "/_gatehouse/openapi.json"}) {
                const RawResponse refused = raw(method, path, host());
                QCOMPARE(refused.status, 405);
                QCOMPARE(refused.header("allow"), QByteArray("GET, HEAD"));
                QVERIFY(refused.body.contains("\"error\""));
            }
        }
        // Only the exact names are the catalog's: a look-alike is an ordinary 404.
        QCOMPARE(raw("GET", "/_gatehouse/portalx", host()).status, 404);
        QCOMPARE(raw("GET", "/_gatehouse/openapi.json/x", host()).status, 404);
    }

    void hostileHostNeverReachesThePage_data()
    {
        QTest::addColumn<QByteArray>("hostHeader");
        QTest::newRow("markup") << QByteArray("x\"><script>alert(1)</script>");
        QTest::newRow("path") << QByteArray("evil.example/phish");
        QTest::newRow("userinfo") << QByteArray("user@evil.example");
    }

    void hostileHostNeverReachesThePage()
    {
        QFETCH(QByteArray, hostHeader);
        const RawResponse r = raw("GET", "/_gatehouse/portal/", hostHeader);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.contains("<script"));
        QVERIFY(!r.body.contains("evil.example"));
        QVERIFY(r.body.contains("http://127.0.0.1:4141/billing"));
    }

    // Last: it locks the test client out.
    void ipRulesApply()
    {
        QVERIFY(putConfig(R"({"settings": {"ip": {"deny": ["127.0.0.0/8", "::1"]}}})"));
        for (const QByteArray path : {"/_gatehouse/portal/", "/_gatehouse/openapi.json"}) {
            const RawResponse r = raw("GET", path, host());
            QCOMPARE(r.status, 403);
            QVERIFY(r.body.contains("ip_not_allowed"));
        }
        QVERIFY(putConfig(R"({"settings": {}})"));
        QCOMPARE(raw("GET", "/_gatehouse/portal/", host()).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
