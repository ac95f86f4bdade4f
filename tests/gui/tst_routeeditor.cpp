#include "EntityEditorPage.h"
#include "EntityForm.h"
#include "EntityTableModel.h"
#include "Gateway.h"
#include "MainWindow.h"
#include "ProblemDisplay.h"
#include "ServiceTargetsModel.h"
#include "StateBadgeDelegate.h"
#include "TestRequestDialog.h"
#include "http/HttpServer.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "TestGateway.h"
#include <QTimer>

using namespace gh;
using gh::test::TestGateway;

namespace {

// The Routes and Services pages of a shown main window.
struct Editors
{
    explicit Editors(Gateway *gateway)
        : window(gateway)
    {
        window.show();
    }

    EntityEditorPage *page(MainWindow::Page which)
    {
        window.showPage(which);
        return qobject_cast<EntityEditorPage *>(window.pageWidget(which));
    }

    MainWindow window;
};

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

// What a message box said when the test answered it.
struct BoxAnswer
{
    bool seen = false;
    QString text;
    QString informativeText;
};

// Clicks `answer` on the message box named `name` once it shows (inside its exec()).
void answerMessageBox(const QString &name, QMessageBox::StandardButton answer, BoxAnswer *seen)
{
    auto *timer = new QTimer;
    const QDeadlineTimer deadline(10000);
    QObject::connect(timer, &QTimer::timeout, timer, [=] {
        const QWidgetList windows = QApplication::topLevelWidgets();
        for (QWidget *window : windows) {
            auto *box = qobject_cast<QMessageBox *>(window);
            if (!box || box->objectName() != name || !box->isVisible())
                continue;
            seen->seen = true;
            seen->text = box->text();
            seen->informativeText = box->informativeText();
            timer->deleteLater();
            box->button(answer)->click();
            return;
        }
        if (deadline.hasExpired())
            timer->deleteLater();
    });
    timer->start(20);
}

void typeInto(QWidget *widget, const QString &text)
{
    widget->setFocus();
    QTest::keyClicks(widget, text);
}

void clickRow(QTableView *table, const QString &name)
{
    const QAbstractItemModel *model = table->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data().toString() == name) {
            table->scrollTo(index);
            QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                              table->visualRect(index).center());
            return;
        }
    }
    qWarning() << "no row" << name;
}

// GATEHOUSE_SCREENSHOTS=DIR saves what the editors look like, for docs and reviews.
void maybeScreenshot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("GATEHOUSE_SCREENSHOTS");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QTest::qWait(50); // let pending layouts settle
        window->grab().save(QStringLiteral("%1/editor-%2.png").arg(dir, name));
    }
}

const QByteArray BillingService = R"({"targets":[{"url":"http://127.0.0.1:9000"}]})";
const QByteArray BillingRoute =
    R"({"match":{"paths":["/billing"]},"service":"billing","auth":"none"})";

} // namespace

class TestRouteEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void createServiceThroughForm();
    void invalidTargetUrlShowsInlineError();
    void createRouteThroughForm();
    void invalidPathShowsInlineError();
    void deletingServiceInUseShowsConflict();
    void deleteRoute();
    void enabledMapsOntoLifecycle();
    void dirtyTrackingAndRevert();
    void unsavedChangesAskBeforeLeaving();
    void externalChangesReachTheForm();
    void sendTestRequest();
    void testRequestNeedsRunningGateway();
    void problemPathsFindTheirFields();
    void targetsModelPassesTester();
};

void TestRouteEditor::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

void TestRouteEditor::init()
{
    QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse")).clear();
}

