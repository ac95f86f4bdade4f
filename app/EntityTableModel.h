#pragma once

#include "EntityColumns.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QPointer>

namespace gh {

class Gateway;

// The entities of one kind as the store holds them, one row each, read through the
// Gateway and reloaded whenever it reports a config change.
class EntityTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // The raw entity of a row, for views that want more than the columns show.
    static constexpr int EntityRole = Qt::UserRole + 1;

    EntityTableModel(Gateway *gateway, EntityKind kind, QObject *parent = nullptr);

    EntityKind kind() const { return m_kind; }
    QJsonObject entity(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

public Q_SLOTS:
    void reload();

private:
    QPointer<Gateway> m_gateway;
    EntityKind m_kind;
    QList<EntityColumn> m_columns;
    QList<QJsonObject> m_entities;
};

} // namespace gh
