#pragma once

#include "RequestLogQuery.h"

#include <QFuture>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <optional>

namespace gh {

// The request log for the desktop's Traffic, Costs and Overview pages, read off the main
// thread: each query is a task on a small pool of its own and opens its own read-only
// connection (opening costs well under a millisecond; a long scan or a HAR export of
// thousands of bodies then never stalls the UI, and WAL lets it read while the writer
// writes). Results come back as QFutures; continue them on the UI thread with
// future.then(contextObject, ...). Thread-safe.
class RequestLogReader
{
public:
    template <typename T> struct Result
    {
        std::optional<T> value; // nullopt: error says why
        QString error;
    };
    struct Usage
    {
        QList<RequestLogQuery::UsageRow> groups;
        RequestLogQuery::UsageRow total;
    };

    RequestLogReader();
    ~RequestLogReader(); // waits for running queries

    // DATA_DIR/gatehouse.db; empty while the data dir is closed (queries then fail).
    void setDatabasePath(const QString &path);
    QString databasePath() const;

    QFuture<Result<RequestLogQuery::Page>> logs(const RequestLogQuery::LogFilter &filter) const;
    QFuture<Result<QList<RequestRecord>>> records(const QList<qint64> &ids) const;
    QFuture<Result<Usage>> usage(const RequestLogQuery::UsageFilter &filter) const;
    QFuture<Result<QList<RequestLogQuery::SeriesRow>>>
    series(const RequestLogQuery::UsageFilter &filter, RequestLogQuery::Bucket bucket) const;

    QFuture<Result<RequestLogQuery::Totals>> totalsSince(qint64 fromMs) const;

    // Blocks until every query started so far has finished (tests, shutdown).
    void waitForDone() const;

private:
    template <typename T>
    QFuture<Result<T>> run(std::function<std::optional<T>(RequestLogQuery &)> query) const;

    mutable QThreadPool m_pool;
    QString m_path;
};

} // namespace gh
