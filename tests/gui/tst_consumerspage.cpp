// The Consumers page: the consumer form (allowed models, rate limits, budget with its
// spend bar) and the keys panel (create → shown once → copy, revoke, rotate), driven
// through the real widgets against a real gateway; keys are checked by requests to it.
#include "ConsumerForm.h"
#include "ConsumerKeysModel.h"
#include "ConsumerKeysPanel.h"
#include "EntityEditorPage.h"
#include "EntityTableModel.h"
#include "Gateway.h"
#include "HttpClient.h"
#include "KeyOptionsDialog.h"
#include "MainWindow.h"
#include "NewKeyDialog.h"
#include "ProblemDisplay.h"
#include "ScriptedUpstream.h"
#include "StringListEdit.h"
#include "ValuePicker.h"
#include "policy/ApiKey.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QGroupBox>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

#include "TestGateway.h"
#include "WidgetHelpers.h"

using namespace gh;
using namespace gh::test;

class TestConsumersPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void createConsumerThroughForm();
    void keyActionsNeedASavedConsumer();
    void keyShownOnceCopiedAndAuthenticates();
    void closingWithoutCopyingAsksFirst();
    void expiryChoices();
    void revokeRefusesTheKey();
    void rotateGivesAWorkingKey();
    void configKeysShowAsSuch();
    void unsavedEditsSurviveKeyChanges();
    void deletingConsumerStopsItsKeys();
    void budgetBarReflectsSpend();
    void rejectionsShowAtTheFieldAndSaveNothing_data();
    void rejectionsShowAtTheFieldAndSaveNothing();
    void keysModelPassesTester();
};

namespace {

// 1000 tokens in and 500 out at USD 1000 / 2000 per million: USD 2 a call.
const QByteArray Completion =
    "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
    "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
    "\"finish_reason\":\"stop\"}],"
    "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":1500}}";

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

// A gateway with a route that needs a key and an AI model, both on one scripted upstream,
// and the main window on the Consumers page.
struct Fixture
{
    Fixture()
        : upstream([](const SeenRequest &) {
            return UpstreamReply::respond(200, Completion, {{"Content-Type", "application/json"}});
        })
    {
        ok = upstream.start() && g.start() &&
             g.put(
                 EntityKind::Service, QStringLiteral("pong"),
                 QStringLiteral("{\"targets\":[{\"url\":\"%1\"}]}").arg(upstream.url()).toUtf8()) &&
             g.put(EntityKind::Route, QStringLiteral("ping"),
                   "{\"match\":{\"paths\":[\"/ping\"]},\"service\":\"pong\",\"auth\":\"key\"}") &&
             g.put(EntityKind::Provider, QStringLiteral("oai"),
                   QStringLiteral("{\"type\":\"openai\",\"base_url\":\"%1\"}")
                       .arg(upstream.url(QStringLiteral("/v1")))
                       .toUtf8()) &&
             g.put(EntityKind::Model, QStringLiteral("fast"),
                   "{\"targets\":[{\"provider\":\"oai\",\"model\":\"gpt-4o-mini\"}]}") &&
             g.put(EntityKind::Model, QStringLiteral("smart"),
                   "{\"targets\":[{\"provider\":\"oai\",\"model\":\"gpt-4o\"}]}") &&
             g.put(EntityKind::Price, QStringLiteral("oai/gpt-4o-mini"),
                   "{\"input\":1000,\"output\":2000}");
        window = std::make_unique<MainWindow>(&g.gateway);
        window->resize(1000, 900);
        window->show();
        window->showPage(MainWindow::Page::Consumers);
        page = qobject_cast<EntityEditorPage *>(window->pageWidget(MainWindow::Page::Consumers));
        form = page ? qobject_cast<ConsumerForm *>(page->form()) : nullptr;
        panel = form ? form->keysPanel() : nullptr;
    }

    bool openConsumer(const QString &name, const QByteArray &consumer = "{}")
    {
        return g.put(EntityKind::Consumer, name, consumer) && page->selectEntity(name);
    }
    QJsonObject stored(const QString &name) const { return g.entity(EntityKind::Consumer, name); }
    template <typename T> T *w(const char *name) { return child<T>(page, name); }

