// Bundles through the admin API of real gatehoused processes: export from one, preview
// and apply into an empty one, and the round trip is identical; merge and replace; every
// refusal, and a refused apply changes nothing. Pure rules: tst_configbundle.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "ScriptedUpstream.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace gh::test;

namespace {

QStringList changeNames(const QJsonObject &plan, const char *type)
{
    QStringList out;
    for (const QJsonValue &v : plan.value(QLatin1String(type)).toArray())
        out << v.toObject().value("kind").toString() + ":" + v.toObject().value("name").toString();
    return out;
}

// A YAML bundle without its header (the export time differs between two exports).
QByteArray withoutHeader(const QByteArray &yaml)
{
    QList<QByteArray> lines = yaml.split('\n');
    QList<QByteArray> kept;
    bool inHeader = false;
    for (const QByteArray &line : lines) {
        if (line.startsWith("gatehouse_bundle:")) {
            inHeader = true;
            continue;
        }
        if (inHeader && line.startsWith(' '))
            continue;
        inHeader = false;
        kept << line;
    }
    return kept.join('\n');
}

} // namespace

class TestBundles : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<ScriptedUpstream> m_upstream;
    std::unique_ptr<DaemonProcess> m_source;
    std::unique_ptr<DaemonProcess> m_target;

    static HttpResult admin(DaemonProcess &daemon, const QByteArray &method, const QString &path,
                            const QByteArray &body = {}, const QByteArray &contentType = "application/json")
    {
        return HttpClient::request(method, daemon.adminUrl() + path, body,
                                   {{"Authorization", "Bearer " + daemon.adminToken().toUtf8()},
                                    {"Content-Type", contentType}});
    }

    QByteArray exportFrom(DaemonProcess &daemon)
    {
        const HttpResult r = admin(daemon, "POST", QStringLiteral("/bundles/export"),
                                   R"({"routes": ["orders"], "prompt_apis": ["summarize"]})");
        if (r.status != 200)
            qWarning("export: %d %s", r.status, r.body.constData());
        return r.status == 200 ? r.body : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_upstream = std::make_unique<ScriptedUpstream>(
            [](const SeenRequest &) { return UpstreamReply::respond(200, "orders!\n"); });
        QVERIFY(m_upstream->start());
        qputenv("GH_BUNDLE_TEST_KEY", "sk-bundle-test");
        QFile config(m_tmp.filePath(QStringLiteral("source.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral(
                         "providers:\n"
                         "  - {name: oa, type: openai, base_url: \"http://127.0.0.1:9/v1\", api_key: \"${env:GH_BUNDLE_TEST_KEY}\"}\n"
                         "  - {name: local, type: ollama}\n"
                         "models:\n"
                         "  - {name: fast, targets: [{provider: oa, model: gpt-4o-mini}], fallbacks: [backup]}\n"
                         "  - {name: backup, targets: [{provider: local, model: llama3}]}\n"
                         "prices:\n"
                         "  - {provider: oa, model: gpt-4o-mini, input: 0.15, output: 0.6}\n"
                         "consumers:\n"
                         "  - {name: me, keys: [\"${env:GH_BUNDLE_TEST_KEY}\"]}\n"
                         "services:\n"
                         "  - {name: shop, targets: [{url: \"%1\"}]}\n"
                         "  - {name: other, targets: [{url: \"%1\"}]}\n"
                         "routes:\n"
                         "  - {name: orders, match: {paths: [/orders]}, service: shop, auth: none, description: Orders}\n"
                         "  - {name: unrelated, match: {paths: [/unrelated]}, service: other}\n"
                         "prompt_apis:\n"
                         "  - name: summarize\n"
                         "    path: /prompts/summarize\n"
                         "    model: fast\n"
                         "    template: \"Summarize: {{text}}\"\n"
                         "    inputs: {text: {type: string, required: true, max_length: 1000}}\n")
                         .arg(m_upstream->url())
                         .toUtf8());
        config.close();
        m_source = std::make_unique<DaemonProcess>();
        QVERIFY2(m_source->start({QStringLiteral("--config"), config.fileName()}), m_source->standardError().constData());
        m_target = std::make_unique<DaemonProcess>();
        QVERIFY2(m_target->start(), m_target->standardError().constData());
    }

    void cleanupTestCase()
    {
        for (auto *daemon : {m_source.get(), m_target.get()}) {
            if (daemon)
                QCOMPARE(daemon->terminate(), 0);
        }
    }

    void exportCarriesSelectionAndDependencies()
    {
        const HttpResult r = admin(*m_source, "POST", QStringLiteral("/bundles/export?format=json"),
                                   R"({"routes": ["orders"], "prompt_apis": ["summarize"]})");
        QCOMPARE(r.status, 200);
        const QJsonObject bundle = r.json().object();
        QCOMPARE(bundle.value("gatehouse_bundle").toObject().value("format").toInt(), 1);
        QCOMPARE(bundle.value("routes").toArray().size(), 1);
        QCOMPARE(bundle.value("services").toArray().size(), 1); // shop, not other
        QCOMPARE(bundle.value("models").toArray().size(), 2);   // fast and its fallback
        QCOMPARE(bundle.value("providers").toArray().size(), 2);
        QCOMPARE(bundle.value("prices").toArray().size(), 1);
        QVERIFY(!bundle.contains("consumers"));
        QVERIFY(!bundle.contains("settings"));
        QVERIFY(!r.body.contains("sk-bundle-test"));
        QVERIFY(r.body.contains("${env:GH_BUNDLE_TEST_KEY}"));

        const HttpResult yaml = admin(*m_source, "POST", QStringLiteral("/bundles/export"),
                                      R"({"routes": ["orders"], "dependencies": false})");
        QCOMPARE(yaml.status, 200);
        QVERIFY(yaml.header("content-type").startsWith("application/yaml"));
        QVERIFY(yaml.header("content-disposition").contains("gatehouse-bundle.yaml"));
        QVERIFY(yaml.body.contains("orders"));
        QVERIFY(!yaml.body.contains("services:"));
    }

    void roundTripIntoAnEmptyStore()
    {
        const QByteArray bundle = exportFrom(*m_source);
        QVERIFY(!bundle.isEmpty());

        const HttpResult preview = admin(*m_target, "POST", QStringLiteral("/bundles/preview"), bundle,
                                         "application/yaml");
        QCOMPARE(preview.status, 200);
        const QJsonObject plan = preview.json().object();
        QCOMPARE(plan.value("mode").toString(), QStringLiteral("merge"));
        QCOMPARE(changeNames(plan, "add"),
                 (QStringList{"providers:local", "providers:oa", "models:backup", "models:fast",
                              "prices:oa/gpt-4o-mini", "services:shop", "routes:orders", "prompt_apis:summarize"}));
        QVERIFY(changeNames(plan, "change").isEmpty());
        QVERIFY(changeNames(plan, "remove").isEmpty());
        QCOMPARE(plan.value("warnings").toArray().size(), 1); // oa's key comes from this machine's env
        // A preview changes nothing.
        QCOMPARE(admin(*m_target, "GET", QStringLiteral("/routes")).json().array().size(), 0);

        const HttpResult applied = admin(*m_target, "POST", QStringLiteral("/bundles/apply"), bundle,
                                         "application/yaml");
        QCOMPARE(applied.status, 200);
        QVERIFY(applied.json().object().value("applied").toBool());
        // Live at once: the imported route answers.
        const HttpResult routed = HttpClient::request("GET", m_target->gatewayUrl() + "/orders/1");
        QCOMPARE(routed.status, 200);
        QCOMPARE(routed.body, QByteArray("orders!\n"));

        // Exported again from the importer: identical.
        QCOMPARE(withoutHeader(exportFrom(*m_target)), withoutHeader(bundle));
        // And importing again is all "unchanged".
        const QJsonObject again =
            admin(*m_target, "POST", QStringLiteral("/bundles/preview"), bundle, "application/yaml").json().object();
        QVERIFY(changeNames(again, "add").isEmpty());
        QVERIFY(changeNames(again, "change").isEmpty());
        QCOMPARE(changeNames(again, "unchanged").size(), 8);
    }

    void mergeChangesReplaceRemoves()
    {
        const QByteArray change = R"({"routes": [{"name": "orders", "match": {"paths": ["/orders"]}, "service": "shop",
                                      "auth": "none", "description": "Orders, v2"},
                                     {"name": "extra", "match": {"paths": ["/extra"]}, "service": "shop", "auth": "none"}]})";
        QJsonObject plan = admin(*m_target, "POST", QStringLiteral("/bundles/preview"), change).json().object();
        QCOMPARE(changeNames(plan, "add"), QStringList{"routes:extra"});
        QCOMPARE(changeNames(plan, "change"), QStringList{"routes:orders"});
        QCOMPARE(plan.value("change").toArray().first().toObject().value("fields").toArray(), QJsonArray{"description"});

        const QByteArray replace = R"({"routes": [{"name": "extra", "match": {"paths": ["/extra"]}, "service": "shop", "auth": "none"}]})";
        plan = admin(*m_target, "POST", QStringLiteral("/bundles/preview?mode=replace"), replace).json().object();
        QCOMPARE(plan.value("mode").toString(), QStringLiteral("replace"));
        QCOMPARE(changeNames(plan, "add"), QStringList{"routes:extra"});
        QCOMPARE(changeNames(plan, "remove"), QStringList{"routes:orders"});
        QCOMPARE(admin(*m_target, "POST", QStringLiteral("/bundles/apply?mode=replace"), replace).status, 200);
        QCOMPARE(HttpClient::request("GET", m_target->gatewayUrl() + "/orders/1").status, 404);
        QCOMPARE(HttpClient::request("GET", m_target->gatewayUrl() + "/extra").status, 200);
    }

    void refusalsChangeNothing()
    {
        const QByteArray before = admin(*m_target, "GET", QStringLiteral("/config")).body;
        struct Row
        {
            QByteArray method;
            QString path;
            QByteArray body;
            int status;
            QByteArray says;
        };
        const QList<Row> rows = {
            {"GET", "/bundles/export", {}, 405, "use POST /bundles/export"},
            {"PUT", "/bundles/apply", "{}", 405, "use POST /bundles/apply"},
            {"POST", "/bundles/nope", "{}", 404, "/bundles/export"},
            {"POST", "/bundles/preview", "", 400, "request body is empty"},
            {"POST", "/bundles/preview", "{not json", 400, "error"},
            {"POST", "/bundles/preview?mode=sideways", "{}", 400, "must be merge or replace"},
            {"POST", "/bundles/apply", R"({"consumers": [{"name": "x", "keys": []}]})", 400, "cannot carry consumers"},
            {"POST", "/bundles/apply", R"({"settings": {"ai_auth": "none"}})", 400, "cannot carry settings"},
            {"POST", "/bundles/apply", R"({"routes": [{"name": "r", "match": {"paths": ["/r"]}, "service": "ghost"}]})", 400,
             "unknown service"},
            {"POST", "/bundles/apply", R"({"providers": [{"name": "p", "type": "openai", "api_key": "sk-plain-bundle"}]})",
             400, "api_key"},
            {"POST", "/bundles/apply?mode=replace", R"({"services": [{"name": "lonely", "targets": [{"url": "http:\/\/127.0.0.1:1"}]}]})",
             400, "still uses service"},
            {"POST", "/bundles/export", R"({"routes": ["ghost"]})", 404, "no route"},
            {"POST", "/bundles/export", R"({"consumers": ["me"]})", 400, "cannot carry consumers"},
            {"POST", "/bundles/export", R"({"routez": ["x"]})", 400, "unknown section"},
            {"POST", "/bundles/export", R"({"routes": "orders"})", 400, "must be a list of names"},
            {"POST", "/bundles/export", R"({"routes": ["extra"], "dependencies": "yes"})", 400, "true or false"},
            {"POST", "/bundles/export", "{}", 400, "select at least one entity"},
        };
        for (const Row &row : rows) {
            const HttpResult r = admin(*m_target, row.method, row.path, row.body);
            QVERIFY2(r.status == row.status, qPrintable(QStringLiteral("%1 %2: %3 %4").arg(QString::fromLatin1(row.method), row.path).arg(r.status).arg(QString::fromUtf8(r.body))));
            QVERIFY2(r.body.contains(row.says), qPrintable(row.path + ": " + QString::fromUtf8(r.body)));
            QVERIFY(!r.body.contains("sk-plain-bundle"));
        }
        QCOMPARE(admin(*m_target, "GET", QStringLiteral("/config")).body, before);
        // Without the admin token: 401 like every admin endpoint.
        QCOMPARE(HttpClient::request("POST", m_target->adminUrl() + "/bundles/preview", "{}").status, 401);
    }
};

QTEST_GUILESS_MAIN(TestBundles)
#include "tst_bundles.moc"
