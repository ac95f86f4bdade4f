// The Traffic page against a real gateway: live batches into the bounded ring, history,
// filters and the count, pause, follow-tail, clear, hideable and sortable columns, the
// detail pane (headers, pretty bodies, timing), replay (and each refusal), HAR export (a
// valid HAR 1.2 structure, no secrets; refusals), the dropped-records warning.
#include "HarExport.h"
#include "MainWindow.h"
#include "ReplayDialog.h"
#include "RequestReplay.h"
#include "TimingView.h"
#include "TrafficDetailPane.h"
#include "TrafficFilterModel.h"
#include "TrafficModel.h"
#include "TrafficPage.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "TrafficFixture.h"
#include "WidgetHelpers.h"

using namespace gh;
using namespace gh::test;

class TestTrafficPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void liveRowsArriveInBatches();
    void historyLoadsOnOpenAndAfterClear();
    void ringIsBoundedAndKeepsTheNewest();
    void batchInsertStaysCheapAtThousandsPerSecond();
    void filtersAndCount();
    void pauseHoldsAndResumeShows();
    void followsTheTailOnlyAtTheBottom();
    void columnsHideAndSort();
    void detailPaneShowsHeadersBodiesAndTiming();
    void detailPaneWithoutCapture();
    void replayRouteRequest();
    void replayAiCallUsesTheDesktopKey();
    void replayRefusesWhatItCannotSendFaithfully();
    void replayLeavesMaskedQueryParametersOut();
    void harExportIsValidHar12();
    void harExportRejections();
    void droppedRecordsShowAWarning();
    void anotherDataDirStartsOver();

private:
    struct Page
    {
        explicit Page(TrafficFixture &f)
        {
            window = std::make_unique<MainWindow>(&f.g.gateway);
            window->resize(1200, 900);
            window->show();
            window->showPage(MainWindow::Page::Traffic);
            page = qobject_cast<TrafficPage *>(window->pageWidget(MainWindow::Page::Traffic));
            model = page->model();
            filter = page->filterModel();
            modelTester = std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            filterTester = std::make_unique<QAbstractItemModelTester>(
                filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        }
        bool waitRows(int n, int timeoutMs = 10000) const
        {
            return QTest::qWaitFor([&] { return model->rowCount() >= n; }, timeoutMs);
        }
        // Selects the first shown row matching `match` and waits for the detail pane.
        bool select(const std::function<bool(const RequestRecord &)> &match)
        {
            for (int row = 0; row < filter->rowCount(); ++row) {
                if (match(model->record(filter->sourceRow(row)))) {
                    QSignalSpy loaded(page->detailPane(), &TrafficDetailPane::loaded);
                    page->table()->setCurrentIndex(filter->index(row, 0));
                    return loaded.wait(10000) || page->detailPane()->isLoaded();
                }
            }
            qWarning() << "no row matches";
            return false;
        }
        std::unique_ptr<MainWindow> window;
        TrafficPage *page = nullptr;
        TrafficModel *model = nullptr;
        TrafficFilterModel *filter = nullptr;
        std::unique_ptr<QAbstractItemModelTester> modelTester;
        std::unique_ptr<QAbstractItemModelTester> filterTester;
    };

    static RequestRecord synthetic(qint64 id)
    {
        RequestRecord r;
        r.id = id;
        r.tsMs = 1700000000000 + id;
        r.method = "GET";
        r.path = "/api/item/" + QByteArray::number(id);
        r.status = id % 10 == 0 ? 500 : 200;
        r.latencyMs = double(id % 97);
        r.ttfbMs = double(id % 13);
        r.model = id % 3 == 0 ? QStringLiteral("m%1").arg(id % 5) : QString();
        r.consumer = QStringLiteral("c%1").arg(id % 4);
        return r;
    }

    static ReplayDialog *openReplay(TrafficDetailPane *pane)
    {
        ReplayDialog *dialog = pane->replay();
        if (dialog && dialog->canReplay()) {
            QSignalSpy shown(dialog, &ReplayDialog::shown);
            if (!shown.wait(15000))
                qWarning() << "no replay answer";
        }
        return dialog;
    }
};

void TestTrafficPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

void TestTrafficPage::init()
{
    QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse")).clear();
}