    int ping(const QString &key)
    {
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!key.isEmpty())
            headers.append({"Authorization", "Bearer " + key.toLatin1()});
        return HttpClient::request("GET", g.gateway.gatewayUrl() + QStringLiteral("/ping"), {},
                                   headers)
            .status;
    }
    int chat(const QString &key)
    {
        return HttpClient::request(
                   "POST", g.gateway.gatewayUrl() + QStringLiteral("/v1/chat/completions"),
                   "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                   {{"Content-Type", "application/json"},
                    {"Authorization", "Bearer " + key.toLatin1()}})
            .status;
    }

    int rowOfPrefix(const QString &prefix) const
    {
        const ConsumerKeysModel *model = panel->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->key(row).prefix == prefix)
                return row;
        }
        return -1;
    }
    QString stateOf(const QString &prefix) const
    {
        return panel->model()->state(rowOfPrefix(prefix));
    }

    // Create Key… (or Rotate…) → options dialog → OK → the new key's dialog: copied, closed.
    // Returns the key the dialog showed.
    QString takeNewKey(const char *actionButton,
                       const std::function<void(KeyOptionsDialog *)> &choose = {})
    {
        QTest::mouseClick(button(panel, actionButton), Qt::LeftButton);
        const QString dialogName = QLatin1String(actionButton) == QLatin1String("createKeyButton")
                                       ? QStringLiteral("createKeyDialog")
                                       : QStringLiteral("rotateKeyDialog");
        KeyOptionsDialog *options = nullptr;
        if (!QTest::qWaitFor(
                [&] { return (options = visibleWindow<KeyOptionsDialog>(dialogName)); }))
            return {};
        if (choose)
            choose(options);
        QTest::mouseClick(button(options, "okButton"), Qt::LeftButton);
        NewKeyDialog *shown = nullptr;
        if (!QTest::qWaitFor([&] {
                return (shown = visibleWindow<NewKeyDialog>(QStringLiteral("newKeyDialog")));
            }))
            return {};
        const QString key = child<QLineEdit>(shown, "newKeyEdit")->text();
        QTest::mouseClick(button(shown, "copyKeyButton"), Qt::LeftButton);
        QTest::mouseClick(button(shown, "doneButton"), Qt::LeftButton);
        return key;
    }

    ScriptedUpstream upstream;
    TestGateway g;
    bool ok = false;
    std::unique_ptr<MainWindow> window;
    EntityEditorPage *page = nullptr;
    ConsumerForm *form = nullptr;
    ConsumerKeysPanel *panel = nullptr;
};

// Every text the window shows, dialogs included.
QStringList shownTexts()
{
    QStringList texts;
    const QWidgetList all = QApplication::allWidgets();
    for (QWidget *widget : all) {
        if (auto *line = qobject_cast<QLineEdit *>(widget))
            texts.append(line->text());
        else if (auto *label = qobject_cast<QLabel *>(widget))
            texts.append(label->text());
        else if (auto *plain = qobject_cast<QPlainTextEdit *>(widget))
            texts.append(plain->toPlainText());
    }
    return texts;
}

} // namespace

void TestConsumersPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

void TestConsumersPage::init()
{
    QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse")).clear();
}

void TestConsumersPage::createConsumerThroughForm()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.page && f.form && f.panel);
    QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
    auto *newButton = button(f.page, "newButton");
    QCOMPARE(newButton->text(), QStringLiteral("New Consumer"));
    QTest::mouseClick(newButton, Qt::LeftButton);
    typeInto(f.w<QLineEdit>("nameEdit"), QStringLiteral("me"));

    // The configured public models are offered; "*" is the default.
    auto *models = f.w<StringListEdit>("allowModelsEdit");
    auto *picker = f.w<ValuePicker>("modelPicker");
    QCOMPARE(models->values(), QStringList{QStringLiteral("*")});
    QCOMPARE(picker->choices(),
             QStringList({QStringLiteral("*"), QStringLiteral("fast"), QStringLiteral("smart")}));
    models->clear();
    picker->pick(QStringLiteral("fast"));
    QTest::keyClick(models, Qt::Key_End, Qt::ControlModifier);
    QTest::keyClick(models, Qt::Key_Return);
    QTest::keyClicks(models, QStringLiteral("gpt-*"));

    f.w<QGroupBox>("rateLimitBox")->setChecked(true);
    typeInto(f.w<QLineEdit>("requestsPerMinuteEdit"), QStringLiteral("60"));
    typeInto(f.w<QLineEdit>("tokensPerMinuteEdit"), QStringLiteral("100000"));
    typeInto(f.w<QLineEdit>("concurrentEdit"), QStringLiteral("2"));
    f.w<QGroupBox>("budgetBox")->setChecked(true);
    typeInto(f.w<QLineEdit>("budgetUsdEdit"), QStringLiteral("12.5"));
    auto *period = f.w<QComboBox>("budgetPeriodCombo");
    period->setCurrentIndex(period->findData(QStringLiteral("week")));
    maybeScreenshot(f.window.get(), QStringLiteral("consumers-new"));
    QVERIFY(f.page->save());

    QCOMPARE(f.stored(QStringLiteral("me")),
             json("{\"name\":\"me\",\"allow_models\":[\"fast\",\"gpt-*\"],"
                  "\"rate_limit\":{\"requests_per_minute\":60,\"tokens_per_minute\":100000,"
                  "\"concurrent\":2},\"budget\":{\"usd\":12.5,\"period\":\"week\"},\"keys\":[]}"));
    // Saved: keys can be made now, the spend shows, the list has it.
    QVERIFY(button(f.panel, "createKeyButton")->isEnabled());
    QVERIFY(f.w<QProgressBar>("spendBar")->isVisible());
    QCOMPARE(f.page->model()->rowCount(), 1);
    QVERIFY(!f.form->isDirty());

    // Saved again without changes to the budget period: month stays unwritten.
    f.w<QGroupBox>("budgetBox")->setChecked(false);
    QVERIFY(f.page->save());
    QVERIFY(!f.stored(QStringLiteral("me")).contains(QStringLiteral("budget")));
    f.w<QGroupBox>("budgetBox")->setChecked(true);
    typeInto(f.w<QLineEdit>("budgetUsdEdit"), QStringLiteral("3"));
    QVERIFY(f.page->save());
    QCOMPARE(f.stored(QStringLiteral("me")).value(QStringLiteral("budget")).toObject(),
             json("{\"usd\":3,\"period\":\"month\"}")); // month filled in by the validation
}

