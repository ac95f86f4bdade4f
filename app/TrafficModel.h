#pragma once

#include "log/RequestRecord.h"

#include <QAbstractTableModel>
#include <QSet>

#include <deque>

namespace gh {

// The Traffic page's rows: the newest requests of the request log in a bounded ring (the
// full history stays in SQLite). Batches from RequestLog::recordsWritten go in with one
// beginInsertRows each (and one beginRemoveRows for what falls off the front), so 1000
// req/s cost four model updates a second. Rows keep no headers or bodies: the detail pane
// reads those from the log by id, which keeps the ring's memory small and fixed.
class TrafficModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Time,
        Method,
        Request, // the model for AI calls, else the path
        Consumer,
        Status,
        Duration,
        Ttfb,
        Size,
        Tokens,
        Cost,
        Cache,
        Route,
        Provider,
        Path,
        Upstream,
        Error,
        RequestId,
        ColumnCount
    };
    Q_ENUM(Column)
    // Raw values for sorting and filtering (numbers as numbers).
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int IdRole = Qt::UserRole + 2;
    static constexpr int DefaultCapacity = 10000;

    explicit TrafficModel(QObject *parent = nullptr);

    static bool hiddenByDefault(Column column);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity); // drops the oldest rows beyond it

    // Newest last. While paused, batches are held (up to capacity, oldest dropped) and
    // shown on resume.
    void appendRecords(const QList<RequestRecord> &records);
    // History from the log, older than every row here (newest first or oldest first); rows
    // that do not fit, or that are not older, are left out. Returns how many went in.
    int prependHistory(QList<RequestRecord> records);
    void clear();

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    int heldCount() const { return int(m_held.size()); }

    const RequestRecord &record(int row) const { return m_rows[std::size_t(row)].record; }
    // Whether the log captured headers and bodies for the row (settings.log_bodies).
    bool hasCapture(int row) const { return m_rows[std::size_t(row)].captured; }
    qint64 oldestId() const; // 0 when empty
    // Distinct values seen (for the filter bar's pickers); grow, never shrink until clear().
    QStringList distinctValues(Column column) const;

    static QString formatDuration(double ms);
    static QString formatBytes(qint64 bytes);
    static QString formatCost(double usd);

Q_SIGNALS:
    // Emitted at most once per batch, after rows went in, when a picker gained a value.
    void distinctValuesChanged();
    void heldCountChanged(int held);

private:
    struct Row
    {
        RequestRecord record; // headers and bodies dropped
        bool captured = false;
    };
    static Row compact(const RequestRecord &record);
    void insertRows(std::deque<Row> &&rows);
    bool noteDistinct(const RequestRecord &record);

    std::deque<Row> m_rows;
    std::deque<Row> m_held;
    int m_capacity = DefaultCapacity;
    bool m_paused = false;
    QSet<QString> m_models, m_consumers, m_routes;
};

} // namespace gh
