// The Costs page and the Overview's sparklines against a real gateway with a known traffic
// mix (TrafficFixture): the numbers per model, provider and consumer exactly, the chart's
// series, running totals with budget lines, the budgets table, date ranges (and the ones
// refused), CSV export (content, quoting, refusals), live sparklines.
#include "CostsPage.h"
#include "LiveStats.h"
#include "MainWindow.h"
#include "OverviewPage.h"
#include "Sparkline.h"
#include "UsageTableModel.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QNetworkProxy>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include "TrafficFixture.h"
#include "WidgetHelpers.h"

using namespace gh;
using namespace gh::test;
using GroupBy = RequestLogQuery::GroupBy;

class TestCostsPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void numbersMatchTheTrafficMixExactly();
    void chartSeriesPerGroupAndMetric();
    void runningTotalWithBudgetLines();
    void budgetsTableShowsTheCurrentPeriod();
    void dateRanges();
    void badDateRangesAreRefused();
    void csvExportContent();
    void csvQuoting();
    void csvExportRejections();
    void sparklinesUpdateLive();
    void spendTodayIncludesEarlierTraffic();

private:
    struct Page
    {
        explicit Page(TrafficFixture &f)
        {
            window = std::make_unique<MainWindow>(&f.g.gateway);
            window->resize(1200, 900);
            window->show();
            window->showPage(MainWindow::Page::Costs);
            page = qobject_cast<CostsPage *>(window->pageWidget(MainWindow::Page::Costs));
            models = std::make_unique<QAbstractItemModelTester>(
                page->topModels(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            consumers = std::make_unique<QAbstractItemModelTester>(
                page->topConsumers(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        }
        bool refresh()
        {
            QSignalSpy done(page, &CostsPage::refreshed);
            if (!page->refresh())
                return false;
            return done.wait(10000) && done.last().first().toBool();
        }
        const CostsPage::Plotted *plotted(const QString &name) const
        {
            for (const CostsPage::Plotted &p : page->plotted()) {
                if (p.name == name)
                    return &p;
            }
            return nullptr;
        }
        static double sum(const QList<double> &values)
        {
            double s = 0;
            for (double v : values)
                s += v;
            return s;
        }
        std::unique_ptr<MainWindow> window;
        CostsPage *page = nullptr;
        std::unique_ptr<QAbstractItemModelTester> models;
        std::unique_ptr<QAbstractItemModelTester> consumers;
    };

    static QDate today() { return QDateTime::currentDateTimeUtc().date(); }
};

void TestCostsPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

void TestCostsPage::init()
{
    QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse")).clear();
}

void TestCostsPage::numbersMatchTheTrafficMixExactly()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.sendKnownMix());
    Page p(f);
    p.page->setGroupBy(GroupBy::Model);
    QVERIFY(p.refresh());

    const RequestLogQuery::UsageRow &total = p.page->total();
    QCOMPARE(total.requests, qint64(11));
    QCOMPARE(total.tokensIn, qint64(9000));
    QCOMPARE(total.tokensOut, qint64(4500));
    QCOMPARE(total.costUsd, 7.2);
    QCOMPARE(total.errors, qint64(1));
    QCOMPARE(child<QLabel>(p.page, "totalsLabel")->text(),
             QStringLiteral("$7.20 in 11 requests, 9,000 tokens in, 4,500 tokens out, 1 errors"));

    // Top models, most expensive first.
    UsageTableModel *models = p.page->topModels();
    QCOMPARE(models->rowCount(), 3);
    QCOMPARE(models->index(0, UsageTableModel::Name).data().toString(), QStringLiteral("gpt-4o-mini"));
    const auto &mini = models->rows().at(0);
    QCOMPARE(mini.requests, qint64(3));
    QCOMPARE(mini.tokensIn, qint64(3000));
    QCOMPARE(mini.tokensOut, qint64(1500));
    QCOMPARE(mini.costUsd, 6.0);
    QCOMPARE(mini.errors, qint64(0));
    QCOMPARE(models->index(0, UsageTableModel::Cost).data().toString(), QStringLiteral("$6.00"));
    const auto &big = models->rows().at(1);
    QCOMPARE(big.key, QStringLiteral("gpt-4o"));
    QCOMPARE(big.requests, qint64(3));
    QCOMPARE(big.tokensIn, qint64(6000));
    QCOMPARE(big.tokensOut, qint64(3000));
    QCOMPARE(big.costUsd, 1.2);
    const auto &none = models->rows().at(2);
    QVERIFY(none.key.isEmpty());
    QCOMPARE(none.requests, qint64(5));
    QCOMPARE(none.errors, qint64(1));
    QCOMPARE(none.costUsd, 0.0);
    QCOMPARE(models->index(2, UsageTableModel::Name).data().toString(),
             QStringLiteral("(no model: API routes)"));

    UsageTableModel *consumers = p.page->topConsumers();
    QCOMPARE(consumers->rowCount(), 3);
    QCOMPARE(consumers->rows().at(0).key, QStringLiteral("alice"));
    QCOMPARE(consumers->rows().at(0).requests, qint64(4));
    QCOMPARE(consumers->rows().at(0).tokensIn, qint64(5000));
    QCOMPARE(consumers->rows().at(0).tokensOut, qint64(2500));
    QCOMPARE(consumers->rows().at(0).costUsd, 6.4);
    QCOMPARE(consumers->rows().at(1).key, QStringLiteral("bob"));
    QCOMPARE(consumers->rows().at(1).requests, qint64(2));
    QCOMPARE(consumers->rows().at(1).costUsd, 0.8);
    QCOMPARE(consumers->rows().at(2).requests, qint64(5));
    // The table's views sort these by any column, numbers as numbers.
    QCOMPARE(consumers->index(0, UsageTableModel::Requests).data(UsageTableModel::SortRole).toLongLong(),
             qint64(4));
}

void TestCostsPage::chartSeriesPerGroupAndMetric()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.sendKnownMix());
    Page p(f);
    p.page->setPreset(CostsPage::Preset::Today);
    p.page->setGroupBy(GroupBy::Model);
    QVERIFY(p.refresh());
    QCOMPARE(p.page->bucket(), RequestLogQuery::Bucket::Hour);
    QCOMPARE(p.page->bucketStarts().size(), 24);
    QCOMPARE(p.page->bucketStarts().first(),
             QDateTime(today(), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch());
    // Cost: only what cost something, largest first.
    QCOMPARE(p.page->plotted().size(), 2);
    QCOMPARE(p.page->plotted().at(0).name, QStringLiteral("gpt-4o-mini"));
    QCOMPARE(p.page->plotted().at(0).values.size(), 24);
    QCOMPARE(Page::sum(p.plotted(QStringLiteral("gpt-4o-mini"))->values), 6.0);
    QCOMPARE(Page::sum(p.plotted(QStringLiteral("gpt-4o"))->values), 1.2);
    QVERIFY(p.page->chart()->series().size() == 1); // one stacked bar series
    QVERIFY(p.page->chart()->title().contains(QStringLiteral("per hour")));

    p.page->setMetric(CostsPage::Metric::Tokens);
    QCOMPARE(Page::sum(p.plotted(QStringLiteral("gpt-4o-mini"))->values), 4500.0);
    QCOMPARE(Page::sum(p.plotted(QStringLiteral("gpt-4o"))->values), 9000.0);
    QCOMPARE(p.page->plotted().at(0).name, QStringLiteral("gpt-4o"));
    p.page->setMetric(CostsPage::Metric::Requests);
    QCOMPARE(Page::sum(p.plotted(QStringLiteral("(no model)"))->values), 5.0);

    QSignalSpy done(p.page, &CostsPage::refreshed);
    p.page->setGroupBy(GroupBy::Consumer);
    QVERIFY(done.wait(10000));
    p.page->setMetric(CostsPage::Metric::Cost);
    QCOMPARE(p.page->plotted().size(), 2);
    QCOMPARE(Page::sum(p.plotted(QStringLiteral("alice"))->values), 6.4);
    QCOMPARE(Page::sum(p.plotted(QStringLiteral("bob"))->values), 0.8);
    p.page->setGroupBy(GroupBy::Provider);
    QVERIFY(done.wait(10000));
    QCOMPARE(p.page->plotted().size(), 1);
    QCOMPARE(Page::sum(p.plotted(QStringLiteral("oai"))->values), 7.2);
}

