#pragma once

#include "Gateway.h"
#include "store/RequestLogQuery.h"

#include <QDate>
#include <QWidget>

class QChart;
class QChartView;
class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QPushButton;
class QTableView;
class QTableWidget;
class QTimer;

namespace gh {

class UsageTableModel;

// What AI calls cost over time, from the request log: a stacked chart of cost, tokens or
// requests per hour (ranges up to two days) or per UTC day, by model, provider or
// consumer (the eight largest, the rest as "Other"); a running-total view with each
// consumer's budget as a line; the top models and consumers; where each budget stands in
// its current period (Gateway::consumerSpend); CSV export of the chart's numbers. Queries
// run off the UI thread (RequestLogReader); the page refreshes while shown as traffic
// arrives.
class CostsPage : public QWidget
{
    Q_OBJECT

public:
    enum class Metric { Cost, Tokens, Requests };
    Q_ENUM(Metric)
    enum class Preset { Today, Yesterday, Last7Days, Last30Days, ThisMonth, LastMonth, Custom };
    Q_ENUM(Preset)
    static constexpr int MaxDays = 366;
    static constexpr int MaxSeries = 8; // then "Other"

    // A line or bar set as drawn: its name and one value per bucket.
    struct Plotted
    {
        QString name;
        QList<double> values;
    };

    explicit CostsPage(Gateway *gateway, QWidget *parent = nullptr);

    // UTC days, both inclusive. Invalid ranges are refused by refresh().
    void setRange(const QDate &from, const QDate &to);
    void setPreset(Preset preset);
    void setGroupBy(RequestLogQuery::GroupBy groupBy); // Model, Provider or Consumer
    void setMetric(Metric metric);
    void setCumulative(bool cumulative);

    QDate fromDate() const;
    QDate toDate() const;
    RequestLogQuery::Bucket bucket() const { return m_bucket; }
    const QList<RequestLogQuery::SeriesRow> &seriesRows() const { return m_series; }
    QList<qint64> bucketStarts() const { return m_buckets; }
    const QList<Plotted> &plotted() const { return m_plotted; }
    const QList<Plotted> &budgetLines() const { return m_budgetLines; }
    const RequestLogQuery::UsageRow &total() const { return m_total; }
    UsageTableModel *topModels() const { return m_topModels; }
    UsageTableModel *topConsumers() const { return m_topConsumers; }
    QTableWidget *budgetsTable() const { return m_budgets; }
    QChart *chart() const;
    QString message() const;

    // The chart's rows as CSV: period_start, the group, requests, tokens_in, tokens_out,
    // cost_usd, errors (one line per bucket and group with traffic).
    static QString csv(const QList<RequestLogQuery::SeriesRow> &rows,
                       RequestLogQuery::GroupBy groupBy, RequestLogQuery::Bucket bucket);

public Q_SLOTS:
    // Queries the log for the range; false (and a message, nothing queried) when the
    // range is invalid. refreshed() follows a started refresh.
    bool refresh();
    // Writes csv() of what the chart shows; csvExported() reports how it went.
    bool exportCsv(const QString &path);

Q_SIGNALS:
    void refreshed(bool ok);
    void csvExported(bool ok, const QString &message);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void applyPreset();
    void rangeEdited();
    void rebuildChart();
    void rebuildBudgets();
    void updateTotals();
    void showMessage(const QString &text, bool error);
    void chooseCsvFile();
    double metricOf(const RequestLogQuery::SeriesRow &row) const;
    QString keyName(const QString &key) const;
    RequestLogQuery::GroupBy groupBy() const;
    Metric metric() const;

    Gateway *m_gateway;
    QComboBox *m_preset;
    QDateEdit *m_from;
    QDateEdit *m_to;
    QComboBox *m_groupBy;
    QComboBox *m_metric;
    QCheckBox *m_cumulative;
    QPushButton *m_refresh;
    QPushButton *m_exportCsv;
    QLabel *m_message;
    QLabel *m_totals;
    QChartView *m_chartView;
    UsageTableModel *m_topModels;
    UsageTableModel *m_topConsumers;
    QTableView *m_topModelsView;
    QTableView *m_topConsumersView;
    QTableWidget *m_budgets;
    QLabel *m_noBudgets;

    quint64 m_generation = 0;
    int m_pending = 0;
    bool m_failed = false;
    bool m_dirty = false; // traffic arrived since the last refresh
    QTimer *m_autoRefresh;
    RequestLogQuery::Bucket m_bucket = RequestLogQuery::Bucket::Day;
    RequestLogQuery::GroupBy m_shownGroupBy = RequestLogQuery::GroupBy::Model;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    QList<RequestLogQuery::SeriesRow> m_series;
    QList<qint64> m_buckets;
    QList<Plotted> m_plotted;
    QList<Plotted> m_budgetLines;
    RequestLogQuery::UsageRow m_total;
    Gateway::State m_lastState = Gateway::State::Closed;
};

} // namespace gh