void TestRouteEditor::createServiceThroughForm()
{
    TestGateway g;
    QVERIFY(g.start());
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Services);
    QVERIFY(page);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));
    QVERIFY(child<QWidget>(page, "emptyState")->isVisible());
    auto *save = button(page, "saveButton");
    QVERIFY(!save->isVisible() || !save->isEnabled());

    QTest::mouseClick(button(page, "newButton"), Qt::LeftButton);
    QVERIFY(!child<QWidget>(page, "emptyState")->isVisible());
    auto *name = child<QLineEdit>(page, "nameEdit");
    QVERIFY(name->isVisible() && !name->isReadOnly());
    typeInto(name, QStringLiteral("billing"));
    QVERIFY(save->isEnabled());

    QTest::mouseClick(button(page, "addTargetButton"), Qt::LeftButton);
    auto *targets = child<QTableView>(page, "targetsView");
    auto *urlEditor = targets->viewport()->findChild<QLineEdit *>();
    QVERIFY(urlEditor);
    typeInto(urlEditor, QStringLiteral("http://127.0.0.1:9000"));
    QTest::keyClick(urlEditor, Qt::Key_Return); // commits through a queued call
    QTRY_COMPARE(targets->model()->index(0, 0).data().toString(),
                 QStringLiteral("http://127.0.0.1:9000"));

    child<QCheckBox>(page, "healthCheckCheck")->setFocus();
    QTest::keyClick(child<QCheckBox>(page, "healthCheckCheck"), Qt::Key_Space);
    QVERIFY(child<QLineEdit>(page, "healthPathEdit")->isEnabled());
    auto *retries = child<QSpinBox>(page, "retriesSpin");
    retries->selectAll();
    typeInto(retries, QStringLiteral("2"));
    auto *balance = child<QComboBox>(page, "balanceCombo");
    balance->setCurrentIndex(balance->findData(QStringLiteral("least-connections")));
    maybeScreenshot(&editors.window, QStringLiteral("services-new"));

    QTest::mouseClick(save, Qt::LeftButton);
    const QJsonObject stored = g.entity(EntityKind::Service, QStringLiteral("billing"));
    QVERIFY2(!stored.isEmpty(), qPrintable(child<QLabel>(page, "problemSummary")->text()));
    QCOMPARE(stored.value(QStringLiteral("targets"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("url")),
             QJsonValue(QStringLiteral("http://127.0.0.1:9000")));
    QCOMPARE(stored.value(QStringLiteral("retries")).toInt(), 2);
    QCOMPARE(stored.value(QStringLiteral("balance")).toString(),
             QStringLiteral("least-connections"));
    QCOMPARE(stored.value(QStringLiteral("health_check"))[QStringLiteral("path")].toString(),
             QStringLiteral("/health"));

    // Saved: clean again, listed, selected, and the name is fixed from now on.
    QVERIFY(!save->isEnabled());
    QVERIFY(!page->form()->isDirty());
    QCOMPARE(page->model()->rowCount(), 1);
    QVERIFY(page->tableView()->isVisible());
    QVERIFY(child<QWidget>(page, "entityForm")->isVisible());
    QCOMPARE(page->tableView()->currentIndex().data().toString(), QStringLiteral("billing"));
    QVERIFY(name->isReadOnly());
    QVERIFY(child<QLabel>(page, "editorStatus")->text().contains(QLatin1String("billing")));
    QVERIFY(!child<QLabel>(page, "problemSummary")->isVisible());
    maybeScreenshot(&editors.window, QStringLiteral("services"));
}

void TestRouteEditor::invalidTargetUrlShowsInlineError()
{
    TestGateway g;
    QVERIFY(g.start());
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Services);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));

    QTest::mouseClick(button(page, "newButton"), Qt::LeftButton);
    typeInto(child<QLineEdit>(page, "nameEdit"), QStringLiteral("bad"));
    QTest::mouseClick(button(page, "addTargetButton"), Qt::LeftButton);
    auto *targets = child<QTableView>(page, "targetsView");
    auto *urlEditor = targets->viewport()->findChild<QLineEdit *>();
    QVERIFY(urlEditor);
    typeInto(urlEditor, QStringLiteral("ftp://x"));
    QTest::keyClick(urlEditor, Qt::Key_Return);
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);

    QVERIFY(g.entity(EntityKind::Service, QStringLiteral("bad")).isEmpty());
    auto *error = child<QLabel>(page, "targetsError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QLatin1String("target 1")), qPrintable(error->text()));
    QVERIFY2(error->text().contains(QLatin1String("http://")), qPrintable(error->text()));
    QVERIFY(ProblemDisplay::isInvalid(targets));
    QVERIFY(!ProblemDisplay::isInvalid(child<QLineEdit>(page, "nameEdit")));
    auto *summary = child<QLabel>(page, "problemSummary");
    QVERIFY(summary->isVisible());
    QVERIFY(summary->text().contains(QLatin1String("Targets")));
    QVERIFY(button(page, "saveButton")->isEnabled()); // still unsaved
    maybeScreenshot(&editors.window, QStringLiteral("services-invalid"));

    // Fixed, it saves and the marks go away.
    const QModelIndex url = targets->model()->index(0, ServiceTargetsModel::UrlColumn);
    QVERIFY(targets->model()->setData(url, QStringLiteral("https://x.example")));
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    QVERIFY(!g.entity(EntityKind::Service, QStringLiteral("bad")).isEmpty());
    QVERIFY(!error->isVisible());
    QVERIFY(!ProblemDisplay::isInvalid(targets));
    QVERIFY(!summary->isVisible());
}