void TestCostsPage::runningTotalWithBudgetLines()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.sendKnownMix());
    Page p(f);
    QSignalSpy done(p.page, &CostsPage::refreshed);
    p.page->setGroupBy(GroupBy::Consumer);
    QVERIFY(done.wait(10000));
    p.page->setMetric(CostsPage::Metric::Cost);
    p.page->setCumulative(true);
    const CostsPage::Plotted *alice = p.plotted(QStringLiteral("alice"));
    QVERIFY(alice);
    QCOMPARE(alice->values.constLast(), 6.4); // the running total ends at the sum
    for (qsizetype i = 1; i < alice->values.size(); ++i)
        QVERIFY(alice->values.at(i) >= alice->values.at(i - 1));
    // Alice has a budget, bob does not.
    QCOMPARE(p.page->budgetLines().size(), 1);
    QVERIFY(p.page->budgetLines().first().name.startsWith(QStringLiteral("alice budget")));
    QCOMPARE(p.page->budgetLines().first().values.constFirst(), 10.0);
    QCOMPARE(p.page->budgetLines().first().values.size(), alice->values.size());
    QCOMPARE(p.page->chart()->series().size(), 3); // alice, bob, alice's budget
    // Budgets are USD: no lines for tokens.
    p.page->setMetric(CostsPage::Metric::Tokens);
    QVERIFY(p.page->budgetLines().isEmpty());
}

