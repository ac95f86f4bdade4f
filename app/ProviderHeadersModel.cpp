#include "ProviderHeadersModel.h"

namespace gh {

void ProviderHeadersModel::setHeaders(const QJsonObject &headers)
{
    QList<Header> list;
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it)
        list.append({it.key(), it.value().toString()});
    if (list == m_headers)
        return;
    beginResetModel();
    m_headers = list;
    endResetModel();
}

QJsonObject ProviderHeadersModel::headers() const
{
    QJsonObject object;
    for (const Header &header : m_headers) {
        if (!header.name.trimmed().isEmpty())
            object.insert(header.name.trimmed(), header.value);
    }
    return object;
}

int ProviderHeadersModel::addHeader(const QString &name, const QString &value)
{
    const int row = int(m_headers.size());
    beginInsertRows({}, row, row);
    m_headers.append({name, value});
    endInsertRows();
    return row;
}

int ProviderHeadersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

int ProviderHeadersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProviderHeadersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Header &header = m_headers.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return index.column() == NameColumn ? header.name : header.value;
    case Qt::ToolTipRole:
        return index.column() == NameColumn
                   ? tr("Header name, e.g. OpenAI-Organization")
                   : tr("Sent as written; a secret belongs in a reference such as "
                        "${env:NAME} or ${keychain:NAME}.");
    default:
        return {};
    }
}

bool ProviderHeadersModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Header &header = m_headers[index.row()];
    QString &field = index.column() == NameColumn ? header.name : header.value;
    const QString text = value.toString().trimmed();
    if (text == field)
        return true;
    field = text;
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    return true;
}

Qt::ItemFlags ProviderHeadersModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

QVariant ProviderHeadersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case NameColumn:
        return tr("Header");
    case ValueColumn:
        return tr("Value");
    default:
        return {};
    }
}

bool ProviderHeadersModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_headers.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_headers.remove(row, count);
    endRemoveRows();
    return true;
}

} // namespace gh
