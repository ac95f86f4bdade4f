#pragma once

#include "log/RequestRecord.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace gh {

class Database;

// Reads the request log for the admin API (GET /logs, GET /stats/usage) and the desktop
// app: parameter parsing with messages that say what is wrong, the queries, and the JSON
// shapes. Runs on the thread owning `db` (the main thread's store connection: WAL lets it
// read while the writer thread writes).
class RequestLogQuery
{
public:
    enum class GroupBy { None, Model, Provider, Consumer, Route, Day };
    // Time buckets of a series (UTC, like GroupBy::Day and the budgets' periods).
    enum class Bucket { Hour, Day };

    struct LogFilter
    {
        int limit = 100;                  // 1..MaxLimit
        std::optional<qint64> sinceMs;    // ts >= since
        std::optional<qint64> beforeId;   // paging: rows older than this id
        QString route, model, consumer;   // exact matches
        int statusFrom = 0, statusTo = 0; // inclusive; 0: any
    };
    struct UsageFilter
    {
        std::optional<qint64> fromMs; // ts >= from
        std::optional<qint64> toMs;   // ts < to
        GroupBy groupBy = GroupBy::None;
    };
    struct UsageRow
    {
        QString key; // null: the rows without a value (e.g. model of a plain route)
        qint64 requests = 0;
        qint64 tokensIn = 0;
        qint64 tokensOut = 0;
        double costUsd = 0;
        qint64 errors = 0;       // status >= 400, or an error after the response began
        double p50LatencyMs = 0; // nearest rank
        double p95LatencyMs = 0;
    };
    // One bucket of one group of a series: the desktop's charts and CSV export.
    struct SeriesRow
    {
        qint64 bucketStartMs = 0; // UTC
        QString key;              // null: the rows without a value
        qint64 requests = 0;
        qint64 tokensIn = 0;
        qint64 tokensOut = 0;
        double costUsd = 0;
        qint64 errors = 0; // as UsageRow::errors
    };
    // Totals from a time on, with the newest row they include: a live view adds what it
    // receives after that id and counts nothing twice.
    struct Totals
    {
        qint64 requests = 0;
        qint64 errors = 0;
        double costUsd = 0;
        qint64 maxId = 0; // 0: no rows
    };
    struct Page
    {
        QList<RequestRecord> rows; // newest first
        bool hasMore = false;
    };

    static constexpr int MaxLimit = 1000;

    // Query parameters of GET /logs and GET /stats/usage; nullopt with *error naming the
    // parameter and what it accepts.
    static std::optional<LogFilter> parseLogFilter(const QUrlQuery &query, QString *error);
    static std::optional<UsageFilter> parseUsageFilter(const QUrlQuery &query, QString *error);
    // RFC 3339 time (an offset-less time is UTC) or a date (UTC midnight; as an end,
    // the midnight after it so the whole day is included).
    static std::optional<qint64> parseTime(const QString &text, bool asEnd = false);
    static QString groupByName(GroupBy groupBy);
    static QString formatTime(qint64 ms); // 2025-01-31T12:00:00.000Z

    explicit RequestLogQuery(Database &db);

    std::optional<Page> logs(const LogFilter &filter);
    std::optional<QList<UsageRow>> usage(const UsageFilter &filter, UsageRow *total = nullptr);
    // Sums per time bucket and group (filter.groupBy; Day and None: one null key), ordered
    // by bucket, then key (null first). Buckets without requests are absent.
    std::optional<QList<SeriesRow>> series(const UsageFilter &filter, Bucket bucket);
    std::optional<Totals> totalsSince(qint64 fromMs);
    // Whole rows (captured headers and bodies included) by id, oldest first; ids that no
    // longer exist (retention) are absent.
    std::optional<QList<RequestRecord>> records(const QList<qint64> &ids);
    static qint64 bucketMs(Bucket bucket) { return bucket == Bucket::Hour ? 3600000 : 86400000; }
    QString lastError() const { return m_error; }

    static QJsonObject toJson(const RequestRecord &record);
    static QJsonObject toJson(const UsageRow &row);

private:
    Database &m_db;
    QString m_error;
};

} // namespace gh