void TestConsumersPage::keyActionsNeedASavedConsumer()
{
    Fixture f;
    QVERIFY(f.ok);
    QTest::mouseClick(button(f.page, "newButton"), Qt::LeftButton);
    QVERIFY(!button(f.panel, "createKeyButton")->isEnabled());
    QVERIFY(!button(f.panel, "revokeKeyButton")->isEnabled());
    QVERIFY(!button(f.panel, "rotateKeyButton")->isEnabled());
    QVERIFY(
        child<QLabel>(f.panel, "keysNote")->text().contains(QLatin1String("Save the consumer")));
    QVERIFY(!f.w<QProgressBar>("spendBar")->isVisible());
    QVERIFY(f.w<QLabel>("spendLabel")->text().contains(QLatin1String("saved")));
    QCOMPARE(f.panel->model()->rowCount(), 0);
}

void TestConsumersPage::keyShownOnceCopiedAndAuthenticates()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openConsumer(QStringLiteral("me")));
    QCOMPARE(f.ping({}), 401);

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(button(f.panel, "createKeyButton"), Qt::LeftButton);
    KeyOptionsDialog *options = nullptr;
    QVERIFY(QTest::qWaitFor([&] {
        return (options = visibleWindow<KeyOptionsDialog>(QStringLiteral("createKeyDialog")));
    }));
    QCOMPARE(child<QComboBox>(options, "expiryCombo")->currentData().toInt(), 0); // never
    QTest::mouseClick(button(options, "okButton"), Qt::LeftButton);

    NewKeyDialog *shown = nullptr;
    QVERIFY(QTest::qWaitFor(
        [&] { return (shown = visibleWindow<NewKeyDialog>(QStringLiteral("newKeyDialog"))); }));
    const QString key = child<QLineEdit>(shown, "newKeyEdit")->text();
    QVERIFY2(QRegularExpression(QStringLiteral("^gh-[A-Za-z0-9]{43}$")).match(key).hasMatch(),
             qPrintable(key));
    QVERIFY(child<QLineEdit>(shown, "newKeyEdit")->isReadOnly());
    const QString warning = child<QLabel>(shown, "onceWarning")->text();
    QVERIFY2(warning.contains(QLatin1String("you won't see it again")), qPrintable(warning));
    maybeScreenshot(shown, QStringLiteral("consumers-new-key"));

    QTest::mouseClick(button(shown, "copyKeyButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), key);
    QVERIFY(shown->isCopied());
    QCOMPARE(child<QLabel>(shown, "copiedNote")->text(),
             QStringLiteral("Copied to the clipboard."));
    QTest::mouseClick(button(shown, "doneButton"), Qt::LeftButton);
    QTRY_VERIFY(!visibleWindow<NewKeyDialog>(QStringLiteral("newKeyDialog")));

    // Listed by its prefix only, and it works from the next request on.
    QCOMPARE(f.panel->model()->rowCount(), 1);
    const QAbstractItemModel *model = f.panel->model();
    QCOMPARE(model->index(0, ConsumerKeysModel::PrefixColumn).data().toString(),
             key.left(9) + QStringLiteral("…"));
    QCOMPARE(model->index(0, ConsumerKeysModel::SourceColumn).data().toString(),
             QStringLiteral("made by Gatehouse"));
    QCOMPARE(model->index(0, ConsumerKeysModel::ExpiresColumn).data().toString(),
             QStringLiteral("never"));
    QCOMPARE(model->index(0, ConsumerKeysModel::StateColumn).data().toString(),
             QStringLiteral("active"));
    QVERIFY(child<QLabel>(f.panel, "keysMessage")->text().contains(key.left(9)));
    QCOMPARE(f.ping(key), 200);
    QCOMPARE(f.ping(key + QLatin1Char('x')), 401);
    maybeScreenshot(f.window.get(), QStringLiteral("consumers"));

    // Shown once: once the dialog is gone, no widget holds the key.
    QTRY_VERIFY(!f.panel->newKeyDialog());
    const QStringList texts = shownTexts();
    for (const QString &text : texts)
        QVERIFY2(!text.contains(key), qPrintable(text));
    // The store has its hash only.
    QCOMPARE(f.stored(QStringLiteral("me")).value(QStringLiteral("keys")).toArray(),
             QJsonArray{QStringLiteral("sha256:") + ApiKey::hash(key)});
}

void TestConsumersPage::closingWithoutCopyingAsksFirst()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openConsumer(QStringLiteral("me")));
    QTest::mouseClick(button(f.panel, "createKeyButton"), Qt::LeftButton);
    KeyOptionsDialog *options = nullptr;
    QVERIFY(QTest::qWaitFor([&] {
        return (options = visibleWindow<KeyOptionsDialog>(QStringLiteral("createKeyDialog")));
    }));
    QTest::mouseClick(button(options, "okButton"), Qt::LeftButton);
    NewKeyDialog *shown = nullptr;
    QVERIFY(QTest::qWaitFor(
        [&] { return (shown = visibleWindow<NewKeyDialog>(QStringLiteral("newKeyDialog"))); }));

    // Go Back: the key stays on screen.
    BoxAnswer back;
    answerMessageBox(QStringLiteral("keyNotCopiedBox"), QMessageBox::Cancel, &back);
    QTest::mouseClick(button(shown, "doneButton"), Qt::LeftButton);
    QVERIFY(back.seen);
    QVERIFY(back.text.contains(QLatin1String("cannot be shown again")));
    QVERIFY(shown->isVisible());

    // Escape asks too; Close Anyway closes.
    BoxAnswer close;
    answerMessageBox(QStringLiteral("keyNotCopiedBox"), QMessageBox::Close, &close);
    QTest::keyClick(shown, Qt::Key_Escape);
    QVERIFY(close.seen);
    QTRY_VERIFY(!visibleWindow<NewKeyDialog>(QStringLiteral("newKeyDialog")));
    QCOMPARE(f.panel->model()->rowCount(), 1); // the key exists all the same
}

