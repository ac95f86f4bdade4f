#include "EntityTableModel.h"

#include "Gateway.h"

namespace gh {

EntityTableModel::EntityTableModel(Gateway *gateway, EntityKind kind, QObject *parent)
    : QAbstractTableModel(parent)
    , m_gateway(gateway)
    , m_kind(kind)
    , m_columns(EntityColumns::forKind(kind))
{
    connect(gateway, &Gateway::configChanged, this, &EntityTableModel::reload);
    // A reopen (Settings → Apply with another data dir) swaps the whole store.
    connect(gateway, &Gateway::stateChanged, this, &EntityTableModel::reload);
    reload();
}

QJsonObject EntityTableModel::entity(int row) const
{
    return m_entities.value(row);
}

int EntityTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entities.size());
}

int EntityTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant EntityTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &entity = m_entities.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return m_columns.at(index.column()).text(entity);
    case EntityRole:
        return entity;
    default:
        return {};
    }
}

QVariant EntityTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= m_columns.size())
        return {};
    return m_columns.at(section).title;
}

void EntityTableModel::reload()
{
    // Only entities of a closed gateway are unknown; an open one answers from its store.
    QList<QJsonObject> entities;
    if (m_gateway && m_gateway->state() != Gateway::State::Closed)
        entities = m_gateway->entities(m_kind);
    if (entities == m_entities)
        return;
    beginResetModel();
    m_entities = entities;
    endResetModel();
}

} // namespace gh