void TestTrafficPage::liveRowsArriveInBatches()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QSignalSpy inserted(p.model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 60; ++i)
        QCOMPARE(f.send("GET", QStringLiteral("/api/ping?n=%1").arg(i)).status, 200);
    QVERIFY(p.waitRows(60));
    QCOMPARE(p.model->rowCount(), 60);
    // Batches of RequestLog's 250 ms publish, never one insertion per request.
    QVERIFY2(inserted.size() < 30, qPrintable(QString::number(inserted.size())));
    const RequestRecord &last = p.model->record(59);
    QCOMPARE(last.method, QByteArray("GET"));
    QCOMPARE(last.path, QByteArray("/api/ping?n=59"));
    QCOMPARE(last.route, QStringLiteral("api"));
    QCOMPARE(last.status, 200);
    QVERIFY(last.latencyMs > 0);
    QCOMPARE(p.model->index(59, TrafficModel::Status).data().toInt(), 200);
    QCOMPARE(p.model->index(59, TrafficModel::Request).data().toString(),
             QStringLiteral("/api/ping?n=59"));
    QCOMPARE(p.model->index(59, TrafficModel::Size).data(TrafficModel::SortRole).toLongLong(),
             qint64(QByteArray("{\"pong\":true,\"items\":[1,2,3]}").size()));
    QCOMPARE(child<QLabel>(p.page, "countLabel")->text(), QStringLiteral("60 request(s)"));
    // Rows keep no bodies: the pane reads them from the log.
    QVERIFY(p.model->record(59).responseBody.isEmpty());
}

void TestTrafficPage::historyLoadsOnOpenAndAfterClear()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    for (int i = 0; i < 25; ++i)
        QCOMPARE(f.send("GET", QStringLiteral("/api/h%1").arg(i)).status, 200);
    QVERIFY(f.flush());
    Page p(f);
    QVERIFY(p.waitRows(25));
    QCOMPARE(p.model->rowCount(), 25);
    // Oldest first, newest last, no duplicates with live rows.
    QCOMPARE(p.model->record(0).path, QByteArray("/api/h0"));
    QCOMPARE(p.model->record(24).path, QByteArray("/api/h24"));
    QCOMPARE(f.send("GET", QStringLiteral("/api/live")).status, 200);
    QVERIFY(p.waitRows(26));
    QTest::qWait(400);
    QCOMPARE(p.model->rowCount(), 26);

    QTest::mouseClick(button(p.page, "clearButton"), Qt::LeftButton);
    QCOMPARE(p.model->rowCount(), 0);
    QCOMPARE(child<QLabel>(p.page, "countLabel")->text(), QStringLiteral("0 request(s)"));
    // Clear empties the view, not the log: Load Older brings it back.
    QPushButton *older = button(p.page, "loadOlderButton");
    QVERIFY(older->isEnabled());
    QSignalSpy loaded(p.page, &TrafficPage::historyLoaded);
    QTest::mouseClick(older, Qt::LeftButton);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.first().first().toInt(), 26);
    QCOMPARE(p.model->rowCount(), 26);
    QVERIFY(!older->isEnabled()); // nothing older left
}

void TestTrafficPage::ringIsBoundedAndKeepsTheNewest()
{
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(20);
    QList<RequestRecord> batch;
    for (int id = 1; id <= 15; ++id)
        batch.append(synthetic(id));
    model.appendRecords(batch);
    QCOMPARE(model.rowCount(), 15);
    batch.clear();
    for (int id = 16; id <= 30; ++id)
        batch.append(synthetic(id));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.appendRecords(batch);
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(model.record(0).id, qint64(11));
    QCOMPARE(model.record(19).id, qint64(30));
    // One removal and one insertion for the whole batch.
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 1);
    // A batch bigger than the ring keeps its newest rows.
    batch.clear();
    for (int id = 31; id <= 80; ++id)
        batch.append(synthetic(id));
    model.appendRecords(batch);
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(model.record(0).id, qint64(61));
    QCOMPARE(model.record(19).id, qint64(80));
    // History older than the oldest row only, and only what fits.
    model.setCapacity(25);
    QList<RequestRecord> history;
    for (int id = 50; id <= 65; ++id)
        history.append(synthetic(id));
    QCOMPARE(model.prependHistory(history), 5); // 61..65 are already there; room for 5
    QCOMPARE(model.record(0).id, qint64(56));
    QCOMPARE(model.record(4).id, qint64(60));
    QCOMPARE(model.record(5).id, qint64(61));
}

void TestTrafficPage::batchInsertStaysCheapAtThousandsPerSecond()
{
    // 1000 req/s arrive as four 250-record batches a second; with a full 10 000-row ring
    // under a sorted, filtered proxy and a view, each batch must cost milliseconds.
    TrafficModel model;
    TrafficFilterModel filter(&model);
    QTableView view;
    view.setModel(&filter);
    view.setSortingEnabled(true);
    view.sortByColumn(TrafficModel::Duration, Qt::DescendingOrder);
    filter.setTextFilter(QStringLiteral("item"));
    view.resize(800, 600);
    view.show();
    qint64 id = 0;
    QList<RequestRecord> batch;
    for (int i = 0; i < TrafficModel::DefaultCapacity; ++i)
        batch.append(synthetic(++id));
    model.appendRecords(batch);
    QCOMPARE(model.rowCount(), TrafficModel::DefaultCapacity);
    QElapsedTimer clock;
    qint64 worst = 0;
    for (int round = 0; round < 20; ++round) {
        batch.clear();
        for (int i = 0; i < 250; ++i)
            batch.append(synthetic(++id));
        clock.start();
        model.appendRecords(batch);
        QCoreApplication::processEvents(); // the view's layout and paint of the change
        worst = qMax(worst, clock.elapsed());
    }
    QCOMPARE(model.rowCount(), TrafficModel::DefaultCapacity);
    QCOMPARE(model.record(TrafficModel::DefaultCapacity - 1).id, id);
    qInfo("worst batch of 250 into a full ring: %lld ms", worst);
    QVERIFY2(worst < 200, qPrintable(QStringLiteral("%1 ms").arg(worst)));
}

