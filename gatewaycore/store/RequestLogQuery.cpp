#include "RequestLogQuery.h"

#include "Database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace gh {

namespace {

// Time filters as id ranges from request_log_blocks (no per-row ts index): the blocks that
// may hold a row in range bound the ids, the ts test stays exact.
const char kSinceRange[] =
    "ts >= :since AND id >= (SELECT coalesce(min(first_id), 9223372036854775807) "
    "FROM request_log_blocks WHERE max_ts >= :since)";
const char kFromRange[] =
    "ts >= :from AND id >= (SELECT coalesce(min(first_id), 9223372036854775807) "
    "FROM request_log_blocks WHERE max_ts >= :from)";
const char kToRange[] =
    "ts < :to AND id <= (SELECT coalesce(max(last_id), -1) FROM request_log_blocks WHERE min_ts < :to)";

// "WHERE …" for a usage filter's from/to (empty without either).
QString timeRangeClause(const RequestLogQuery::UsageFilter &filter)
{
    QStringList where;
    if (filter.fromMs)
        where << QLatin1String(kFromRange);
    if (filter.toMs)
        where << QLatin1String(kToRange);
    return where.isEmpty() ? QString() : QStringLiteral("WHERE ") + where.join(QStringLiteral(" AND "));
}

const char kRowColumns[] =
    "id, ts, consumer, route, prompt_api, provider, model, method, path, status, latency_ms, "
    "upstream_ms, ttfb_ms, tokens_in, tokens_out, cost_usd, cache, bytes_in, bytes_out, error, "
    "request_id, request_headers, request_body, response_headers, response_body";

bool unknownParameters(const QUrlQuery &query, const QStringList &allowed, QString *error)
{
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        Q_UNUSED(value)
        if (!allowed.contains(name)) {
            *error = QStringLiteral("unknown parameter %1; use %2")
                         .arg(name, allowed.join(QStringLiteral(", ")));
            return true;
        }
    }
    return false;
}

std::optional<double> optionalReal(const Statement &s, int column)
{
    return s.isNull(column) ? std::nullopt : std::optional<double>(s.real(column));
}

std::optional<qint64> optionalInt(const Statement &s, int column)
{
    return s.isNull(column) ? std::nullopt : std::optional<qint64>(s.int64(column));
}

HttpHeaders headersFromJson(const QString &json)
{
    HttpHeaders headers;
    if (json.isEmpty())
        return headers;
    for (const QJsonValue &pair : QJsonDocument::fromJson(json.toUtf8()).array()) {
        const QJsonArray entry = pair.toArray();
        headers.add(entry.at(0).toString().toLatin1(), entry.at(1).toString().toUtf8());
    }
    return headers;
}

QJsonValue headersToJson(const HttpHeaders &headers)
{
    QJsonArray array;
    for (const HttpHeaders::Entry &entry : headers.entries())
        array.append(QJsonArray{QString::fromLatin1(entry.first), QString::fromUtf8(entry.second)});
    return array;
}

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

template <typename T> QJsonValue orNull(const std::optional<T> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

// Nearest rank: the smallest value with at least q of all values at or below it.
double percentile(std::vector<double> &values, double q)
{
    if (values.empty())
        return 0;
    const std::size_t rank = std::size_t(std::ceil(q * double(values.size())));
    const std::size_t index = rank == 0 ? 0 : rank - 1;
    std::nth_element(values.begin(), values.begin() + qsizetype(index), values.end());
    return values[index];
}

RequestRecord readRecord(const Statement &s)
{
    RequestRecord r;
    r.id = s.int64(0);
    r.tsMs = s.int64(1);
    r.consumer = s.text(2);
    r.route = s.text(3);
    r.promptApi = s.text(4);
    r.provider = s.text(5);
    r.model = s.text(6);
    r.method = s.text(7).toLatin1();
    r.path = s.text(8).toUtf8();
    r.status = int(s.int64(9));
    r.latencyMs = s.real(10);
    r.upstreamMs = optionalReal(s, 11);
    r.ttfbMs = optionalReal(s, 12);
    r.tokensIn = optionalInt(s, 13);
    r.tokensOut = optionalInt(s, 14);
    r.costUsd = optionalReal(s, 15);
    r.cache = s.text(16).toLatin1();
    r.bytesIn = s.int64(17);
    r.bytesOut = s.int64(18);
    r.error = s.text(19);
    r.requestId = s.text(20).toLatin1();
    r.requestHeaders = headersFromJson(s.text(21));
    r.requestBody = s.text(22).toUtf8();
    r.responseHeaders = headersFromJson(s.text(23));
    r.responseBody = s.text(24).toUtf8();
    return r;
}

} // namespace

