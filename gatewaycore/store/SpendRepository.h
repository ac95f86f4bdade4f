#pragma once

#include "policy/SpendLedger.h"

#include <QList>
#include <QString>

namespace gh {

class Database;

// AI spend per UTC day, consumer and provider (table spend_daily): what budgets are
// checked against after a restart. Rows only ever grow by added deltas.
class SpendRepository
{
public:
    explicit SpendRepository(Database &db);

    // Adds each row's amounts to the stored ones, in one transaction.
    bool add(const QList<SpendLedger::DayRow> &rows);
    QList<SpendLedger::DayRow> since(const QDate &firstDay) const;
    QString lastError() const { return m_lastError; }

private:
    Database &m_db;
    mutable QString m_lastError;
};

} // namespace gh
