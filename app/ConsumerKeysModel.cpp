#include "ConsumerKeysModel.h"

#include "policy/ConsumerKeyService.h"

#include <QBrush>
#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>
#include <QRegularExpression>

namespace gh {

namespace {

QString localTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

void ConsumerKeysModel::setKeys(const QList<ConsumerKey> &keys, qint64 nowMs)
{
    bool sameRows = keys.size() == m_keys.size();
    for (qsizetype i = 0; sameRows && i < keys.size(); ++i)
        sameRows = keys.at(i).id == m_keys.at(i).id;
    if (!sameRows) {
        beginResetModel();
        m_keys = keys;
        m_now = nowMs;
        endResetModel();
        return;
    }
    m_keys = keys;
    m_now = nowMs;
    if (!m_keys.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ConsumerKeysModel::rowOf(qint64 id) const
{
    for (qsizetype i = 0; i < m_keys.size(); ++i) {
        if (m_keys.at(i).id == id)
            return int(i);
    }
    return -1;
}

QString ConsumerKeysModel::state(int row) const
{
    if (row < 0 || row >= m_keys.size())
        return {};
    return ConsumerKeyService::state(m_keys.at(row), m_now);
}

bool ConsumerKeysModel::fromConfig(const ConsumerKey &key)
{
    // Generated keys have "gh-" and six digits; a config file's keep that only when the
    // file lists a generated key again (exported as its digest), which is one of ours.
    static const QRegularExpression generated(QStringLiteral("^gh-[A-Za-z0-9]{6}$"));
    return !key.reference.isEmpty() || !generated.match(key.prefix).hasMatch();
}

QString ConsumerKeysModel::source(const ConsumerKey &key)
{
    if (!key.reference.isEmpty()) {
        return key.hash.isEmpty() ? tr("config file: %1 (cannot be read now)").arg(key.reference)
                                  : tr("config file: %1").arg(key.reference);
    }
    if (key.prefix.startsWith(QLatin1String("sha256:")))
        return tr("config file (SHA-256 digest)");
    if (!fromConfig(key))
        return tr("made by Gatehouse");
    return tr("config file (key written in it)");
}

QString ConsumerKeysModel::stateText(const ConsumerKey &key) const
{
    const QString state = ConsumerKeyService::state(key, m_now);
    if (state == QLatin1String("active"))
        return tr("active");
    if (state == QLatin1String("expired"))
        return tr("expired");
    if (state == QLatin1String("revoked"))
        return tr("revoked");
    return tr("rotating out (until %1)").arg(localTime(key.revokedAt));
}

int ConsumerKeysModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

int ConsumerKeysModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConsumerKeysModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConsumerKey &key = m_keys.at(index.row());
    const QString state = ConsumerKeyService::state(key, m_now);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PrefixColumn:
            // "gh-7Kq2ab…"; references and people's keys ("abcd*") are shown as they are.
            return key.prefix.startsWith(QLatin1String("${")) || key.prefix.endsWith(u'*')
                       ? key.prefix
                       : key.prefix + QStringLiteral("…");
        case SourceColumn:
            return source(key);
        case CreatedColumn:
            return key.createdAt ? localTime(key.createdAt) : QString();
        case ExpiresColumn:
            return key.expiresAt ? localTime(key.expiresAt) : tr("never");
        case StateColumn:
            return stateText(key);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == PrefixColumn)
            return tr("The start of the key, to recognise it. The key itself is shown only "
                      "once, when it is made.");
        if (index.column() == StateColumn && state == QLatin1String("revoking"))
            return tr("Replaced by a new key; this one keeps working until the time shown.");
        return {};
    case Qt::ForegroundRole:
        if (state == QLatin1String("revoked") || state == QLatin1String("expired"))
            return QBrush(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
        if (index.column() == StateColumn && state == QLatin1String("revoking"))
            return QBrush(QColor(0xb0, 0x60, 0x00));
        return {};
    case StateRole:
        return state;
    case PrefixRole:
        return key.prefix;
    case IdRole:
        return key.id;
    default:
        return {};
    }
}

QVariant ConsumerKeysModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PrefixColumn:
        return tr("Key");
    case SourceColumn:
        return tr("Source");
    case CreatedColumn:
        return tr("Created");
    case ExpiresColumn:
        return tr("Expires");
    case StateColumn:
        return tr("State");
    }
    return {};
}

} // namespace gh