void TestCostsPage::budgetsTableShowsTheCurrentPeriod()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.sendKnownMix());
    Page p(f);
    QVERIFY(p.refresh());
    QTableWidget *budgets = p.page->budgetsTable();
    QCOMPARE(budgets->rowCount(), 1);
    QCOMPARE(budgets->item(0, 0)->text(), QStringLiteral("alice"));
    QCOMPARE(budgets->item(0, 1)->text(), QStringLiteral("$10.00 a month"));
    QCOMPARE(budgets->item(0, 2)->text(), QStringLiteral("$6.40"));
    QCOMPARE(budgets->item(0, 3)->text(), QStringLiteral("$3.60"));
    // A new budget shows without a refresh.
    QVERIFY(f.g.put(EntityKind::Consumer, QStringLiteral("bob"), "{\"budget\":{\"usd\":1,\"period\":\"day\"}}"));
    QCOMPARE(budgets->rowCount(), 2);
}

void TestCostsPage::dateRanges()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.sendKnownMix());
    Page p(f);
    p.page->setGroupBy(GroupBy::Model);
    // Yesterday had nothing.
    QSignalSpy done(p.page, &CostsPage::refreshed);
    p.page->setPreset(CostsPage::Preset::Yesterday);
    QVERIFY(done.wait(10000));
    QCOMPARE(p.page->fromDate(), today().addDays(-1));
    QCOMPARE(p.page->toDate(), today().addDays(-1));
    QCOMPARE(p.page->total().requests, qint64(0));
    QVERIFY(p.page->plotted().isEmpty());
    QCOMPARE(p.page->topModels()->rowCount(), 0);
    // A week: day buckets, today the last.
    p.page->setPreset(CostsPage::Preset::Last7Days);
    QVERIFY(done.wait(10000));
    QCOMPARE(p.page->bucket(), RequestLogQuery::Bucket::Day);
    QCOMPARE(p.page->bucketStarts().size(), 7);
    const CostsPage::Plotted *mini = p.plotted(QStringLiteral("gpt-4o-mini"));
    QVERIFY(mini);
    QCOMPARE(mini->values.constLast(), 6.0);
    QCOMPARE(Page::sum(mini->values), 6.0);
    // Custom: typing a date makes the preset Custom.
    p.page->setRange(today().addDays(-2), today());
    QVERIFY(done.wait(10000));
    QCOMPARE(child<QComboBox>(p.page, "rangePreset")->currentData().toInt(),
             int(CostsPage::Preset::Custom));
    QCOMPARE(p.page->bucketStarts().size(), 3);
    QCOMPARE(p.page->total().costUsd, 7.2);
    // This month and last month.
    p.page->setPreset(CostsPage::Preset::ThisMonth);
    QVERIFY(done.wait(10000));
    QCOMPARE(p.page->fromDate(), QDate(today().year(), today().month(), 1));
    QCOMPARE(p.page->total().costUsd, 7.2);
    p.page->setPreset(CostsPage::Preset::LastMonth);
    QVERIFY(done.wait(10000));
    QCOMPARE(p.page->toDate(), QDate(today().year(), today().month(), 1).addDays(-1));
    QCOMPARE(p.page->total().requests, qint64(0));
}

