#include "CostsPage.h"
#include "EntityColumns.h"
#include "EntityListPage.h"
#include "EntityTableModel.h"
#include "Gateway.h"
#include "GatewayStateText.h"
#include "MainWindow.h"
#include "OverviewPage.h"
#include "SettingsPage.h"
#include "TrafficPage.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "TestGateway.h"

using namespace gh;
using gh::test::TestGateway;

namespace {

// One HTTP exchange, bounded in time; returns the status code (0: no response).
int http(const QByteArray &method, const QString &url, const QString &token = {},
         const QByteArray &body = {})
{
    QNetworkAccessManager manager;
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(10000);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = manager.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000))
        return 0;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

QString labelText(QWidget *root, const char *name)
{
    auto *label = root->findChild<QLabel *>(QLatin1String(name));
    return label ? label->text() : QStringLiteral("<no label %1>").arg(QLatin1String(name));
}

// 200 for a replaced entity, 201 for a new one; a failure shows its status.
bool succeeded(int status)
{
    if (status == 200 || status == 201)
        return true;
    qWarning() << "admin API answered" << status;
    return false;
}

quint64 digits(const QString &text)
{
    QString only;
    for (QChar c : text) {
        if (c.isDigit())
            only.append(c);
    }
    return only.toULongLong();
}

// GATEHOUSE_SCREENSHOTS=DIR saves what the pages look like, for docs and reviews.
void maybeScreenshot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("GATEHOUSE_SCREENSHOTS");
    if (!dir.isEmpty())
        window->grab().save(QStringLiteral("%1/%2.png").arg(dir, name));
}

void clickSidebarRow(MainWindow &window, int row)
{
    auto *sidebar = window.findChild<QListWidget *>(QStringLiteral("sidebar"));
    QVERIFY(sidebar);
    const QRect rect = sidebar->visualItemRect(sidebar->item(row));
    QTest::mouseClick(sidebar->viewport(), Qt::LeftButton, {}, rect.center());
}

EntityListPage *entityPage(MainWindow &window, MainWindow::Page page)
{
    return qobject_cast<EntityListPage *>(window.pageWidget(page));
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void windowOpensWithEveryPage();
    void sidebarSelectsEveryPage();
    void overviewShowsRunningGateway();
    void stopButtonStopsGateway();
    void overviewShowsStartError();
    void entityPagesShowStoreContents();
    void entityPagesExplainEmptyState();
    void entityModelPassesTester();
    void providerKeyIsNeverShown();
    void settingsValidation();
    void settingsApplyRestartsGateway();
    void geometryAndPageRestored();
    void closingWithoutTrayRequestsQuit();
};

void TestMainWindow::initTestCase()
{
    // Before any QSettings: it picks its file once, and test mode points it at ~/.qttest.
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QVERIFY(QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse"))
                .fileName()
                .contains(QLatin1String(".qttest")));
}

void TestMainWindow::init()
{
    QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse")).clear();
}

void TestMainWindow::windowOpensWithEveryPage()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.currentPage(), MainWindow::Page::Overview);
    QVERIFY(window.findChild<QWidget *>(QStringLiteral("overviewPage"))->isVisible());
    for (MainWindow::Page page : MainWindow::allPages())
        QVERIFY2(window.pageWidget(page), qPrintable(MainWindow::pageKey(page)));
    QVERIFY(labelText(&window, "statusLabel").contains(g.gateway.gatewayUrl()));
}

void TestMainWindow::sidebarSelectsEveryPage()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QList<MainWindow::Page> pages = MainWindow::allPages();
    for (qsizetype row = pages.size() - 1; row >= 0; --row) {
        const MainWindow::Page page = pages.at(row);
        clickSidebarRow(window, int(row));
        QCOMPARE(window.currentPage(), page);
        const QString name = MainWindow::pageKey(page) + QStringLiteral("Page");
        auto *widget = window.findChild<QWidget *>(name);
        QVERIFY2(widget, qPrintable(name));
        QVERIFY2(widget->isVisible(), qPrintable(name));
        for (MainWindow::Page other : pages) {
            if (other != page)
                QVERIFY(!window.pageWidget(other)->isVisible());
        }
        maybeScreenshot(&window, MainWindow::pageKey(page));
    }
    // Traffic and Costs are the real pages now (tst_trafficpage, tst_costspage).
    QVERIFY(qobject_cast<TrafficPage *>(window.pageWidget(MainWindow::Page::Traffic)));
    QVERIFY(qobject_cast<CostsPage *>(window.pageWidget(MainWindow::Page::Costs)));
}