void TestTrafficPage::filtersAndCount()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QVERIFY(f.sendKnownMix());
    for (int i = 0; i < 3; ++i)
        QCOMPARE(f.send("GET", QStringLiteral("/api/fail")).status, 500);
    QVERIFY(p.waitRows(14));
    QCOMPARE(p.model->rowCount(), 14);

    auto *status = child<QComboBox>(p.page, "statusFilter");
    auto *count = child<QLabel>(p.page, "countLabel");
    const auto choose = [](QComboBox *combo, const QVariant &data) {
        const int index = combo->findData(data);
        QVERIFY(index >= 0);
        combo->setCurrentIndex(index);
    };
    choose(status, int(TrafficFilterModel::StatusFilter::ServerError));
    QCOMPARE(p.filter->rowCount(), 3);
    QCOMPARE(count->text(), QStringLiteral("3 of 14 requests"));
    choose(status, int(TrafficFilterModel::StatusFilter::ClientError));
    QCOMPARE(p.filter->rowCount(), 1);
    choose(status, int(TrafficFilterModel::StatusFilter::Failed));
    QCOMPARE(p.filter->rowCount(), 4);
    choose(status, int(TrafficFilterModel::StatusFilter::Success));
    QCOMPARE(p.filter->rowCount(), 10);
    choose(status, int(TrafficFilterModel::StatusFilter::Any));
    QCOMPARE(p.filter->rowCount(), 14);
    QCOMPARE(count->text(), QStringLiteral("14 request(s)"));

    // The pickers offer what was seen.
    auto *models = child<QComboBox>(p.page, "modelFilter");
    auto *consumers = child<QComboBox>(p.page, "consumerFilter");
    auto *routes = child<QComboBox>(p.page, "routeFilter");
    QVERIFY(models->findData(QStringLiteral("gpt-4o-mini")) > 0);
    QVERIFY(models->findData(QStringLiteral("gpt-4o")) > 0);
    QVERIFY(consumers->findData(QStringLiteral("alice")) > 0);
    QVERIFY(consumers->findData(QStringLiteral("bob")) > 0);
    QVERIFY(routes->findData(QStringLiteral("api")) > 0);

    choose(models, QStringLiteral("gpt-4o"));
    QCOMPARE(p.filter->rowCount(), 3);
    choose(consumers, QStringLiteral("bob"));
    QCOMPARE(p.filter->rowCount(), 2); // model and consumer together
    choose(consumers, QStringLiteral("alice"));
    QCOMPARE(p.filter->rowCount(), 1);
    choose(models, QString());
    QCOMPARE(p.filter->rowCount(), 4);
    choose(consumers, QString());
    choose(routes, QStringLiteral("api"));
    QCOMPARE(p.filter->rowCount(), 7); // 4 pings + 3 failures

    choose(routes, QString());
    auto *text = child<QLineEdit>(p.page, "textFilter");
    typeInto(text, QStringLiteral("FAIL"));
    QCOMPARE(p.filter->rowCount(), 3); // case-insensitive, in the path
    text->clear();
    typeInto(text, QStringLiteral("nowhere"));
    QCOMPARE(p.filter->rowCount(), 1);
    text->clear();
    typeInto(text, QStringLiteral("404"));
    QCOMPARE(p.filter->rowCount(), 1); // the status too
    text->clear();
    QCOMPARE(p.filter->rowCount(), 14);

    // New rows go through the filter as they arrive.
    typeInto(text, QStringLiteral("fresh"));
    QCOMPARE(p.filter->rowCount(), 0);
    QCOMPARE(f.send("GET", QStringLiteral("/api/fresh")).status, 200);
    QVERIFY(QTest::qWaitFor([&] { return p.filter->rowCount() == 1; }, 10000));
    QCOMPARE(count->text(), QStringLiteral("1 of 15 requests"));
}