void TestCostsPage::badDateRangesAreRefused()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.sendKnownMix());
    Page p(f);
    QVERIFY(p.refresh());
    QSignalSpy done(p.page, &CostsPage::refreshed);
    // End before start.
    p.page->setRange(today(), today().addDays(-3));
    QVERIFY(!p.page->refresh());
    QVERIFY2(p.page->message().contains(QStringLiteral("is after the end date")), qPrintable(p.page->message()));
    QVERIFY(child<QLabel>(p.page, "costsMessage")->isVisible());
    // Longer than a year.
    p.page->setRange(today().addDays(-400), today());
    QVERIFY(!p.page->refresh());
    QVERIFY(p.page->message().contains(QStringLiteral("too long a range")));
    QTest::qWait(200);
    QCOMPARE(done.size(), 0); // nothing was queried
    // The numbers shown stay those of the last good range.
    QCOMPARE(p.page->total().costUsd, 7.2);
    // A good range clears the message.
    p.page->setRange(today(), today());
    QVERIFY(done.wait(10000));
    QVERIFY(p.page->message().isEmpty());
    // Export while the numbers are not loaded yet is refused, not half-written.
    QTemporaryDir dir;
    QVERIFY(p.page->refresh());
    QVERIFY(!p.page->exportCsv(dir.filePath(QStringLiteral("early.csv"))));
    QVERIFY(p.page->message().contains(QStringLiteral("still loading")));
    QVERIFY(done.wait(10000));
}

void TestCostsPage::csvExportContent()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.sendKnownMix());
    Page p(f);
    p.page->setGroupBy(GroupBy::Model);
    p.page->setPreset(CostsPage::Preset::Last7Days);
    QVERIFY(p.refresh());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("costs.csv"));
    QSignalSpy exported(p.page, &CostsPage::csvExported);
    QVERIFY(p.page->exportCsv(path));
    QCOMPARE(exported.size(), 1);
    QVERIFY(exported.first().at(0).toBool());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString day = today().toString(Qt::ISODate);
    QCOMPARE(QString::fromUtf8(file.readAll()),
             QStringLiteral("period_start,model,requests,tokens_in,tokens_out,cost_usd,errors\n"
                            "%1,,5,0,0,0,1\n"
                            "%1,gpt-4o,3,6000,3000,1.2,0\n"
                            "%1,gpt-4o-mini,3,3000,1500,6,0\n")
                 .arg(day));
    QVERIFY(p.page->message().contains(QStringLiteral("Exported 3 row(s)")));

    // By consumer, per hour.
    QSignalSpy done(p.page, &CostsPage::refreshed);
    p.page->setPreset(CostsPage::Preset::Today);
    QVERIFY(done.wait(10000));
    p.page->setGroupBy(GroupBy::Consumer);
    QVERIFY(done.wait(10000));
    QVERIFY(p.page->exportCsv(path));
    file.close();
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("period_start,consumer,requests,tokens_in,tokens_out,cost_usd,errors"));
    qint64 requests = 0;
    double cost = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList fields = lines.at(i).split(u',');
        QCOMPARE(fields.size(), 7);
        QVERIFY(QDateTime::fromString(fields.at(0), QStringLiteral("yyyy-MM-ddTHH:mmZ")).isValid() ||
                fields.at(0).endsWith(u'Z'));
        requests += fields.at(2).toLongLong();
        cost += fields.at(5).toDouble();
    }
    QCOMPARE(requests, qint64(11));
    QCOMPARE(cost, 7.2);
}