void TestConsumersPage::expiryChoices()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openConsumer(QStringLiteral("me")));
    const QDateTime before = QDateTime::currentDateTime();
    const QString key = f.takeNewKey("createKeyButton", [](KeyOptionsDialog *dialog) {
        auto *expiry = child<QComboBox>(dialog, "expiryCombo");
        expiry->setCurrentIndex(expiry->findData(7));
    });
    QVERIFY(!key.isEmpty());
    const ConsumerKey stored = f.panel->model()->key(0);
    const qint64 week = 7LL * 24 * 3600 * 1000;
    QVERIFY(stored.expiresAt >= before.toMSecsSinceEpoch() + week);
    QVERIFY(stored.expiresAt <= QDateTime::currentMSecsSinceEpoch() + week);
    QCOMPARE(f.panel->model()->index(0, ConsumerKeysModel::ExpiresColumn).data().toString(),
             QDateTime::fromMSecsSinceEpoch(stored.expiresAt)
                 .toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    QCOMPARE(f.ping(key), 200);

    // A date in the past cannot be accepted.
    QTest::mouseClick(button(f.panel, "createKeyButton"), Qt::LeftButton);
    KeyOptionsDialog *options = nullptr;
    QVERIFY(QTest::qWaitFor([&] {
        return (options = visibleWindow<KeyOptionsDialog>(QStringLiteral("createKeyDialog")));
    }));
    auto *expiry = child<QComboBox>(options, "expiryCombo");
    expiry->setCurrentIndex(expiry->count() - 1); // on a date
    auto *date = child<QDateTimeEdit>(options, "expiryDateEdit");
    QVERIFY(date->isVisible());
    QVERIFY(button(options, "okButton")->isEnabled()); // 30 days ahead by default
    date->setDateTime(QDateTime::currentDateTime().addDays(-1));
    QVERIFY(!button(options, "okButton")->isEnabled());
    auto *error = child<QLabel>(options, "keyOptionsError");
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("The expiry must be in the future."));
    QVERIFY(ProblemDisplay::isInvalid(date));
    const QDateTime chosen = QDateTime::currentDateTime().addDays(10);
    date->setDateTime(chosen);
    QVERIFY(button(options, "okButton")->isEnabled());
    QTest::mouseClick(button(options, "okButton"), Qt::LeftButton);
    NewKeyDialog *shown = nullptr;
    QVERIFY(QTest::qWaitFor(
        [&] { return (shown = visibleWindow<NewKeyDialog>(QStringLiteral("newKeyDialog"))); }));
    QVERIFY(child<QLabel>(shown, "keyUsageLabel")->text().contains(QLatin1String("It expires on")));
    QTest::mouseClick(button(shown, "copyKeyButton"), Qt::LeftButton);
    QTest::mouseClick(button(shown, "doneButton"), Qt::LeftButton);
    QCOMPARE(f.panel->model()->rowCount(), 2);
    QCOMPARE(f.panel->model()->key(1).expiresAt / 60000, chosen.toMSecsSinceEpoch() / 60000);

    // Cancel makes nothing.
    QTest::mouseClick(button(f.panel, "createKeyButton"), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] {
        return (options = visibleWindow<KeyOptionsDialog>(QStringLiteral("createKeyDialog")));
    }));
    options->reject();
    QTest::qWait(50);
    QVERIFY(!visibleWindow<NewKeyDialog>(QStringLiteral("newKeyDialog")));
    QCOMPARE(f.panel->model()->rowCount(), 2);
}

