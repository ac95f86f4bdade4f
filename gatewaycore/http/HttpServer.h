#pragma once

#include "HttpRequest.h"
#include "HttpExchangeHandler.h"
#include "HttpResponse.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>

#include <functional>
#include <memory>

class QThread;

namespace gh {

class HttpListener;
class HttpWorker;
struct HttpServerContext;

// HTTP/1.1 server: accepts on the thread that owns it and hands each connection's
// socket descriptor to a worker (round-robin). A worker owns its connections end to
// end on its own event loop. Requests are parsed strictly (HttpRequestParser), bodies
// buffered up to maxBodyBytes, and the handler returns a whole response.
class HttpServer : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        // 0: connections live on the thread that owns the server (admin API);
        // N: N worker threads, each with its own event loop.
        int workers = 0;
        qint64 maxBodyBytes = 10 * 1024 * 1024;
        int maxHeaderBytes = 32 * 1024;
        int maxHeaderCount = 100;
        int headerTimeoutMs = 10000; // whole head must arrive within this → 408 + close
        int idleTimeoutMs = 60000;   // keep-alive idle → close; also a stalled body or write
        QByteArray serverName;       // optional "Server:" header
        // Not null: every connection is TLS (QSslSocket, server mode) with this
        // configuration; null: plain TCP.
        QSslConfiguration tls;
    };
    enum class ListenError { None, AddressInUse, PermissionDenied, Other };
    // Called on the thread owning the connection; must be thread-safe when workers > 0.
    using Handler = std::function<HttpResponse(const HttpRequest &)>;

    HttpServer(Handler handler, Options options, QObject *parent = nullptr);
    // Streaming: `factory` makes one handler per worker, on that worker's thread.
    HttpServer(HttpHandlerFactory factory, Options options, QObject *parent = nullptr);
    ~HttpServer() override; // stops workers, closes everything

    bool listen(const QHostAddress &address, quint16 port);
    ListenError listenError() const { return m_listenError; }
    QString errorString() const { return m_errorString; } // "127.0.0.1:4141 is already in use"
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    bool isListening() const;
    const Options &options() const { return m_options; }

    // Closes the listening socket; existing connections continue.
    void stopAccepting();
    // Graceful stop: stop accepting, close idle keep-alive connections, let in-flight
    // requests finish (answered with Connection: close), then close. Emits drained()
    // once no connection is left, or after graceMs (remaining connections are aborted).
    void shutdown(int graceMs);
    bool isShuttingDown() const;

    quint64 requestsServed() const; // any thread
    int openConnections() const;    // any thread

Q_SIGNALS:
    void drained();

private:
    void dispatchDescriptor(qintptr descriptor);
    void onConnectionClosed();
    void finishDrain();

    Options m_options;
    std::shared_ptr<HttpServerContext> m_context;
    HttpListener *m_listener = nullptr;
    QList<QThread *> m_threads;
    QList<HttpWorker *> m_workers; // no threads: one worker living on this thread
    qsizetype m_nextWorker = 0;
    ListenError m_listenError = ListenError::None;
    QString m_errorString;
    QTimer m_graceTimer;
    bool m_drainPending = false;
};

} // namespace gh