void TestCostsPage::csvQuoting()
{
    RequestLogQuery::SeriesRow row;
    row.bucketStartMs = QDateTime(QDate(2025, 1, 31), QTime(13, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    row.key = QStringLiteral("team \"a\", west");
    row.requests = 2;
    row.tokensIn = 10;
    row.tokensOut = 20;
    row.costUsd = 0.0000015;
    row.errors = 1;
    QCOMPARE(CostsPage::csv({row}, GroupBy::Consumer, RequestLogQuery::Bucket::Hour),
             QStringLiteral("period_start,consumer,requests,tokens_in,tokens_out,cost_usd,errors\n"
                            "2025-01-31T13:00Z,\"team \"\"a\"\", west\",2,10,20,1.5e-06,1\n"));
    QCOMPARE(CostsPage::csv({row}, GroupBy::Model, RequestLogQuery::Bucket::Day).section(u'\n', 1, 1).left(11),
             QStringLiteral("2025-01-31,"));
}

void TestCostsPage::csvExportRejections()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.sendKnownMix());
    Page p(f);
    QVERIFY(p.refresh());
    QTemporaryDir dir;
    QSignalSpy exported(p.page, &CostsPage::csvExported);
    const QString missing = dir.filePath(QStringLiteral("no/such/dir/costs.csv"));
    QVERIFY(!p.page->exportCsv(missing));
    QVERIFY(!exported.last().at(0).toBool());
    QVERIFY(p.page->message().contains(QStringLiteral("Cannot write")));
    QVERIFY(!QFile::exists(missing));
    QVERIFY(!p.page->exportCsv(dir.path())); // a folder
    QVERIFY(QFileInfo(dir.path()).isDir());
}

void TestCostsPage::sparklinesUpdateLive()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    MainWindow window(&f.g.gateway);
    window.show();
    window.showPage(MainWindow::Page::Overview);
    auto *overview = qobject_cast<OverviewPage *>(window.pageWidget(MainWindow::Page::Overview));
    LiveStats *live = overview->liveStats();
    QVERIFY(QTest::qWaitFor([&] { return live->baselineLoaded(); }));
    QVERIFY(f.sendKnownMix());
    QCOMPARE(f.send("GET", QStringLiteral("/api/fail")).status, 500);
    // Every request once, in the second it arrived.
    QVERIFY(QTest::qWaitFor([&] { return live->requestsLastMinute() == 12; }, 10000));
    QCOMPARE(live->errorsLastMinute(), qint64(2)); // the 404 and the 500
    QCOMPARE(live->currentSpendToday(), 7.2);
    auto *requests = child<Sparkline>(overview, "requestsSparkline");
    auto *errors = child<Sparkline>(overview, "errorsSparkline");
    auto *spend = child<Sparkline>(overview, "spendSparkline");
    QVERIFY(QTest::qWaitFor([&] { return qFuzzyCompare(spend->values().constLast(), 7.2); }, 3000));
    QCOMPARE(requests->values().size(), LiveStats::Samples);
    double sum = 0;
    for (double v : requests->values())
        sum += v;
    QCOMPARE(sum, 12.0);
    sum = 0;
    for (double v : errors->values())
        sum += v;
    QCOMPARE(sum, 2.0);
    QCOMPARE(child<QLabel>(overview, "spendTodayLabel")->text(), QStringLiteral("$7.20"));
    // Quiet seconds move the line on with zeros.
    const QList<double> before = requests->values();
    QSignalSpy sampled(live, &LiveStats::sampled);
    QVERIFY(sampled.wait(3000));
    QCOMPARE(requests->values().constLast(), 0.0);
    QCOMPARE(requests->values().mid(0, LiveStats::Samples - 1), before.mid(1));
}

void TestCostsPage::spendTodayIncludesEarlierTraffic()
{
    TrafficFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.sendKnownMix());
    // A window opened after the traffic starts from the log's total, and counts new
    // calls once on top of it.
    MainWindow window(&f.g.gateway);
    auto *overview = qobject_cast<OverviewPage *>(window.pageWidget(MainWindow::Page::Overview));
    LiveStats *live = overview->liveStats();
    QVERIFY(QTest::qWaitFor([&] { return live->baselineLoaded(); }));
    QCOMPARE(live->currentSpendToday(), 7.2);
    QCOMPARE(f.chat(f.bobKey, QStringLiteral("fast")).status, 200);
    QVERIFY(QTest::qWaitFor([&] { return qFuzzyCompare(live->currentSpendToday(), 9.2); }, 10000));
    QTest::qWait(600);
    QCOMPARE(live->currentSpendToday(), 9.2);
}

QTEST_MAIN(TestCostsPage)
#include "tst_costspage.moc"