void TestConsumersPage::revokeRefusesTheKey()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openConsumer(QStringLiteral("me")));
    const ConsumerKeyService::Result made = f.g.gateway.createConsumerKey(QStringLiteral("me"));
    QVERIFY(made.ok());
    QTRY_COMPARE(f.panel->model()->rowCount(), 1);
    QCOMPARE(f.ping(made.rawKey), 200);
    auto *revoke = button(f.panel, "revokeKeyButton");
    QVERIFY(!revoke->isEnabled()); // nothing selected
    f.panel->view()->selectRow(0);
    QVERIFY(revoke->isEnabled());

    // No: nothing happens.
    BoxAnswer no;
    answerMessageBox(QStringLiteral("revokeKeyBox"), QMessageBox::No, &no);
    QTest::mouseClick(revoke, Qt::LeftButton);
    QVERIFY(no.seen);
    QVERIFY(no.text.contains(made.key.prefix));
    QVERIFY(no.informativeText.contains(QLatin1String("cannot be undone")));
    QCOMPARE(f.stateOf(made.key.prefix), QStringLiteral("active"));
    QCOMPARE(f.ping(made.rawKey), 200);

    // Yes: refused from the next request on.
    BoxAnswer yes;
    answerMessageBox(QStringLiteral("revokeKeyBox"), QMessageBox::Yes, &yes);
    QTest::mouseClick(revoke, Qt::LeftButton);
    QVERIFY(yes.seen);
    QCOMPARE(f.stateOf(made.key.prefix), QStringLiteral("revoked"));
    QCOMPARE(f.panel->model()
                 ->index(f.rowOfPrefix(made.key.prefix), ConsumerKeysModel::StateColumn)
                 .data()
                 .toString(),
             QStringLiteral("revoked"));
    QCOMPARE(f.ping(made.rawKey), 401);
    QVERIFY(child<QLabel>(f.panel, "keysMessage")->text().startsWith(QLatin1String("Revoked")));
    // A revoked key can be neither revoked nor rotated again.
    f.panel->view()->selectRow(f.rowOfPrefix(made.key.prefix));
    QVERIFY(!revoke->isEnabled());
    QVERIFY(!button(f.panel, "rotateKeyButton")->isEnabled());

    // Revoked elsewhere (admin API, a config file) while listed: the list follows.
    const ConsumerKeyService::Result other = f.g.gateway.createConsumerKey(QStringLiteral("me"));
    QVERIFY(other.ok());
    QTRY_COMPARE(f.panel->model()->rowCount(), 2);
    f.panel->view()->selectRow(f.rowOfPrefix(other.key.prefix));
    QVERIFY(f.g.gateway.revokeConsumerKey(QStringLiteral("me"), other.key.prefix).ok());
    f.panel->view()->selectRow(f.rowOfPrefix(other.key.prefix));
    QVERIFY(!revoke->isEnabled()); // the list followed the change
}

