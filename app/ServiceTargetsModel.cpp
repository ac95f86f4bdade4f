#include "ServiceTargetsModel.h"

#include <QJsonObject>

namespace gh {

void ServiceTargetsModel::setTargets(const QJsonArray &targets)
{
    QList<Target> list;
    for (const QJsonValue &value : targets) {
        const QJsonObject target = value.toObject();
        list.append({target.value(QStringLiteral("url")).toString(),
                     target.value(QStringLiteral("weight")).toInt(1)});
    }
    if (list == m_targets)
        return;
    beginResetModel();
    m_targets = list;
    endResetModel();
}

QJsonArray ServiceTargetsModel::targets() const
{
    QJsonArray array;
    for (const Target &target : m_targets)
        array.append(QJsonObject{{QStringLiteral("url"), target.url.trimmed()},
                                 {QStringLiteral("weight"), target.weight}});
    return array;
}

int ServiceTargetsModel::addTarget(const QString &url)
{
    const int row = int(m_targets.size());
    beginInsertRows({}, row, row);
    m_targets.append({url, 1});
    endInsertRows();
    return row;
}

int ServiceTargetsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_targets.size());
}

int ServiceTargetsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServiceTargetsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Target &target = m_targets.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return index.column() == UrlColumn ? QVariant(target.url) : QVariant(target.weight);
    case Qt::ToolTipRole:
        return index.column() == UrlColumn
                   ? tr("http:// or https:// URL of the upstream, e.g. http://127.0.0.1:9000")
                   : tr("Share of requests relative to the other targets; 0 takes none.");
    default:
        return {};
    }
}

bool ServiceTargetsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Target &target = m_targets[index.row()];
    if (index.column() == UrlColumn) {
        const QString url = value.toString().trimmed();
        if (url == target.url)
            return true;
        target.url = url;
    } else {
        bool ok = false;
        const int weight = value.toInt(&ok);
        if (!ok || weight < 0)
            return false;
        if (weight == target.weight)
            return true;
        target.weight = weight;
    }
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    return true;
}

Qt::ItemFlags ServiceTargetsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

QVariant ServiceTargetsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case UrlColumn:
        return tr("URL");
    case WeightColumn:
        return tr("Weight");
    default:
        return {};
    }
}

bool ServiceTargetsModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_targets.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_targets.remove(row, count);
    endRemoveRows();
    return true;
}

} // namespace gh
