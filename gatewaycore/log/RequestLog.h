#pragma once

#include "RequestRecord.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace gh {

class RequestLogBuffer;
class RequestLogWriter;

// The request log as the rest of the core sees it (docs/logging.md): owns the writer
// thread, hands each gateway worker its buffer, and on the main thread publishes what was
// written in coalesced batches (about every 250 ms, only while someone listens: the live
// views, /events) plus the written/dropped counters (/metrics, the desktop's warning).
class RequestLog : public QObject
{
    Q_OBJECT

public:
    static constexpr int PublishIntervalMs = 250;
    // What settings.log_bodies keeps of each body.
    static constexpr qint64 BodyCaptureBytes = 4096;

    explicit RequestLog(QObject *parent = nullptr);
    ~RequestLog() override; // close()

    // Starts the writer on DATA_DIR/gatehouse.db (already migrated by the Store).
    bool open(const QString &databasePath, QString *error);
    // Writes everything pending and stops the writer.
    void close();
    bool isOpen() const;

    // Any thread (a gateway worker asks once, at its start). Null when closed.
    std::shared_ptr<RequestLogBuffer> addBuffer();
    // Blocks until every record pushed so far is in the database.
    bool flush(int timeoutMs = 10000);
    void setRetentionDays(int days);

    quint64 written() const;
    quint64 dropped() const;
    RequestLogWriter *writer() const { return m_writer.get(); }
    // For the worker handler factory: keeps the writer alive as long as a worker needs it.
    std::shared_ptr<RequestLogWriter> sharedWriter() const { return m_writer; }

Q_SIGNALS:
    // Records committed since the last emission, oldest first (redacted, as stored).
    void recordsWritten(const QList<gh::RequestRecord> &records);
    // Records were lost because the disk could not keep up: the running total.
    void recordsDropped(quint64 total);

protected:
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    void publish();

    std::shared_ptr<RequestLogWriter> m_writer;
    QTimer m_timer;
    quint64 m_reportedDrops = 0;
    // A listener went away (disconnectNotify may run on any thread).
    std::atomic<bool> m_listenersChanged = false;
};

} // namespace gh
