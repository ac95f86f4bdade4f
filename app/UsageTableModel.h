#pragma once

#include "store/RequestLogQuery.h"

#include <QAbstractTableModel>

namespace gh {

// Usage per model, provider or consumer (RequestLogQuery::UsageRow) for the Costs page's
// top tables, most expensive first.
class UsageTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Requests, TokensIn, TokensOut, Cost, Errors, P50, P95, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    // nameTitle: the first column's header ("Model", "Consumer").
    explicit UsageTableModel(const QString &nameTitle, QObject *parent = nullptr);

    // Rows without a key are named by noKeyName ("(no model)").
    void setRows(QList<RequestLogQuery::UsageRow> rows, const QString &noKeyName);
    const QList<RequestLogQuery::UsageRow> &rows() const { return m_rows; }
    // The row of a key, -1 if absent.
    int rowOf(const QString &key) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString m_nameTitle;
    QString m_noKeyName;
    QList<RequestLogQuery::UsageRow> m_rows;
};

} // namespace gh
