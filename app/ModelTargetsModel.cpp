#include "ModelTargetsModel.h"

#include <QJsonObject>

namespace gh {

void ModelTargetsModel::setTargets(const QJsonArray &targets)
{
    QList<Target> list;
    for (const QJsonValue &value : targets) {
        const QJsonObject target = value.toObject();
        list.append({target.value(QStringLiteral("provider")).toString(),
                     target.value(QStringLiteral("model")).toString(),
                     target.value(QStringLiteral("weight")).toInt(1)});
    }
    if (list == m_targets)
        return;
    beginResetModel();
    m_targets = list;
    endResetModel();
}

QJsonArray ModelTargetsModel::targets() const
{
    QJsonArray array;
    for (const Target &target : m_targets)
        array.append(QJsonObject{{QStringLiteral("provider"), target.provider},
                                 {QStringLiteral("model"), target.model},
                                 {QStringLiteral("weight"), target.weight}});
    return array;
}

int ModelTargetsModel::addTarget(const QString &provider, const QString &model)
{
    const int row = int(m_targets.size());
    beginInsertRows({}, row, row);
    m_targets.append({provider, model, 1});
    endInsertRows();
    return row;
}

QString ModelTargetsModel::provider(int row) const
{
    return row >= 0 && row < m_targets.size() ? m_targets.at(row).provider : QString();
}

int ModelTargetsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_targets.size());
}

int ModelTargetsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ModelTargetsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Target &target = m_targets.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case ProviderColumn:
            return target.provider;
        case ModelColumn:
            return target.model;
        default:
            return target.weight;
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ProviderColumn:
            return tr("One of the providers on the Providers page.");
        case ModelColumn:
            return tr("The provider's own model id, e.g. gpt-4o-mini. “List Models” fills the "
                      "choices.");
        default:
            return tr("Share of requests relative to the other targets; 0 takes none.");
        }
    default:
        return {};
    }
}

bool ModelTargetsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Target &target = m_targets[index.row()];
    if (index.column() == WeightColumn) {
        bool ok = false;
        const int weight = value.toInt(&ok);
        if (!ok || weight < 0)
            return false;
        if (weight == target.weight)
            return true;
        target.weight = weight;
    } else {
        QString &field = index.column() == ProviderColumn ? target.provider : target.model;
        const QString text = value.toString().trimmed();
        if (text == field)
            return true;
        field = text;
    }
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    return true;
}

Qt::ItemFlags ModelTargetsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

QVariant ModelTargetsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case ProviderColumn:
        return tr("Provider");
    case ModelColumn:
        return tr("Upstream model");
    case WeightColumn:
        return tr("Weight");
    default:
        return {};
    }
}

bool ModelTargetsModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_targets.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_targets.remove(row, count);
    endRemoveRows();
    return true;
}

} // namespace gh