void TestTrafficPage::pauseHoldsAndResumeShows()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QCOMPARE(f.send("GET", QStringLiteral("/api/before")).status, 200);
    QVERIFY(p.waitRows(1));
    QPushButton *pause = button(p.page, "pauseButton");
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(p.model->isPaused());
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(f.send("GET", QStringLiteral("/api/while-paused")).status, 200);
    QVERIFY(QTest::qWaitFor([&] { return p.model->heldCount() == 5; }, 10000));
    QCOMPARE(p.model->rowCount(), 1); // the table stands still
    auto *held = child<QLabel>(p.page, "heldLabel");
    QVERIFY(held->isVisible());
    QCOMPARE(held->text(), QStringLiteral("Paused: 5 new request(s) held"));
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!p.model->isPaused());
    QCOMPARE(p.model->rowCount(), 6); // nothing lost
    QCOMPARE(p.model->record(5).path, QByteArray("/api/while-paused"));
    QVERIFY(!held->isVisible());
}

void TestTrafficPage::followsTheTailOnlyAtTheBottom()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QScrollBar *bar = p.page->table()->verticalScrollBar();
    for (int i = 0; i < 80; ++i)
        QCOMPARE(f.send("GET", QStringLiteral("/api/a%1").arg(i)).status, 200);
    QVERIFY(p.waitRows(80));
    QTest::qWait(50);
    QVERIFY(bar->maximum() > 0); // more rows than fit
    QVERIFY(p.page->isScrolledToBottom());

    // Scrolled up: new rows do not pull the view down.
    bar->setValue(10);
    const int before = bar->value();
    for (int i = 0; i < 20; ++i)
        QCOMPARE(f.send("GET", QStringLiteral("/api/b%1").arg(i)).status, 200);
    QVERIFY(p.waitRows(100));
    QTest::qWait(50);
    QCOMPARE(bar->value(), before);
    QVERIFY(!p.page->isScrolledToBottom());

    // Back at the bottom: it follows again.
    p.page->table()->scrollToBottom();
    QTest::qWait(20);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(f.send("GET", QStringLiteral("/api/c%1").arg(i)).status, 200);
    QVERIFY(p.waitRows(120));
    QTest::qWait(50);
    QVERIFY(p.page->isScrolledToBottom());

    // A scrolled-up reader keeps looking at the same rows when old ones leave the ring.
    p.model->setCapacity(120);
    bar->setValue(50);
    const qint64 shownId =
        p.model->record(p.filter->sourceRow(bar->value())).id; // ScrollPerItem: first row
    for (int i = 0; i < 10; ++i)
        QCOMPARE(f.send("GET", QStringLiteral("/api/d%1").arg(i)).status, 200);
    QVERIFY(QTest::qWaitFor(
        [&] { return p.model->record(p.model->rowCount() - 1).path == "/api/d9"; }, 10000));
    QTest::qWait(50);
    QCOMPARE(p.model->rowCount(), 120);
    QCOMPARE(p.model->record(p.filter->sourceRow(bar->value())).id, shownId);
}

void TestTrafficPage::columnsHideAndSort()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QHeaderView *header = p.page->table()->horizontalHeader();
    // Defaults: the main columns shown, the extra ones hidden but offered.
    QVERIFY(!header->isSectionHidden(TrafficModel::Duration));
    QVERIFY(header->isSectionHidden(TrafficModel::RequestId));
    QCOMPARE(p.page->columnsMenu()->actions().size(), int(TrafficModel::ColumnCount));
    QAction *requestId = p.page->columnsMenu()->actions().at(TrafficModel::RequestId);
    requestId->trigger();
    QVERIFY(!header->isSectionHidden(TrafficModel::RequestId));
    QAction *duration = p.page->columnsMenu()->actions().at(TrafficModel::Duration);
    duration->trigger();
    QVERIFY(header->isSectionHidden(TrafficModel::Duration));
    QVERIFY(!duration->isChecked());
    QCOMPARE(header->sectionResizeMode(TrafficModel::Time), QHeaderView::Interactive);
    // Remembered for the next window.
    {
        Page second(f);
        QHeaderView *h2 = second.page->table()->horizontalHeader();
        QVERIFY(!h2->isSectionHidden(TrafficModel::RequestId));
        QVERIFY(h2->isSectionHidden(TrafficModel::Duration));
    }

    QCOMPARE(f.send("GET", QStringLiteral("/api/s1")).status, 200);
    QCOMPARE(f.send("GET", QStringLiteral("/nowhere")).status, 404);
    QCOMPARE(f.send("GET", QStringLiteral("/api/fail")).status, 500);
    QVERIFY(p.waitRows(3));
    p.page->table()->sortByColumn(TrafficModel::Status, Qt::DescendingOrder);
    QCOMPARE(p.filter->index(0, TrafficModel::Status).data().toInt(), 500);
    QCOMPARE(p.filter->index(2, TrafficModel::Status).data().toInt(), 200);
    p.page->table()->sortByColumn(TrafficModel::Status, Qt::AscendingOrder);
    QCOMPARE(p.filter->index(0, TrafficModel::Status).data().toInt(), 200);
    // Numbers sort as numbers: durations by value, not by their text.
    p.page->table()->sortByColumn(TrafficModel::Duration, Qt::AscendingOrder);
    for (int row = 1; row < p.filter->rowCount(); ++row)
        QVERIFY(p.filter->index(row - 1, TrafficModel::Duration).data(TrafficModel::SortRole).toDouble() <=
                p.filter->index(row, TrafficModel::Duration).data(TrafficModel::SortRole).toDouble());
}

