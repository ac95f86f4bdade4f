#pragma once

#include "Database.h"
#include "log/RequestRecord.h"

#include <QList>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace gh {

class RequestLogBuffer;

// The request log's only writer (SPEC §6, docs/logging.md): a thread of its own with its
// own SQLite connection to DATA_DIR/gatehouse.db (WAL) that drains every worker's
// RequestLogBuffer about every flushIntervalMs, redacts each record (Redaction::apply)
// and inserts them in one transaction per batch with a prepared statement. Workers never
// wait for it: a full buffer drops and counts. Retention deletes expired rows in small
// batches between writes, so a large backlog never stalls logging. Thread-safe API.
class RequestLogWriter
{
public:
    struct Options
    {
        int flushIntervalMs = 100;
        int maxBatch = 8192;          // records per transaction
        int retentionBatch = 2000;    // rows per DELETE
        int retentionCheckMs = 60000; // between sweeps once nothing is left to delete
        int tapCapacity = 20000;      // records kept for takeWritten() between takes
    };

    RequestLogWriter();
    explicit RequestLogWriter(Options options);
    ~RequestLogWriter(); // stop()

    // Opens its connection to an already migrated database and starts the thread.
    bool open(const QString &databasePath, QString *error);
    // Drains every buffer completely, commits, and joins the thread. Idempotent.
    void stop();
    bool isRunning() const { return m_thread.joinable(); }

    // One per producer thread (gateway worker). Any thread; buffers the caller drops are
    // drained to the end and then forgotten.
    std::shared_ptr<RequestLogBuffer> addBuffer(std::size_t capacity = 0);
    // Returns once every record pushed before the call is committed (false: timed out or
    // not running).
    bool flush(int timeoutMs = 10000);

    // settings.log_retention_days; 0 or less keeps everything. Starts a sweep at once.
    void setRetentionDays(int days);
    // Live tap for events and the desktop: while on, written records are also kept
    // (up to tapCapacity, the rest counted in tapOverflow) for takeWritten().
    void setTapEnabled(bool on);
    QList<RequestRecord> takeWritten(quint64 *overflow = nullptr);

    quint64 written() const { return m_written.load(std::memory_order_relaxed); }
    // Records lost: buffers full (disk too slow) plus batches the database refused.
    quint64 dropped() const;
    quint64 retentionDeleted() const { return m_retentionDeleted.load(std::memory_order_relaxed); }
    QString lastError() const;

    // The insert of one record, for tests and the bench (same statement as the thread).
    // INSERT of `rows` rows, 24 parameters each.
    static QString insertSql(int rows = 1);
    static constexpr int RowsPerInsert = 32;
    static constexpr int Columns = 24; // parameters per row

private:
    void run();
    // Collects up to maxBatch pending records, in place in their buffers (see
    // RequestLogBuffer::peek); releaseBatch() hands their slots back.
    void collectBatch();
    void releaseBatch();
    bool writeBatch(const std::vector<RequestRecord *> &batch);
    void retentionStep();
    void setError(const QString &error);

    Options m_options;
    Database m_db; // used on the writer thread only, once open() returned
    Statement m_insert;
    Statement m_insertMany; // RowsPerInsert rows at once: one statement run, not 32
    struct InsertState;
    std::unique_ptr<InsertState> m_insertState;
    Statement m_insertBlock; // the batch's id and ts range (request_log_blocks)
    Statement m_expire;
    Statement m_expireBlocks;
    std::thread m_thread;

    mutable std::mutex
        m_buffersMutex; // taken per addBuffer and once per drain pass, never per record
    std::vector<std::shared_ptr<RequestLogBuffer>> m_buffers;
    quint64 m_retiredDrops = 0; // of buffers already forgotten (under m_buffersMutex)
    // Writer thread only: the batch being written and where its records lie.
    std::vector<RequestRecord *> m_batch;
    std::vector<std::pair<std::shared_ptr<RequestLogBuffer>, std::size_t>> m_batchSources;

    mutable std::mutex m_mutex; // state below
    std::condition_variable m_wake;
    std::condition_variable m_flushed;
    bool m_stopping = false;
    quint64 m_flushRequested = 0;
    quint64 m_flushDone = 0;
    QString m_lastError;

    std::atomic<int> m_retentionDays{0};
    std::atomic<bool> m_retentionDue{false};
    std::atomic<bool> m_tapEnabled{false};
    std::mutex m_tapMutex;
    QList<RequestRecord> m_tap;
    quint64 m_tapOverflow = 0;

    std::atomic<quint64> m_written{0};
    std::atomic<quint64> m_failed{0};
    std::atomic<quint64> m_retentionDeleted{0};
};

} // namespace gh
