#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>

namespace gh {

// A model's targets (SPEC §3 models.targets) as an editable table: provider, upstream
// model and weight.
class ModelTargetsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ProviderColumn, ModelColumn, WeightColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setTargets(const QJsonArray &targets);
    QJsonArray targets() const;
    // Appends a target (weight 1) and returns its row.
    int addTarget(const QString &provider = {}, const QString &model = {});
    QString provider(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

private:
    struct Target
    {
        QString provider;
        QString model;
        int weight = 1;
        bool operator==(const Target &) const = default;
    };
    QList<Target> m_targets;
};

} // namespace gh