void TestMainWindow::overviewShowsRunningGateway()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *overview = window.pageWidget(MainWindow::Page::Overview);

    QCOMPARE(labelText(overview, "stateLabel"),
             GatewayStateText::stateName(Gateway::State::Running));
    const QString url = labelText(overview, "gatewayUrlLabel");
    QCOMPARE(url, g.gateway.gatewayUrl());
    QVERIFY(url.startsWith(QLatin1String("http://127.0.0.1:")));
    QVERIFY(!url.endsWith(QLatin1String(":0")));
    QCOMPARE(labelText(overview, "adminUrlLabel"), g.gateway.adminUrl());
    QCOMPARE(labelText(overview, "dataDirLabel"), g.gateway.options().dataDir);
    QVERIFY(!overview->findChild<QLabel *>(QStringLiteral("errorLabel"))->isVisible());
    QCOMPARE(overview->findChild<QPushButton *>(QStringLiteral("startStopButton"))->text(),
             tr("Stop"));

    const quint64 before = digits(labelText(overview, "requestsServedLabel"));
    QCOMPARE(http("GET", url + QStringLiteral("/_gatehouse/health")), 200);
    QTRY_VERIFY_WITH_TIMEOUT(digits(labelText(overview, "requestsServedLabel")) > before, 5000);

    // Uptime ticks while the page is visible.
    const QString uptime = labelText(overview, "uptimeLabel");
    QTRY_VERIFY_WITH_TIMEOUT(labelText(overview, "uptimeLabel") != uptime, 5000);
}

void TestMainWindow::stopButtonStopsGateway()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *overview = window.pageWidget(MainWindow::Page::Overview);
    auto *button = overview->findChild<QPushButton *>(QStringLiteral("startStopButton"));
    QVERIFY(button);

    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(labelText(overview, "stateLabel"),
                              GatewayStateText::stateName(Gateway::State::Stopped), 15000);
    QCOMPARE(g.gateway.state(), Gateway::State::Stopped);
    QCOMPARE(button->text(), tr("Start"));
    QVERIFY(labelText(&window, "statusLabel").contains(tr("stopped")));

    // And it starts again from the same button.
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(labelText(overview, "stateLabel"),
                              GatewayStateText::stateName(Gateway::State::Running), 5000);
    QCOMPARE(labelText(overview, "gatewayUrlLabel"), g.gateway.gatewayUrl());
}

void TestMainWindow::overviewShowsStartError()
{
    // Someone else holds the port the gateway wants.
    TestGateway holder;
    QVERIFY(holder.start());
    const quint16 busyPort = QUrl(holder.gateway.gatewayUrl()).port();

    TestGateway g;
    GatewayOptions options;
    options.dataDir = g.dir.path();
    options.listenPort = busyPort;
    options.adminPort = 0;
    options.workers = 1;
    QVERIFY(g.gateway.open(options));
    QVERIFY(!g.gateway.start());
    QCOMPARE(g.gateway.lastErrorKind(), Gateway::Error::PortInUse);

    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *overview = window.pageWidget(MainWindow::Page::Overview);
    auto *error = overview->findChild<QLabel *>(QStringLiteral("errorLabel"));
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(g.gateway.lastError().toHtmlEscaped()),
             qPrintable(error->text()));
    QCOMPARE(labelText(overview, "stateLabel"),
             GatewayStateText::stateName(Gateway::State::Stopped));

    maybeScreenshot(&window, QStringLiteral("overview-port-in-use"));
    // The hint leads to Settings.
    Q_EMIT error->linkActivated(QStringLiteral("settings"));
    QCOMPARE(window.currentPage(), MainWindow::Page::Settings);
}