void TestConsumersPage::rotateGivesAWorkingKey()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openConsumer(QStringLiteral("me")));
    const ConsumerKeyService::Result first = f.g.gateway.createConsumerKey(QStringLiteral("me"));
    QVERIFY(first.ok());
    QTRY_COMPARE(f.panel->model()->rowCount(), 1);
    QVERIFY(!button(f.panel, "rotateKeyButton")->isEnabled());
    f.panel->view()->selectRow(0);
    QVERIFY(button(f.panel, "rotateKeyButton")->isEnabled());

    // No grace: the old key stops at once, the new one works.
    const QString second = f.takeNewKey("rotateKeyButton", [](KeyOptionsDialog *dialog) {
        auto *grace = child<QComboBox>(dialog, "graceCombo");
        QCOMPARE(grace->currentData().toInt(), 0); // a leaked key should stop now
        QCOMPARE(grace->count(), int(KeyOptionsDialog::graceChoices().size()));
    });
    QVERIFY(!second.isEmpty());
    QVERIFY(second != first.rawKey);
    QCOMPARE(f.ping(first.rawKey), 401);
    QCOMPARE(f.ping(second), 200);
    QCOMPARE(f.stateOf(first.key.prefix), QStringLiteral("revoked"));
    QCOMPARE(f.stateOf(second.left(9)), QStringLiteral("active"));
    QCOMPARE(f.panel->view()->selectionModel()->selectedRows().value(0).row(),
             f.rowOfPrefix(second.left(9))); // the new key is selected

    // With an hour's grace both work meanwhile, and the old one says until when.
    const QString third = f.takeNewKey("rotateKeyButton", [](KeyOptionsDialog *dialog) {
        auto *grace = child<QComboBox>(dialog, "graceCombo");
        grace->setCurrentIndex(grace->findData(3600));
    });
    QVERIFY(!third.isEmpty());
    QCOMPARE(f.ping(second), 200);
    QCOMPARE(f.ping(third), 200);
    QCOMPARE(f.stateOf(second.left(9)), QStringLiteral("revoking"));
    const int rotating = f.rowOfPrefix(second.left(9));
    QVERIFY(f.panel->model()
                ->index(rotating, ConsumerKeysModel::StateColumn)
                .data()
                .toString()
                .startsWith(QLatin1String("rotating out (until ")));
    QVERIFY(child<QLabel>(f.panel, "keysMessage")->text().contains(QLatin1String("works until")));
    // A key rotating out cannot be rotated again, but can be cut off now.
    f.panel->view()->selectRow(rotating);
    QVERIFY(!button(f.panel, "rotateKeyButton")->isEnabled());
    QVERIFY(button(f.panel, "revokeKeyButton")->isEnabled());
    BoxAnswer yes;
    answerMessageBox(QStringLiteral("revokeKeyBox"), QMessageBox::Yes, &yes);
    QTest::mouseClick(button(f.panel, "revokeKeyButton"), Qt::LeftButton);
    QVERIFY(yes.seen);
    QCOMPARE(f.ping(second), 401);
    QCOMPARE(f.ping(third), 200);
}

void TestConsumersPage::configKeysShowAsSuch()
{
    Fixture f;
    QVERIFY(f.ok);
    const QString envKey = QStringLiteral("env-supplied-consumer-key-0123456789");
    qputenv("GH_TEST_CONSUMER_KEY", envKey.toUtf8());
    const QString digested = QStringLiteral("digest-supplied-consumer-key-0123456789");
    const QByteArray consumer =
        "{\"keys\":[\"${env:GH_TEST_CONSUMER_KEY}\",\"sha256:" + ApiKey::hash(digested).toLatin1() +
        "\",\"${env:GH_TEST_NOT_SET_ANYWHERE}\"]}";
    QVERIFY(f.openConsumer(QStringLiteral("me"), consumer));
    const QAbstractItemModel *model = f.panel->model();
    QCOMPARE(model->rowCount(), 3);
    QStringList sources;
    for (int row = 0; row < 3; ++row)
        sources.append(model->index(row, ConsumerKeysModel::SourceColumn).data().toString());
    QCOMPARE(sources, QStringList({QStringLiteral("config file: ${env:GH_TEST_CONSUMER_KEY}"),
                                   QStringLiteral("config file (SHA-256 digest)"),
                                   QStringLiteral("config file: ${env:GH_TEST_NOT_SET_ANYWHERE} "
                                                  "(cannot be read now)")}));
    // Never the key itself: a short prefix, the digest's start, or the reference.
    QStringList prefixes;
    for (int row = 0; row < 3; ++row)
        prefixes.append(model->index(row, ConsumerKeysModel::PrefixColumn).data().toString());
    QCOMPARE(prefixes, QStringList({QStringLiteral("env-*"),
                                    QStringLiteral("sha256:") + ApiKey::hash(digested).left(8) +
                                        QStringLiteral("…"),
                                    QStringLiteral("${env:GH_TEST_NOT_SET_ANYWHERE}")}));
    QCOMPARE(f.ping(envKey), 200);
    QCOMPARE(f.ping(digested), 200);

    // Saving the form leaves the configured keys alone.
    const QJsonArray keys = f.stored(QStringLiteral("me")).value(QStringLiteral("keys")).toArray();
    f.w<QGroupBox>("rateLimitBox")->setChecked(true);
    typeInto(f.w<QLineEdit>("requestsPerMinuteEdit"), QStringLiteral("100"));
    QVERIFY(f.page->save());
    QCOMPARE(f.stored(QStringLiteral("me")).value(QStringLiteral("keys")).toArray(), keys);
    QCOMPARE(f.panel->model()->rowCount(), 3);
    QCOMPARE(f.ping(envKey), 200);

    // Revoking a configured key warns that the file still lists it, and holds.
    f.panel->view()->selectRow(0);
    BoxAnswer yes;
    answerMessageBox(QStringLiteral("revokeKeyBox"), QMessageBox::Yes, &yes);
    QTest::mouseClick(button(f.panel, "revokeKeyButton"), Qt::LeftButton);
    QVERIFY(yes.seen);
    QVERIFY(yes.informativeText.contains(QLatin1String("config file still lists it")));
    QCOMPARE(f.ping(envKey), 401);
    QCOMPARE(f.ping(digested), 200);
}