RequestLogQuery::RequestLogQuery(Database &db)
    : m_db(db)
{}

QString RequestLogQuery::formatTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); // Qt::UTC: "Z"
}

std::optional<qint64> RequestLogQuery::parseTime(const QString &text, bool asEnd)
{
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    static const QRegularExpression dateTime(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}[Tt "
                       "]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?([Zz]|[+-]\\d{2}:?\\d{2})?$"));
    if (dateOnly.match(text).hasMatch()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        return QDateTime(asEnd ? date.addDays(1) : date, QTime(0, 0), QTimeZone::utc())
            .toMSecsSinceEpoch();
    }
    if (!dateTime.match(text).hasMatch())
        return std::nullopt;
    QString normalized = text;
    normalized[10] = QLatin1Char('T');
    QDateTime parsed = QDateTime::fromString(normalized, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    if (parsed.timeSpec() == Qt::LocalTime) // no offset given: UTC, like the log's own times
        parsed.setTimeZone(QTimeZone::utc());
    return parsed.toMSecsSinceEpoch();
}

QString RequestLogQuery::groupByName(GroupBy groupBy)
{
    switch (groupBy) {
    case GroupBy::Model:
        return QStringLiteral("model");
    case GroupBy::Provider:
        return QStringLiteral("provider");
    case GroupBy::Consumer:
        return QStringLiteral("consumer");
    case GroupBy::Route:
        return QStringLiteral("route");
    case GroupBy::Day:
        return QStringLiteral("day");
    case GroupBy::None:
        break;
    }
    return {};
}

std::optional<RequestLogQuery::LogFilter> RequestLogQuery::parseLogFilter(const QUrlQuery &query,
                                                                          QString *error)
{
    if (unknownParameters(query,
                          {QStringLiteral("limit"), QStringLiteral("since"),
                           QStringLiteral("before_id"), QStringLiteral("route"),
                           QStringLiteral("model"), QStringLiteral("consumer"),
                           QStringLiteral("status")},
                          error))
        return std::nullopt;
    LogFilter filter;
    const auto value = [&](const char *name) {
        return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
    };
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        const int limit = value("limit").toInt(&ok);
        if (!ok || limit < 1 || limit > MaxLimit) {
            *error = QStringLiteral("limit must be a whole number from 1 to %1, not \"%2\"")
                         .arg(MaxLimit)
                         .arg(value("limit"));
            return std::nullopt;
        }
        filter.limit = limit;
    }
    if (query.hasQueryItem(QStringLiteral("since"))) {
        filter.sinceMs = parseTime(value("since"));
        if (!filter.sinceMs) {
            *error = QStringLiteral("since must be an RFC 3339 time like 2025-01-31T12:00:00Z or a "
                                    "date like 2025-01-31, not \"%1\"")
                         .arg(value("since"));
            return std::nullopt;
        }
    }
    if (query.hasQueryItem(QStringLiteral("before_id"))) {
        bool ok = false;
        const qint64 id = value("before_id").toLongLong(&ok);
        if (!ok || id < 1) {
            *error = QStringLiteral(
                         "before_id must be a log row id (a positive whole number), not \"%1\"")
                         .arg(value("before_id"));
            return std::nullopt;
        }
        filter.beforeId = id;
    }
    for (const char *name : {"route", "model", "consumer"}) {
        if (query.hasQueryItem(QLatin1String(name)) && value(name).isEmpty()) {
            *error = QStringLiteral("%1 must not be empty").arg(QLatin1String(name));
            return std::nullopt;
        }
    }
    filter.route = value("route");
    filter.model = value("model");
    filter.consumer = value("consumer");
    if (query.hasQueryItem(QStringLiteral("status"))) {
        static const QRegularExpression code(QStringLiteral("^[1-5]\\d\\d$"));
        static const QRegularExpression cls(QStringLiteral("^[1-5][xX][xX]$"));
        const QString status = value("status");
        if (code.match(status).hasMatch()) {
            filter.statusFrom = filter.statusTo = status.toInt();
        } else if (cls.match(status).hasMatch()) {
            filter.statusFrom = status.at(0).digitValue() * 100;
            filter.statusTo = filter.statusFrom + 99;
        } else {
            *error = QStringLiteral(
                         "status must be a status code like 404 or a class like 5xx, not \"%1\"")
                         .arg(status);
            return std::nullopt;
        }
    }
    return filter;
}

