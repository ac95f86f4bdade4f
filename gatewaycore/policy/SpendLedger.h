#pragma once

#include <QDate>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

#include <optional>

namespace gh {

// A USD limit over a calendar period (SPEC §3 consumers.budget, providers.budget).
struct Budget
{
    enum class Period { Day, Week, Month };
    double usd = 0;
    Period period = Period::Month;

    static std::optional<Budget> fromJson(const class QJsonObject &budget);
    static QString periodName(Period period);
};

// Where a consumer stands against its budget in the current period (the desktop's budget
// bar). Without a budget, the calendar month's spend.
struct BudgetStatus
{
    std::optional<Budget> budget;
    double spentUsd = 0;
    QDate periodStart; // UTC, first day of the current period
    QDate periodEnd;   // first day of the next period: when the budget starts afresh
    // As AiCall decides: calls are refused once the spend reaches the budget.
    bool exhausted() const { return budget && spentUsd >= budget->usd; }
};

// What AI calls cost, per consumer and per provider, kept for budgets (and recorded in
// the store by the Gateway). Workers record() and ask spent() concurrently; both take one
// short lock and a few hash lookups, never I/O. Periods are UTC calendar days, ISO weeks
// (Monday first) and calendar months.
class SpendLedger
{
public:
    // One day's spend of one consumer at one provider: the unit that is persisted.
    struct DayRow
    {
        QDate day;
        QString consumer; // empty: no consumer (ai_auth none)
        QString provider;
        double usd = 0;
        qint64 tokensIn = 0;
        qint64 tokensOut = 0;
        qint64 requests = 0;
    };

    // A budget crossed 80 % of its limit (once per budget and period).
    struct Warning
    {
        enum class Scope { Consumer, Provider };
        Scope scope = Scope::Consumer;
        QString name;
        double spent = 0;
        Budget budget;
    };

    // Spend loaded from the store at start (adds to what is there).
    void load(const QList<DayRow> &rows);
    // Records one call. Warnings for budgets it pushed past 80 % are returned (pass the
    // budgets that apply; a budget is warned about once per period).
    QList<Warning> record(const QString &consumer, const QString &provider, double usd,
                          qint64 tokensIn, qint64 tokensOut, const QDate &day,
                          const std::optional<Budget> &consumerBudget = {},
                          const std::optional<Budget> &providerBudget = {});
    double consumerSpent(const QString &consumer, Budget::Period period, const QDate &day) const;
    double providerSpent(const QString &provider, Budget::Period period, const QDate &day) const;
    // The consumer's spend in the period of `budget` (a month without one) containing day.
    BudgetStatus consumerStatus(const QString &consumer, const std::optional<Budget> &budget,
                                const QDate &day) const;
    // The records since the last call, summed per day/consumer/provider: what the store
    // still has to add.
    QList<DayRow> takePending();
    // Every warning record() gave since the last call, oldest first (for the Gateway's
    // /events; bounded: the oldest go beyond 1000 unread).
    QList<Warning> takeWarnings();
    // Rows takePending() gave that could not be stored: kept for the next try.
    void returnPending(const QList<DayRow> &rows);

    // The first day of the period containing day, and the first day after it.
    static QDate periodStart(Budget::Period period, const QDate &day);
    static QDate periodEnd(Budget::Period period, const QDate &day);

private:
    struct Key
    {
        int scope; // 0 consumer, 1 provider
        QString name;
        int period;   // Budget::Period
        qint64 start; // Julian day of the period's first day
        bool operator==(const Key &other) const = default;
    };
    friend size_t qHash(const Key &key, size_t seed)
    {
        return qHashMulti(seed, key.scope, key.name, key.period, key.start);
    }

    void add(int scope, const QString &name, const QDate &day, double usd);
    double spent(int scope, const QString &name, Budget::Period period, const QDate &day) const;
    void warnIfCrossed(int scope, const QString &name, const QDate &day, double before, double usd,
                       const std::optional<Budget> &budget, QList<Warning> *warnings);

    mutable QMutex m_mutex;
    QHash<Key, double> m_totals;
    QHash<Key, bool> m_warned;
    QHash<QString, DayRow> m_pending; // "day|consumer|provider"
    QList<Warning> m_unreadWarnings;
};

} // namespace gh