void TestTrafficPage::detailPaneShowsHeadersBodiesAndTiming()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    const QByteArray secret = "s3cret-token-value-123";
    QCOMPARE(f.send("POST", QStringLiteral("/api/echo"), "{\"a\":1,\"b\":[1,2]}",
                    {{"Content-Type", "application/json"},
                     {"X-Test", "yes"},
                     {"Authorization", "Bearer " + secret}})
                 .status,
             200);
    QVERIFY(p.waitRows(1));
    QVERIFY(p.select([](const RequestRecord &r) { return r.path == "/api/echo"; }));
    TrafficDetailPane *pane = p.page->detailPane();
    const QString headers = pane->headersText();
    QVERIFY2(headers.contains(QStringLiteral("X-Test: yes"), Qt::CaseInsensitive), qPrintable(headers));
    QVERIFY(headers.contains(QStringLiteral("Route: api")));
    QVERIFY(headers.contains(QStringLiteral("Response headers")));
    QVERIFY(headers.contains(QStringLiteral("application/json")));
    QVERIFY(headers.contains(QStringLiteral("[REDACTED]")));
    QVERIFY(!headers.contains(QString::fromLatin1(secret)));
    // Pretty JSON both ways.
    QCOMPARE(pane->requestBodyText(), QStringLiteral("{\n    \"a\": 1,\n    \"b\": [\n        1,\n        2\n    ]\n}"));
    QVERIFY2(pane->responseBodyText().contains(QStringLiteral("\"pong\": true")),
             qPrintable(pane->responseBodyText()));
    // Timing: in the gateway, waiting for the upstream, the body, the total.
    const RequestRecord &r = pane->record();
    QVERIFY(r.upstreamMs && r.ttfbMs);
    const QList<TimingView::Phase> phases = pane->timingView()->currentPhases();
    QCOMPARE(phases.size(), 4);
    QCOMPARE(phases.at(1).name, QStringLiteral("Waiting for upstream"));
    QCOMPARE(phases.at(1).durationMs, qMin(*r.upstreamMs, *r.ttfbMs));
    QCOMPARE(phases.at(0).durationMs + phases.at(1).durationMs, *r.ttfbMs);
    QCOMPARE(phases.at(3).name, QStringLiteral("Total"));
    QCOMPARE(phases.at(3).durationMs, r.latencyMs);
    QVERIFY(child<QLabel>(pane, "timingText")->text().contains(QStringLiteral("Time to first byte")));
    QVERIFY(button(pane, "replayButton")->isEnabled());

    // Selecting another row replaces everything.
    QCOMPARE(f.send("GET", QStringLiteral("/nowhere")).status, 404);
    QVERIFY(p.waitRows(2));
    QVERIFY(p.select([](const RequestRecord &row) { return row.status == 404; }));
    QVERIFY(pane->headersText().contains(QStringLiteral("Status: 404")));
    QVERIFY(pane->headersText().contains(QStringLiteral("Error: no route matches")));
    QCOMPARE(pane->timingView()->currentPhases().at(0).name, QStringLiteral("In the gateway"));
}

void TestTrafficPage::detailPaneWithoutCapture()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.setLogBodies(false));
    Page p(f);
    QCOMPARE(f.send("POST", QStringLiteral("/api/plain"), "{\"x\":1}",
                    {{"Content-Type", "application/json"}})
                 .status,
             200);
    QVERIFY(p.waitRows(1));
    QVERIFY(p.select([](const RequestRecord &r) { return r.path == "/api/plain"; }));
    TrafficDetailPane *pane = p.page->detailPane();
    QVERIFY(pane->headersText().contains(QStringLiteral("settings.log_bodies")));
    QVERIFY(pane->requestBodyText().startsWith(QStringLiteral("Not captured")));
}

