#include "SpendRepository.h"

#include "Database.h"

namespace gh {

SpendRepository::SpendRepository(Database &db)
    : m_db(db)
{}

bool SpendRepository::add(const QList<SpendLedger::DayRow> &rows)
{
    if (rows.isEmpty())
        return true;
    Transaction tx(m_db);
    Statement upsert = m_db.prepare(QStringLiteral(
        "INSERT INTO spend_daily (day, consumer, provider, usd, tokens_in, tokens_out, requests) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (day, consumer, provider) DO UPDATE SET "
        "usd = usd + excluded.usd, tokens_in = tokens_in + excluded.tokens_in, "
        "tokens_out = tokens_out + excluded.tokens_out, requests = requests + excluded.requests"));
    if (!tx.isActive() || !upsert.isValid()) {
        m_lastError = m_db.lastError();
        return false;
    }
    for (const SpendLedger::DayRow &row : rows) {
        upsert.reset();
        upsert.bind(1, row.day.toString(Qt::ISODate))
            .bind(2, row.consumer)
            .bind(3, row.provider)
            .bind(4, QVariant(row.usd))
            .bind(5, row.tokensIn)
            .bind(6, row.tokensOut)
            .bind(7, row.requests);
        if (!upsert.run()) {
            m_lastError = m_db.lastError();
            return false;
        }
    }
    if (!tx.commit()) {
        m_lastError = m_db.lastError();
        return false;
    }
    return true;
}

QList<SpendLedger::DayRow> SpendRepository::since(const QDate &firstDay) const
{
    QList<SpendLedger::DayRow> rows;
    Statement select =
        m_db.prepare(QStringLiteral("SELECT day, consumer, provider, usd, tokens_in, tokens_out, "
                                    "requests FROM spend_daily WHERE day >= ?1"));
    if (!select.isValid()) {
        m_lastError = m_db.lastError();
        return rows;
    }
    select.bind(1, firstDay.toString(Qt::ISODate));
    while (select.next()) {
        SpendLedger::DayRow row;
        row.day = QDate::fromString(select.text(0), Qt::ISODate);
        row.consumer = select.text(1);
        row.provider = select.text(2);
        row.usd = select.real(3);
        row.tokensIn = select.int64(4);
        row.tokensOut = select.int64(5);
        row.requests = select.int64(6);
        rows.append(row);
    }
    return rows;
}

} // namespace gh
