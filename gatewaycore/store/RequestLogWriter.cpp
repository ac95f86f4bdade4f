#include "RequestLogWriter.h"

#include "log/Redaction.h"
#include "log/RequestLogBuffer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#ifdef Q_OS_LINUX
#include <pthread.h>
#include <sched.h>
#endif

#include <chrono>
#include <optional>
#include <unordered_map>
#include <vector>

namespace gh {

namespace {

constexpr qint64 kDayMs = 24 * 3600 * 1000;

// Captured headers as a JSON array of [name, value] pairs (order and repeats kept).
QByteArray headersJson(const HttpHeaders &headers)
{
    if (headers.isEmpty())
        return {};
    QJsonArray array;
    for (const HttpHeaders::Entry &entry : headers.entries())
        array.append(QJsonArray{QString::fromLatin1(entry.first), QString::fromUtf8(entry.second)});
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

// Consumers, routes, prompt APIs, providers and models repeat from row to row: each
// distinct name is converted to UTF-8 once and kept, so that parameters can point at it
// (bound without a copy) until their statement ran, however many names one statement
// holds. Every entry has a token no other entry ever gets.
class NameCache
{
public:
    struct Entry
    {
        QByteArray utf8;
        quint64 token = 0;
    };

    // Null for an empty name. The entry stays put until trim().
    const Entry *get(const QString &name, quint64 &nextToken)
    {
        if (name.isEmpty())
            return nullptr;
        if (m_last && name == m_lastName)
            return m_last;
        auto it = m_entries.find(name);
        if (it == m_entries.end())
            it = m_entries.emplace(name, Entry{name.toUtf8(), nextToken++}).first;
        m_lastName = name;
        m_last = &it->second;
        return m_last;
    }
    // Between statements only: nothing may still point into it.
    void trim(std::size_t maxEntries)
    {
        if (m_entries.size() <= maxEntries)
            return;
        m_entries.clear();
        m_last = nullptr;
        m_lastName.clear();
    }

private:
    std::unordered_map<QString, Entry> m_entries; // node-based: entries never move
    QString m_lastName;
    const Entry *m_last = nullptr;
};

// Binds one row's parameters. The insert statements keep their parameters between runs
// (Statement::resetKeepingBindings) and a request log row is mostly NULLs and repeated
// names, so a parameter that already holds NULL, or already points at the same cached
// name, is not bound again: binding was a third of the writer's time.
class RowBinder
{
public:
    static constexpr quint64 Unknown = 0; // anything else: bound again next time
    static constexpr quint64 Null = 1;
    static constexpr quint64 FirstToken = 2; // NameCache tokens start here

    RowBinder(Statement &statement, std::vector<quint64> &held, int base)
        : m_s(statement)
        , m_held(held)
        , m_base(base)
    {}

    void null(int column)
    {
        quint64 &held = m_held[std::size_t(m_base + column)];
        if (held != Null) {
            m_s.bindNull(m_base + column);
            held = Null;
        }
    }
    // NULL when empty; utf8's bytes must stay as they are until the statement ran.
    void text(int column, QByteArrayView utf8)
    {
        if (utf8.isEmpty())
            return null(column);
        m_s.bindTextNoCopy(m_base + column, utf8);
        m_held[std::size_t(m_base + column)] = Unknown;
    }
    // The empty string, not NULL (method and path are NOT NULL columns).
    void requiredText(int column, const QByteArray &utf8)
    {
        m_s.bindTextNoCopy(m_base + column,
                           utf8.isNull() ? QByteArrayView("") : QByteArrayView(utf8));
        m_held[std::size_t(m_base + column)] = Unknown;
    }
    void name(int column, const NameCache::Entry *entry)
    {
        if (!entry)
            return null(column);
        quint64 &held = m_held[std::size_t(m_base + column)];
        if (held != entry->token) {
            m_s.bindTextNoCopy(m_base + column, entry->utf8);
            held = entry->token;
        }
    }
    void integer(int column, qint64 value)
    {
        m_s.bind(m_base + column, value);
        m_held[std::size_t(m_base + column)] = Unknown;
    }
    void real(int column, double value)
    {
        m_s.bindDouble(m_base + column, value);
        m_held[std::size_t(m_base + column)] = Unknown;
    }
    void integer(int column, const std::optional<qint64> &value)
    {
        value ? integer(column, *value) : null(column);
    }
    void real(int column, const std::optional<double> &value)
    {
        value ? real(column, *value) : null(column);
    }

private:
    Statement &m_s;
    std::vector<quint64> &m_held;
    int m_base;
};

} // namespace

// What the inserts remember between batches (writer thread only).
struct RequestLogWriter::InsertState
{
    static constexpr std::size_t MaxNames = 4096; // per kind, then it starts over
    NameCache consumers, routes, promptApis, providers, models;
    quint64 nextToken = RowBinder::FirstToken;
    // Per parameter (1-based) of m_insert and m_insertMany: what it holds (RowBinder).
    std::vector<quint64> heldOne = std::vector<quint64>(Columns + 1, RowBinder::Unknown);
    std::vector<quint64> heldMany =
        std::vector<quint64>(Columns * RowsPerInsert + 1, RowBinder::Unknown);

