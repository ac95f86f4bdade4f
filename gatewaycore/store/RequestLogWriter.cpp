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

QString RequestLogWriter::insertSql()
{
    return QStringLiteral(
        "INSERT INTO request_log (ts, consumer, route, prompt_api, provider, model, method, path, "
        "status, latency_ms, upstream_ms, ttfb_ms, tokens_in, tokens_out, cost_usd, cache, "
        "bytes_in, "
        "bytes_out, error, request_id, request_headers, request_body, response_headers, "
        "response_body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)");
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
    m_expire = m_db.prepare(
        QStringLiteral("DELETE FROM request_log WHERE id IN "
                       "(SELECT id FROM request_log WHERE ts < ?1 ORDER BY ts LIMIT ?2)"));
    if (!m_insert.isValid() || !m_expire.isValid()) {
        *error = QStringLiteral("request log: %1 (is the schema migrated?)").arg(m_db.lastError());
        m_insert = {};
        m_expire = {};
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
    m_expire = {};
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
    for (RequestRecord &r : batch) {
        if (!ok)
            break;
        const QByteArray &consumer = consumers(r.consumer), &route = routes(r.route),
                         &promptApi = promptApis(r.promptApi), &provider = providers(r.provider),
                         &model = models(r.model);
        const QByteArray error = r.error.toUtf8();
        const QByteArray requestHeaders = headersJson(r.requestHeaders),
                         responseHeaders = headersJson(r.responseHeaders);
        // Every bound string (the caches, the locals above, the record) outlives run().
        Statement &s = m_insert;
        s.reset();
        s.bind(1, r.tsMs);
        s.bindTextNoCopy(2, textOrNull(consumer));
        s.bindTextNoCopy(3, textOrNull(route));
        s.bindTextNoCopy(4, textOrNull(promptApi));
        s.bindTextNoCopy(5, textOrNull(provider));
        s.bindTextNoCopy(6, textOrNull(model));
        s.bindTextNoCopy(7, r.method.isNull() ? QByteArrayView("") : QByteArrayView(r.method));
        s.bindTextNoCopy(8, r.path.isNull() ? QByteArrayView("") : QByteArrayView(r.path));
        s.bind(9, qint64(r.status));
        s.bindDouble(10, r.latencyMs);
        if (r.upstreamMs)
            s.bindDouble(11, *r.upstreamMs);
        if (r.ttfbMs)
            s.bindDouble(12, *r.ttfbMs);
        if (r.tokensIn)
            s.bind(13, *r.tokensIn);
        if (r.tokensOut)
            s.bind(14, *r.tokensOut);
        if (r.costUsd)
            s.bindDouble(15, *r.costUsd);
        s.bindTextNoCopy(16, textOrNull(r.cache));
        s.bind(17, r.bytesIn);
        s.bind(18, r.bytesOut);
        s.bindTextNoCopy(19, textOrNull(error));
        s.bindTextNoCopy(20, textOrNull(r.requestId));
        s.bindTextNoCopy(21, textOrNull(requestHeaders));
        s.bindTextNoCopy(22, textOrNull(r.requestBody));
        s.bindTextNoCopy(23, textOrNull(responseHeaders));
        s.bindTextNoCopy(24, textOrNull(r.responseBody));
        ok = s.run();
        // Live views find the stored row (bodies, replay, export) by its id.
        r.id = ok ? m_db.lastInsertRowId() : 0;
    }
    m_insert.reset();
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