void TestRouteEditor::createRouteThroughForm()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("billing"), BillingService));
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("accounts"), BillingService));
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Routes);
    QVERIFY(page);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));

    QTest::mouseClick(button(page, "newButton"), Qt::LeftButton);
    typeInto(child<QLineEdit>(page, "nameEdit"), QStringLiteral("billing-api"));
    auto *paths = child<QPlainTextEdit>(page, "pathsEdit");
    typeInto(paths, QStringLiteral("/billing"));
    QTest::keyClick(paths, Qt::Key_Return);
    QTest::keyClicks(paths, QStringLiteral("/invoices"));
    for (const char *method : {"methodGETCheck", "methodPOSTCheck"})
        QTest::keyClick(child<QCheckBox>(page, method), Qt::Key_Space);
    auto *service = child<QComboBox>(page, "serviceCombo");
    QCOMPARE(service->count(), 2); // filled from the store, sorted
    QCOMPARE(service->itemText(0), QStringLiteral("accounts"));
    service->setCurrentIndex(service->findText(QStringLiteral("billing")));
    QTest::keyClick(child<QCheckBox>(page, "stripPathCheck"), Qt::Key_Space);
    auto *auth = child<QComboBox>(page, "authCombo");
    QCOMPARE(auth->currentData().toString(), QStringLiteral("key")); // SPEC default
    auth->setCurrentIndex(auth->findData(QStringLiteral("none")));
    QCOMPARE(child<QPlainTextEdit>(page, "consumersEdit")->toPlainText(), QStringLiteral("*"));
    typeInto(child<QLineEdit>(page, "versionEdit"), QStringLiteral("v1"));
    QVERIFY(child<QCheckBox>(page, "enabledCheck")->isChecked());
    QVERIFY(!child<QDateEdit>(page, "sunsetEdit")->isEnabled());

    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    const QJsonObject stored = g.entity(EntityKind::Route, QStringLiteral("billing-api"));
    QVERIFY2(!stored.isEmpty(), qPrintable(child<QLabel>(page, "problemSummary")->text()));
    const QJsonObject match = stored.value(QStringLiteral("match")).toObject();
    QCOMPARE(match.value(QStringLiteral("paths")).toArray(),
             QJsonArray({QStringLiteral("/billing"), QStringLiteral("/invoices")}));
    QCOMPARE(match.value(QStringLiteral("methods")).toArray(),
             QJsonArray({QStringLiteral("GET"), QStringLiteral("POST")}));
    QCOMPARE(stored.value(QStringLiteral("service")).toString(), QStringLiteral("billing"));
    QCOMPARE(stored.value(QStringLiteral("strip_path")).toBool(), true);
    QCOMPARE(stored.value(QStringLiteral("auth")).toString(), QStringLiteral("none"));
    QCOMPARE(stored.value(QStringLiteral("state")).toString(), QStringLiteral("published"));
    QCOMPARE(stored.value(QStringLiteral("version")).toString(), QStringLiteral("v1"));
    QCOMPARE(stored.value(QStringLiteral("consumers")).toArray(),
             QJsonArray({QStringLiteral("*")}));

    // The table shows it, with the state column drawn as a badge.
    QCOMPARE(page->model()->rowCount(), 1);
    QTableView *table = page->tableView();
    const int stateColumn = table->model()->columnCount() - 1;
    QVERIFY(qobject_cast<StateBadgeDelegate *>(table->itemDelegateForColumn(stateColumn)));
    QCOMPARE(table->model()->index(0, stateColumn).data().toString(), QStringLiteral("published"));
    QVERIFY(!button(page, "saveButton")->isEnabled());
    QVERIFY(button(page, "sendTestRequestButton")->isEnabled());
    maybeScreenshot(&editors.window, QStringLiteral("routes"));
}