std::optional<RequestLogQuery::UsageFilter>
RequestLogQuery::parseUsageFilter(const QUrlQuery &query, QString *error)
{
    if (unknownParameters(
            query, {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("group_by")},
            error))
        return std::nullopt;
    UsageFilter filter;
    for (const char *name : {"from", "to"}) {
        if (!query.hasQueryItem(QLatin1String(name)))
            continue;
        const QString text = query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
        const bool isTo = qstrcmp(name, "to") == 0;
        const std::optional<qint64> ms = parseTime(text, isTo);
        if (!ms) {
            *error =
                QStringLiteral("%1 must be an RFC 3339 time like 2025-01-31T12:00:00Z or a date "
                               "like 2025-01-31, not \"%2\"")
                    .arg(QLatin1String(name), text);
            return std::nullopt;
        }
        (isTo ? filter.toMs : filter.fromMs) = ms;
    }
    if (filter.fromMs && filter.toMs && *filter.fromMs >= *filter.toMs) {
        *error = QStringLiteral("from must be before to");
        return std::nullopt;
    }
    if (query.hasQueryItem(QStringLiteral("group_by"))) {
        const QString name = query.queryItemValue(QStringLiteral("group_by"), QUrl::FullyDecoded);
        filter.groupBy = GroupBy::None;
        for (GroupBy g :
             {GroupBy::Model, GroupBy::Provider, GroupBy::Consumer, GroupBy::Route, GroupBy::Day}) {
            if (groupByName(g) == name)
                filter.groupBy = g;
        }
        if (filter.groupBy == GroupBy::None) {
            *error =
                QStringLiteral(
                    "group_by must be one of model, provider, consumer, route, day, not \"%1\"")
                    .arg(name);
            return std::nullopt;
        }
    }
    return filter;
}

std::optional<RequestLogQuery::Page> RequestLogQuery::logs(const LogFilter &filter)
{
    QStringList where;
    if (filter.sinceMs)
        where << QLatin1String(kSinceRange);
    if (filter.beforeId)
        where << QStringLiteral("id < :before");
    if (!filter.route.isEmpty())
        where << QStringLiteral("route = :route");
    if (!filter.model.isEmpty())
        where << QStringLiteral("model = :model");
    if (!filter.consumer.isEmpty())
        where << QStringLiteral("consumer = :consumer");
    if (filter.statusFrom)
        where << QStringLiteral("status BETWEEN :status_from AND :status_to");
    // Newest first by id: ids grow in write order, and a page cursor (before_id) is exact.
    const QString sql =
        QStringLiteral("SELECT %1 FROM request_log %2 ORDER BY id DESC LIMIT :limit")
            .arg(QLatin1String(kRowColumns),
                 where.isEmpty() ? QString()
                                 : QStringLiteral("WHERE ") + where.join(QStringLiteral(" AND ")));
    Statement s = m_db.prepare(sql);
    if (!s.isValid()) {
        m_error = m_db.lastError();
        return std::nullopt;
    }
    const auto bindNamed = [&](const char *name, const QVariant &v) {
        s.bind(s.parameterIndex(name), v);
    };
    if (filter.sinceMs)
        bindNamed(":since", *filter.sinceMs);
    if (filter.beforeId)
        bindNamed(":before", *filter.beforeId);
    if (!filter.route.isEmpty())
        bindNamed(":route", filter.route);
    if (!filter.model.isEmpty())
        bindNamed(":model", filter.model);
    if (!filter.consumer.isEmpty())
        bindNamed(":consumer", filter.consumer);
    if (filter.statusFrom) {
        bindNamed(":status_from", filter.statusFrom);
        bindNamed(":status_to", filter.statusTo);
    }
    bindNamed(":limit", filter.limit + 1); // one more says whether a next page exists
    Page page;
    while (s.next()) {
        if (page.rows.size() == filter.limit) {
            page.hasMore = true;
            break;
        }
        page.rows.append(readRecord(s));
    }
    if (s.failed()) {
        m_error = m_db.lastError();
        return std::nullopt;
    }
    return page;
}

