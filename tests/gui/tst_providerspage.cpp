#include "EntityEditorPage.h"
#include "EntityForm.h"
#include "Gateway.h"
#include "MainWindow.h"
#include "ModelForm.h"
#include "ModelTargetsModel.h"
#include "ProblemDisplay.h"
#include "ProviderEditorPage.h"
#include "ProviderForm.h"
#include "ScriptedUpstream.h"
#include "ai/ProviderModelLister.h"
#include "secrets/MemorySecretStore.h"

#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QNetworkProxy>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStringListModel>
#include <QTableView>
#include <QTest>

#include "TestGateway.h"

using namespace gh;
using gh::test::ScriptedUpstream;
using gh::test::SeenRequest;
using gh::test::TestGateway;
using gh::test::UpstreamReply;

namespace {

// A machine without a Secret Service: every write fails the way KeychainSecretStore does.
class NoKeychainStore : public SecretStore
{
public:
    SecretResult read(const QString &) override { return SecretResult::noBackend(); }
    SecretResult write(const QString &, const QString &) override
    {
        ++writes;
        return SecretResult::noBackend();
    }
    SecretResult remove(const QString &) override { return SecretResult::noBackend(); }
    QString backendName() const override { return QStringLiteral("none"); }

    int writes = 0;
};

// GATEHOUSE_SCREENSHOTS=DIR saves what the pages look like, for docs and reviews.
void maybeScreenshot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("GATEHOUSE_SCREENSHOTS");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QTest::qWait(50); // let pending layouts settle
        window->grab().save(QStringLiteral("%1/%2.png").arg(dir, name));
    }
}

template <typename T> T *child(QWidget *root, const char *name)
{
    T *widget = root->findChild<T *>(QLatin1String(name));
    if (!widget)
        qWarning() << "no" << name;
    return widget;
}

QPushButton *button(QWidget *root, const char *name)
{
    return child<QPushButton>(root, name);
}

void typeInto(QWidget *widget, const QString &text)
{
    widget->setFocus();
    QTest::keyClicks(widget, text);
}

// Every byte of every file in the data dir (the database, its WAL, the admin token).
QByteArray dataDirBytes(const QString &dir)
{
    QByteArray all;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly))
            all += file.readAll();
    }
    return all;
}

QByteArray allEntities(const Gateway &gateway)
{
    QByteArray all;
    for (EntityKind kind :
         {EntityKind::Provider, EntityKind::Model, EntityKind::Consumer, EntityKind::Route,
          EntityKind::Service, EntityKind::Price, EntityKind::PromptApi}) {
        for (const QJsonObject &entity : gateway.entities(kind))
            all += QJsonDocument(entity).toJson(QJsonDocument::Compact);
    }
    return all;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A provider listing endpoint of every dialect: answers by path.
UpstreamReply listing(const SeenRequest &request)
{
    const qsizetype query = request.target.indexOf('?');
    const QByteArray path = query < 0 ? request.target : request.target.left(query);
    const QList<std::pair<QByteArray, QByteArray>> type{{"Content-Type", "application/json"}};
    if (path == "/v1/models" || path == "/openai/models")
        return UpstreamReply::respond(
            200, R"({"object":"list","data":[{"id":"model-b"},{"id":"model-a"}]})", type);
    if (path == "/v1beta/models")
        return UpstreamReply::respond(
            200, R"({"models":[{"name":"models/gemini-x"},{"name":"models/gemini-a"}]})", type);
    if (path == "/api/tags")
        return UpstreamReply::respond(200, R"({"models":[{"name":"llama3.2:latest"}]})", type);
    return UpstreamReply::respond(404, R"({"error":{"message":"no such path"}})", type);
}

struct Listed
{
    bool ok = false;
    QStringList models;
    QString error;
};

Listed listWith(const QJsonObject &provider, const QString &key, int timeoutMs = 5000)
{
    ProviderModelLister lister;
    lister.setTimeoutMs(timeoutMs);
    QSignalSpy finished(&lister, &ProviderModelLister::finished);
    QSignalSpy failed(&lister, &ProviderModelLister::failed);
    lister.list(provider, key);
    if (!QTest::qWaitFor([&] { return finished.size() + failed.size() > 0; }, timeoutMs + 5000))
        return {false, {}, QStringLiteral("no signal")};
    if (finished.size() + failed.size() != 1)
        return {false, {}, QStringLiteral("more than one signal")};
    if (!finished.isEmpty())
        return {true, finished.first().first().toStringList(), {}};
    return {false, {}, failed.first().first().toString()};
}

} // namespace

class TestProvidersPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void listerSpeaksEachDialect_data();
    void listerSpeaksEachDialect();
    void listerExplainsFailures();
    void newProviderKeyGoesToKeychainOnly();
    void noKeychainShowsErrorAndSavesNothing();
    void referencesAreKeptAsTyped();
    void newKeyForUnchangedProvider();
    void testConnectionListsModels();
    void modelsPageReordersFallbacksAndSaves();
};

void TestProvidersPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

void TestProvidersPage::init()
{
    QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse")).clear();
}

void TestProvidersPage::listerSpeaksEachDialect_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("basePath");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("keyHeader");
    QTest::addColumn<QByteArray>("keyValue");
    QTest::addColumn<QStringList>("models");

    const QStringList openAiModels{QStringLiteral("model-a"), QStringLiteral("model-b")};
    QTest::newRow("openai") << "openai"
                            << "/v1" << QByteArray("/v1/models") << QByteArray("authorization")
                            << QByteArray("Bearer k-1") << openAiModels;
    QTest::newRow("groq") << "groq"
                          << "/v1/" << QByteArray("/v1/models") << QByteArray("authorization")
                          << QByteArray("Bearer k-1") << openAiModels;
    QTest::newRow("azure") << "azure-openai"
                           << "" << QByteArray("/openai/models?api-version=2024-10-21")
                           << QByteArray("api-key") << QByteArray("k-1") << openAiModels;
    QTest::newRow("anthropic") << "anthropic"
                               << "" << QByteArray("/v1/models?limit=1000")
                               << QByteArray("x-api-key") << QByteArray("k-1") << openAiModels;
    QTest::newRow("gemini") << "gemini"
                            << "/v1beta" << QByteArray("/v1beta/models?pageSize=1000")
                            << QByteArray("x-goog-api-key") << QByteArray("k-1")
                            << QStringList{QStringLiteral("gemini-a"), QStringLiteral("gemini-x")};
    QTest::newRow("ollama") << "ollama"
                            << "" << QByteArray("/api/tags") << QByteArray("authorization")
                            << QByteArray("Bearer k-1")
                            << QStringList{QStringLiteral("llama3.2:latest")};
}

void TestProvidersPage::listerSpeaksEachDialect()
{
    QFETCH(QString, type);
    QFETCH(QString, basePath);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, keyHeader);
    QFETCH(QByteArray, keyValue);
    QFETCH(QStringList, models);

    ScriptedUpstream upstream(listing);
    QVERIFY(upstream.start());
    const QJsonObject provider{{QStringLiteral("type"), type},
                               {QStringLiteral("base_url"), upstream.url(basePath)},
                               {QStringLiteral("headers"),
                                QJsonObject{{QStringLiteral("X-Team"), QStringLiteral("blue")}}}};
    const Listed listed = listWith(provider, QStringLiteral("k-1"));
    QVERIFY2(listed.ok, qPrintable(listed.error));
    QCOMPARE(listed.models, models);

    const SeenRequest seen = upstream.last();
    QCOMPARE(seen.method, QByteArray("GET"));
    QCOMPARE(seen.target, target);
    QCOMPARE(seen.header(keyHeader), keyValue);
    QCOMPARE(seen.header("x-team"), QByteArray("blue"));
    QCOMPARE(seen.hasHeader("anthropic-version"), type == QLatin1String("anthropic"));
    if (type == QLatin1String("anthropic"))
        QCOMPARE(seen.header("anthropic-version"), QByteArray("2023-06-01"));
}