void TestTrafficPage::replayRouteRequest()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QCOMPARE(f.send("POST", QStringLiteral("/api/replay-me"), "{\"n\":42}",
                    {{"Content-Type", "application/json"}, {"X-Trace", "abc"}})
                 .status,
             200);
    QVERIFY(p.waitRows(1));
    QVERIFY(p.select([](const RequestRecord &r) { return r.path == "/api/replay-me"; }));
    f.upstream.clearSeen();
    QTest::mouseClick(button(p.page->detailPane(), "replayButton"), Qt::LeftButton);
    ReplayDialog *dialog = nullptr;
    QVERIFY(QTest::qWaitFor([&] { return (dialog = visibleWindow<ReplayDialog>(QStringLiteral("replayDialog"))); }));
    QVERIFY(dialog->canReplay());
    QSignalSpy shown(dialog, &ReplayDialog::shown);
    QVERIFY(shown.wait(15000));
    QVERIFY(child<QLabel>(dialog, "replayStatusLabel")->text().startsWith(QStringLiteral("HTTP 200")));
    QVERIFY(child<QPlainTextEdit>(dialog, "replayResponseEdit")->toPlainText().contains(QStringLiteral("\"pong\": true")));
    // The upstream got the same request again: method, path, header, body.
    const SeenRequest seen = f.upstream.last();
    QCOMPARE(seen.method, QByteArray("POST"));
    QCOMPARE(seen.target, QByteArray("/api/replay-me"));
    QCOMPARE(seen.header("x-trace"), QByteArray("abc"));
    QCOMPARE(seen.body, QByteArray("{\"n\":42}"));
    QVERIFY(!dialog->plan().usesDesktopKey); // a route without auth needs no key
    // And it is traffic like any other.
    QVERIFY(p.waitRows(2));
    QCOMPARE(p.model->record(1).path, QByteArray("/api/replay-me"));
    dialog->close();
}

void TestTrafficPage::replayAiCallUsesTheDesktopKey()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QCOMPARE(f.chat(f.aliceKey, QStringLiteral("fast")).status, 200);
    QVERIFY(p.waitRows(1));
    QVERIFY(p.select([](const RequestRecord &r) { return r.consumer == QLatin1String("alice"); }));
    ReplayDialog *dialog = openReplay(p.page->detailPane());
    QVERIFY(dialog && dialog->canReplay());
    QVERIFY(dialog->plan().usesDesktopKey);
    bool keyHeader = false;
    for (const auto &[name, value] : dialog->plan().headers) {
        QVERIFY(!value.contains(f.aliceKey));
        QVERIFY(!value.contains("[REDACTED]"));
        if (name.toLower() == "authorization")
            keyHeader = value == "Bearer " + f.g.gateway.desktopKey();
    }
    QVERIFY(keyHeader);
    QVERIFY(dialog->replay()->status() == 200);
    // The key is live: never on screen.
    QVERIFY(!child<QPlainTextEdit>(dialog, "replayRequestEdit")->toPlainText().contains(QString::fromLatin1(f.g.gateway.desktopKey())));
    QVERIFY(child<QLabel>(dialog, "replayNotesLabel")->text().contains(QStringLiteral("gatehouse-desktop")));
    QVERIFY(p.waitRows(2));
    QCOMPARE(p.model->record(1).consumer, QStringLiteral("gatehouse-desktop"));
    QCOMPARE(p.model->record(1).model, QStringLiteral("gpt-4o-mini"));
    dialog->close();
}

void TestTrafficPage::replayRefusesWhatItCannotSendFaithfully()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    const QString url = f.g.gateway.gatewayUrl();
    const QByteArray key = f.g.gateway.desktopKey();
    // A body over the 4 KiB capture.
    QCOMPARE(f.send("POST", QStringLiteral("/api/big"), QByteArray(6000, 'x')).status, 200);
    // A body with a secret in it (masked by the writer).
    QCOMPARE(f.send("POST", QStringLiteral("/api/secret"), "{\"api_key\":\"abcdef123456\"}",
                    {{"Content-Type", "application/json"}})
                 .status,
             200);
    QVERIFY(p.waitRows(2));
    QVERIFY(p.select([](const RequestRecord &r) { return r.path == "/api/big"; }));
    QString why;
    QVERIFY(!RequestReplay::plan(p.page->detailPane()->record(), url, key, &why));
    QVERIFY2(why.contains(QStringLiteral("first 4096 of 6000 bytes")), qPrintable(why));
    ReplayDialog *dialog = p.page->detailPane()->replay();
    QVERIFY(dialog && !dialog->canReplay());
    QVERIFY(child<QLabel>(dialog, "replayStatusLabel")->text().contains(QStringLiteral("cannot be replayed")));
    QVERIFY(!button(dialog, "sendAgainButton")->isEnabled());
    dialog->close();

    QVERIFY(p.select([](const RequestRecord &r) { return r.path == "/api/secret"; }));
    QVERIFY(!RequestReplay::plan(p.page->detailPane()->record(), url, key, &why));
    QVERIFY2(why.contains(QStringLiteral("masked")), qPrintable(why));

    // Not captured at all.
    QVERIFY(f.setLogBodies(false));
    QCOMPARE(f.send("POST", QStringLiteral("/api/uncaptured"), "{\"x\":1}").status, 200);
    QVERIFY(p.waitRows(3));
    QVERIFY(p.select([](const RequestRecord &r) { return r.path == "/api/uncaptured"; }));
    QVERIFY(!RequestReplay::plan(p.page->detailPane()->record(), url, key, &why));
    QVERIFY2(why.contains(QStringLiteral("log_bodies is off")), qPrintable(why));
    // A GET without a body can still go, with a note that headers were not kept.
    QCOMPARE(f.send("GET", QStringLiteral("/api/get-uncaptured")).status, 200);
    QVERIFY(p.waitRows(4));
    QVERIFY(p.select([](const RequestRecord &r) { return r.path == "/api/get-uncaptured"; }));
    const std::optional<ReplayPlan> plan =
        RequestReplay::plan(p.page->detailPane()->record(), url, key, &why);
    QVERIFY(plan);
    QVERIFY(plan->notes.join(u' ').contains(QStringLiteral("Headers were not captured")));
    // A stopped gateway: said, nothing sent.
    f.g.gateway.stop(100);
    QVERIFY(QTest::qWaitFor([&] { return f.g.gateway.state() == Gateway::State::Stopped; }, 10000));
    ReplayDialog *stopped = p.page->detailPane()->replay();
    QVERIFY(stopped);
    QVERIFY(child<QLabel>(stopped, "replayStatusLabel")->text().contains(QStringLiteral("not running")));
    stopped->close();
}

