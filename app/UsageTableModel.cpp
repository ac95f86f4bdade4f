#include "UsageTableModel.h"

#include "TrafficModel.h"

#include <QLocale>

#include <algorithm>

namespace gh {

UsageTableModel::UsageTableModel(const QString &nameTitle, QObject *parent)
    : QAbstractTableModel(parent)
    , m_nameTitle(nameTitle)
{}

void UsageTableModel::setRows(QList<RequestLogQuery::UsageRow> rows, const QString &noKeyName)
{
    std::stable_sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
        return a.costUsd != b.costUsd ? a.costUsd > b.costUsd : a.requests > b.requests;
    });
    beginResetModel();
    m_rows = std::move(rows);
    m_noKeyName = noKeyName;
    endResetModel();
}

int UsageTableModel::rowOf(const QString &key) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).key == key && m_rows.at(row).key.isNull() == key.isNull())
            return row;
    }
    return -1;
}

int UsageTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int UsageTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UsageTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= ColumnCount)
        return {};
    const RequestLogQuery::UsageRow &r = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole)
        return int((index.column() == Name ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter);
    const bool sort = role == SortRole;
    if (role != Qt::DisplayRole && !sort)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Name:
        return r.key.isEmpty() ? m_noKeyName : r.key;
    case Requests:
        return sort ? QVariant(r.requests) : QVariant(locale.toString(r.requests));
    case TokensIn:
        return sort ? QVariant(r.tokensIn) : QVariant(locale.toString(r.tokensIn));
    case TokensOut:
        return sort ? QVariant(r.tokensOut) : QVariant(locale.toString(r.tokensOut));
    case Cost:
        return sort ? QVariant(r.costUsd) : QVariant(TrafficModel::formatCost(r.costUsd));
    case Errors:
        return sort ? QVariant(r.errors) : QVariant(locale.toString(r.errors));
    case P50:
        return sort ? QVariant(r.p50LatencyMs)
                    : QVariant(TrafficModel::formatDuration(r.p50LatencyMs));
    case P95:
        return sort ? QVariant(r.p95LatencyMs)
                    : QVariant(TrafficModel::formatDuration(r.p95LatencyMs));
    default:
        return {};
    }
}

QVariant UsageTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return m_nameTitle;
    case Requests:
        return tr("Requests");
    case TokensIn:
        return tr("Tokens in");
    case TokensOut:
        return tr("Tokens out");
    case Cost:
        return tr("Cost");
    case Errors:
        return tr("Errors");
    case P50:
        return tr("p50");
    case P95:
        return tr("p95");
    default:
        return {};
    }
}

} // namespace gh