void TestRouteEditor::invalidPathShowsInlineError()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("billing"), BillingService));
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Routes);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));

    QTest::mouseClick(button(page, "newButton"), Qt::LeftButton);
    typeInto(child<QLineEdit>(page, "nameEdit"), QStringLiteral("billing-api"));
    auto *paths = child<QPlainTextEdit>(page, "pathsEdit");
    typeInto(paths, QStringLiteral("billing"));
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);

    QVERIFY(g.entity(EntityKind::Route, QStringLiteral("billing-api")).isEmpty());
    auto *error = child<QLabel>(page, "pathsError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("“billing”")), qPrintable(error->text()));
    QVERIFY2(error->text().contains(QLatin1String("must start with \"/\"")),
             qPrintable(error->text()));
    QVERIFY(ProblemDisplay::isInvalid(paths));
    QVERIFY(!child<QLabel>(page, "serviceError")->isVisible());
    QVERIFY(child<QLabel>(page, "problemSummary")->text().contains(QLatin1String("Paths")));
    maybeScreenshot(&editors.window, QStringLiteral("routes-invalid"));

    // A bad name is shown at the name.
    paths->selectAll();
    QTest::keyClicks(paths, QStringLiteral("/billing"));
    auto *name = child<QLineEdit>(page, "nameEdit");
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("bad name"));
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    QVERIFY(child<QLabel>(page, "nameError")->isVisible());
    QVERIFY(!error->isVisible());
    QVERIFY(!ProblemDisplay::isInvalid(paths));

    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("billing-api"));
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    QVERIFY(!g.entity(EntityKind::Route, QStringLiteral("billing-api")).isEmpty());
    QVERIFY(!child<QLabel>(page, "nameError")->isVisible());
}

void TestRouteEditor::deletingServiceInUseShowsConflict()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("billing"), BillingService));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("billing-api"), BillingRoute));
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Services);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));

    clickRow(page->tableView(), QStringLiteral("billing"));
    QCOMPARE(page->form()->name(), QStringLiteral("billing"));
    BoxAnswer confirm;
    BoxAnswer conflict;
    answerMessageBox(QStringLiteral("deleteConfirmBox"), QMessageBox::Yes, &confirm);
    answerMessageBox(QStringLiteral("deleteConflictBox"), QMessageBox::Ok, &conflict);
    QTest::mouseClick(button(page, "deleteButton"), Qt::LeftButton);
    QVERIFY(confirm.seen);
    QVERIFY(conflict.seen);
    QVERIFY2(conflict.text.contains(QLatin1String("billing")), qPrintable(conflict.text));
    QVERIFY2(conflict.informativeText.contains(QLatin1String("unknown service \"billing\"")),
             qPrintable(conflict.informativeText));

    // Nothing changed: still stored, listed and in the form.
    QVERIFY(!g.entity(EntityKind::Service, QStringLiteral("billing")).isEmpty());
    QCOMPARE(page->model()->rowCount(), 1);
    QCOMPARE(page->form()->name(), QStringLiteral("billing"));

    // Saying No to the question deletes nothing either.
    BoxAnswer no;
    answerMessageBox(QStringLiteral("deleteConfirmBox"), QMessageBox::No, &no);
    QTest::mouseClick(button(page, "deleteButton"), Qt::LeftButton);
    QVERIFY(no.seen);
    QVERIFY(!g.entity(EntityKind::Service, QStringLiteral("billing")).isEmpty());
}

void TestRouteEditor::deleteRoute()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("billing"), BillingService));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("billing-api"), BillingRoute));
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Routes);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));
    QVERIFY(page->selectEntity(QStringLiteral("billing-api")));

    BoxAnswer confirm;
    answerMessageBox(QStringLiteral("deleteConfirmBox"), QMessageBox::Yes, &confirm);
    QTest::mouseClick(button(page, "deleteButton"), Qt::LeftButton);
    QVERIFY(confirm.seen);
    QVERIFY(g.entity(EntityKind::Route, QStringLiteral("billing-api")).isEmpty());
    QCOMPARE(page->model()->rowCount(), 0);
    QVERIFY(!page->form()->isLoaded());
    QVERIFY(!button(page, "deleteButton")->isEnabled());
    // Back to the explanation of how to add one.
    QVERIFY(child<QWidget>(page, "emptyState")->isVisible());
}

