#include "BundlePlanModel.h"

#include "EntityListPage.h"

#include <QBrush>
#include <QColor>

namespace gh {

void BundlePlanModel::setPlan(const ConfigBundle::Plan &plan)
{
    beginResetModel();
    m_changes = plan.changes;
    endResetModel();
}

void BundlePlanModel::clear()
{
    beginResetModel();
    m_changes.clear();
    endResetModel();
}

int BundlePlanModel::count(ConfigBundle::ChangeType type) const
{
    return int(std::count_if(m_changes.cbegin(), m_changes.cend(),
                             [type](const ConfigBundle::Change &c) { return c.type == type; }));
}

QString BundlePlanModel::changeLabel(ConfigBundle::ChangeType type)
{
    switch (type) {
    case ConfigBundle::ChangeType::Add:
        return tr("add");
    case ConfigBundle::ChangeType::Change:
        return tr("change");
    case ConfigBundle::ChangeType::Remove:
        return tr("remove");
    case ConfigBundle::ChangeType::Unchanged:
        return tr("unchanged");
    }
    return {};
}

int BundlePlanModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

int BundlePlanModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BundlePlanModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConfigBundle::Change &change = m_changes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ChangeColumn:
            return changeLabel(change.type);
        case KindColumn:
            return EntityListPage::title(change.kind);
        case NameColumn:
            return change.key;
        case FieldsColumn:
            return change.fields.join(QStringLiteral(", "));
        default:
            return {};
        }
    case Qt::ForegroundRole:
        if (index.column() != ChangeColumn)
            return {};
        switch (change.type) {
        case ConfigBundle::ChangeType::Add:
            return QBrush(QColor(0x1e, 0x8e, 0x3e));
        case ConfigBundle::ChangeType::Change:
            return QBrush(QColor(0xc2, 0x6a, 0x00));
        case ConfigBundle::ChangeType::Remove:
            return QBrush(QColor(0xd9, 0x30, 0x25));
        case ConfigBundle::ChangeType::Unchanged:
            return {};
        }
        return {};
    case Qt::ToolTipRole:
        switch (change.type) {
        case ConfigBundle::ChangeType::Add:
            return tr("Not here yet: it will be added.");
        case ConfigBundle::ChangeType::Change:
            return tr("Here with other values: these fields will take the bundle's.");
        case ConfigBundle::ChangeType::Remove:
            return tr("Here but not in the bundle: replace mode removes it.");
        case ConfigBundle::ChangeType::Unchanged:
            return tr("Here already, exactly as in the bundle.");
        }
        return {};
    default:
        return {};
    }
}

Qt::ItemFlags BundlePlanModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
}

QVariant BundlePlanModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case ChangeColumn:
        return tr("Change");
    case KindColumn:
        return tr("Kind");
    case NameColumn:
        return tr("Name");
    case FieldsColumn:
        return tr("Fields that differ");
    default:
        return {};
    }
}

} // namespace gh
