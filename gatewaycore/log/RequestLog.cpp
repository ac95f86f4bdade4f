#include "RequestLog.h"

#include "RequestLogBuffer.h"
#include "store/RequestLogWriter.h"

#include <QMetaMethod>

namespace gh {

RequestLog::RequestLog(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<gh::RequestRecord>();
    qRegisterMetaType<QList<gh::RequestRecord>>();
    m_timer.setInterval(PublishIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RequestLog::publish);
}

RequestLog::~RequestLog()
{
    close();
}

bool RequestLog::open(const QString &databasePath, QString *error)
{
    close();
    auto writer = std::make_shared<RequestLogWriter>();
    if (!writer->open(databasePath, error))
        return false;
    writer->setTapEnabled(isSignalConnected(QMetaMethod::fromSignal(&RequestLog::recordsWritten)));
    m_writer = std::move(writer);
    m_reportedDrops = 0;
    m_timer.start();
    return true;
}

void RequestLog::close()
{
    if (!m_writer)
        return;
    m_writer->stop();
    publish(); // the last batch, and any drops, still reach listeners
    m_timer.stop();
    m_writer.reset();
}

bool RequestLog::isOpen() const
{
    return m_writer && m_writer->isRunning();
}

std::shared_ptr<RequestLogBuffer> RequestLog::addBuffer()
{
    return m_writer ? m_writer->addBuffer() : nullptr;
}

bool RequestLog::flush(int timeoutMs)
{
    return m_writer && m_writer->flush(timeoutMs);
}

void RequestLog::setRetentionDays(int days)
{
    if (m_writer)
        m_writer->setRetentionDays(days);
}

quint64 RequestLog::written() const
{
    return m_writer ? m_writer->written() : 0;
}

quint64 RequestLog::dropped() const
{
    return m_writer ? m_writer->dropped() : 0;
}

void RequestLog::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&RequestLog::recordsWritten) && m_writer)
        m_writer->setTapEnabled(true);
}

void RequestLog::disconnectNotify(const QMetaMethod &signal)
{
    // Qt may call this with its internal connection mutex held (e.g. from a receiver's
    // destructor): re-entering QObject here, even isSignalConnected(), can deadlock. The
    // next publish() looks whether anyone still listens.
    Q_UNUSED(signal)
    m_listenersChanged = true;
}

void RequestLog::publish()
{
    if (!m_writer)
        return;
    if (m_listenersChanged.exchange(false))
        m_writer->setTapEnabled(
            isSignalConnected(QMetaMethod::fromSignal(&RequestLog::recordsWritten)));
    const quint64 drops = m_writer->dropped();
    if (drops > m_reportedDrops) {
        qWarning(
            "gatehouse: request log: %llu record(s) dropped so far: the disk cannot keep up (%s)",
            static_cast<unsigned long long>(drops), qPrintable(m_writer->lastError()));
        m_reportedDrops = drops;
        Q_EMIT recordsDropped(drops);
    }
    quint64 overflow = 0;
    const QList<RequestRecord> records = m_writer->takeWritten(&overflow);
    if (!records.isEmpty())
        Q_EMIT recordsWritten(records);
}

} // namespace gh