void TestRouteEditor::enabledMapsOntoLifecycle()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("billing"), BillingService));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("billing-api"), BillingRoute));
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Routes);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));
    clickRow(page->tableView(), QStringLiteral("billing-api"));

    auto *enabled = child<QCheckBox>(page, "enabledCheck");
    auto *state = child<QComboBox>(page, "stateCombo");
    QVERIFY(enabled->isChecked());
    QVERIFY(enabled->toolTip().contains(QLatin1String("404")));
    QTest::keyClick(enabled, Qt::Key_Space);
    QVERIFY(!enabled->isChecked());
    QCOMPARE(state->currentData().toString(), QStringLiteral("draft"));
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    QCOMPARE(g.entity(EntityKind::Route, QStringLiteral("billing-api"))
                 .value(QStringLiteral("state"))
                 .toString(),
             QStringLiteral("draft"));
    QTableView *table = page->tableView();
    QCOMPARE(table->model()->index(0, table->model()->columnCount() - 1).data().toString(),
             QStringLiteral("draft"));
    maybeScreenshot(&editors.window, QStringLiteral("routes-disabled"));

    // On again: published.
    QTest::keyClick(enabled, Qt::Key_Space);
    QCOMPARE(state->currentData().toString(), QStringLiteral("published"));
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    QCOMPARE(g.entity(EntityKind::Route, QStringLiteral("billing-api"))
                 .value(QStringLiteral("state"))
                 .toString(),
             QStringLiteral("published"));

    // Deprecated takes a sunset date; other states leave the date picker off.
    auto *sunset = child<QDateEdit>(page, "sunsetEdit");
    QVERIFY(!sunset->isEnabled());
    state->setCurrentIndex(state->findData(QStringLiteral("deprecated")));
    QVERIFY(sunset->isEnabled());
    QVERIFY(enabled->isChecked());
    sunset->setDate(QDate(2030, 6, 30));
    QTest::mouseClick(button(page, "saveButton"), Qt::LeftButton);
    const QJsonObject deprecated = g.entity(EntityKind::Route, QStringLiteral("billing-api"));
    QCOMPARE(deprecated.value(QStringLiteral("state")).toString(), QStringLiteral("deprecated"));
    QCOMPARE(deprecated.value(QStringLiteral("sunset")).toString(), QStringLiteral("2030-06-30"));
    state->setCurrentIndex(state->findData(QStringLiteral("draft")));
    QVERIFY(!enabled->isChecked());
    QVERIFY(!sunset->isEnabled());
}

void TestRouteEditor::dirtyTrackingAndRevert()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("billing"), BillingService));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("billing-api"), BillingRoute));
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Routes);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));
    clickRow(page->tableView(), QStringLiteral("billing-api"));

    auto *save = button(page, "saveButton");
    auto *revert = button(page, "revertButton");
    QVERIFY(page->form()->isLoaded());
    QVERIFY(!save->isEnabled());
    QVERIFY(!revert->isEnabled());

    auto *version = child<QLineEdit>(page, "versionEdit");
    typeInto(version, QStringLiteral("v2"));
    QVERIFY(save->isEnabled());
    QVERIFY(revert->isEnabled());
    // Undoing the edit by hand is clean again.
    QTest::keyClick(version, Qt::Key_Backspace);
    QTest::keyClick(version, Qt::Key_Backspace);
    QVERIFY(!save->isEnabled());

    auto *paths = child<QPlainTextEdit>(page, "pathsEdit");
    QTest::keyClick(paths, Qt::Key_End, Qt::ControlModifier);
    QTest::keyClick(paths, Qt::Key_Return);
    QVERIFY(!save->isEnabled()); // a blank line is not a change
    QTest::keyClicks(paths, QStringLiteral("/more"));
    QVERIFY(save->isEnabled());

    QTest::mouseClick(revert, Qt::LeftButton);
    QVERIFY(!save->isEnabled());
    QVERIFY(!revert->isEnabled());
    QCOMPARE(paths->toPlainText(), QStringLiteral("/billing"));
    QCOMPARE(g.entity(EntityKind::Route, QStringLiteral("billing-api"))
                 .value(QStringLiteral("match"))[QStringLiteral("paths")]
                 .toArray()
                 .size(),
             1);
}

