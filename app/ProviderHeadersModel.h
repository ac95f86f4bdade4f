#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>

namespace gh {

// A provider's extra upstream headers (SPEC §3 providers.headers) as an editable table:
// name and value, in the order the user wrote them. Rows with an empty name are left out
// of headers(): a row just added and not filled in yet is no header.
class ProviderHeadersModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, ValueColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setHeaders(const QJsonObject &headers);
    QJsonObject headers() const;
    // Appends an empty row and returns it.
    int addHeader(const QString &name = {}, const QString &value = {});

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

private:
    struct Header
    {
        QString name;
        QString value;
        bool operator==(const Header &) const = default;
    };
    QList<Header> m_headers;
};

} // namespace gh