    void trim()
    {
        for (NameCache *cache : {&consumers, &routes, &promptApis, &providers, &models})
            cache->trim(MaxNames);
    }
};

RequestLogWriter::RequestLogWriter()
    : RequestLogWriter(Options())
{}

RequestLogWriter::RequestLogWriter(Options options)
    : m_options(options)
{}

RequestLogWriter::~RequestLogWriter()
{
    stop();
}

QString RequestLogWriter::insertSql(int rows)
{
    QString sql = QStringLiteral(
        "INSERT INTO request_log (ts, consumer, route, prompt_api, provider, model, method, path, "
        "status, latency_ms, upstream_ms, ttfb_ms, tokens_in, tokens_out, cost_usd, cache, "
        "bytes_in, bytes_out, error, request_id, request_headers, request_body, response_headers, "
        "response_body) VALUES ");
    const QString row = QStringLiteral("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (int i = 0; i < rows; ++i)
        sql += (i ? QStringLiteral(",") : QString()) + row;
    return sql;
}

bool RequestLogWriter::open(const QString &databasePath, QString *error)
{
    stop();
    if (!m_db.open(databasePath)) {
        *error =
            QStringLiteral("request log: cannot open %1: %2").arg(databasePath, m_db.lastError());
        return false;
    }
    m_insert = m_db.prepare(insertSql());
    m_insertMany = m_db.prepare(insertSql(RowsPerInsert));
    m_insertState = std::make_unique<InsertState>();
    m_insertBlock =
        m_db.prepare(QStringLiteral("INSERT INTO request_log_blocks (first_id, last_id, min_ts, "
                                    "max_ts) VALUES (?1, ?2, ?3, ?4)"));
    // Old rows, oldest ids first, only up to the last block that may hold one (blocks
    // bound the scan; the ts test stays exact).
    m_expire = m_db.prepare(QStringLiteral(
        "DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE "
        "id <= (SELECT coalesce(max(last_id), -1) FROM request_log_blocks WHERE min_ts < ?1) "
        "AND ts < ?1 ORDER BY id LIMIT ?2)"));
    // Blocks whose rows are all gone.
    m_expireBlocks = m_db.prepare(
        QStringLiteral("DELETE FROM request_log_blocks WHERE last_id < "
                       "(SELECT coalesce(min(id), 9223372036854775807) FROM request_log)"));
    if (!m_insert.isValid() || !m_insertMany.isValid() || !m_insertBlock.isValid() ||
        !m_expire.isValid() || !m_expireBlocks.isValid()) {
        *error = QStringLiteral("request log: %1 (is the schema migrated?)").arg(m_db.lastError());
        m_insert = {};
        m_insertMany = {};
        m_insertBlock = {};
        m_expire = {};
        m_expireBlocks = {};
        m_db.close();
        return false;
    }
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_thread = std::thread([this] { run(); });
    return true;
}

void RequestLogWriter::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    m_insert = {};
    m_insertMany = {};
    m_insertBlock = {};
    m_expire = {};
    m_expireBlocks = {};
    m_db.close();
}

std::shared_ptr<RequestLogBuffer> RequestLogWriter::addBuffer(std::size_t capacity)
{
    auto buffer =
        std::make_shared<RequestLogBuffer>(capacity ? capacity : RequestLogBuffer::DefaultCapacity);
    std::lock_guard lock(m_buffersMutex);
    m_buffers.push_back(buffer);
    return buffer;
}

bool RequestLogWriter::flush(int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    if (!m_thread.joinable() || m_stopping)
        return false;
    const quint64 ticket = ++m_flushRequested;
    m_wake.notify_all();
    return m_flushed.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] {
        return m_flushDone >= ticket || m_stopping;
    }) && m_flushDone >= ticket;
}

void RequestLogWriter::setRetentionDays(int days)
{
    m_retentionDays.store(days, std::memory_order_relaxed);
    m_retentionDue.store(true, std::memory_order_relaxed);
    m_wake.notify_all();
}

void RequestLogWriter::setTapEnabled(bool on)
{
    m_tapEnabled.store(on, std::memory_order_relaxed);
    if (!on) {
        std::lock_guard lock(m_tapMutex);
        m_tap.clear();
    }
}

QList<RequestRecord> RequestLogWriter::takeWritten(quint64 *overflow)
{
    std::lock_guard lock(m_tapMutex);
    if (overflow)
        *overflow = std::exchange(m_tapOverflow, 0);
    return std::exchange(m_tap, {});
}