void TestRouteEditor::unsavedChangesAskBeforeLeaving()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("billing"), BillingService));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("a-route"), BillingRoute));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("b-route"), BillingRoute));
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Routes);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));
    clickRow(page->tableView(), QStringLiteral("a-route"));
    auto *version = child<QLineEdit>(page, "versionEdit");
    typeInto(version, QStringLiteral("v9"));

    // Cancel: stay, edits kept, selection back on the edited row.
    BoxAnswer cancel;
    answerMessageBox(QStringLiteral("unsavedChangesBox"), QMessageBox::Cancel, &cancel);
    clickRow(page->tableView(), QStringLiteral("b-route"));
    QVERIFY(cancel.seen);
    QVERIFY(cancel.text.contains(QLatin1String("a-route")));
    QCOMPARE(page->form()->name(), QStringLiteral("a-route"));
    QCOMPARE(version->text(), QStringLiteral("v9"));
    QCOMPARE(page->tableView()->currentIndex().data().toString(), QStringLiteral("a-route"));

    // Save: stored, then on to the other row.
    BoxAnswer saveAnswer;
    answerMessageBox(QStringLiteral("unsavedChangesBox"), QMessageBox::Save, &saveAnswer);
    clickRow(page->tableView(), QStringLiteral("b-route"));
    QVERIFY(saveAnswer.seen);
    QCOMPARE(g.entity(EntityKind::Route, QStringLiteral("a-route"))
                 .value(QStringLiteral("version"))
                 .toString(),
             QStringLiteral("v9"));
    QCOMPARE(page->form()->name(), QStringLiteral("b-route"));
    QCOMPARE(page->tableView()->currentIndex().data().toString(), QStringLiteral("b-route"));

    // Discard: nothing stored, on to the other row.
    typeInto(version, QStringLiteral("v7"));
    BoxAnswer discard;
    answerMessageBox(QStringLiteral("unsavedChangesBox"), QMessageBox::Discard, &discard);
    QTest::mouseClick(button(page, "newButton"), Qt::LeftButton);
    QVERIFY(discard.seen);
    QVERIFY(page->form()->isNew());
    QVERIFY(!g.entity(EntityKind::Route, QStringLiteral("b-route"))
                 .contains(QStringLiteral("version")));
}

void TestRouteEditor::externalChangesReachTheForm()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("billing"), BillingService));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("billing-api"), BillingRoute));
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Routes);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));
    QVERIFY(page->selectEntity(QStringLiteral("billing-api")));

    // A new service appears in the combo; a clean form follows a change made elsewhere.
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("users"), BillingService));
    QCOMPARE(child<QComboBox>(page, "serviceCombo")->findText(QStringLiteral("users")) >= 0, true);
    const QByteArray moved =
        R"({"match":{"paths":["/billing/v2"]},"service":"users","auth":"none"})";
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("billing-api"), moved));
    QCOMPARE(child<QPlainTextEdit>(page, "pathsEdit")->toPlainText(),
             QStringLiteral("/billing/v2"));
    QCOMPARE(child<QComboBox>(page, "serviceCombo")->currentText(), QStringLiteral("users"));
    QVERIFY(!page->form()->isDirty());

    // An edit in progress is kept over a change elsewhere.
    typeInto(child<QLineEdit>(page, "versionEdit"), QStringLiteral("v3"));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("billing-api"), BillingRoute));
    QCOMPARE(child<QLineEdit>(page, "versionEdit")->text(), QStringLiteral("v3"));
    QVERIFY(page->form()->isDirty());
}