void TestProvidersPage::listerExplainsFailures()
{
    const auto provider = [](const QString &baseUrl) {
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("openai")},
                           {QStringLiteral("base_url"), baseUrl}};
    };

    ScriptedUpstream refusing([](const SeenRequest &) {
        return UpstreamReply::respond(
            401,
            R"({"error":{"message":"Incorrect API key provided: sk-wr***","type":"invalid_request_error"}})",
            {{"Content-Type", "application/json"}});
    });
    QVERIFY(refusing.start());
    Listed listed = listWith(provider(refusing.url(QStringLiteral("/v1"))), QStringLiteral("x"));
    QVERIFY(!listed.ok);
    QVERIFY2(listed.error.contains(QLatin1String("refused the API key")), qPrintable(listed.error));
    QVERIFY2(listed.error.contains(QLatin1String("HTTP 401")), qPrintable(listed.error));
    QVERIFY2(listed.error.contains(QLatin1String("Incorrect API key provided")),
             qPrintable(listed.error));

    const quint16 port = gh::test::unusedPort();
    listed = listWith(provider(QStringLiteral("http://127.0.0.1:%1/v1").arg(port)), {});
    QVERIFY(!listed.ok);
    QVERIFY2(listed.error.contains(QLatin1String("Connection refused")), qPrintable(listed.error));
    QVERIFY2(listed.error.contains(QStringLiteral("127.0.0.1:%1").arg(port)),
             qPrintable(listed.error));

    ScriptedUpstream garbled([](const SeenRequest &) {
        return UpstreamReply::respond(200, "<html>captive portal</html>",
                                      {{"Content-Type", "text/html"}});
    });
    QVERIFY(garbled.start());
    listed = listWith(provider(garbled.url(QStringLiteral("/v1"))), {});
    QVERIFY(!listed.ok);
    QVERIFY2(listed.error.contains(QLatin1String("not JSON")), qPrintable(listed.error));

    ScriptedUpstream wrongShape([](const SeenRequest &) {
        return UpstreamReply::respond(200, R"({"models":[]})",
                                      {{"Content-Type", "application/json"}});
    });
    QVERIFY(wrongShape.start());
    listed = listWith(provider(wrongShape.url(QStringLiteral("/v1"))), {});
    QVERIFY(!listed.ok);
    QVERIFY2(listed.error.contains(QLatin1String("no \"data\" list")), qPrintable(listed.error));

    ScriptedUpstream silent([](const SeenRequest &) {
        UpstreamReply reply;
        reply.hang = true;
        return reply;
    });
    QVERIFY(silent.start());
    QElapsedTimer clock;
    clock.start();
    listed = listWith(provider(silent.url(QStringLiteral("/v1"))), {}, 300);
    QVERIFY(!listed.ok);
    QVERIFY2(listed.error.contains(QLatin1String("No answer")), qPrintable(listed.error));
    QVERIFY2(listed.error.contains(QLatin1String("0.3 s")), qPrintable(listed.error));
    QVERIFY(clock.elapsed() < 5000);

    // No base URL and no default: said at once, without a request.
    listed = listWith(QJsonObject{{QStringLiteral("type"), QStringLiteral("azure-openai")}}, {});
    QVERIFY(!listed.ok);
    QVERIFY2(listed.error.contains(QLatin1String("base URL")), qPrintable(listed.error));
}