void TestMainWindow::entityPagesShowStoreContents()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(MainWindow::Page::Services);
    EntityListPage *services = entityPage(window, MainWindow::Page::Services);
    QVERIFY(services);
    QCOMPARE(services->model()->rowCount(), 0);
    QVERIFY(services->findChild<QWidget *>(QStringLiteral("emptyState"))->isVisible());

    const QString admin = g.gateway.adminUrl();
    const QString token = g.gateway.adminToken();
    const QByteArray service = R"({"targets":[{"url":"http://127.0.0.1:9000"}]})";
    QVERIFY(succeeded(http("PUT", admin + QStringLiteral("/services/billing"), token, service)));
    QTRY_COMPARE_WITH_TIMEOUT(services->model()->rowCount(), 1, 5000);
    QVERIFY(services->tableView()->isVisible());
    QVERIFY(!services->findChild<QWidget *>(QStringLiteral("emptyState"))->isVisible());
    QCOMPARE(services->tableView()->model()->rowCount(), 1);
    const QAbstractItemModel *model = services->model();
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("billing"));
    QCOMPARE(model->index(0, 1).data().toString(), QStringLiteral("http://127.0.0.1:9000"));

    const QByteArray route =
        R"({"match":{"paths":["/billing"],"methods":["GET","POST"]},"service":"billing"})";
    QVERIFY(succeeded(http("PUT", admin + QStringLiteral("/routes/billing-api"), token, route)));
    EntityListPage *routes = entityPage(window, MainWindow::Page::Routes);
    QTRY_COMPARE_WITH_TIMEOUT(routes->model()->rowCount(), 1, 5000);
    const QAbstractItemModel *routeModel = routes->model();
    QStringList headers;
    for (int c = 0; c < routeModel->columnCount(); ++c)
        headers.append(routeModel->headerData(c, Qt::Horizontal).toString());
    QCOMPARE(headers, QStringList({tr("Name"), tr("Paths"), tr("Methods"), tr("Service"),
                                   tr("Auth"), tr("State")}));
    QCOMPARE(routeModel->index(0, 1).data().toString(), QStringLiteral("/billing"));
    QCOMPARE(routeModel->index(0, 2).data().toString(), QStringLiteral("GET, POST"));
    QCOMPARE(routeModel->index(0, 3).data().toString(), QStringLiteral("billing"));

    window.showPage(MainWindow::Page::Routes);
    maybeScreenshot(&window, QStringLiteral("routes-with-entries"));
    QCOMPARE(http("DELETE", admin + QStringLiteral("/routes/billing-api"), token), 204);
    QTRY_COMPARE_WITH_TIMEOUT(routes->model()->rowCount(), 0, 5000);
}

void TestMainWindow::entityPagesExplainEmptyState()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Pages with an editor point at their New button; the others promise one.
    const QList<std::tuple<MainWindow::Page, QString, QString>> pages{
        {MainWindow::Page::Routes, QStringLiteral("/routes/"), QStringLiteral("New Route")},
        {MainWindow::Page::Services, QStringLiteral("/services/"), QStringLiteral("New Service")},
        {MainWindow::Page::Providers, QStringLiteral("/providers/"), QStringLiteral("“New”")},
        {MainWindow::Page::Models, QStringLiteral("/models/"), QStringLiteral("“New”")},
        {MainWindow::Page::PromptApis, QStringLiteral("/prompt-apis/"),
         QStringLiteral("New Prompt API")},
        {MainWindow::Page::Consumers, QStringLiteral("/consumers/"),
         QStringLiteral("New Consumer")}};
    for (const auto &[page, path, howToAdd] : pages) {
        window.showPage(page);
        EntityListPage *list = entityPage(window, page);
        QVERIFY(list);
        QCOMPARE(list->model()->rowCount(), 0);
        const QString text = labelText(list, "emptyStateText");
        QVERIFY2(text.contains(QLatin1String("--config")), qPrintable(text));
        QVERIFY2(text.contains(g.gateway.adminUrl() + path), qPrintable(text));
        QVERIFY2(text.contains(howToAdd), qPrintable(text));
        QVERIFY(list->findChild<QWidget *>(QStringLiteral("emptyState"))->isVisible());
    }
}