void TestRouteEditor::sendTestRequest()
{
    // A tiny upstream on this thread; the gateway's workers run on their own.
    HttpServer upstream(
        [](const HttpRequest &request) {
            HttpResponse response = HttpResponse::text(200, "pong");
            response.headers.set("x-upstream-path", request.path);
            return response;
        },
        HttpServer::Options{});
    QVERIFY(upstream.listen(QHostAddress::LocalHost, 0));

    TestGateway g;
    QVERIFY(g.start());
    // Raw strings stay out of macro arguments: moc's preprocessor trips over them.
    const QByteArray service = QString::fromLatin1(R"({"targets":[{"url":"http://127.0.0.1:%1"}]})")
                                   .arg(upstream.serverPort())
                                   .toUtf8();
    const QByteArray route = R"({"match":{"paths":["/ping"]},"service":"pong","auth":"none"})";
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("pong"), service));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("ping"), route));
    Editors editors(&g.gateway);
    EntityEditorPage *page = editors.page(MainWindow::Page::Routes);
    QVERIFY(QTest::qWaitForWindowExposed(&editors.window));
    auto *open = button(page, "sendTestRequestButton");
    QVERIFY(!open->isEnabled()); // nothing selected
    clickRow(page->tableView(), QStringLiteral("ping"));
    QVERIFY(open->isEnabled());
    QTest::mouseClick(open, Qt::LeftButton);

    auto *dialog = page->findChild<TestRequestDialog *>();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QCOMPARE(child<QLineEdit>(dialog, "pathEdit")->text(), QStringLiteral("/ping"));
    QCOMPARE(child<QComboBox>(dialog, "methodCombo")->currentText(), QStringLiteral("GET"));
    QVERIFY(!child<QLabel>(dialog, "gatewayNotRunningLabel")->isVisible());
    typeInto(child<QPlainTextEdit>(dialog, "headersEdit"), QStringLiteral("x-test: 1"));
    auto *send = button(dialog, "sendButton");
    QVERIFY(send->isEnabled());
    QTest::mouseClick(send, Qt::LeftButton);

    auto *status = child<QLabel>(dialog, "responseStatusLabel");
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("200")), 10000);
    QCOMPARE(status->text(), QStringLiteral("200 OK"));
    const QString headers = child<QPlainTextEdit>(dialog, "responseHeadersView")->toPlainText();
    QVERIFY2(headers.contains(QLatin1String("x-gatehouse-request-id: "), Qt::CaseInsensitive),
             qPrintable(headers));
    QVERIFY2(headers.contains(QLatin1String("x-gatehouse-overhead-us: "), Qt::CaseInsensitive),
             qPrintable(headers));
    QVERIFY2(headers.contains(QLatin1String("x-upstream-path: /ping"), Qt::CaseInsensitive),
             qPrintable(headers));
    QCOMPARE(child<QPlainTextEdit>(dialog, "responseBodyView")->toPlainText(),
             QStringLiteral("pong"));
    const QString latency = child<QLabel>(dialog, "latencyLabel")->text();
    QVERIFY2(latency.contains(QLatin1String(" ms")), qPrintable(latency));
    QVERIFY2(latency.contains(QStringLiteral("µs")), qPrintable(latency));
    QVERIFY(send->isEnabled());
    maybeScreenshot(dialog, QStringLiteral("test-request"));

    // A path without a route: the gateway's own 404, shown as such.
    auto *path = child<QLineEdit>(dialog, "pathEdit");
    path->selectAll();
    QTest::keyClicks(path, QStringLiteral("/nothing-here"));
    QTest::mouseClick(send, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("404")), 10000);
    QVERIFY(child<QPlainTextEdit>(dialog, "responseBodyView")->toPlainText().contains(u'\n'));

    // A header line that is not "Name: value" is refused before sending.
    child<QPlainTextEdit>(dialog, "headersEdit")->setPlainText(QStringLiteral("broken"));
    QTest::mouseClick(send, Qt::LeftButton);
    QVERIFY(child<QLabel>(dialog, "requestError")->isVisible());
    QVERIFY(!dialog->isRunning());
    dialog->close();
}

