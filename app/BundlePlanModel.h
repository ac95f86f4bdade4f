#pragma once

#include "config/ConfigBundle.h"

#include <QAbstractTableModel>

namespace gh {

// What importing a bundle would do (ConfigBundle::Plan), one row per entity: add, change
// (with the top-level fields that differ), remove (replace mode), unchanged.
class BundlePlanModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ChangeColumn, KindColumn, NameColumn, FieldsColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setPlan(const ConfigBundle::Plan &plan);
    void clear();
    const QList<ConfigBundle::Change> &changes() const { return m_changes; }
    int count(ConfigBundle::ChangeType type) const;

    static QString changeLabel(ConfigBundle::ChangeType type);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ConfigBundle::Change> m_changes;
};

} // namespace gh