void TestConsumersPage::unsavedEditsSurviveKeyChanges()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openConsumer(QStringLiteral("me")));
    f.w<QGroupBox>("budgetBox")->setChecked(true);
    typeInto(f.w<QLineEdit>("budgetUsdEdit"), QStringLiteral("7"));
    QVERIFY(f.form->isDirty());

    // A key made meanwhile neither loses the edit nor is lost by saving it.
    const QString key = f.takeNewKey("createKeyButton");
    QVERIFY(!key.isEmpty());
    QVERIFY(f.form->isDirty());
    QCOMPARE(f.w<QLineEdit>("budgetUsdEdit")->text(), QStringLiteral("7"));
    QVERIFY(f.page->save());
    const QJsonObject stored = f.stored(QStringLiteral("me"));
    QCOMPARE(stored.value(QStringLiteral("budget")).toObject(),
             json("{\"usd\":7,\"period\":\"month\"}"));
    QCOMPARE(stored.value(QStringLiteral("keys")).toArray().size(), 1);
    QCOMPARE(f.ping(key), 200);
}

void TestConsumersPage::deletingConsumerStopsItsKeys()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openConsumer(QStringLiteral("me")));
    const ConsumerKeyService::Result made = f.g.gateway.createConsumerKey(QStringLiteral("me"));
    QVERIFY(made.ok());
    QCOMPARE(f.ping(made.rawKey), 200);
    BoxAnswer confirm;
    answerMessageBox(QStringLiteral("deleteConfirmBox"), QMessageBox::Yes, &confirm);
    QTest::mouseClick(button(f.page, "deleteButton"), Qt::LeftButton);
    QVERIFY(confirm.seen);
    QVERIFY(confirm.text.contains(QLatin1String("keys stop working")));
    QVERIFY(f.stored(QStringLiteral("me")).isEmpty());
    QCOMPARE(f.ping(made.rawKey), 401);
    QCOMPARE(f.panel->model()->rowCount(), 0);
    QVERIFY(!button(f.panel, "createKeyButton")->isEnabled());
}

void TestConsumersPage::budgetBarReflectsSpend()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openConsumer(QStringLiteral("me"), "{\"budget\":{\"usd\":5,\"period\":\"day\"}}"));
    const ConsumerKeyService::Result made = f.g.gateway.createConsumerKey(QStringLiteral("me"));
    QVERIFY(made.ok());
    auto *bar = f.w<QProgressBar>("spendBar");
    auto *label = f.w<QLabel>("spendLabel");
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->value(), 0);
    QCOMPARE(bar->text(), QStringLiteral("USD 0.00 of USD 5.00 today (0 %)"));
    const QString tomorrow =
        QDateTime::currentDateTimeUtc().date().addDays(1).toString(Qt::ISODate);
    QCOMPARE(label->text(), QStringLiteral("Starts afresh on %1 (UTC).").arg(tomorrow));

    // A call costs USD 2: the bar follows without any click (it refreshes while shown).
    QCOMPARE(f.chat(made.rawKey), 200);
    QTRY_COMPARE_WITH_TIMEOUT(bar->value(), bar->maximum() * 2 / 5, 5000);
    QCOMPARE(bar->text(), QStringLiteral("USD 2.00 of USD 5.00 today (40 %)"));
    QVERIFY(!bar->property("exhausted").toBool());
    maybeScreenshot(f.window.get(), QStringLiteral("consumers-budget"));

    QCOMPARE(f.chat(made.rawKey), 200);
    QCOMPARE(f.chat(made.rawKey), 200); // 4 < 5 is let in; it ends at 6
    f.form->refreshSpend();
    QCOMPARE(bar->value(), bar->maximum());
    QCOMPARE(bar->text(), QStringLiteral("USD 6.00 of USD 5.00 today (120 %)"));
    QVERIFY(bar->property("exhausted").toBool());
    QCOMPARE(label->text(),
             QStringLiteral("Budget spent: AI calls of this consumer are refused until %1 (UTC).")
                 .arg(tomorrow));
    QCOMPARE(f.chat(made.rawKey), 429); // what the bar says

    // A bigger budget saved through the form: the bar follows the saved budget at once.
    auto *usd = f.w<QLineEdit>("budgetUsdEdit");
    usd->selectAll();
    typeInto(usd, QStringLiteral("60"));
    QVERIFY(f.page->save());
    QCOMPARE(bar->value(), bar->maximum() / 10);
    QCOMPARE(bar->text(), QStringLiteral("USD 6.00 of USD 60.00 today (10 %)"));

    // No budget: this month's spend, no bar.
    f.w<QGroupBox>("budgetBox")->setChecked(false);
    QVERIFY(f.page->save());
    QVERIFY(!bar->isVisible());
    QCOMPARE(label->text(), QStringLiteral("USD 6.00 this month (UTC); no budget."));
    QCOMPARE(ConsumerForm::formatUsd(0.00042), QStringLiteral("USD 0.0004"));
    QCOMPARE(ConsumerForm::formatUsd(0), QStringLiteral("USD 0.00"));
}