void TestTrafficPage::replayLeavesMaskedQueryParametersOut()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QCOMPARE(f.send("GET", QStringLiteral("/api/maps?key=AIzaSecretValue&q=berlin"),
                    {}, {{"Cookie", "session=abc"}})
                 .status,
             200);
    QVERIFY(p.waitRows(1));
    QVERIFY(p.select([](const RequestRecord &r) { return r.path.startsWith("/api/maps"); }));
    QString why;
    const std::optional<ReplayPlan> plan = RequestReplay::plan(
        p.page->detailPane()->record(), f.g.gateway.gatewayUrl(), f.g.gateway.desktopKey(), &why);
    QVERIFY2(plan, qPrintable(why));
    QCOMPARE(plan->url.query(), QStringLiteral("q=berlin"));
    const QString notes = plan->notes.join(u'\n');
    QVERIFY(notes.contains(QStringLiteral("Query parameter key")));
    QVERIFY(notes.contains(QStringLiteral("Header Cookie"), Qt::CaseInsensitive));
    for (const auto &[name, value] : plan->headers)
        QVERIFY(name.toLower() != "cookie");
}

void TestTrafficPage::harExportIsValidHar12()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QVERIFY(f.sendKnownMix());
    QCOMPARE(f.send("POST", QStringLiteral("/api/post"), "{\"q\":\"x\"}",
                    {{"Content-Type", "application/json"}, {"Authorization", "Bearer topsecret-xyz"}})
                 .status,
             200);
    QVERIFY(p.waitRows(12));
    // Exports what the filter shows, in the table's order.
    typeInto(child<QLineEdit>(p.page, "textFilter"), QStringLiteral("/api/"));
    QCOMPARE(p.filter->rowCount(), 5);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("traffic.har"));
    QSignalSpy exported(p.page, &TrafficPage::harExported);
    p.page->exportHar(path);
    QVERIFY(exported.wait(15000));
    QVERIFY2(exported.first().at(0).toBool(), qPrintable(exported.first().at(1).toString()));
    QVERIFY(child<QLabel>(p.page, "trafficMessage")->text().contains(QStringLiteral("Exported 5 request(s)")));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(!bytes.contains("topsecret-xyz"));
    QVERIFY(!bytes.contains(f.aliceKey));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject log = doc.object().value("log").toObject();
    QCOMPARE(log.value("version").toString(), QStringLiteral("1.2"));
    QCOMPARE(log.value("creator").toObject().value("name").toString(), QStringLiteral("Gatehouse"));
    QVERIFY(log.value("creator").toObject().value("version").isString());
    const QJsonArray entries = log.value("entries").toArray();
    QCOMPARE(entries.size(), 5);
    for (const QJsonValue &value : entries) {
        const QJsonObject e = value.toObject();
        // Every field HAR 1.2 requires, with its type.
        QVERIFY(QDateTime::fromString(e.value("startedDateTime").toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(e.value("time").isDouble());
        QVERIFY(e.value("cache").isObject());
        const QJsonObject req = e.value("request").toObject();
        for (const char *key : {"method", "url", "httpVersion"})
            QVERIFY2(req.value(key).isString(), key);
        for (const char *key : {"cookies", "headers", "queryString"})
            QVERIFY2(req.value(key).isArray(), key);
        QVERIFY(req.value("headersSize").isDouble());
        QVERIFY(req.value("bodySize").isDouble());
        QVERIFY(req.value("url").toString().startsWith(f.g.gateway.gatewayUrl() + "/api/"));
        const QJsonObject res = e.value("response").toObject();
        QVERIFY(res.value("status").isDouble());
        for (const char *key : {"statusText", "httpVersion", "redirectURL"})
            QVERIFY2(res.value(key).isString(), key);
        for (const char *key : {"cookies", "headers"})
            QVERIFY2(res.value(key).isArray(), key);
        QVERIFY(res.value("content").toObject().value("size").isDouble());
        QVERIFY(res.value("content").toObject().value("mimeType").isString());
        QVERIFY(res.value("headersSize").isDouble());
        QVERIFY(res.value("bodySize").isDouble());
        const QJsonObject t = e.value("timings").toObject();
        QVERIFY(t.value("send").toDouble() >= 0 && t.value("wait").toDouble() >= 0 &&
                t.value("receive").toDouble() >= 0);
        // time is the sum of the timings that apply.
        QCOMPARE(e.value("time").toDouble(), t.value("send").toDouble() + t.value("wait").toDouble() +
                                                 t.value("receive").toDouble());
        QCOMPARE(e.value("_gatehouse").toObject().value("route").toString(), QStringLiteral("api"));
    }
    // The POST: its body and redacted headers, in order after the four pings.
    const QJsonObject post = entries.at(4).toObject();
    QCOMPARE(post.value("request").toObject().value("method").toString(), QStringLiteral("POST"));
    QCOMPARE(post.value("request").toObject().value("postData").toObject().value("text").toString(),
             QStringLiteral("{\"q\":\"x\"}"));
    QCOMPARE(post.value("request").toObject().value("postData").toObject().value("mimeType").toString(),
             QStringLiteral("application/json"));
    bool redacted = false;
    for (const QJsonValue &h : post.value("request").toObject().value("headers").toArray()) {
        if (h.toObject().value("name").toString().toLower() == QLatin1String("authorization"))
            redacted = h.toObject().value("value").toString() == QLatin1String("[REDACTED]");
    }
    QVERIFY(redacted);
    QCOMPARE(post.value("response").toObject().value("content").toObject().value("text").toString(),
             QStringLiteral("{\"pong\":true,\"items\":[1,2,3]}"));
    QCOMPARE(post.value("response").toObject().value("statusText").toString(), QStringLiteral("OK"));
}

void TestTrafficPage::harExportRejections()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QCOMPARE(f.send("GET", QStringLiteral("/api/one")).status, 200);
    QVERIFY(p.waitRows(1));
    QSignalSpy exported(p.page, &TrafficPage::harExported);
    auto *message = child<QLabel>(p.page, "trafficMessage");

    // A folder that does not exist.
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("no/such/dir/x.har"));
    p.page->exportHar(missing);
    QVERIFY(exported.wait(15000));
    QVERIFY(!exported.last().at(0).toBool());
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(QStringLiteral("Cannot write")), qPrintable(message->text()));
    QVERIFY(!QFile::exists(missing));
    // A path that is a folder.
    p.page->exportHar(dir.path());
    QVERIFY(exported.wait(15000));
    QVERIFY(!exported.last().at(0).toBool());
    QVERIFY(QFileInfo(dir.path()).isDir());
    // Nothing shown: nothing written.
    typeInto(child<QLineEdit>(p.page, "textFilter"), QStringLiteral("matches-nothing"));
    const QString empty = dir.filePath(QStringLiteral("empty.har"));
    p.page->exportHar(empty);
    QCOMPARE(exported.size(), 3);
    QVERIFY(!exported.last().at(0).toBool());
    QVERIFY(message->text().contains(QStringLiteral("Nothing to export")));
    QVERIFY(!QFile::exists(empty));
}

