#include "TrafficModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace gh {

namespace {

// Reads on light and dark palettes alike.
const QColor ErrorColor(0xd9, 0x53, 0x4f);

bool isFailure(const RequestRecord &r)
{
    return r.status >= 400 || !r.error.isEmpty();
}

QVariant optionalMs(const std::optional<double> &ms, int role)
{
    if (!ms)
        return role == TrafficModel::SortRole ? QVariant(-1.0) : QVariant();
    return role == TrafficModel::SortRole ? QVariant(*ms)
                                          : QVariant(TrafficModel::formatDuration(*ms));
}

} // namespace

TrafficModel::TrafficModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

bool TrafficModel::hiddenByDefault(Column column)
{
    switch (column) {
    case Route:
    case Provider:
    case Path:
    case Upstream:
    case Error:
    case RequestId:
        return true;
    default:
        return false;
    }
}

int TrafficModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TrafficModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TrafficModel::formatDuration(double ms)
{
    const QLocale locale;
    if (ms < 1)
        return tr("%1 ms").arg(locale.toString(ms, 'f', 2));
    if (ms < 1000)
        return tr("%1 ms").arg(locale.toString(ms, 'f', ms < 100 ? 1 : 0));
    return tr("%1 s").arg(locale.toString(ms / 1000, 'f', 2));
}

QString TrafficModel::formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return tr("%n byte(s)", nullptr, int(bytes));
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString TrafficModel::formatCost(double usd)
{
    // Sub-cent calls are the common case with small models: keep their digits.
    const int decimals = usd == 0 ? 0 : usd < 0.01 ? 6 : usd < 1 ? 4 : 2;
    return QStringLiteral("$") + QLocale().toString(usd, 'f', decimals);
}

QVariant TrafficModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const RequestRecord &r = m_rows[std::size_t(index.row())].record;
    if (role == IdRole)
        return r.id;
    if (role == Qt::ForegroundRole)
        return isFailure(r) && (index.column() == Status || index.column() == Error)
                   ? QVariant(QBrush(ErrorColor))
                   : QVariant();
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case Status:
        case Duration:
        case Ttfb:
        case Size:
        case Tokens:
        case Cost:
        case Upstream:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
    const bool sort = role == SortRole;
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Time:
            return QDateTime::fromMSecsSinceEpoch(r.tsMs).toString(Qt::ISODateWithMs);
        case Request:
            return QString::fromUtf8(r.path);
        case Size:
            return tr("Request body: %1\nResponse body: %2")
                .arg(formatBytes(r.bytesIn), formatBytes(r.bytesOut));
        case Tokens:
            if (r.tokensIn || r.tokensOut)
                return tr("In: %1\nOut: %2")
                    .arg(QLocale().toString(r.tokensIn.value_or(0)),
                         QLocale().toString(r.tokensOut.value_or(0)));
            return {};
        case Status:
        case Error:
            return r.error.isEmpty() ? QVariant() : QVariant(r.error);
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole && !sort)
        return {};
    switch (index.column()) {
    case Time:
        return sort ? QVariant(r.tsMs)
                    : QVariant(QDateTime::fromMSecsSinceEpoch(r.tsMs).toString(
                          QStringLiteral("HH:mm:ss.zzz")));
    case Method:
        return QString::fromLatin1(r.method);
    case Request:
        return r.model.isEmpty() ? QString::fromUtf8(r.path) : r.model;
    case Consumer:
        return r.consumer;
    case Status:
        return r.status;
    case Duration:
        return sort ? QVariant(r.latencyMs) : QVariant(formatDuration(r.latencyMs));
    case Ttfb:
        return optionalMs(r.ttfbMs, role);
    case Size:
        return sort ? QVariant(r.bytesOut) : QVariant(formatBytes(r.bytesOut));
    case Tokens:
        if (!r.tokensIn && !r.tokensOut)
            return sort ? QVariant(qint64(-1)) : QVariant();
        return sort
                   ? QVariant(r.tokensIn.value_or(0) + r.tokensOut.value_or(0))
                   : QVariant(QLocale().toString(r.tokensIn.value_or(0) + r.tokensOut.value_or(0)));
    case Cost:
        if (!r.costUsd)
            return sort ? QVariant(-1.0) : QVariant();
        return sort ? QVariant(*r.costUsd) : QVariant(formatCost(*r.costUsd));
    case Cache:
        return QString::fromLatin1(r.cache);
    case Route:
        return r.route;
    case Provider:
        return r.provider;
    case Path:
        return QString::fromUtf8(r.path);
    case Upstream:
        return optionalMs(r.upstreamMs, role);
    case Error:
        return r.error;
    case RequestId:
        return QString::fromLatin1(r.requestId);
    default:
        return {};
    }
}

