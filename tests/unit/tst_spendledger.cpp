// SpendLedger: the per-consumer and per-provider AI spend that budgets are checked
// against (calendar periods in UTC, the 80 % warning, what goes to the store).
#include "policy/SpendLedger.h"

#include <QJsonObject>
#include <QTest>

using namespace gh;

class TestSpendLedger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void periods()
    {
        const QDate thursday(2026, 11, 26);
        QCOMPARE(SpendLedger::periodStart(Budget::Period::Day, thursday), thursday);
        QCOMPARE(SpendLedger::periodEnd(Budget::Period::Day, thursday), QDate(2026, 11, 27));
        QCOMPARE(SpendLedger::periodStart(Budget::Period::Week, thursday),
                 QDate(2026, 11, 23)); // Monday
        QCOMPARE(SpendLedger::periodEnd(Budget::Period::Week, thursday), QDate(2026, 11, 30));
        QCOMPARE(SpendLedger::periodStart(Budget::Period::Week, QDate(2026, 11, 23)),
                 QDate(2026, 11, 23));
        QCOMPARE(SpendLedger::periodStart(Budget::Period::Week, QDate(2026, 11, 29)),
                 QDate(2026, 11, 23)); // Sunday
        QCOMPARE(SpendLedger::periodStart(Budget::Period::Month, thursday), QDate(2026, 11, 1));
        QCOMPARE(SpendLedger::periodEnd(Budget::Period::Month, QDate(2026, 12, 31)),
                 QDate(2027, 1, 1));
    }

    void sumsPerPeriodAndScope()
    {
        SpendLedger ledger;
        ledger.record(QStringLiteral("me"), QStringLiteral("openai"), 1.0, 10, 5,
                      QDate(2026, 11, 23));
        ledger.record(QStringLiteral("me"), QStringLiteral("claude"), 2.0, 10, 5,
                      QDate(2026, 11, 26));
        ledger.record(QStringLiteral("you"), QStringLiteral("openai"), 4.0, 10, 5,
                      QDate(2026, 11, 30));
        const QDate day(2026, 11, 26);
        QCOMPARE(ledger.consumerSpent(QStringLiteral("me"), Budget::Period::Day, day), 2.0);
        QCOMPARE(ledger.consumerSpent(QStringLiteral("me"), Budget::Period::Week, day), 3.0);
        QCOMPARE(ledger.consumerSpent(QStringLiteral("me"), Budget::Period::Month, day), 3.0);
        QCOMPARE(ledger.consumerSpent(QStringLiteral("you"), Budget::Period::Week, day),
                 0.0); // next week
        QCOMPARE(ledger.consumerSpent(QStringLiteral("you"), Budget::Period::Month, day), 4.0);
        QCOMPARE(ledger.providerSpent(QStringLiteral("openai"), Budget::Period::Month, day), 5.0);
        QCOMPARE(ledger.providerSpent(QStringLiteral("claude"), Budget::Period::Day, day), 2.0);
        QCOMPARE(ledger.providerSpent(QStringLiteral("openai"), Budget::Period::Month,
                                      QDate(2026, 12, 1)),
                 0.0);
    }

    void warnsOnceAtEightyPercent()
    {
        SpendLedger ledger;
        const Budget budget{10.0, Budget::Period::Month};
        const QDate day(2026, 11, 26);
        QVERIFY(ledger.record("me", "p", 7.9, 0, 0, day, budget).isEmpty());
        const QList<SpendLedger::Warning> warnings =
            ledger.record("me", "p", 0.2, 0, 0, day, budget);
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings.first().scope, SpendLedger::Warning::Scope::Consumer);
        QCOMPARE(warnings.first().name, QStringLiteral("me"));
        QVERIFY(qFuzzyCompare(warnings.first().spent, 8.1));
        QVERIFY(ledger.record("me", "p", 1.0, 0, 0, day, budget).isEmpty()); // once per period
        // A new month warns again; a provider budget warns on its own.
        QCOMPARE(ledger
                     .record("me", "p", 9.0, 0, 0, QDate(2026, 12, 1), budget,
                             Budget{1.0, Budget::Period::Day})
                     .size(),
                 2);
    }

    void pendingRowsForTheStore()
    {
        SpendLedger ledger;
        const QDate day(2026, 11, 26);
        ledger.record("me", "p", 1.5, 100, 10, day);
        ledger.record("me", "p", 0.5, 50, 5, day);
        ledger.record("", "p", 0.25, 1, 1, day);
        QList<SpendLedger::DayRow> rows = ledger.takePending();
        QCOMPARE(rows.size(), 2);
        std::sort(rows.begin(), rows.end(),
                  [](const auto &a, const auto &b) { return a.consumer > b.consumer; });
        QCOMPARE(rows[0].consumer, QStringLiteral("me"));
        QCOMPARE(rows[0].usd, 2.0);
        QCOMPARE(rows[0].tokensIn, 150);
        QCOMPARE(rows[0].tokensOut, 15);
        QCOMPARE(rows[0].requests, 2);
        QVERIFY(ledger.takePending().isEmpty());

        // A failed store write gives them back, merged with what came since.
        ledger.returnPending(rows);
        ledger.record("me", "p", 1.0, 1, 1, day);
        rows = ledger.takePending();
        double total = 0;
        for (const auto &row : rows)
            total += row.usd;
        QCOMPARE(total, 3.25);
    }

    void loadedSpendCounts()
    {
        SpendLedger ledger;
        ledger.load({{QDate(2026, 11, 2), "me", "p", 3.0, 0, 0, 1}});
        QCOMPARE(ledger.consumerSpent("me", Budget::Period::Month, QDate(2026, 11, 26)), 3.0);
        QVERIFY(ledger.takePending().isEmpty()); // already stored
    }

    void budgetFromConfig()
    {
        QVERIFY(!Budget::fromJson(QJsonObject()));
        const auto week = Budget::fromJson(QJsonObject{{"usd", 5}, {"period", "week"}});
        QVERIFY(week);
        QCOMPARE(week->usd, 5.0);
        QCOMPARE(week->period, Budget::Period::Week);
        QCOMPARE(Budget::fromJson(QJsonObject{{"usd", 5}})->period, Budget::Period::Month);
    }

    // The desktop's budget bar: the spend of the budget's current period, and its end.
    void consumerStatusFollowsTheBudgetPeriod()
    {
        SpendLedger ledger;
        ledger.record("me", "p", 1.5, 0, 0, QDate(2026, 10, 31)); // last month
        ledger.record("me", "p", 2.0, 0, 0, QDate(2026, 11, 23)); // Monday
        ledger.record("me", "q", 0.5, 0, 0, QDate(2026, 11, 26)); // Thursday
        ledger.record("you", "p", 9.0, 0, 0, QDate(2026, 11, 26));
        const QDate thursday(2026, 11, 26);

        const BudgetStatus weekly =
            ledger.consumerStatus("me", Budget{5.0, Budget::Period::Week}, thursday);
        QVERIFY(weekly.budget);
        QCOMPARE(weekly.spentUsd, 2.5);
        QCOMPARE(weekly.periodStart, QDate(2026, 11, 23));
        QCOMPARE(weekly.periodEnd, QDate(2026, 11, 30));
        QVERIFY(!weekly.exhausted());

        const BudgetStatus daily =
            ledger.consumerStatus("me", Budget{0.5, Budget::Period::Day}, thursday);
        QCOMPARE(daily.spentUsd, 0.5);
        QCOMPARE(daily.periodEnd, QDate(2026, 11, 27));
        QVERIFY(daily.exhausted()); // reached counts as spent, as the gateway refuses then

        // No budget: the calendar month, never exhausted.
        const BudgetStatus none = ledger.consumerStatus("me", std::nullopt, thursday);
        QVERIFY(!none.budget);
        QCOMPARE(none.spentUsd, 2.5);
        QCOMPARE(none.periodStart, QDate(2026, 11, 1));
        QCOMPARE(none.periodEnd, QDate(2026, 12, 1));
        QVERIFY(!none.exhausted());

        // A consumer that never spent, and a zero budget (every call refused).
        const BudgetStatus fresh =
            ledger.consumerStatus("nobody", Budget{0.0, Budget::Period::Month}, thursday);
        QCOMPARE(fresh.spentUsd, 0.0);
        QVERIFY(fresh.exhausted());
    }
};

QTEST_GUILESS_MAIN(TestSpendLedger)
#include "tst_spendledger.moc"