quint64 RequestLogWriter::dropped() const
{
    quint64 total = m_failed.load(std::memory_order_relaxed);
    std::lock_guard lock(m_buffersMutex);
    total += m_retiredDrops;
    for (const auto &buffer : m_buffers)
        total += buffer->dropped();
    return total;
}

QString RequestLogWriter::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

void RequestLogWriter::setError(const QString &error)
{
    std::lock_guard lock(m_mutex);
    m_lastError = error;
}

void RequestLogWriter::collectBatch()
{
    m_batch.clear();
    m_batchSources.clear();
    {
        std::lock_guard lock(m_buffersMutex);
        for (const auto &buffer : m_buffers)
            m_batchSources.emplace_back(buffer, 0);
    }
    for (auto &[buffer, count] : m_batchSources) {
        const std::size_t room = std::size_t(m_options.maxBatch) - m_batch.size();
        if (room == 0)
            break;
        count = buffer->peek([&](RequestRecord &record) { m_batch.push_back(&record); }, room);
    }
}

void RequestLogWriter::releaseBatch()
{
    m_batch.clear();
    for (auto &[buffer, count] : m_batchSources) {
        if (count)
            buffer->release(count);
    }
    m_batchSources.clear();
    // A buffer only this writer still holds (its worker is gone) and that is empty is done.
    std::lock_guard lock(m_buffersMutex);
    std::erase_if(m_buffers, [&](const std::shared_ptr<RequestLogBuffer> &buffer) {
        if (buffer.use_count() > 1 || buffer->size() != 0)
            return false;
        m_retiredDrops += buffer->dropped();
        return true;
    });
}

bool RequestLogWriter::writeBatch(const std::vector<RequestRecord *> &batch)
{
    // One pass over the records, a statement's rows at a time: a batch is megabytes of
    // records the workers wrote, and every further pass over it would miss the cache again.
    Transaction tx(m_db);
    bool ok = tx.isActive();
    InsertState &state = *m_insertState;
    state.trim();
    // Per row, what is converted for it; alive until its statement ran (bound without copies).
    struct RowText
    {
        QByteArray error, requestHeaders, responseHeaders;
    };
    std::vector<RowText> texts(std::min<std::size_t>(batch.size(), RowsPerInsert));
    const auto bindRow = [&](Statement &s, std::vector<quint64> &held, int base,
                             const RequestRecord &r, RowText &t) {
        t.error = r.error.toUtf8();
        t.requestHeaders = headersJson(r.requestHeaders);
        t.responseHeaders = headersJson(r.responseHeaders);
        RowBinder row(s, held, base);
        row.integer(1, r.tsMs);
        row.name(2, state.consumers.get(r.consumer, state.nextToken));
        row.name(3, state.routes.get(r.route, state.nextToken));
        row.name(4, state.promptApis.get(r.promptApi, state.nextToken));
        row.name(5, state.providers.get(r.provider, state.nextToken));
        row.name(6, state.models.get(r.model, state.nextToken));
        row.requiredText(7, r.method);
        row.requiredText(8, r.path);
        row.integer(9, qint64(r.status));
        row.real(10, r.latencyMs);
        row.real(11, r.upstreamMs);
        row.real(12, r.ttfbMs);
        row.integer(13, r.tokensIn);
        row.integer(14, r.tokensOut);
        row.real(15, r.costUsd);
        row.text(16, r.cache);
        row.integer(17, r.bytesIn);
        row.integer(18, r.bytesOut);
        row.text(19, t.error);
        row.text(20, r.requestId);
        row.text(21, t.requestHeaders);
        row.text(22, r.requestBody);
        row.text(23, t.responseHeaders);
        row.text(24, r.responseBody);
    };
    qint64 minTs = batch.empty() ? 0 : batch.front()->tsMs;
    qint64 maxTs = minTs;
    std::size_t next = 0;
    while (ok && next < batch.size()) {
        // Full groups in one statement, the rest one by one.
        const std::size_t rows =
            batch.size() - next >= std::size_t(RowsPerInsert) ? RowsPerInsert : 1;
        Statement &s = rows > 1 ? m_insertMany : m_insert;
        std::vector<quint64> &held = rows > 1 ? state.heldMany : state.heldOne;
        // Parameters are kept: bindRow only binds those that change.
        s.resetKeepingBindings();
        for (std::size_t k = 0; k < rows; ++k) {
            RequestRecord &record = *batch[next + k];
            Redaction::apply(record);
            bindRow(s, held, int(k) * Columns, record, texts[k]);
            minTs = qMin(minTs, record.tsMs);
            maxTs = qMax(maxTs, record.tsMs);
        }
        ok = s.run();
        // Live views find the stored row (bodies, replay, export) by its id; one statement's
        // rows get consecutive ids, the last one known.
        const qint64 last = ok ? m_db.lastInsertRowId() : 0;
        for (std::size_t k = 0; k < rows; ++k)
            batch[next + k]->id = ok ? last - qint64(rows - 1 - k) : 0;
        s.resetKeepingBindings();
        next += rows;
    }
    if (ok && !batch.empty()) {
        m_insertBlock.reset();
        m_insertBlock.bind(1, batch.front()->id)
            .bind(2, batch.back()->id)
            .bind(3, minTs)
            .bind(4, maxTs);
        ok = m_insertBlock.run();
        m_insertBlock.reset();
    }
    ok = ok && tx.commit();
    if (!ok) {
        // Lost, not retried: a database that refuses writes must not grow memory.
        m_failed.fetch_add(batch.size(), std::memory_order_relaxed);
        setError(m_db.lastError());
        qWarning("gatehouse: request log: cannot write %zu record(s): %s", batch.size(),
                 qPrintable(m_db.lastError()));
        return false;
    }
    m_written.fetch_add(batch.size(), std::memory_order_relaxed);
    if (m_tapEnabled.load(std::memory_order_relaxed)) {
        std::lock_guard lock(m_tapMutex);
        for (const RequestRecord *record : batch) {
            if (m_tap.size() >= m_options.tapCapacity) {
                ++m_tapOverflow;
                continue;
            }
            m_tap.append(*record); // shares the strings; the slot keeps its own
        }
    }
    return true;
}

