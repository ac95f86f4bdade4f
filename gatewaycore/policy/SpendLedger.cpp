#include "SpendLedger.h"

#include <QJsonObject>

#include <utility>

namespace gh {

namespace {

constexpr double WarningShare = 0.8;

} // namespace

std::optional<Budget> Budget::fromJson(const QJsonObject &budget)
{
    if (budget.isEmpty() || !budget.contains(QLatin1String("usd")))
        return std::nullopt;
    Budget result;
    result.usd = budget.value(QLatin1String("usd")).toDouble();
    const QString period = budget.value(QLatin1String("period")).toString();
    if (period == QLatin1String("day"))
        result.period = Period::Day;
    else if (period == QLatin1String("week"))
        result.period = Period::Week;
    else
        result.period = Period::Month;
    return result;
}

QString Budget::periodName(Period period)
{
    switch (period) {
    case Period::Day:
        return QStringLiteral("day");
    case Period::Week:
        return QStringLiteral("week");
    case Period::Month:
        return QStringLiteral("month");
    }
    return QStringLiteral("month");
}

QDate SpendLedger::periodStart(Budget::Period period, const QDate &day)
{
    switch (period) {
    case Budget::Period::Day:
        return day;
    case Budget::Period::Week:
        return day.addDays(1 - day.dayOfWeek()); // ISO: Monday is 1
    case Budget::Period::Month:
        return QDate(day.year(), day.month(), 1);
    }
    return day;
}

QDate SpendLedger::periodEnd(Budget::Period period, const QDate &day)
{
    const QDate start = periodStart(period, day);
    switch (period) {
    case Budget::Period::Day:
        return start.addDays(1);
    case Budget::Period::Week:
        return start.addDays(7);
    case Budget::Period::Month:
        return start.addMonths(1);
    }
    return start.addDays(1);
}

void SpendLedger::add(int scope, const QString &name, const QDate &day, double usd)
{
    for (Budget::Period period : {Budget::Period::Day, Budget::Period::Week, Budget::Period::Month})
        m_totals[Key{scope, name, int(period), periodStart(period, day).toJulianDay()}] += usd;
}

double SpendLedger::spent(int scope, const QString &name, Budget::Period period,
                          const QDate &day) const
{
    QMutexLocker lock(&m_mutex);
    return m_totals.value(Key{scope, name, int(period), periodStart(period, day).toJulianDay()},
                          0.0);
}

void SpendLedger::load(const QList<DayRow> &rows)
{
    QMutexLocker lock(&m_mutex);
    for (const DayRow &row : rows) {
        add(0, row.consumer, row.day, row.usd);
        add(1, row.provider, row.day, row.usd);
    }
}

void SpendLedger::warnIfCrossed(int scope, const QString &name, const QDate &day, double before,
                                double usd, const std::optional<Budget> &budget,
                                QList<Warning> *warnings)
{
    if (!budget || budget->usd <= 0)
        return;
    const double threshold = budget->usd * WarningShare;
    const double after = before + usd;
    if (after < threshold)
        return;
    const Key key{scope, name, int(budget->period), periodStart(budget->period, day).toJulianDay()};
    if (m_warned.value(key))
        return;
    m_warned.insert(key, true);
    warnings->append(Warning{scope == 0 ? Warning::Scope::Consumer : Warning::Scope::Provider, name,
                             after, *budget});
}

QList<SpendLedger::Warning> SpendLedger::record(const QString &consumer, const QString &provider,
                                                double usd, qint64 tokensIn, qint64 tokensOut,
                                                const QDate &day,
                                                const std::optional<Budget> &consumerBudget,
                                                const std::optional<Budget> &providerBudget)
{
    QList<Warning> warnings;
    QMutexLocker lock(&m_mutex);
    const auto before = [&](int scope, const QString &name, const std::optional<Budget> &budget) {
        return budget ? m_totals.value(Key{scope, name, int(budget->period),
                                           periodStart(budget->period, day).toJulianDay()},
                                       0.0)
                      : 0.0;
    };
    const double consumerBefore = before(0, consumer, consumerBudget);
    const double providerBefore = before(1, provider, providerBudget);
    add(0, consumer, day, usd);
    add(1, provider, day, usd);
    warnIfCrossed(0, consumer, day, consumerBefore, usd, consumerBudget, &warnings);
    warnIfCrossed(1, provider, day, providerBefore, usd, providerBudget, &warnings);

    DayRow &row = m_pending[day.toString(Qt::ISODate) + u'|' + consumer + u'|' + provider];
    row.day = day;
    row.consumer = consumer;
    row.provider = provider;
    row.usd += usd;
    row.tokensIn += tokensIn;
    row.tokensOut += tokensOut;
    row.requests += 1;
    m_unreadWarnings += warnings;
    while (m_unreadWarnings.size() > 1000)
        m_unreadWarnings.removeFirst();
    return warnings;
}

QList<SpendLedger::Warning> SpendLedger::takeWarnings()
{
    QMutexLocker lock(&m_mutex);
    return std::exchange(m_unreadWarnings, {});
}

double SpendLedger::consumerSpent(const QString &consumer, Budget::Period period,
                                  const QDate &day) const
{
    return spent(0, consumer, period, day);
}

BudgetStatus SpendLedger::consumerStatus(const QString &consumer,
                                         const std::optional<Budget> &budget,
                                         const QDate &day) const
{
    const Budget::Period period = budget ? budget->period : Budget::Period::Month;
    BudgetStatus status;
    status.budget = budget;
    status.spentUsd = consumerSpent(consumer, period, day);
    status.periodStart = periodStart(period, day);
    status.periodEnd = periodEnd(period, day);
    return status;
}

double SpendLedger::providerSpent(const QString &provider, Budget::Period period,
                                  const QDate &day) const
{
    return spent(1, provider, period, day);
}

void SpendLedger::returnPending(const QList<DayRow> &rows)
{
    QMutexLocker lock(&m_mutex);
    for (const DayRow &returned : rows) {
        DayRow &row = m_pending[returned.day.toString(Qt::ISODate) + u'|' + returned.consumer +
                                u'|' + returned.provider];
        row.day = returned.day;
        row.consumer = returned.consumer;
        row.provider = returned.provider;
        row.usd += returned.usd;
        row.tokensIn += returned.tokensIn;
        row.tokensOut += returned.tokensOut;
        row.requests += returned.requests;
    }
}

QList<SpendLedger::DayRow> SpendLedger::takePending()
{
    QMutexLocker lock(&m_mutex);
    QList<DayRow> rows = m_pending.values();
    m_pending.clear();
    return rows;
}

} // namespace gh