void TestMainWindow::entityModelPassesTester()
{
    TestGateway g;
    QVERIFY(g.start());
    EntityTableModel model(&g.gateway, EntityKind::Service);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    const QString admin = g.gateway.adminUrl();
    const QString token = g.gateway.adminToken();
    const QByteArray body = R"({"targets":[{"url":"http://127.0.0.1:9000","weight":2},)"
                            R"({"url":"http://127.0.0.1:9001"}],"balance":"random"})";
    for (const char *name : {"billing", "users", "search"}) {
        const QString url = admin + QStringLiteral("/services/") + QLatin1String(name);
        QVERIFY(succeeded(http("PUT", url, token, body)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, 5000);
    QCOMPARE(model.columnCount(), 3);
    const int row = [&] {
        for (int r = 0; r < model.rowCount(); ++r) {
            if (model.index(r, 0).data().toString() == QLatin1String("billing"))
                return r;
        }
        return -1;
    }();
    QVERIFY(row >= 0);
    QCOMPARE(model.index(row, 1).data().toString(),
             QStringLiteral("http://127.0.0.1:9000 (weight 2), http://127.0.0.1:9001"));
    QCOMPARE(model.index(row, 2).data().toString(), QStringLiteral("random"));
    QCOMPARE(model.index(row, 0)
                 .data(EntityTableModel::EntityRole)
                 .toJsonObject()
                 .value(QStringLiteral("name")),
             QJsonValue(QStringLiteral("billing")));

    QCOMPARE(http("DELETE", admin + QStringLiteral("/services/users"), token), 204);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);

    // Stopping keeps the store open: the rows stay.
    g.gateway.stop(1000);
    QTRY_COMPARE_WITH_TIMEOUT(g.gateway.state(), Gateway::State::Stopped, 5000);
    QCOMPARE(model.rowCount(), 2);
}

void TestMainWindow::providerKeyIsNeverShown()
{
    QCOMPARE(EntityColumns::describeKey(QStringLiteral("${env:OPENAI_API_KEY}")),
             QStringLiteral("env: OPENAI_API_KEY"));
    QCOMPARE(EntityColumns::describeKey(QStringLiteral("${keychain:openai}")),
             QStringLiteral("keychain: openai"));
    QCOMPARE(EntityColumns::describeKey(QJsonValue()), tr("none"));
    const QString shown = EntityColumns::describeKey(QStringLiteral("sk-live-abcdef123456"));
    QVERIFY(!shown.contains(QLatin1String("sk-")));
    QVERIFY(!shown.contains(QLatin1String("abcdef")));

    const QList<EntityColumn> columns = EntityColumns::forKind(EntityKind::Provider);
    QJsonObject provider{{QStringLiteral("name"), QStringLiteral("openai")},
                         {QStringLiteral("type"), QStringLiteral("openai")},
                         {QStringLiteral("api_key"), QStringLiteral("${env:OPENAI_API_KEY}")}};
    QStringList cells;
    for (const EntityColumn &column : columns)
        cells.append(column.text(provider));
    QCOMPARE(cells.last(), QStringLiteral("env: OPENAI_API_KEY"));
}

void TestMainWindow::settingsValidation()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(MainWindow::Page::Settings);
    QWidget *page = window.pageWidget(MainWindow::Page::Settings);
    auto *listen = page->findChild<QLineEdit *>(QStringLiteral("listenEdit"));
    auto *admin = page->findChild<QLineEdit *>(QStringLiteral("adminListenEdit"));
    auto *dataDir = page->findChild<QLineEdit *>(QStringLiteral("dataDirEdit"));
    auto *listenError = page->findChild<QLabel *>(QStringLiteral("listenError"));
    auto *adminError = page->findChild<QLabel *>(QStringLiteral("adminListenError"));
    auto *dataDirError = page->findChild<QLabel *>(QStringLiteral("dataDirError"));
    auto *warning = page->findChild<QLabel *>(QStringLiteral("exposureWarning"));
    auto *apply = page->findChild<QPushButton *>(QStringLiteral("applyButton"));
    QVERIFY(listen && admin && dataDir && listenError && adminError && dataDirError && warning &&
            apply);

    // Starts from what the gateway runs with, and that is valid.
    QCOMPARE(listen->text(), QStringLiteral("127.0.0.1:0"));
    QCOMPARE(dataDir->text(), g.gateway.options().dataDir);
    QVERIFY(!listenError->isVisible());
    QVERIFY(apply->isEnabled());

    listen->setText(QStringLiteral("127.0.0.1:99999"));
    QVERIFY(listenError->isVisible());
    QVERIFY(listenError->text().contains(QLatin1String("65535")));
    QVERIFY(!apply->isEnabled());

    listen->setText(QStringLiteral("127.0.0.1:5000"));
    admin->setText(QStringLiteral("127.0.0.1:5000"));
    QVERIFY(!listenError->isVisible());
    QVERIFY(adminError->isVisible());
    QVERIFY(!apply->isEnabled());

    admin->setText(QStringLiteral("127.0.0.1:5001"));
    QVERIFY(!adminError->isVisible());
    QVERIFY(!warning->isVisible());
    QVERIFY(apply->isEnabled());

    listen->setText(QStringLiteral("0.0.0.0:5000"));
    QVERIFY(warning->isVisible());
    QVERIFY(warning->text().contains(tr("Reachable from other machines"), Qt::CaseInsensitive));
    QVERIFY(apply->isEnabled()); // a warning, not an error
    admin->setText(QStringLiteral("127.0.0.1:5000"));
    maybeScreenshot(&window, QStringLiteral("settings-validation"));
    admin->setText(QStringLiteral("127.0.0.1:5001"));

    listen->setText(QStringLiteral("nonsense"));
    QVERIFY(listenError->isVisible());
    listen->setText(QStringLiteral("127.0.0.1:5000"));

    // A data dir must be a directory we can write to (or create).
    QTemporaryDir scratch;
    QFile file(scratch.filePath(QStringLiteral("not-a-dir")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    dataDir->setText(file.fileName());
    QVERIFY(dataDirError->isVisible());
    QVERIFY(!apply->isEnabled());
    dataDir->setText(QStringLiteral("relative/dir"));
    QVERIFY(dataDirError->isVisible());
    dataDir->setText(scratch.filePath(QStringLiteral("new/nested")));
    QVERIFY(!dataDirError->isVisible());
    QVERIFY(apply->isEnabled());
}

void TestMainWindow::settingsApplyRestartsGateway()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(MainWindow::Page::Settings);
    QWidget *page = window.pageWidget(MainWindow::Page::Settings);
    QTemporaryDir other;
    const QString newDataDir = other.filePath(QStringLiteral("data"));
    page->findChild<QLineEdit *>(QStringLiteral("dataDirEdit"))->setText(newDataDir);
    auto *apply = page->findChild<QPushButton *>(QStringLiteral("applyButton"));
    QVERIFY(apply->isEnabled());

    QSignalSpy stopped(&g.gateway, &Gateway::stopped);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(g.gateway.state(), Gateway::State::Running, 10000);
    QCOMPARE(g.gateway.options().dataDir, newDataDir);
    auto *result = page->findChild<QLabel *>(QStringLiteral("applyResult"));
    QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(g.gateway.gatewayUrl()), 5000);

    // Saved for the next run, as flags the command line can still override.
    QSettings saved(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse"));
    QCOMPARE(saved.value(QStringLiteral("gateway/dataDir")).toString(), newDataDir);
    QCOMPARE(saved.value(QStringLiteral("gateway/listen")).toString(),
             QStringLiteral("127.0.0.1:0"));

    QCOMPARE(labelText(window.pageWidget(MainWindow::Page::Overview), "dataDirLabel"), newDataDir);
}

void TestMainWindow::geometryAndPageRestored()
{
    TestGateway g;
    QVERIFY(g.start());
    QRect geometry;
    {
        MainWindow first(&g.gateway);
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        first.resize(1111, 777);
        first.move(60, 70);
        first.showPage(MainWindow::Page::Costs);
        QTRY_COMPARE(first.size(), QSize(1111, 777));
        geometry = first.geometry();
        first.close();
    }
    MainWindow second(&g.gateway);
    second.show();
    QVERIFY(QTest::qWaitForWindowExposed(&second));
    QCOMPARE(second.size(), geometry.size());
    QCOMPARE(second.geometry().topLeft(), geometry.topLeft());
    QCOMPARE(second.currentPage(), MainWindow::Page::Costs);
    QVERIFY(second.pageWidget(MainWindow::Page::Costs)->isVisible());
}

void TestMainWindow::closingWithoutTrayRequestsQuit()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy quit(&window, &MainWindow::quitRequested);
    window.close();
    QCOMPARE(quit.size(), 1);
    QVERIFY(!window.isVisible());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
