#include "RequestLogWriter.h"

#include "log/Redaction.h"
#include "log/RequestLogBuffer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <chrono>

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

QByteArrayView textOrNull(const QByteArray &text)
{
    return text.isEmpty() ? QByteArrayView() : QByteArrayView(text);
}

// Consumers, routes, providers and models repeat from row to row: converted once.
struct Utf8Cache
{
    QString text;
    QByteArray utf8;
    const QByteArray &operator()(const QString &value)
    {
        if (value != text) {
            text = value;
            utf8 = value.toUtf8();
        }
        return utf8;
    }
};

} // namespace

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
    m_insertBlock = m_db.prepare(QStringLiteral(
        "INSERT INTO request_log_blocks (first_id, last_id, min_ts, max_ts) VALUES (?1, ?2, ?3, ?4)"));
    // Old rows, oldest ids first, only up to the last block that may hold one (blocks
    // bound the scan; the ts test stays exact).
    m_expire = m_db.prepare(QStringLiteral(
        "DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE "
        "id <= (SELECT coalesce(max(last_id), -1) FROM request_log_blocks WHERE min_ts < ?1) "
        "AND ts < ?1 ORDER BY id LIMIT ?2)"));
    // Blocks whose rows are all gone.
    m_expireBlocks = m_db.prepare(QStringLiteral(
        "DELETE FROM request_log_blocks WHERE last_id < "
        "(SELECT coalesce(min(id), 9223372036854775807) FROM request_log)"));
    if (!m_insert.isValid() || !m_insertMany.isValid() || !m_insertBlock.isValid() || !m_expire.isValid() ||
        !m_expireBlocks.isValid()) {
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

std::size_t RequestLogWriter::drainOnce(std::vector<RequestRecord> &batch)
{
    std::vector<std::shared_ptr<RequestLogBuffer>> buffers;
    {
        std::lock_guard lock(m_buffersMutex);
        buffers = m_buffers;
    }
    std::size_t taken = 0;
    for (const auto &buffer : buffers) {
        const std::size_t room = std::size_t(m_options.maxBatch) - batch.size();
        if (room == 0)
            break;
        taken += buffer->drain([&](RequestRecord &&record) { batch.push_back(std::move(record)); },
                               room);
    }
    // A buffer only this writer still holds (its worker is gone) and that is empty is done.
    std::lock_guard lock(m_buffersMutex);
    std::erase_if(m_buffers, [&](const std::shared_ptr<RequestLogBuffer> &buffer) {
        // 2: the list's reference and the local copy above.
        if (buffer.use_count() > 2 || buffer->size() != 0)
            return false;
        m_retiredDrops += buffer->dropped();
        return true;
    });
    return taken;
}

bool RequestLogWriter::writeBatch(std::vector<RequestRecord> &batch)
{
    for (RequestRecord &record : batch)
        Redaction::apply(record);
    Transaction tx(m_db);
    bool ok = tx.isActive();
    Utf8Cache consumers, routes, promptApis, providers, models;
    // Per row, what is converted for it; alive until its statement ran (bound without copies).
    struct RowText
    {
        QByteArray error, requestHeaders, responseHeaders;
    };
    std::vector<RowText> texts(std::min<std::size_t>(batch.size(), RowsPerInsert));
    const auto bindRow = [&](Statement &s, int base, const RequestRecord &r, RowText &t) {
        t.error = r.error.toUtf8();
        t.requestHeaders = headersJson(r.requestHeaders);
        t.responseHeaders = headersJson(r.responseHeaders);
        const auto optionalDouble = [&s](int index, const std::optional<double> &v) {
            v ? s.bindDouble(index, *v) : s.bindNull(index);
        };
        const auto optionalInt = [&s](int index, const std::optional<qint64> &v) {
            v ? s.bind(index, *v) : s.bindNull(index);
        };
        s.bind(base + 1, r.tsMs);
        s.bindTextNoCopy(base + 2, textOrNull(consumers(r.consumer)));
        s.bindTextNoCopy(base + 3, textOrNull(routes(r.route)));
        s.bindTextNoCopy(base + 4, textOrNull(promptApis(r.promptApi)));
        s.bindTextNoCopy(base + 5, textOrNull(providers(r.provider)));
        s.bindTextNoCopy(base + 6, textOrNull(models(r.model)));
        s.bindTextNoCopy(base + 7, r.method.isNull() ? QByteArrayView("") : QByteArrayView(r.method));
        s.bindTextNoCopy(base + 8, r.path.isNull() ? QByteArrayView("") : QByteArrayView(r.path));
        s.bind(base + 9, qint64(r.status));
        s.bindDouble(base + 10, r.latencyMs);
        optionalDouble(base + 11, r.upstreamMs);
        optionalDouble(base + 12, r.ttfbMs);
        optionalInt(base + 13, r.tokensIn);
        optionalInt(base + 14, r.tokensOut);
        optionalDouble(base + 15, r.costUsd);
        s.bindTextNoCopy(base + 16, textOrNull(r.cache));
        s.bind(base + 17, r.bytesIn);
        s.bind(base + 18, r.bytesOut);
        s.bindTextNoCopy(base + 19, textOrNull(t.error));
        s.bindTextNoCopy(base + 20, textOrNull(r.requestId));
        s.bindTextNoCopy(base + 21, textOrNull(t.requestHeaders));
        s.bindTextNoCopy(base + 22, textOrNull(r.requestBody));
        s.bindTextNoCopy(base + 23, textOrNull(t.responseHeaders));
        s.bindTextNoCopy(base + 24, textOrNull(r.responseBody));
    };
    std::size_t next = 0;
    while (ok && next < batch.size()) {
        // Full groups in one statement, the rest one by one.
        const std::size_t rows = batch.size() - next >= std::size_t(RowsPerInsert) ? RowsPerInsert : 1;
        Statement &s = rows > 1 ? m_insertMany : m_insert;
        s.reset();
        for (std::size_t k = 0; k < rows; ++k)
            bindRow(s, int(k) * 24, batch[next + k], texts[k]);
        ok = s.run();
        // Live views find the stored row (bodies, replay, export) by its id; one statement's
        // rows get consecutive ids, the last one known.
        const qint64 last = ok ? m_db.lastInsertRowId() : 0;
        for (std::size_t k = 0; k < rows; ++k)
            batch[next + k].id = ok ? last - qint64(rows - 1 - k) : 0;
        s.reset();
        next += rows;
    }
    m_insert.reset();
    if (ok && !batch.empty()) {
        qint64 minTs = batch.front().tsMs, maxTs = batch.front().tsMs;
        for (const RequestRecord &r : batch) {
            minTs = qMin(minTs, r.tsMs);
            maxTs = qMax(maxTs, r.tsMs);
        }
        m_insertBlock.reset();
        m_insertBlock.bind(1, batch.front().id).bind(2, batch.back().id).bind(3, minTs).bind(4, maxTs);
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
        for (RequestRecord &record : batch) {
            if (m_tap.size() >= m_options.tapCapacity) {
                ++m_tapOverflow;
                continue;
            }
            m_tap.append(std::move(record));
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
    std::vector<RequestRecord> batch;
    batch.reserve(std::size_t(m_options.maxBatch));
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
            batch.clear();
            drainOnce(batch);
            full = batch.size() >= std::size_t(m_options.maxBatch);
            if (!batch.empty())
                writeBatch(batch);
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