void TestProvidersPage::newProviderKeyGoesToKeychainOnly()
{
    TestGateway g;
    QVERIFY(g.start());
    MemorySecretStore keychain;
    MainWindow window(&g.gateway);
    window.show();
    window.showPage(MainWindow::Page::Providers);
    auto *page = qobject_cast<ProviderEditorPage *>(window.pageWidget(MainWindow::Page::Providers));
    QVERIFY(page);
    page->providerForm()->setSecretStore(&keychain);
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QTest::mouseClick(button(page, "newButton"), Qt::LeftButton);
    typeInto(child<QLineEdit>(page, "nameEdit"), QStringLiteral("openai-main"));
    auto *type = child<QComboBox>(page, "typeCombo");
    QCOMPARE(type->count(), int(ProviderTypes::all().size()));
    type->setCurrentIndex(type->findData(QStringLiteral("anthropic")));
    QCOMPARE(child<QLineEdit>(page, "baseUrlEdit")->placeholderText(),
             QStringLiteral("https://api.anthropic.com"));
    type->setCurrentIndex(type->findData(QStringLiteral("openai")));
    QCOMPARE(child<QLineEdit>(page, "baseUrlEdit")->placeholderText(),
             QStringLiteral("https://api.openai.com/v1"));
    QVERIFY(!child<QLineEdit>(page, "apiVersionEdit")->isEnabled());

    const QString secret = QStringLiteral("sk-live-0123456789abcdef");
    auto *key = child<QLineEdit>(page, "apiKeyEdit");
    typeInto(key, secret);
    QCOMPARE(key->echoMode(), QLineEdit::Password);
    QVERIFY(
        child<QLabel>(page, "apiKeyNote")->text().contains(QLatin1String("provider/openai-main")));
    // Not saved yet: neither the keychain nor the form's entity has it.
    QVERIFY(keychain.keys().isEmpty());
    QVERIFY(!json(page->form()->entity()).contains(secret.toUtf8()));

    maybeScreenshot(&window, QStringLiteral("providers-new"));
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    const QJsonObject stored = g.entity(EntityKind::Provider, QStringLiteral("openai-main"));
    QVERIFY2(!stored.isEmpty(), qPrintable(child<QLabel>(page, "problemSummary")->text()));
    QCOMPARE(stored.value(QStringLiteral("api_key")).toString(),
             QStringLiteral("${keychain:provider/openai-main}"));
    QCOMPARE(stored.value(QStringLiteral("type")).toString(), QStringLiteral("openai"));
    QCOMPARE(keychain.read(QStringLiteral("provider/openai-main")).value, secret);
    QCOMPARE(keychain.keys(), QStringList{QStringLiteral("provider/openai-main")});

    // The key is nowhere else: not in any entity, not in any file of the data dir, not
    // in the form.
    QVERIFY(!allEntities(g.gateway).contains(secret.toUtf8()));
    QVERIFY(!dataDirBytes(g.dir.path()).contains(secret.toUtf8()));
    QVERIFY(dataDirBytes(g.dir.path()).contains("provider/openai-main"));
    QVERIFY(key->text().isEmpty());
    QVERIFY(!page->form()->isDirty());
    QVERIFY(child<QLabel>(page, "apiKeyNote")->text().contains(QLatin1String("keychain")));
}

void TestProvidersPage::noKeychainShowsErrorAndSavesNothing()
{
    TestGateway g;
    QVERIFY(g.start());
    NoKeychainStore noKeychain;
    ProviderEditorPage page(&g.gateway);
    page.providerForm()->setSecretStore(&noKeychain);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));

    QTest::mouseClick(button(&page, "newButton"), Qt::LeftButton);
    typeInto(child<QLineEdit>(&page, "nameEdit"), QStringLiteral("mistral"));
    auto *type = child<QComboBox>(&page, "typeCombo");
    type->setCurrentIndex(type->findData(QStringLiteral("mistral")));
    auto *key = child<QLineEdit>(&page, "apiKeyEdit");
    typeInto(key, QStringLiteral("secret-value"));
    QTest::mouseClick(button(&page, "saveButton"), Qt::LeftButton);

    QCOMPARE(noKeychain.writes, 1);
    QVERIFY(g.entity(EntityKind::Provider, QStringLiteral("mistral")).isEmpty());
    auto *error = child<QLabel>(&page, "keychainError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QLatin1String("no OS keychain")), qPrintable(error->text()));
    QVERIFY2(error->text().contains(QLatin1String("${env:MISTRAL_API_KEY}")),
             qPrintable(error->text()));
    QVERIFY(!error->text().contains(QLatin1String("secret-value")));
    QVERIFY(ProblemDisplay::isInvalid(key));
    maybeScreenshot(&page, QStringLiteral("providers-no-keychain"));
    QCOMPARE(key->text(), QStringLiteral("secret-value")); // kept, to try again
    QVERIFY(button(&page, "saveButton")->isEnabled());

    // The way out the message names: an environment reference.
    key->clear();
    QVERIFY(!error->isVisible());
    typeInto(key, QStringLiteral("${env:MISTRAL_API_KEY}"));
    QCOMPARE(key->echoMode(), QLineEdit::Normal); // a reference is no secret
    QTest::mouseClick(button(&page, "saveButton"), Qt::LeftButton);
    QCOMPARE(noKeychain.writes, 1);
    const QJsonObject stored = g.entity(EntityKind::Provider, QStringLiteral("mistral"));
    QVERIFY2(!stored.isEmpty(), qPrintable(child<QLabel>(&page, "problemSummary")->text()));
    QCOMPARE(stored.value(QStringLiteral("api_key")).toString(),
             QStringLiteral("${env:MISTRAL_API_KEY}"));
}