std::optional<QList<RequestLogQuery::UsageRow>> RequestLogQuery::usage(const UsageFilter &filter,
                                                                       UsageRow *total)
{
    QString key;
    switch (filter.groupBy) {
    case GroupBy::None:
        key = QStringLiteral("NULL");
        break;
    case GroupBy::Day:
        key = QStringLiteral("strftime('%Y-%m-%d', ts / 1000, 'unixepoch')");
        break;
    default:
        key = groupByName(filter.groupBy);
    }
    Statement s = m_db.prepare(
        QStringLiteral("SELECT %1, status, error IS NOT NULL, tokens_in, tokens_out, cost_usd, "
                       "latency_ms FROM request_log %2 ORDER BY id")
            .arg(key, timeRangeClause(filter)));
    if (!s.isValid()) {
        m_error = m_db.lastError();
        return std::nullopt;
    }
    if (filter.fromMs)
        s.bind(s.parameterIndex(":from"), *filter.fromMs);
    if (filter.toMs)
        s.bind(s.parameterIndex(":to"), *filter.toMs);

    struct Group
    {
        UsageRow row;
        std::vector<double> latencies;
    };
    // Ordered by key (null first): a stable, readable answer.
    std::map<std::optional<QString>, Group> groups;
    Group all;
    const auto add = [](Group &g, const Statement &row) {
        ++g.row.requests;
        g.row.tokensIn += row.int64(3);
        g.row.tokensOut += row.int64(4);
        g.row.costUsd += row.real(5);
        if (row.int64(1) >= 400 || row.int64(2))
            ++g.row.errors;
        g.latencies.push_back(row.real(6));
    };
    while (s.next()) {
        add(all, s);
        if (filter.groupBy != GroupBy::None) {
            const std::optional<QString> k = s.isNull(0) ? std::nullopt : std::optional(s.text(0));
            Group &g = groups[k];
            g.row.key = k.value_or(QString());
            add(g, s);
        }
    }
    if (s.failed()) {
        m_error = m_db.lastError();
        return std::nullopt;
    }
    const auto finishGroup = [](Group &g) {
        g.row.p50LatencyMs = percentile(g.latencies, 0.50);
        g.row.p95LatencyMs = percentile(g.latencies, 0.95);
        return g.row;
    };
    QList<UsageRow> rows;
    for (auto &[k, g] : groups)
        rows.append(finishGroup(g));
    if (total)
        *total = finishGroup(all);
    return rows;
}

std::optional<QList<RequestLogQuery::SeriesRow>> RequestLogQuery::series(const UsageFilter &filter,
                                                                         Bucket bucket)
{
    QString key;
    switch (filter.groupBy) {
    case GroupBy::None:
    case GroupBy::Day:
        key = QStringLiteral("NULL");
        break;
    default:
        key = groupByName(filter.groupBy);
    }
    // Integer division floors for the non-negative times of a log: UTC buckets.
    Statement s = m_db.prepare(
        QStringLiteral("SELECT (ts / :bucket) * :bucket AS b, %1 AS k, count(*), "
                       "total(tokens_in), total(tokens_out), total(cost_usd), "
                       "sum(status >= 400 OR error IS NOT NULL) FROM request_log %2 "
                       "GROUP BY b, k ORDER BY b, k")
            .arg(key, timeRangeClause(filter)));
    if (!s.isValid()) {
        m_error = m_db.lastError();
        return std::nullopt;
    }
    s.bind(s.parameterIndex(":bucket"), bucketMs(bucket));
    if (filter.fromMs)
        s.bind(s.parameterIndex(":from"), *filter.fromMs);
    if (filter.toMs)
        s.bind(s.parameterIndex(":to"), *filter.toMs);
    QList<SeriesRow> rows;
    while (s.next()) {
        SeriesRow row;
        row.bucketStartMs = s.int64(0);
        row.key = s.isNull(1) ? QString() : s.text(1);
        row.requests = s.int64(2);
        row.tokensIn = qint64(s.real(3));
        row.tokensOut = qint64(s.real(4));
        row.costUsd = s.real(5);
        row.errors = s.int64(6);
        rows.append(row);
    }
    if (s.failed()) {
        m_error = m_db.lastError();
        return std::nullopt;
    }
    return rows;
}

