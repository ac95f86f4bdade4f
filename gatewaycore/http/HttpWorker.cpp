#include "HttpWorker.h"

#include "HttpConnection.h"
#include "HttpExchangeHandler.h"
#include "HttpServerContext.h"

#include <QTimer>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace gh {

HttpWorker::HttpWorker(std::shared_ptr<HttpServerContext> context, QObject *parent)
    : QObject(parent)
    , m_context(std::move(context))
    , m_sweepTimer(new QTimer(this))
{
    // Fine enough for the shortest timeout, cheap enough to run with thousands of
    // connections.
    const HttpServer::Options &options = m_context->options;
    const int shortest = qMin(options.headerTimeoutMs, options.idleTimeoutMs);
    m_sweepTimer->setInterval(qBound(10, shortest / 4, 1000));
    connect(m_sweepTimer, &QTimer::timeout, this, &HttpWorker::sweep);
}

HttpWorker::~HttpWorker()
{
    m_context->openConnections.fetch_sub(int(m_connections.size()));
    qDeleteAll(m_connections);
    m_handler.reset(); // after the connections whose exchanges it may still watch
}

void HttpWorker::addConnection(qintptr descriptor)
{
    if (!m_handler)
        m_handler = m_context->handlerFactory();
    auto *connection = new HttpConnection(m_context, m_handler.get(), this);
    if (!connection->open(descriptor)) {
        qWarning("HTTP: cannot adopt accepted socket %lld", qlonglong(descriptor));
        delete connection;
#ifdef Q_OS_UNIX
        ::close(int(descriptor));
#endif
        m_context->openConnections.fetch_sub(1);
        emit connectionClosed();
        return;
    }
    m_connections.append(connection);
    connect(connection, &HttpConnection::closed, this,
            [this, connection] { onConnectionClosed(connection); });
    if (!m_sweepTimer->isActive())
        m_sweepTimer->start();
    // Accepted just before a shutdown began: not closed as idle, since its request may
    // still sit unread in the kernel; it is answered with Connection: close instead.
}

void HttpWorker::closeIdleConnections()
{
    // Copy: closing may remove entries from m_connections.
    const QList<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->closeIfIdle();
}

void HttpWorker::abortAll()
{
    const QList<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->abort();
}

void HttpWorker::onConnectionClosed(HttpConnection *connection)
{
    if (!m_connections.removeOne(connection))
        return;
    connection->deleteLater();
    m_context->openConnections.fetch_sub(1);
    if (m_connections.isEmpty())
        m_sweepTimer->stop();
    emit connectionClosed();
}

void HttpWorker::sweep()
{
    const qint64 now = HttpConnection::monotonicMs();
    const QList<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->checkTimeouts(now);
}

} // namespace gh