void TestProvidersPage::referencesAreKeptAsTyped()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Provider, QStringLiteral("oai"),
                  R"({"type":"openai","api_key":"${file:~/keys/openai}",)"
                  R"("headers":{"OpenAI-Organization":"org-1"},"timeout_ms":5000})"));
    QVERIFY(g.put(EntityKind::Provider, QStringLiteral("azure"),
                  R"({"type":"azure-openai","base_url":"https://res.openai.azure.com",)"
                  R"("api_key":"${keychain:azure}","api_version":"2025-04-01-preview"})"));
    MemorySecretStore keychain;
    ProviderEditorPage page(&g.gateway);
    page.providerForm()->setSecretStore(&keychain);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));

    QVERIFY(page.selectEntity(QStringLiteral("oai")));
    auto *key = child<QLineEdit>(&page, "apiKeyEdit");
    QCOMPARE(key->text(), QStringLiteral("${file:~/keys/openai}"));
    QCOMPARE(key->echoMode(), QLineEdit::Normal);
    QCOMPARE(child<QLineEdit>(&page, "baseUrlEdit")->text(), QString()); // the default
    QCOMPARE(child<QSpinBox>(&page, "timeoutSpin")->value(), 5000);
    auto *headers = child<QTableView>(&page, "headersView");
    QCOMPARE(headers->model()->rowCount(), 1);
    QCOMPARE(headers->model()->index(0, 0).data().toString(),
             QStringLiteral("OpenAI-Organization"));
    QVERIFY(!page.form()->isDirty());
    QVERIFY(!button(&page, "saveButton")->isEnabled());

    // A keychain reference is not shown as text; the entity keeps it until replaced.
    QVERIFY(page.selectEntity(QStringLiteral("azure")));
    QVERIFY(key->text().isEmpty());
    QVERIFY(
        child<QLabel>(&page, "apiKeyNote")->text().contains(QLatin1String("${keychain:azure}")));
    QVERIFY(child<QLineEdit>(&page, "apiVersionEdit")->isEnabled());
    QCOMPARE(child<QLineEdit>(&page, "apiVersionEdit")->text(),
             QStringLiteral("2025-04-01-preview"));
    QCOMPARE(page.form()->entity().value(QStringLiteral("api_key")).toString(),
             QStringLiteral("${keychain:azure}"));
    QVERIFY(!page.form()->isDirty());

    // Edit the headers and save: the key reference stays as it was.
    auto *model = headers->model();
    QTest::mouseClick(button(&page, "addHeaderButton"), Qt::LeftButton);
    QVERIFY(model->setData(model->index(0, 0), QStringLiteral("X-Tenant")));
    QVERIFY(model->setData(model->index(0, 1), QStringLiteral("${env:TENANT}")));
    QVERIFY(page.form()->isDirty());
    QTest::mouseClick(button(&page, "saveButton"), Qt::LeftButton);
    const QJsonObject stored = g.entity(EntityKind::Provider, QStringLiteral("azure"));
    QCOMPARE(stored.value(QStringLiteral("api_key")).toString(),
             QStringLiteral("${keychain:azure}"));
    QCOMPARE(stored.value(QStringLiteral("headers")).toObject(),
             QJsonObject({{QStringLiteral("X-Tenant"), QStringLiteral("${env:TENANT}")}}));
    QVERIFY(keychain.keys().isEmpty());
}

void TestProvidersPage::newKeyForUnchangedProvider()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Provider, QStringLiteral("oai"),
                  R"({"type":"openai","api_key":"${keychain:provider/oai}"})"));
    MemorySecretStore keychain;
    QVERIFY(keychain.write(QStringLiteral("provider/oai"), QStringLiteral("old-key")).ok);
    ProviderEditorPage page(&g.gateway);
    page.providerForm()->setSecretStore(&keychain);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(page.selectEntity(QStringLiteral("oai")));

    auto *save = button(&page, "saveButton");
    QVERIFY(!save->isEnabled());
    typeInto(child<QLineEdit>(&page, "apiKeyEdit"), QStringLiteral("new-key"));
    // The entity would not change (same reference), but there is something to save.
    QVERIFY(!page.form()->isDirty());
    QVERIFY(save->isEnabled());
    const quint64 generation = g.gateway.configGeneration();
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(keychain.read(QStringLiteral("provider/oai")).value, QStringLiteral("new-key"));
    QVERIFY(g.gateway.configGeneration() > generation); // the gateway re-read its keys
    QVERIFY(child<QLabel>(&page, "editorStatus")->text().contains(QLatin1String("keychain")));
    QVERIFY(!save->isEnabled());
    QCOMPARE(g.entity(EntityKind::Provider, QStringLiteral("oai"))
                 .value(QStringLiteral("api_key"))
                 .toString(),
             QStringLiteral("${keychain:provider/oai}"));
}

