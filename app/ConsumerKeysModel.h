#pragma once

#include "store/ConsumerKeyRepository.h"

#include <QAbstractTableModel>

namespace gh {

// A consumer's keys as the Consumers page lists them: display prefix, where the key came
// from (made here, or the config file's ${env:…} reference, digest or literal), created,
// expires and state (active, expired, revoked, rotating out). Never the key or its hash.
// States are computed against a clock the owner sets, so expiry shows without a reload.
class ConsumerKeysModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        PrefixColumn,
        SourceColumn,
        CreatedColumn,
        ExpiresColumn,
        StateColumn,
        ColumnCount
    };
    enum Role {
        StateRole = Qt::UserRole + 1, // "active", "expired", "revoked" or "revoking"
        PrefixRole,
        IdRole
    };

    using QAbstractTableModel::QAbstractTableModel;

    // The same keys again (a refresh) update in place, keeping the view's selection.
    void setKeys(const QList<ConsumerKey> &keys, qint64 nowMs);
    const QList<ConsumerKey> &keys() const { return m_keys; }
    ConsumerKey key(int row) const { return m_keys.value(row); }
    int rowOf(qint64 id) const;
    QString state(int row) const;

    // "made by Gatehouse", "config file: ${env:GATEHOUSE_KEY}", …
    static QString source(const ConsumerKey &key);
    // Listed in a config file (a reference, a digest or a key written in it).
    static bool fromConfig(const ConsumerKey &key);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString stateText(const ConsumerKey &key) const;

    QList<ConsumerKey> m_keys;
    qint64 m_now = 0;
};

} // namespace gh