std::optional<RequestLogQuery::Totals> RequestLogQuery::totalsSince(qint64 fromMs)
{
    // One statement: the sums and the id bound come from the same snapshot.
    Statement s = m_db.prepare(
        QStringLiteral("SELECT count(*), total(status >= 400 OR error IS NOT NULL), "
                       "total(cost_usd), max(id) FROM request_log WHERE %1").arg(QLatin1String(kFromRange)));
    if (!s.isValid()) {
        m_error = m_db.lastError();
        return std::nullopt;
    }
    s.bind(s.parameterIndex(":from"), fromMs);
    if (!s.next()) {
        m_error = m_db.lastError();
        return std::nullopt;
    }
    Totals totals;
    totals.requests = s.int64(0);
    totals.errors = qint64(s.real(1));
    totals.costUsd = s.real(2);
    totals.maxId = s.isNull(3) ? 0 : s.int64(3);
    return totals;
}

std::optional<QList<RequestRecord>> RequestLogQuery::records(const QList<qint64> &ids)
{
    QList<RequestRecord> rows;
    rows.reserve(ids.size());
    // In chunks: far below SQLite's bound-parameter limit, one prepared shape per chunk size.
    constexpr qsizetype Chunk = 500;
    for (qsizetype start = 0; start < ids.size(); start += Chunk) {
        const qsizetype n = qMin(Chunk, ids.size() - start);
        QStringList marks(n, QStringLiteral("?"));
        Statement s = m_db.prepare(QStringLiteral("SELECT %1 FROM request_log WHERE id IN (%2)")
                                       .arg(QLatin1String(kRowColumns), marks.join(u',')));
        if (!s.isValid()) {
            m_error = m_db.lastError();
            return std::nullopt;
        }
        for (qsizetype i = 0; i < n; ++i)
            s.bind(int(i + 1), ids.at(start + i));
        while (s.next())
            rows.append(readRecord(s));
        if (s.failed()) {
            m_error = m_db.lastError();
            return std::nullopt;
        }
    }
    std::sort(rows.begin(), rows.end(),
              [](const RequestRecord &a, const RequestRecord &b) { return a.id < b.id; });
    return rows;
}

QJsonObject RequestLogQuery::toJson(const RequestRecord &r)
{
    QJsonObject o{{"id", r.id},
                  {"ts", formatTime(r.tsMs)},
                  {"request_id", orNull(QString::fromLatin1(r.requestId))},
                  {"consumer", orNull(r.consumer)},
                  {"route", orNull(r.route)},
                  {"prompt_api", orNull(r.promptApi)},
                  {"provider", orNull(r.provider)},
                  {"model", orNull(r.model)},
                  {"method", QString::fromLatin1(r.method)},
                  {"path", QString::fromUtf8(r.path)},
                  {"status", r.status},
                  {"latency_ms", r.latencyMs},
                  {"upstream_ms", orNull(r.upstreamMs)},
                  {"ttfb_ms", orNull(r.ttfbMs)},
                  {"tokens_in", orNull(r.tokensIn)},
                  {"tokens_out", orNull(r.tokensOut)},
                  {"cost_usd", orNull(r.costUsd)},
                  {"cache", orNull(QString::fromLatin1(r.cache))},
                  {"bytes_in", r.bytesIn},
                  {"bytes_out", r.bytesOut},
                  {"error", orNull(r.error)}};
    // Only when settings.log_bodies captured them.
    if (!r.requestHeaders.isEmpty() || !r.responseHeaders.isEmpty() || !r.requestBody.isEmpty() ||
        !r.responseBody.isEmpty()) {
        o.insert(QStringLiteral("request_headers"), headersToJson(r.requestHeaders));
        o.insert(QStringLiteral("request_body"), QString::fromUtf8(r.requestBody));
        o.insert(QStringLiteral("response_headers"), headersToJson(r.responseHeaders));
        o.insert(QStringLiteral("response_body"), QString::fromUtf8(r.responseBody));
    }
    return o;
}

QJsonObject RequestLogQuery::toJson(const UsageRow &row)
{
    return QJsonObject{{"requests", row.requests},
                       {"tokens_in", row.tokensIn},
                       {"tokens_out", row.tokensOut},
                       {"cost_usd", row.costUsd},
                       {"errors", row.errors},
                       {"p50_latency_ms", row.p50LatencyMs},
                       {"p95_latency_ms", row.p95LatencyMs}};
}

} // namespace gh