void RequestLogWriter::retentionStep()
{
    const int days = m_retentionDays.load(std::memory_order_relaxed);
    if (days <= 0) {
        m_retentionDue.store(false, std::memory_order_relaxed);
        return;
    }
    const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - days * kDayMs;
    m_expire.reset();
    m_expire.bind(1, cutoff).bind(2, qint64(m_options.retentionBatch));
    if (!m_expire.run()) {
        setError(m_db.lastError());
        m_retentionDue.store(false, std::memory_order_relaxed);
        return;
    }
    const int deleted = m_db.changes();
    m_expire.reset();
    if (deleted > 0) {
        m_expireBlocks.reset();
        m_expireBlocks.run();
        m_expireBlocks.reset();
    }
    m_retentionDeleted.fetch_add(quint64(deleted), std::memory_order_relaxed);
    // A full batch: more may be left; the next pass (after the next write) goes on.
    m_retentionDue.store(deleted >= m_options.retentionBatch, std::memory_order_relaxed);
}

void RequestLogWriter::run()
{
    using Clock = std::chrono::steady_clock;
#ifdef Q_OS_LINUX
    // A batch job, not an interactive one: when it wakes it waits for its turn instead of
    // preempting a worker mid-request (it keeps its fair share of the CPU, so it still
    // keeps up). The name tells it apart in top and perf.
    pthread_setname_np(pthread_self(), "gh-log-writer");
    sched_param param{};
    pthread_setschedparam(pthread_self(), SCHED_BATCH, &param);
#endif
    m_batch.reserve(std::size_t(m_options.maxBatch));
    auto nextRetention = Clock::now();
    m_retentionDue.store(true, std::memory_order_relaxed);
    for (;;) {
        quint64 flushTicket;
        bool stopping;
        {
            std::lock_guard lock(m_mutex);
            flushTicket = m_flushRequested;
            stopping = m_stopping;
        }
        // Drain until every buffer is empty: a flush or stop waits for all of it.
        bool full = false;
        do {
            collectBatch();
            full = m_batch.size() >= std::size_t(m_options.maxBatch);
            if (!m_batch.empty())
                writeBatch(m_batch);
            releaseBatch();
        } while (full);

        if (Clock::now() >= nextRetention)
            m_retentionDue.store(true, std::memory_order_relaxed);
        if (m_retentionDue.load(std::memory_order_relaxed) && !stopping) {
            retentionStep();
            if (!m_retentionDue.load(std::memory_order_relaxed))
                nextRetention =
                    Clock::now() + std::chrono::milliseconds(m_options.retentionCheckMs);
        }

        std::unique_lock lock(m_mutex);
        if (flushTicket > m_flushDone) {
            m_flushDone = flushTicket;
            m_flushed.notify_all();
        }
        if (stopping) {
            m_flushDone = m_flushRequested;
            m_flushed.notify_all();
            return;
        }
        if (m_flushRequested > m_flushDone || m_stopping ||
            m_retentionDue.load(std::memory_order_relaxed))
            continue;
        m_wake.wait_for(lock, std::chrono::milliseconds(m_options.flushIntervalMs),
                        [&] { return m_stopping || m_flushRequested > m_flushDone; });
    }
}

} // namespace gh