void TestRouteEditor::testRequestNeedsRunningGateway()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Service, QStringLiteral("billing"), BillingService));
    QVERIFY(g.put(EntityKind::Route, QStringLiteral("billing-api"), BillingRoute));
    TestRequestDialog dialog(&g.gateway,
                             g.entity(EntityKind::Route, QStringLiteral("billing-api")));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *send = button(&dialog, "sendButton");
    auto *unavailable = child<QLabel>(&dialog, "gatewayNotRunningLabel");
    QVERIFY(send->isEnabled());
    QVERIFY(!unavailable->isVisible());

    g.gateway.stop(1000);
    QTRY_COMPARE_WITH_TIMEOUT(g.gateway.state(), Gateway::State::Stopped, 5000);
    QVERIFY(!send->isEnabled());
    QVERIFY(unavailable->isVisible());
    QVERIFY(unavailable->text().contains(QLatin1String("not running")));

    QVERIFY(g.gateway.start());
    QVERIFY(send->isEnabled());
    QVERIFY(!unavailable->isVisible());
}

void TestRouteEditor::problemPathsFindTheirFields()
{
    QWidget root;
    auto *paths = new QLineEdit(&root);
    auto *auth = new QLineEdit(&root);
    QLabel *pathsMessage = ProblemDisplay::createMessageLabel(QStringLiteral("p"), &root);
    QLabel *authMessage = ProblemDisplay::createMessageLabel(QStringLiteral("a"), &root);
    ProblemDisplay display;
    display.addField(QStringLiteral("match.paths"), QStringLiteral("Paths"), paths, pathsMessage);
    display.addField(QStringLiteral("auth"), QStringLiteral("Auth"), auth, authMessage);
    display.addAlias(QStringLiteral("jwt"), QStringLiteral("auth"));
    root.show();

    const QStringList summary =
        display.show({{QStringLiteral("match.paths[1]"), QStringLiteral("must start with \"/\"")},
                      {QStringLiteral("jwt"), QStringLiteral("is required when auth is jwt")},
                      {QStringLiteral("cors.origins[0]"), QStringLiteral("must be \"*\"")},
                      {QStringLiteral("match.pathsx"), QStringLiteral("unknown key")}});
    QCOMPARE(summary, QStringList({QStringLiteral("Paths: item 2: must start with \"/\""),
                                   QStringLiteral("Auth: is required when auth is jwt"),
                                   QStringLiteral("cors.origins[0]: must be \"*\""),
                                   QStringLiteral("match.pathsx: unknown key")}));
    QCOMPARE(pathsMessage->text(), QStringLiteral("item 2: must start with \"/\""));
    QVERIFY(pathsMessage->isVisible());
    QCOMPARE(authMessage->text(), QStringLiteral("is required when auth is jwt"));
    QVERIFY(ProblemDisplay::isInvalid(paths));
    QVERIFY(ProblemDisplay::isInvalid(auth));

    display.clear();
    QVERIFY(!pathsMessage->isVisible());
    QVERIFY(!ProblemDisplay::isInvalid(paths));
}

void TestRouteEditor::targetsModelPassesTester()
{
    ServiceTargetsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTargets(QJsonArray{QJsonObject{{QStringLiteral("url"), QStringLiteral("http://a")},
                                            {QStringLiteral("weight"), 3}},
                                QJsonObject{{QStringLiteral("url"), QStringLiteral("http://b")}}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.index(0, ServiceTargetsModel::WeightColumn).data().toInt(), 3);
    QCOMPARE(model.index(1, ServiceTargetsModel::WeightColumn).data().toInt(), 1);
    QVERIFY(model.flags(model.index(0, 0)) & Qt::ItemIsEditable);

    const int row = model.addTarget(QStringLiteral("http://c"));
    QCOMPARE(row, 2);
    QVERIFY(model.setData(model.index(row, ServiceTargetsModel::WeightColumn), 5));
    QVERIFY(!model.setData(model.index(row, ServiceTargetsModel::WeightColumn), -1));
    QVERIFY(model.setData(model.index(row, ServiceTargetsModel::UrlColumn),
                          QStringLiteral("  http://d  ")));
    QVERIFY(model.removeRows(0, 1));
    QVERIFY(!model.removeRows(5, 1));
    QCOMPARE(model.targets(),
             QJsonArray({QJsonObject{{QStringLiteral("url"), QStringLiteral("http://b")},
                                     {QStringLiteral("weight"), 1}},
                         QJsonObject{{QStringLiteral("url"), QStringLiteral("http://d")},
                                     {QStringLiteral("weight"), 5}}}));
    model.setTargets({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(TestRouteEditor)
#include "tst_routeeditor.moc"
