#include "HttpServer.h"

#include "BufferedHandler.h"
#include "HttpListener.h"
#include "HttpServerContext.h"
#include "HttpWorker.h"

#include <QThread>

namespace gh {

namespace {

QString hostPort(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                             : address.toString();
    return host + QLatin1Char(':') + QString::number(port);
}

} // namespace

HttpServer::HttpServer(Handler handler, Options options, QObject *parent)
    : HttpServer(
          [handler = std::move(handler)]() -> std::unique_ptr<HttpExchangeHandler> {
              return std::make_unique<BufferedHandler>(handler);
          },
          std::move(options), parent)
{}

HttpServer::HttpServer(HttpHandlerFactory factory, Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_context(std::make_shared<HttpServerContext>())
{
    m_context->handlerFactory = std::move(factory);
    m_context->options = std::move(options);
    m_listener =
        new HttpListener([this](qintptr descriptor) { dispatchDescriptor(descriptor); }, this);

    const int workerCount = qMax(0, m_options.workers);
    if (workerCount == 0) {
        auto *worker = new HttpWorker(m_context, this);
        connect(worker, &HttpWorker::connectionClosed, this, &HttpServer::onConnectionClosed,
                Qt::QueuedConnection);
        m_workers.append(worker);
    }
    for (int i = 0; i < workerCount; ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("http-worker-%1").arg(i));
        auto *worker = new HttpWorker(m_context);
        worker->moveToThread(thread);
        // QThread deletes deferred-delete objects as it finishes: the worker and its
        // sockets die on their own thread.
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &HttpWorker::connectionClosed, this, &HttpServer::onConnectionClosed,
                Qt::QueuedConnection);
        m_threads.append(thread);
        m_workers.append(worker);
        thread->start();
    }

    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        for (HttpWorker *worker : std::as_const(m_workers)) {
            if (m_threads.isEmpty())
                worker->abortAll();
            else
                QMetaObject::invokeMethod(worker, &HttpWorker::abortAll, Qt::QueuedConnection);
        }
        finishDrain();
    });
}

HttpServer::~HttpServer()
{
    m_context->shuttingDown.store(true);
    m_listener->close();
    for (QThread *thread : std::as_const(m_threads))
        thread->quit();
    for (QThread *thread : std::as_const(m_threads))
        thread->wait();
    // With workers == 0 the worker is our child and goes with us.
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_listener->listen(address, port)) {
        m_listenError = ListenError::None;
        m_errorString.clear();
        return true;
    }
    const QString where = hostPort(address, port);
    switch (m_listener->serverError()) {
    case QAbstractSocket::AddressInUseError:
        m_listenError = ListenError::AddressInUse;
        m_errorString = tr("%1 is already in use").arg(where);
        break;
    case QAbstractSocket::SocketAccessError:
        m_listenError = ListenError::PermissionDenied;
        m_errorString = tr("Permission denied to listen on %1").arg(where);
        break;
    default:
        m_listenError = ListenError::Other;
        m_errorString = tr("Cannot listen on %1: %2").arg(where, m_listener->errorString());
        break;
    }
    return false;
}

QHostAddress HttpServer::serverAddress() const
{
    return m_listener->serverAddress();
}

quint16 HttpServer::serverPort() const
{
    return m_listener->serverPort();
}

bool HttpServer::isListening() const
{
    return m_listener->isListening();
}

void HttpServer::stopAccepting()
{
    m_listener->close();
}

void HttpServer::shutdown(int graceMs)
{
    if (m_context->shuttingDown.exchange(true))
        return;
    stopAccepting();
    for (HttpWorker *worker : std::as_const(m_workers)) {
        if (m_threads.isEmpty())
            worker->closeIdleConnections();
        else
            QMetaObject::invokeMethod(worker, &HttpWorker::closeIdleConnections,
                                      Qt::QueuedConnection);
    }
    m_drainPending = true;
    m_graceTimer.start(qMax(0, graceMs));
    // Queued, so drained() is never emitted from inside shutdown().
    QMetaObject::invokeMethod(this, &HttpServer::onConnectionClosed, Qt::QueuedConnection);
}

bool HttpServer::isShuttingDown() const
{
    return m_context->shuttingDown.load();
}

quint64 HttpServer::requestsServed() const
{
    return m_context->requestsServed.load(std::memory_order_relaxed);
}

int HttpServer::openConnections() const
{
    return m_context->openConnections.load();
}

void HttpServer::dispatchDescriptor(qintptr descriptor)
{
    m_context->openConnections.fetch_add(1);
    HttpWorker *worker = m_workers.at(m_nextWorker);
    m_nextWorker = (m_nextWorker + 1) % m_workers.size();
    if (m_threads.isEmpty()) {
        worker->addConnection(descriptor);
    } else {
        QMetaObject::invokeMethod(
            worker, [worker, descriptor] { worker->addConnection(descriptor); },
            Qt::QueuedConnection);
    }
}

void HttpServer::onConnectionClosed()
{
    if (m_drainPending && m_context->openConnections.load() == 0)
        finishDrain();
}

void HttpServer::finishDrain()
{
    if (!m_drainPending)
        return;
    m_drainPending = false;
    m_graceTimer.stop();
    emit drained();
}

} // namespace gh
