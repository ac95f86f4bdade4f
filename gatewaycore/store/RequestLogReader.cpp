#include "RequestLogReader.h"

#include "Database.h"

#include <QPromise>

#include <memory>

namespace gh {

RequestLogReader::RequestLogReader()
{
    // Two: a slow export does not hold up the detail pane's one-row fetch.
    m_pool.setMaxThreadCount(2);
    m_pool.setExpiryTimeout(30000);
}

RequestLogReader::~RequestLogReader()
{
    m_pool.waitForDone();
}

void RequestLogReader::setDatabasePath(const QString &path)
{
    m_path = path; // main thread only; tasks copy it when they are made
}

QString RequestLogReader::databasePath() const
{
    return m_path;
}

void RequestLogReader::waitForDone() const
{
    m_pool.waitForDone();
}

template <typename T>
QFuture<RequestLogReader::Result<T>>
RequestLogReader::run(std::function<std::optional<T>(RequestLogQuery &)> query) const
{
    auto promise = std::make_shared<QPromise<Result<T>>>();
    QFuture<Result<T>> future = promise->future();
    promise->start();
    const QString path = m_path;
    if (path.isEmpty()) {
        promise->addResult(
            Result<T>{std::nullopt, QStringLiteral("the gateway's data dir is not open")});
        promise->finish();
        return future;
    }
    m_pool.start([promise, path, query = std::move(query)] {
        Result<T> result;
        Database db;
        if (!db.open(path, Database::Mode::ReadOnly)) {
            result.error =
                QStringLiteral("cannot read the request log %1: %2").arg(path, db.lastError());
        } else {
            RequestLogQuery q(db);
            result.value = query(q);
            if (!result.value)
                result.error = q.lastError();
        }
        promise->addResult(std::move(result));
        promise->finish();
    });
    return future;
}

QFuture<RequestLogReader::Result<RequestLogQuery::Page>>
RequestLogReader::logs(const RequestLogQuery::LogFilter &filter) const
{
    return run<RequestLogQuery::Page>([filter](RequestLogQuery &q) { return q.logs(filter); });
}

QFuture<RequestLogReader::Result<QList<RequestRecord>>>
RequestLogReader::records(const QList<qint64> &ids) const
{
    return run<QList<RequestRecord>>([ids](RequestLogQuery &q) { return q.records(ids); });
}

QFuture<RequestLogReader::Result<RequestLogReader::Usage>>
RequestLogReader::usage(const RequestLogQuery::UsageFilter &filter) const
{
    return run<Usage>([filter](RequestLogQuery &q) -> std::optional<Usage> {
        Usage usage;
        std::optional<QList<RequestLogQuery::UsageRow>> groups = q.usage(filter, &usage.total);
        if (!groups)
            return std::nullopt;
        usage.groups = std::move(*groups);
        return usage;
    });
}

QFuture<RequestLogReader::Result<QList<RequestLogQuery::SeriesRow>>>
RequestLogReader::series(const RequestLogQuery::UsageFilter &filter,
                         RequestLogQuery::Bucket bucket) const
{
    return run<QList<RequestLogQuery::SeriesRow>>(
        [filter, bucket](RequestLogQuery &q) { return q.series(filter, bucket); });
}

QFuture<RequestLogReader::Result<RequestLogQuery::Totals>>
RequestLogReader::totalsSince(qint64 fromMs) const
{
    return run<RequestLogQuery::Totals>(
        [fromMs](RequestLogQuery &q) { return q.totalsSince(fromMs); });
}

} // namespace gh