void TestConsumersPage::rejectionsShowAtTheFieldAndSaveNothing_data()
{
    QTest::addColumn<QString>("box");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("message");

    QTest::newRow("requests per minute 0") << "rateLimitBox"
                                           << "requestsPerMinuteEdit"
                                           << "0"
                                           << "requestsPerMinuteError"
                                           << "must be greater than 0";
    QTest::newRow("tokens per minute 0") << "rateLimitBox"
                                         << "tokensPerMinuteEdit"
                                         << "0"
                                         << "tokensPerMinuteError"
                                         << "must be greater than 0";
    QTest::newRow("negative concurrency") << "rateLimitBox"
                                          << "concurrentEdit"
                                          << "-2"
                                          << "concurrentError"
                                          << "must be greater than 0";
    QTest::newRow("budget without an amount") << "budgetBox"
                                              << ""
                                              << ""
                                              << "budgetUsdError"
                                              << "is required";
    QTest::newRow("negative budget") << "budgetBox"
                                     << "budgetUsdEdit"
                                     << "-1"
                                     << "budgetUsdError"
                                     << "must not be negative";
    QTest::newRow("half-typed amount") << "budgetBox"
                                       << "budgetUsdEdit"
                                       << "-"
                                       << "budgetUsdError"
                                       << "must be a number";
}

void TestConsumersPage::rejectionsShowAtTheFieldAndSaveNothing()
{
    QFETCH(QString, box);
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QString, error);
    QFETCH(QString, message);

    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openConsumer(QStringLiteral("me")));
    const QJsonObject before = f.stored(QStringLiteral("me"));
    f.page->findChild<QGroupBox *>(box)->setChecked(true);
    if (!field.isEmpty())
        typeInto(f.page->findChild<QLineEdit *>(field), text);
    QVERIFY(!f.page->save());
    auto *label = f.page->findChild<QLabel *>(error);
    QVERIFY(label && label->isVisible());
    QVERIFY2(label->text().contains(message), qPrintable(label->text()));
    QVERIFY(ProblemDisplay::isInvalid(
        f.page->findChild<QWidget *>(field.isEmpty() ? QStringLiteral("budgetUsdEdit") : field)));
    QVERIFY(child<QLabel>(f.page, "problemSummary")->isVisible());
    QVERIFY(f.form->isDirty());
    QCOMPARE(f.stored(QStringLiteral("me")), before);
}

void TestConsumersPage::keysModelPassesTester()
{
    ConsumerKeysModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    ConsumerKey generated;
    generated.id = 1;
    generated.prefix = QStringLiteral("gh-AbC123");
    generated.createdAt = now - 1000;
    ConsumerKey literal;
    literal.id = 2;
    literal.prefix = QStringLiteral("abcd*");
    literal.expiresAt = now - 1; // expired
    ConsumerKey rotating;
    rotating.id = 3;
    rotating.prefix = QStringLiteral("gh-XyZ789");
    rotating.revokedAt = now + 3600 * 1000;
    model.setKeys({generated, literal, rotating}, now);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(ConsumerKeysModel::ColumnCount));
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("gh-AbC123…"));
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("abcd*"));
    QCOMPARE(model.index(1, ConsumerKeysModel::SourceColumn).data().toString(),
             QStringLiteral("config file (key written in it)"));
    QVERIFY(!ConsumerKeysModel::fromConfig(generated));
    QVERIFY(ConsumerKeysModel::fromConfig(literal));
    QCOMPARE(model.state(0), QStringLiteral("active"));
    QCOMPARE(model.state(1), QStringLiteral("expired"));
    QCOMPARE(model.state(2), QStringLiteral("revoking"));
    QCOMPARE(model.index(2, 0).data(ConsumerKeysModel::IdRole).toLongLong(), 3);
    QCOMPARE(model.index(1, 0).data(ConsumerKeysModel::StateRole).toString(),
             QStringLiteral("expired"));
    QCOMPARE(model.headerData(ConsumerKeysModel::StateColumn, Qt::Horizontal).toString(),
             QStringLiteral("State"));

    // The same keys later: updated in place (the grace period ended).
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    model.setKeys({generated, literal, rotating}, now + 2 * 3600 * 1000);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(model.state(2), QStringLiteral("revoked"));
    // Other keys: a reset.
    model.setKeys({rotating}, now);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(model.rowOf(3), 0);
    QCOMPARE(model.rowOf(1), -1);
    QVERIFY(model.state(5).isEmpty());
    model.setKeys({}, now);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(TestConsumersPage)
#include "tst_consumerspage.moc"