QVariant TrafficModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Method:
        return tr("Method");
    case Request:
        return tr("Path / Model");
    case Consumer:
        return tr("Consumer");
    case Status:
        return tr("Status");
    case Duration:
        return tr("Duration");
    case Ttfb:
        return tr("TTFB");
    case Size:
        return tr("Size");
    case Tokens:
        return tr("Tokens");
    case Cost:
        return tr("Cost");
    case Cache:
        return tr("Cache");
    case Route:
        return tr("Route");
    case Provider:
        return tr("Provider");
    case Path:
        return tr("Path");
    case Upstream:
        return tr("Upstream");
    case Error:
        return tr("Error");
    case RequestId:
        return tr("Request ID");
    default:
        return {};
    }
}

TrafficModel::Row TrafficModel::compact(const RequestRecord &record)
{
    Row row{record, false};
    RequestRecord &r = row.record;
    row.captured = !r.requestHeaders.isEmpty() || !r.responseHeaders.isEmpty() ||
                   !r.requestBody.isEmpty() || !r.responseBody.isEmpty();
    r.requestHeaders.clear();
    r.responseHeaders.clear();
    r.requestBody = {};
    r.responseBody = {};
    return row;
}

bool TrafficModel::noteDistinct(const RequestRecord &record)
{
    bool grew = false;
    const auto note = [&grew](QSet<QString> &set, const QString &value) {
        if (!value.isEmpty() && !set.contains(value)) {
            set.insert(value);
            grew = true;
        }
    };
    note(m_models, record.model);
    note(m_consumers, record.consumer);
    note(m_routes, record.route);
    return grew;
}

QStringList TrafficModel::distinctValues(Column column) const
{
    const QSet<QString> &set = column == Consumer ? m_consumers
                               : column == Route  ? m_routes
                                                  : m_models;
    QStringList values(set.begin(), set.end());
    values.sort(Qt::CaseInsensitive);
    return values;
}

void TrafficModel::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    const int overflow = rowCount() - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + overflow);
        endRemoveRows();
    }
    while (int(m_held.size()) > m_capacity)
        m_held.pop_front();
}

void TrafficModel::appendRecords(const QList<RequestRecord> &records)
{
    if (records.isEmpty())
        return;
    if (m_paused) {
        for (const RequestRecord &record : records)
            m_held.push_back(compact(record));
        while (int(m_held.size()) > m_capacity)
            m_held.pop_front();
        Q_EMIT heldCountChanged(heldCount());
        return;
    }
    std::deque<Row> rows;
    // Only the last `capacity` of a huge batch could stay anyway.
    const qsizetype first = qMax<qsizetype>(0, records.size() - m_capacity);
    for (qsizetype i = first; i < records.size(); ++i)
        rows.push_back(compact(records.at(i)));
    insertRows(std::move(rows));
}

void TrafficModel::insertRows(std::deque<Row> &&rows)
{
    if (rows.empty())
        return;
    bool grew = false;
    for (const Row &row : rows)
        grew = noteDistinct(row.record) || grew;
    const int n = int(rows.size());
    if (n >= m_capacity) {
        beginResetModel();
        m_rows = std::move(rows);
        while (int(m_rows.size()) > m_capacity)
            m_rows.pop_front();
        endResetModel();
    } else {
        const int overflow = rowCount() + n - m_capacity;
        if (overflow > 0) {
            beginRemoveRows({}, 0, overflow - 1);
            m_rows.erase(m_rows.begin(), m_rows.begin() + overflow);
            endRemoveRows();
        }
        const int start = rowCount();
        beginInsertRows({}, start, start + n - 1);
        std::move(rows.begin(), rows.end(), std::back_inserter(m_rows));
        endInsertRows();
    }
    if (grew)
        Q_EMIT distinctValuesChanged();
}

int TrafficModel::prependHistory(QList<RequestRecord> records)
{
    std::sort(records.begin(), records.end(),
              [](const RequestRecord &a, const RequestRecord &b) { return a.id < b.id; });
    const qint64 limit = oldestId();
    std::deque<Row> rows;
    for (const RequestRecord &record : std::as_const(records)) {
        if (limit == 0 || record.id < limit)
            rows.push_back(compact(record));
    }
    // The newest of the history is the most useful: drop from its old end.
    const int room = m_capacity - rowCount();
    while (int(rows.size()) > room && !rows.empty())
        rows.pop_front();
    if (rows.empty())
        return 0;
    bool grew = false;
    for (const Row &row : rows)
        grew = noteDistinct(row.record) || grew;
    const int n = int(rows.size());
    beginInsertRows({}, 0, n - 1);
    m_rows.insert(m_rows.begin(), std::make_move_iterator(rows.begin()),
                  std::make_move_iterator(rows.end()));
    endInsertRows();
    if (grew)
        Q_EMIT distinctValuesChanged();
    return n;
}

void TrafficModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
    const bool hadHeld = !m_held.empty();
    m_held.clear();
    m_models.clear();
    m_consumers.clear();
    m_routes.clear();
    if (hadHeld)
        Q_EMIT heldCountChanged(0);
    Q_EMIT distinctValuesChanged();
}

void TrafficModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused && !m_held.empty()) {
        insertRows(std::move(m_held));
        m_held.clear();
        Q_EMIT heldCountChanged(0);
    }
}

qint64 TrafficModel::oldestId() const
{
    return m_rows.empty() ? 0 : m_rows.front().record.id;
}

} // namespace gh
