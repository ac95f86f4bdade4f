#include "CostsPage.h"

#include "Futures.h"
#include "Gateway.h"
#include "TrafficModel.h"
#include "UsageTableModel.h"
#include "log/RequestLog.h"
#include "policy/SpendLedger.h"
#include "store/RequestLogReader.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QTableView>
#include <QTableWidget>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <map>

namespace gh {

namespace {

using GroupBy = RequestLogQuery::GroupBy;
using Bucket = RequestLogQuery::Bucket;

qint64 utcMidnight(const QDate &day)
{
    return QDateTime(day, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
}

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') &&
        !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QString bucketLabel(qint64 ms, Bucket bucket, bool withDate)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    if (bucket == Bucket::Day)
        return time.toString(QStringLiteral("MMM d"));
    return time.toString(withDate ? QStringLiteral("MMM d HH:00") : QStringLiteral("HH:00"));
}

QTableView *usageView(const QString &name, UsageTableModel *model, QWidget *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(UsageTableModel::SortRole);
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(UsageTableModel::Cost, Qt::DescendingOrder);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace

CostsPage::CostsPage(Gateway *gateway, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_preset(new QComboBox(this))
    , m_from(new QDateEdit(this))
    , m_to(new QDateEdit(this))
    , m_groupBy(new QComboBox(this))
    , m_metric(new QComboBox(this))
    , m_cumulative(new QCheckBox(tr("Running total"), this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_exportCsv(new QPushButton(tr("Export CSV…"), this))
    , m_message(new QLabel(this))
    , m_totals(new QLabel(this))
    , m_chartView(new QChartView(this))
    , m_topModels(new UsageTableModel(tr("Model"), this))
    , m_topConsumers(new UsageTableModel(tr("Consumer"), this))
    , m_topModelsView(usageView(QStringLiteral("topModelsTable"), m_topModels, this))
    , m_topConsumersView(usageView(QStringLiteral("topConsumersTable"), m_topConsumers, this))
    , m_budgets(new QTableWidget(this))
    , m_noBudgets(new QLabel(tr("No consumer has a budget."), this))
    , m_autoRefresh(new QTimer(this))
{
    auto *heading = new QLabel(tr("Costs"), this);
    heading->setObjectName(QStringLiteral("pageTitle"));
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    headingFont.setBold(true);
    heading->setFont(headingFont);

    m_preset->setObjectName(QStringLiteral("rangePreset"));
    m_preset->addItem(tr("Today"), int(Preset::Today));
    m_preset->addItem(tr("Yesterday"), int(Preset::Yesterday));
    m_preset->addItem(tr("Last 7 days"), int(Preset::Last7Days));
    m_preset->addItem(tr("Last 30 days"), int(Preset::Last30Days));
    m_preset->addItem(tr("This month"), int(Preset::ThisMonth));
    m_preset->addItem(tr("Last month"), int(Preset::LastMonth));
    m_preset->addItem(tr("Custom"), int(Preset::Custom));
    for (QDateEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        edit->setToolTip(tr("UTC days, like budgets and the admin API's /stats/usage"));
    }
    m_from->setObjectName(QStringLiteral("fromDate"));
    m_to->setObjectName(QStringLiteral("toDate"));
    m_groupBy->setObjectName(QStringLiteral("groupBy"));
    m_groupBy->addItem(tr("By model"), int(GroupBy::Model));
    m_groupBy->addItem(tr("By provider"), int(GroupBy::Provider));
    m_groupBy->addItem(tr("By consumer"), int(GroupBy::Consumer));
    m_metric->setObjectName(QStringLiteral("metric"));
    m_metric->addItem(tr("Cost (USD)"), int(Metric::Cost));
    m_metric->addItem(tr("Tokens"), int(Metric::Tokens));
    m_metric->addItem(tr("Requests"), int(Metric::Requests));
    m_cumulative->setObjectName(QStringLiteral("cumulative"));
    m_cumulative->setToolTip(tr("Add up over the range; grouped by consumer, each consumer's "
                                "budget is drawn as a line"));
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_exportCsv->setObjectName(QStringLiteral("exportCsvButton"));
    m_message->setObjectName(QStringLiteral("costsMessage"));
    m_message->setWordWrap(true);
    m_message->setFrameShape(QFrame::StyledPanel);
    m_message->setMargin(6);
    m_message->hide();
    m_totals->setObjectName(QStringLiteral("totalsLabel"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chartView->setObjectName(QStringLiteral("costsChart"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);
    m_chartView->chart()->legend()->setAlignment(Qt::AlignRight);

    m_budgets->setObjectName(QStringLiteral("budgetsTable"));
    m_budgets->setColumnCount(5);
    m_budgets->setHorizontalHeaderLabels(
        {tr("Consumer"), tr("Budget"), tr("Spent this period"), tr("Left"), tr("Starts afresh")});
    m_budgets->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_budgets->verticalHeader()->hide();
    m_budgets->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_budgets->horizontalHeader()->setStretchLastSection(true);
    m_noBudgets->setObjectName(QStringLiteral("noBudgetsLabel"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_preset);
    controls->addWidget(m_from);
    controls->addWidget(new QLabel(tr("to"), this));
    controls->addWidget(m_to);
    controls->addWidget(m_groupBy);
    controls->addWidget(m_metric);
    controls->addWidget(m_cumulative);
    controls->addStretch();
    controls->addWidget(m_refresh);
    controls->addWidget(m_exportCsv);

    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->addWidget(m_topModelsView);
    tables->addWidget(m_topConsumersView);
    auto *budgetBox = new QWidget(this);
    auto *budgetLayout = new QVBoxLayout(budgetBox);
    budgetLayout->setContentsMargins(0, 0, 0, 0);
    budgetLayout->addWidget(new QLabel(tr("Budgets (current period)"), budgetBox));
    budgetLayout->addWidget(m_noBudgets);
    budgetLayout->addWidget(m_budgets, 1);
    tables->addWidget(budgetBox);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_chartView);
    split->addWidget(tables);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addLayout(controls);
    layout->addWidget(m_message);
    layout->addWidget(m_totals);
    layout->addWidget(split, 1);

    connect(m_preset, &QComboBox::currentIndexChanged, this, &CostsPage::applyPreset);
    connect(m_from, &QDateEdit::dateChanged, this, &CostsPage::rangeEdited);
    connect(m_to, &QDateEdit::dateChanged, this, &CostsPage::rangeEdited);
    connect(m_groupBy, &QComboBox::currentIndexChanged, this, &CostsPage::refresh);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &CostsPage::rebuildChart);
    connect(m_cumulative, &QCheckBox::toggled, this, &CostsPage::rebuildChart);
    connect(m_refresh, &QPushButton::clicked, this, &CostsPage::refresh);
    connect(m_exportCsv, &QPushButton::clicked, this, &CostsPage::chooseCsvFile);
    connect(gateway, &Gateway::configChanged, this, &CostsPage::rebuildBudgets);
    // A data dir opened later (Settings): its numbers, not an old error.
    connect(gateway, &Gateway::stateChanged, this, [this](Gateway::State state) {
        if (state == Gateway::State::Stopped && m_lastState == Gateway::State::Closed)
            refresh();
        m_lastState = state;
    });
    m_lastState = gateway->state();

    // New traffic marks the numbers stale; while shown they catch up every few seconds
    // (one query set, not one per batch).
    if (RequestLog *log = gateway->requestLog())
        connect(log, &RequestLog::recordsWritten, this, [this] { m_dirty = true; });
    m_autoRefresh->setInterval(5000);
    connect(m_autoRefresh, &QTimer::timeout, this, [this] {
        const QDate today = QDateTime::currentDateTimeUtc().date();
        if (m_dirty && m_pending == 0 && toDate() >= today)
            refresh();
    });

    setPreset(Preset::Last7Days);
}

QChart *CostsPage::chart() const
{
    return m_chartView->chart();
}

QString CostsPage::message() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

QDate CostsPage::fromDate() const
{
    return m_from->date();
}

QDate CostsPage::toDate() const
{
    return m_to->date();
}

GroupBy CostsPage::groupBy() const
{
    return GroupBy(m_groupBy->currentData().toInt());
}

CostsPage::Metric CostsPage::metric() const
{
    return Metric(m_metric->currentData().toInt());
}

void CostsPage::setRange(const QDate &from, const QDate &to)
{
    {
        const QSignalBlocker blockPreset(m_preset);
        const QSignalBlocker blockFrom(m_from);
        const QSignalBlocker blockTo(m_to);
        m_preset->setCurrentIndex(m_preset->findData(int(Preset::Custom)));
        m_from->setDate(from);
        m_to->setDate(to);
    }
    refresh();
}

void CostsPage::setPreset(Preset preset)
{
    const int index = m_preset->findData(int(preset));
    if (m_preset->currentIndex() == index)
        applyPreset();
    else
        m_preset->setCurrentIndex(index);
}

void CostsPage::setGroupBy(GroupBy groupBy)
{
    m_groupBy->setCurrentIndex(m_groupBy->findData(int(groupBy)));
}

void CostsPage::setMetric(Metric metric)
{
    m_metric->setCurrentIndex(m_metric->findData(int(metric)));
}

void CostsPage::setCumulative(bool cumulative)
{
    m_cumulative->setChecked(cumulative);
}

void CostsPage::applyPreset()
{
    const QDate today = QDateTime::currentDateTimeUtc().date();
    QDate from = today, to = today;
    switch (Preset(m_preset->currentData().toInt())) {
    case Preset::Today:
        break;
    case Preset::Yesterday:
        from = to = today.addDays(-1);
        break;
    case Preset::Last7Days:
        from = today.addDays(-6);
        break;
    case Preset::Last30Days:
        from = today.addDays(-29);
        break;
    case Preset::ThisMonth:
        from = QDate(today.year(), today.month(), 1);
        break;
    case Preset::LastMonth:
        from = QDate(today.year(), today.month(), 1).addMonths(-1);
        to = QDate(today.year(), today.month(), 1).addDays(-1);
        break;
    case Preset::Custom:
        return; // the dates as they are
    }
    {
        const QSignalBlocker blockFrom(m_from);
        const QSignalBlocker blockTo(m_to);
        m_from->setDate(from);
        m_to->setDate(to);
    }
    refresh();
}

void CostsPage::rangeEdited()
{
    const QSignalBlocker block(m_preset);
    m_preset->setCurrentIndex(m_preset->findData(int(Preset::Custom)));
    refresh();
}

void CostsPage::showMessage(const QString &text, bool error)
{
    m_message->setProperty("error", error);
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

bool CostsPage::refresh()
{
    const QDate from = fromDate();
    const QDate to = toDate();
    if (!from.isValid() || !to.isValid()) {
        showMessage(tr("Choose a start and an end date."), true);
        return false;
    }
    if (from > to) {
        showMessage(tr("The start date %1 is after the end date %2; choose a start on or before "
                       "the end.")
                        .arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate)),
                    true);
        return false;
    }
    if (from.daysTo(to) + 1 > MaxDays) {
        showMessage(tr("%1 days is too long a range; choose at most %2 days.")
                        .arg(from.daysTo(to) + 1)
                        .arg(MaxDays),
                    true);
        return false;
    }
    showMessage({}, false);
    m_dirty = false;
    RequestLogQuery::UsageFilter filter;
    filter.fromMs = utcMidnight(from);
    filter.toMs = utcMidnight(to.addDays(1));
    const Bucket bucket = from.daysTo(to) < 2 ? Bucket::Hour : Bucket::Day;
    const GroupBy group = groupBy();
    const quint64 generation = ++m_generation;
    m_pending = 3;
    m_failed = false;
    const RequestLogReader *reader = m_gateway->logReader();

    const auto finishOne = [this, generation](const QString &error) {
        if (generation != m_generation)
            return false;
        if (!error.isEmpty() && !m_failed) {
            m_failed = true;
            showMessage(tr("Cannot read the request log: %1").arg(error), true);
        }
        if (--m_pending > 0)
            return true;
        if (!m_failed) {
            rebuildChart();
            rebuildBudgets();
            updateTotals();
        }
        Q_EMIT refreshed(!m_failed);
        return true;
    };
    RequestLogQuery::UsageFilter seriesFilter = filter;
    seriesFilter.groupBy = group;
    whenFinished(reader->series(seriesFilter, bucket), this,
                 [=, this](const RequestLogReader::Result<QList<RequestLogQuery::SeriesRow>> &r) {
                     if (generation != m_generation)
                         return;
                     if (r.value) {
                         m_series = *r.value;
                         m_bucket = bucket;
                         m_shownGroupBy = group;
                         m_fromMs = *filter.fromMs;
                         m_toMs = *filter.toMs;
                     }
                     finishOne(r.error);
                 });
    for (UsageTableModel *table : {m_topModels, m_topConsumers}) {
        RequestLogQuery::UsageFilter usageFilter = filter;
        usageFilter.groupBy = table == m_topModels ? GroupBy::Model : GroupBy::Consumer;
        whenFinished(reader->usage(usageFilter), this,
                     [=, this](const RequestLogReader::Result<RequestLogReader::Usage> &r) {
                         if (generation != m_generation)
                             return;
                         if (r.value) {
                             table->setRows(r.value->groups, table == m_topModels
                                                                 ? tr("(no model: API routes)")
                                                                 : tr("(no consumer)"));
                             m_total = r.value->total;
                         }
                         finishOne(r.error);
                     });
    }
    return true;
}

double CostsPage::metricOf(const RequestLogQuery::SeriesRow &row) const
{
    switch (metric()) {
    case Metric::Cost:
        return row.costUsd;
    case Metric::Tokens:
        return double(row.tokensIn + row.tokensOut);
    case Metric::Requests:
        return double(row.requests);
    }
    return 0;
}

QString CostsPage::keyName(const QString &key) const
{
    if (!key.isEmpty())
        return key;
    switch (m_shownGroupBy) {
    case GroupBy::Model:
        return tr("(no model)");
    case GroupBy::Provider:
        return tr("(no provider)");
    case GroupBy::Consumer:
        return tr("(no consumer)");
    default:
        return tr("(none)");
    }
}

void CostsPage::rebuildChart()
{
    const qint64 step = RequestLogQuery::bucketMs(m_bucket);
    m_buckets.clear();
    for (qint64 t = m_fromMs; t < m_toMs; t += step)
        m_buckets.append(t);
    const qsizetype n = m_buckets.size();

    // The largest groups by the metric get their own series; the rest share "Other".
    std::map<QString, double> totals;
    for (const auto &row : std::as_const(m_series))
        totals[keyName(row.key)] += metricOf(row);
    QList<std::pair<QString, double>> ranked(totals.begin(), totals.end());
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    QStringList named;
    for (const auto &[name, value] : std::as_const(ranked)) {
        if (value > 0 && named.size() < MaxSeries)
            named.append(name);
    }
    const QString other = tr("Other");
    QMap<QString, QList<double>> values;
    for (const auto &row : std::as_const(m_series)) {
        const double v = metricOf(row);
        if (v == 0)
            continue;
        const QString name = named.contains(keyName(row.key)) ? keyName(row.key) : other;
        QList<double> &list = values[name];
        if (list.isEmpty())
            list.fill(0, n);
        const qsizetype index = (row.bucketStartMs - m_fromMs) / step;
        if (index >= 0 && index < n)
            list[index] += v;
    }
    m_plotted.clear();
    QStringList order = named;
    if (values.contains(other))
        order.append(other);
    const bool cumulative = m_cumulative->isChecked();
    for (const QString &name : std::as_const(order)) {
        QList<double> list = values.value(name);
        if (cumulative) {
            for (qsizetype i = 1; i < list.size(); ++i)
                list[i] += list[i - 1];
        }
        m_plotted.append({name, list});
    }

    // Budgets are USD: lines only on a running total of cost per consumer.
    m_budgetLines.clear();
    if (cumulative && metric() == Metric::Cost && m_shownGroupBy == GroupBy::Consumer) {
        for (const QJsonObject &consumer : m_gateway->entities(EntityKind::Consumer)) {
            const QString name = consumer.value(QLatin1String("name")).toString();
            const std::optional<Budget> budget =
                Budget::fromJson(consumer.value(QLatin1String("budget")).toObject());
            if (budget && named.contains(name))
                m_budgetLines.append({tr("%1 budget (%2 a %3)")
                                          .arg(name, TrafficModel::formatCost(budget->usd),
                                               Budget::periodName(budget->period)),
                                      QList<double>(n, budget->usd)});
        }
    }

    auto *chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignRight);
    auto *axisX = new QBarCategoryAxis(chart);
    const bool multiDay = m_toMs - m_fromMs > 86400000;
    QStringList labels;
    for (qint64 start : std::as_const(m_buckets))
        labels.append(bucketLabel(start, m_bucket, multiDay));
    axisX->append(labels);
    if (labels.size() > 16)
        axisX->setLabelsAngle(-90);
    auto *axisY = new QValueAxis(chart);
    axisY->setLabelFormat(metric() == Metric::Cost ? QStringLiteral("$%.4g")
                                                   : QStringLiteral("%.0f"));
    chart->addAxis(axisX, Qt::AlignBottom);
    chart->addAxis(axisY, Qt::AlignLeft);
    double maximum = 0;
    if (cumulative) {
        for (const QList<Plotted> *group : {&m_plotted, &m_budgetLines}) {
            for (const Plotted &plotted : *group) {
                auto *line = new QLineSeries(chart);
                line->setName(plotted.name);
                for (qsizetype i = 0; i < plotted.values.size(); ++i) {
                    line->append(double(i), plotted.values.at(i));
                    maximum = qMax(maximum, plotted.values.at(i));
                }
                if (group == &m_budgetLines) {
                    QPen pen = line->pen();
                    pen.setStyle(Qt::DashLine);
                    line->setPen(pen);
                }
                chart->addSeries(line);
                line->attachAxis(axisX);
                line->attachAxis(axisY);
            }
        }
    } else {
        auto *bars = new QStackedBarSeries(chart);
        QList<double> stacked(n, 0);
        for (const Plotted &plotted : std::as_const(m_plotted)) {
            auto *set = new QBarSet(plotted.name, bars);
            for (qsizetype i = 0; i < plotted.values.size(); ++i) {
                set->append(plotted.values.at(i));
                stacked[i] += plotted.values.at(i);
            }
            bars->append(set);
        }
        for (double v : std::as_const(stacked))
            maximum = qMax(maximum, v);
        chart->addSeries(bars);
        bars->attachAxis(axisX);
        bars->attachAxis(axisY);
    }
    axisY->setRange(0, maximum > 0 ? maximum * 1.1 : 1);
    QString title = metric() == Metric::Cost     ? tr("Cost")
                    : metric() == Metric::Tokens ? tr("Tokens")
                                                 : tr("Requests");
    title += m_bucket == Bucket::Hour ? tr(" per hour (UTC)") : tr(" per day (UTC)");
    if (cumulative)
        title = tr("Running total of %1").arg(title.toLower());
    chart->setTitle(title);
    QChart *old = m_chartView->chart();
    m_chartView->setChart(chart);
    delete old;
}

void CostsPage::rebuildBudgets()
{
    const QLocale locale;
    QList<QStringList> rows;
    for (const QJsonObject &consumer : m_gateway->entities(EntityKind::Consumer)) {
        const QString name = consumer.value(QLatin1String("name")).toString();
        const BudgetStatus status = m_gateway->consumerSpend(name);
        if (!status.budget)
            continue;
        rows.append({name,
                     tr("%1 a %2").arg(TrafficModel::formatCost(status.budget->usd),
                                       Budget::periodName(status.budget->period)),
                     TrafficModel::formatCost(status.spentUsd),
                     TrafficModel::formatCost(qMax(0.0, status.budget->usd - status.spentUsd)),
                     locale.toString(status.periodEnd, QLocale::ShortFormat)});
    }
    m_budgets->setRowCount(int(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        for (int column = 0; column < rows.at(row).size(); ++column)
            m_budgets->setItem(row, column, new QTableWidgetItem(rows.at(row).at(column)));
    }
    m_budgets->setVisible(!rows.isEmpty());
    m_noBudgets->setVisible(rows.isEmpty());
}

void CostsPage::updateTotals()
{
    const QLocale locale;
    m_totals->setText(tr("%1 in %2 requests, %3 tokens in, %4 tokens out, %5 errors")
                          .arg(TrafficModel::formatCost(m_total.costUsd),
                               locale.toString(m_total.requests), locale.toString(m_total.tokensIn),
                               locale.toString(m_total.tokensOut),
                               locale.toString(m_total.errors)));
}

QString CostsPage::csv(const QList<RequestLogQuery::SeriesRow> &rows, GroupBy groupBy,
                       Bucket bucket)
{
    QString text = QStringLiteral("period_start,%1,requests,tokens_in,tokens_out,cost_usd,errors\n")
                       .arg(RequestLogQuery::groupByName(groupBy));
    for (const RequestLogQuery::SeriesRow &row : rows) {
        const QDateTime start = QDateTime::fromMSecsSinceEpoch(row.bucketStartMs, QTimeZone::utc());
        text +=
            QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
                .arg(bucket == Bucket::Day ? start.date().toString(Qt::ISODate)
                                           : start.toString(QStringLiteral("yyyy-MM-ddTHH:mmZ")),
                     csvField(row.key))
                .arg(row.requests)
                .arg(row.tokensIn)
                .arg(row.tokensOut)
                .arg(QString::number(row.costUsd, 'g', 12))
                .arg(row.errors);
    }
    return text;
}

void CostsPage::chooseCsvFile()
{
    const QString suggested = QDir::home().filePath(
        QStringLiteral("gatehouse-costs-%1-%2.csv")
            .arg(fromDate().toString(Qt::ISODate), toDate().toString(Qt::ISODate)));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export CSV"), suggested, tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

bool CostsPage::exportCsv(const QString &path)
{
    const auto fail = [this](const QString &text) {
        showMessage(text, true);
        Q_EMIT csvExported(false, text);
        return false;
    };
    if (m_pending > 0)
        return fail(tr("The numbers are still loading; export once they are shown."));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return fail(
            tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    file.write(csv(m_series, m_shownGroupBy, m_bucket).toUtf8());
    if (!file.commit())
        return fail(
            tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    const QString text = tr("Exported %n row(s) to %1.", nullptr, int(m_series.size()))
                             .arg(QDir::toNativeSeparators(path));
    showMessage(text, false);
    Q_EMIT csvExported(true, text);
    return true;
}

void CostsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
    m_autoRefresh->start();
}

void CostsPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_autoRefresh->stop();
}

} // namespace gh
