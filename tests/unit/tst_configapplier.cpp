// Applying a config to the store and exporting it back (SPEC §3 apply semantics).
#include "config/ConfigApplier.h"
#include "config/ConfigExporter.h"
#include "config/ConfigLoader.h"
#include "config/ConfigService.h"
#include "config/ConfigValidator.h"
#include "policy/ApiKey.h"
#include "secrets/MemorySecretStore.h"
#include "secrets/SecretResolver.h"
#include "store/Store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace gh;

class TestConfigApplier : public QObject
{
    Q_OBJECT

private:
    QJsonObject load(const QByteArray &yaml)
    {
        ConfigDocument doc = ConfigLoader::parse(yaml, ConfigFormat::Yaml);
        if (!doc.problems.isEmpty())
            qWarning() << doc.problems.first().toString();
        const ConfigProblems problems = ConfigValidator::validate(doc.root);
        for (const ConfigProblem &p : problems)
            qWarning() << p.toString();
        return problems.isEmpty() ? doc.root : QJsonObject();
    }

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<Store> m_store;
    MemorySecretStore m_secrets;
    QProcessEnvironment m_env;
    std::unique_ptr<SecretResolver> m_resolver;

private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        m_store = std::make_unique<Store>();
        QString error;
        QVERIFY2(m_store->open(m_tmp->path(), &error), qPrintable(error));
        m_env = QProcessEnvironment();
        m_env.insert(QStringLiteral("GATEHOUSE_KEY"), QStringLiteral("gh-secret-from-environment-123"));
        m_env.insert(QStringLiteral("SAME_KEY"), QStringLiteral("gh-secret-from-environment-123"));
        m_resolver = std::make_unique<SecretResolver>(&m_secrets, m_env);
    }

    void presentSectionsReplaceAbsentOnesStay()
    {
        ConfigApplier applier(*m_store, *m_resolver);
        QJsonObject root = load("services:\n"
                                "  - {name: a, targets: [{url: 'http://127.0.0.1:1'}]}\n"
                                "  - {name: b, targets: [{url: 'http://127.0.0.1:2'}]}\n"
                                "routes:\n"
                                "  - {name: r, match: {paths: [/r]}, service: a}\n");
        QVERIFY(!root.isEmpty());
        ConfigApplier::Result result = applier.apply(root);
        QVERIFY(result.ok);
        QCOMPARE(result.sections, (QStringList{QStringLiteral("services"), QStringLiteral("routes")}));

        root = load("services:\n  - {name: a, targets: [{url: 'http://127.0.0.1:9'}]}\n");
        result = applier.apply(root);
        QVERIFY(result.ok);
        QCOMPARE(m_store->entities(EntityKind::Service).names(), QStringList{QStringLiteral("a")});
        QCOMPARE(m_store->entities(EntityKind::Route).names(), QStringList{QStringLiteral("r")});
    }

    // ConfigService (admin API, desktop editors) checks prompt API paths against the store.
    void promptApiPathsAreCheckedAgainstTheStore()
    {
        ConfigService service(*m_store, *m_resolver);
        QJsonObject root = load("providers: [{name: p, type: ollama}]\n"
                                "models: [{name: fast, targets: [{provider: p, model: m}]}]\n"
                                "services: [{name: s, targets: [{url: 'http://127.0.0.1:1'}]}]\n"
                                "routes: [{name: r, match: {paths: [/billing]}, service: s}]\n"
                                "prompt_apis: [{name: p, path: /prompts/p, model: fast, "
                                "template: t}]\n");
        QVERIFY(!root.isEmpty());
        QVERIFY(service.applyDocument(root).ok());

        const ConfigContext context = ConfigService::contextOf(*m_store);
        QCOMPARE(context.existingPaths.value(EntityKind::Route).value("r"),
                 QStringList{"/billing"});
        QCOMPARE(context.existingPaths.value(EntityKind::PromptApi).value("p"),
                 QStringList{"/prompts/p"});

        ConfigService::Result result = service.putEntity(
            EntityKind::PromptApi, "q",
            QJsonDocument::fromJson(R"({"path": "/billing/", "model": "fast", "template": "t"})")
                .object());
        QCOMPARE(result.status, ConfigService::Status::Invalid);
        QCOMPARE(result.problems.first().toString(),
                 QStringLiteral("path: \"/billing\" is also the path of route \"r\"; a prompt "
                                "API needs a path of its own"));
        result = service.putEntity(
            EntityKind::Route, "r2",
            QJsonDocument::fromJson(R"({"match": {"paths": ["/prompts/p"]}, "service": "s"})")
                .object());
        QCOMPARE(result.status, ConfigService::Status::Invalid);
        QCOMPARE(result.problems.first().toString(),
                 QStringLiteral("match.paths[0]: \"/prompts/p\" is the path of prompt API \"p\"; "
                                "a route cannot also use it"));
        // Replacing the prompt API itself keeps its path.
        result = service.putEntity(
            EntityKind::PromptApi, "p",
            QJsonDocument::fromJson(R"({"path": "/prompts/p", "model": "fast", "template": "u"})")
                .object());
        QVERIFY2(
            result.ok(),
            qPrintable(result.problems.isEmpty() ? QString() : result.problems.first().toString()));
        // A document replacing the routes only meets the stored prompt APIs.
        root = load("services: [{name: s, targets: [{url: 'http://127.0.0.1:1'}]}]\n"
                    "routes: [{name: r, match: {paths: [/billing]}, service: s}]\n");
        QVERIFY(!root.isEmpty());
        QJsonArray routes = root.value("routes").toArray();
        QJsonObject route = routes.first().toObject();
        route.insert("match", QJsonObject{{"paths", QJsonArray{"/prompts/p"}}});
        routes.replace(0, route);
        root.insert("routes", routes);
        result = service.applyDocument(root);
        QCOMPARE(result.status, ConfigService::Status::Invalid);
    }

    void consumerKeysAreStoredAsHashesOnly()
    {
        ConfigApplier applier(*m_store, *m_resolver);
        const QJsonObject root = load("consumers:\n"
                                      "  - name: me\n"
                                      "    keys: ['${env:GATEHOUSE_KEY}', gh-a-literal-key-of-some-length]\n");
        QVERIFY(!root.isEmpty());
        const ConfigApplier::Result result = applier.apply(root);
        QVERIFY(result.ok);
        QVERIFY(result.warnings.isEmpty());
        const QList<ConsumerKey> keys = m_store->consumerKeys().list(QStringLiteral("me"));
        QCOMPARE(keys.size(), 2);
        QCOMPARE(keys[0].hash, ApiKey::hash(QStringLiteral("gh-secret-from-environment-123")));
        QCOMPARE(keys[0].reference, QStringLiteral("${env:GATEHOUSE_KEY}"));
        QCOMPARE(keys[1].hash, ApiKey::hash(QStringLiteral("gh-a-literal-key-of-some-length")));

        // The raw keys are nowhere in the database file or the export.
        m_store->database().exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        QFile db(m_tmp->filePath(Store::fileName()));
        QVERIFY(db.open(QIODevice::ReadOnly));
        const QByteArray bytes = db.readAll();
        QVERIFY(!bytes.contains("gh-secret-from-environment-123"));
        QVERIFY(!bytes.contains("gh-a-literal-key-of-some-length"));
        const QByteArray exported = QJsonDocument(ConfigExporter(*m_store).exportAll()).toJson();
        QVERIFY(!exported.contains("gh-secret-from-environment-123"));
        QVERIFY(!exported.contains("gh-a-literal-key-of-some-length"));
        QVERIFY(exported.contains("${env:GATEHOUSE_KEY}"));
        QVERIFY(exported.contains("sha256:" + ApiKey::hash(QStringLiteral("gh-a-literal-key-of-some-length")).toLatin1()));
    }

    void unresolvableKeyIsAWarningNotAFailure()
    {
        ConfigApplier applier(*m_store, *m_resolver);
        const QJsonObject root = load("consumers:\n  - {name: me, keys: ['${env:MISSING_KEY}']}\n");
        const ConfigApplier::Result result = applier.apply(root);
        QVERIFY(result.ok);
        QCOMPARE(result.warnings.size(), 1);
        QVERIFY2(result.warnings.first().startsWith(
                     QStringLiteral("consumers[0].keys[0]: ${env:MISSING_KEY}: environment variable MISSING_KEY is not set")),
                 qPrintable(result.warnings.first()));
        const QList<ConsumerKey> keys = m_store->consumerKeys().list(QStringLiteral("me"));
        QCOMPARE(keys.size(), 1);
        QVERIFY(keys.first().hash.isEmpty());
    }

    void duplicateKeysAreRefusedAndNothingChanges()
    {
        ConfigApplier applier(*m_store, *m_resolver);
        QVERIFY(applier.apply(load("services:\n  - {name: keep, targets: [{url: 'http://127.0.0.1:1'}]}\n")).ok);
        const QJsonObject root = load("services: []\n"
                                      "consumers:\n"
                                      "  - {name: a, keys: ['${env:GATEHOUSE_KEY}']}\n"
                                      "  - {name: b, keys: ['${env:SAME_KEY}']}\n");
        QVERIFY(!root.isEmpty()); // two references: only resolving them shows they are one key
        const ConfigApplier::Result result = applier.apply(root);
        QVERIFY(!result.ok);
        QCOMPARE(result.problems.first().toString(),
                 QStringLiteral("consumers[1].keys: [0]: the same key is configured twice"));
        // All or nothing: the services section was not emptied.
        QCOMPARE(m_store->entities(EntityKind::Service).names(), QStringList{QStringLiteral("keep")});
        QVERIFY(m_store->entities(EntityKind::Consumer).names().isEmpty());
    }

    void exportAppliesBackToTheSameStore()
    {
        ConfigApplier applier(*m_store, *m_resolver);
        QFile example(QStringLiteral(GATEHOUSE_SOURCE_DIR "/examples/gatehouse.yaml"));
        QVERIFY(example.open(QIODevice::ReadOnly));
        const QJsonObject root = load(example.readAll());
        QVERIFY(!root.isEmpty());
        QVERIFY(applier.apply(root).ok);
        const QJsonObject first = ConfigExporter(*m_store).exportAll();

        QTemporaryDir other;
        Store second;
        QString error;
        QVERIFY(second.open(other.path(), &error));
        QJsonObject again = first;
        QVERIFY(ConfigValidator::validate(again).isEmpty());
        QVERIFY(ConfigApplier(second, *m_resolver).apply(again).ok);
        QCOMPARE(ConfigExporter(second).exportAll(), first);
    }
};

QTEST_GUILESS_MAIN(TestConfigApplier)
#include "tst_configapplier.moc"