void TestProvidersPage::testConnectionListsModels()
{
    ScriptedUpstream upstream(listing);
    QVERIFY(upstream.start());
    TestGateway g;
    QVERIFY(g.start());
    MemorySecretStore keychain;
    ProviderEditorPage page(&g.gateway);
    page.providerForm()->setSecretStore(&keychain);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));

    // Unsaved settings are what the test uses: the typed key, not a stored one.
    QTest::mouseClick(button(&page, "newButton"), Qt::LeftButton);
    typeInto(child<QLineEdit>(&page, "nameEdit"), QStringLiteral("local"));
    auto *type = child<QComboBox>(&page, "typeCombo");
    type->setCurrentIndex(type->findData(QStringLiteral("openai-compatible")));
    typeInto(child<QLineEdit>(&page, "baseUrlEdit"), upstream.url(QStringLiteral("/v1")));
    typeInto(child<QLineEdit>(&page, "apiKeyEdit"), QStringLiteral("typed-key"));
    QTest::mouseClick(button(&page, "testConnectionButton"), Qt::LeftButton);
    auto *list = child<QListWidget>(&page, "modelList");
    QTRY_VERIFY_WITH_TIMEOUT(list->isVisible(), 5000);
    QCOMPARE(list->count(), 2);
    QCOMPARE(list->item(0)->text(), QStringLiteral("model-a"));
    QVERIFY(child<QLabel>(&page, "testResultLabel")->text().contains(QLatin1String("2 model")));
    QCOMPARE(upstream.last().header("authorization"), QByteArray("Bearer typed-key"));
    QVERIFY(keychain.keys().isEmpty()); // testing stores nothing
    maybeScreenshot(&page, QStringLiteral("providers-test-connection"));

    // Saved, the test resolves the stored reference.
    QTest::mouseClick(button(&page, "saveButton"), Qt::LeftButton);
    QVERIFY(!g.entity(EntityKind::Provider, QStringLiteral("local")).isEmpty());
    upstream.clearSeen();
    QTest::mouseClick(button(&page, "testConnectionButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(list->isVisible(), 5000);
    QCOMPARE(upstream.last().header("authorization"), QByteArray("Bearer typed-key"));

    // A failure is said, in red, with the reason.
    typeInto(child<QLineEdit>(&page, "baseUrlEdit"), QStringLiteral("/nothing"));
    QTest::mouseClick(button(&page, "testConnectionButton"), Qt::LeftButton);
    auto *result = child<QLabel>(&page, "testResultLabel");
    QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String("failed")), 5000);
    QVERIFY2(result->text().contains(QLatin1String("HTTP 404")), qPrintable(result->text()));
    QVERIFY(!list->isVisible());
}