void TestTrafficPage::droppedRecordsShowAWarning()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    auto *warning = child<QLabel>(p.page, "droppedWarning");
    QVERIFY(!warning->isVisible());
    Q_EMIT f.g.gateway.requestLog()->recordsDropped(7);
    QVERIFY(warning->isVisible());
    QVERIFY(warning->text().contains(QStringLiteral("7 request log record(s) were dropped")));
}

void TestTrafficPage::anotherDataDirStartsOver()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    Page p(f);
    QCOMPARE(f.send("GET", QStringLiteral("/api/old-dir")).status, 200);
    QVERIFY(p.waitRows(1));
    // Settings → another data dir: the table is that log's, not the old one's.
    f.g.gateway.stop(100);
    QVERIFY(QTest::qWaitFor([&] { return f.g.gateway.state() == Gateway::State::Stopped; }, 10000));
    QTemporaryDir other;
    GatewayOptions options = f.g.gateway.options();
    options.dataDir = other.path();
    QSignalSpy loaded(p.page, &TrafficPage::historyLoaded);
    QVERIFY(f.g.gateway.open(options));
    QCOMPARE(p.model->rowCount(), 0);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(p.model->rowCount(), 0);
    QVERIFY(f.g.gateway.start());
    QCOMPARE(f.send("GET", QStringLiteral("/nowhere-new")).status, 404);
    QVERIFY(p.waitRows(1));
    QCOMPARE(p.model->record(0).path, QByteArray("/nowhere-new"));
}

QTEST_MAIN(TestTrafficPage)
#include "tst_trafficpage.moc"