void TestProvidersPage::modelsPageReordersFallbacksAndSaves()
{
    ScriptedUpstream upstream(listing);
    QVERIFY(upstream.start());
    TestGateway g;
    QVERIFY(g.start());
    const QByteArray local = QStringLiteral(R"({"type":"openai-compatible","base_url":"%1"})")
                                 .arg(upstream.url(QStringLiteral("/v1")))
                                 .toUtf8();
    QVERIFY(g.put(EntityKind::Provider, QStringLiteral("local"), local));
    for (const char *name : {"alpha", "beta", "gamma"})
        QVERIFY(g.put(EntityKind::Model, QLatin1String(name),
                      R"({"targets":[{"provider":"local","model":"m"}]})"));
    MainWindow window(&g.gateway);
    window.show();
    window.showPage(MainWindow::Page::Models);
    auto *page = qobject_cast<EntityEditorPage *>(window.pageWidget(MainWindow::Page::Models));
    QVERIFY(page);
    auto *form = qobject_cast<ModelForm *>(page->form());
    QVERIFY(form);
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QTest::mouseClick(button(page, "newButton"), Qt::LeftButton);
    typeInto(child<QLineEdit>(page, "nameEdit"), QStringLiteral("main"));
    // A new model starts with one target on the first provider; fill in its model from
    // the provider's own list.
    ModelTargetsModel *targets = form->targetsModel();
    QCOMPARE(targets->rowCount(), 1);
    QCOMPARE(targets->provider(0), QStringLiteral("local"));
    QTest::mouseClick(button(page, "listModelsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(form->knownModels(QStringLiteral("local")).size(), 2, 5000);
    auto *view = child<QTableView>(page, "targetsView");
    const QModelIndex modelCell = targets->index(0, ModelTargetsModel::ModelColumn);
    view->setCurrentIndex(modelCell);
    view->edit(modelCell);
    auto *combo = view->viewport()->findChild<QComboBox *>(QStringLiteral("targetModelCombo"));
    QVERIFY(combo);
    QCOMPARE(combo->count(), 2);
    QCOMPARE(combo->itemText(1), QStringLiteral("model-b"));
    combo->setCurrentIndex(1);
    QTest::keyClick(combo, Qt::Key_Return);
    QTRY_COMPARE(targets->index(0, ModelTargetsModel::ModelColumn).data().toString(),
                 QStringLiteral("model-b"));

    // The chain: alpha, beta, gamma added in that order, then reordered.
    auto *choice = child<QComboBox>(page, "fallbackCombo");
    QCOMPARE(choice->count(), 3);
    for (const char *name : {"alpha", "beta", "gamma"}) {
        choice->setCurrentIndex(choice->findText(QLatin1String(name)));
        QTest::mouseClick(button(page, "addFallbackButton"), Qt::LeftButton);
    }
    QCOMPARE(choice->count(), 0); // nothing left to add
    QStringListModel *chain = form->fallbacksModel();
    QCOMPARE(chain->stringList(), QStringList({QStringLiteral("alpha"), QStringLiteral("beta"),
                                               QStringLiteral("gamma")}));
    QVERIFY(form->moveFallback(2, 0)); // what dropping gamma on top does
    QCOMPARE(chain->stringList(), QStringList({QStringLiteral("gamma"), QStringLiteral("alpha"),
                                               QStringLiteral("beta")}));
    QVERIFY(!form->moveFallback(0, 3));
    form->fallbacksView()->setCurrentIndex(chain->index(1));
    QTest::mouseClick(button(page, "moveFallbackDownButton"), Qt::LeftButton);
    QCOMPARE(chain->stringList(), QStringList({QStringLiteral("gamma"), QStringLiteral("beta"),
                                               QStringLiteral("alpha")}));
    QCOMPARE(form->fallbacksView()->currentIndex().row(), 2);
    QVERIFY(!button(page, "moveFallbackDownButton")->isEnabled());

    // The view is set up for dragging within itself.
    QCOMPARE(form->fallbacksView()->dragDropMode(), QAbstractItemView::InternalMove);
    QVERIFY(chain->flags(chain->index(0)) & Qt::ItemIsDragEnabled);

    maybeScreenshot(&window, QStringLiteral("models-new"));
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    const QJsonObject stored = g.entity(EntityKind::Model, QStringLiteral("main"));
    QVERIFY2(!stored.isEmpty(), qPrintable(child<QLabel>(page, "problemSummary")->text()));
    QCOMPARE(
        stored.value(QStringLiteral("fallbacks")).toArray(),
        QJsonArray({QStringLiteral("gamma"), QStringLiteral("beta"), QStringLiteral("alpha")}));
    const QJsonObject target = stored.value(QStringLiteral("targets")).toArray().first().toObject();
    QCOMPARE(target.value(QStringLiteral("provider")).toString(), QStringLiteral("local"));
    QCOMPARE(target.value(QStringLiteral("model")).toString(), QStringLiteral("model-b"));

    // Reordering a saved model is an edit like any other.
    QVERIFY(!page->form()->isDirty());
    QVERIFY(form->moveFallback(0, 2));
    QVERIFY(page->form()->isDirty());
    QVERIFY(button(page, "saveButton")->isEnabled());
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    QCOMPARE(
        g.entity(EntityKind::Model, QStringLiteral("main"))
            .value(QStringLiteral("fallbacks"))
            .toArray(),
        QJsonArray({QStringLiteral("beta"), QStringLiteral("alpha"), QStringLiteral("gamma")}));
}

QTEST_MAIN(TestProvidersPage)
#include "tst_providerspage.moc"
