#pragma once

#include "HttpRequestParser.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <memory>

class QTcpSocket;

namespace gh {

struct HttpResponse;
struct HttpServerContext;

// One accepted client connection, owned by an HttpWorker on its thread: reads bytes,
// runs them through HttpRequestParser, calls the handler, writes responses in request
// order (keep-alive, pipelining), enforces the timeouts and closes politely (half-close,
// then drain what the client still sends, so it gets to read our last response).
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    explicit HttpConnection(std::shared_ptr<HttpServerContext> context, QObject *parent = nullptr);
    ~HttpConnection() override;

    // Adopts an accepted socket. On failure the descriptor is not taken over.
    bool open(qintptr descriptor);
    // Nothing of a next request received, nothing being handled: safe to close.
    bool isIdle() const;
    // Graceful shutdown: close now if idle; busy connections close after their response.
    void closeIfIdle();
    // Called periodically by the worker with a monotonic clock in ms.
    void checkTimeouts(qint64 nowMs);
    void abort();

    static qint64 monotonicMs();

Q_SIGNALS:
    // The socket is closed; the owner may delete this object (later, not in the slot).
    void closed();

private:
    enum class Phase { Open, Closing, Lingering, Closed };

    void onReadyRead();
    void onBytesWritten();
    void processInput(QByteArrayView data);
    void handleRequest();
    void sendError(int status, const QString &message);
    void writeResponse(const HttpResponse &response, bool headRequest, bool close,
                       int versionMinor);
    void beginClose();
    void halfClose();
    void finish();

    std::shared_ptr<HttpServerContext> m_context;
    QTcpSocket *m_socket = nullptr;
    HttpRequestParser m_parser;
    QByteArray m_pending; // received, not parsed yet (only while paused or closing)
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    Phase m_phase = Phase::Open;
    bool m_paused = false; // too much unsent output: stop reading until it drains
    quint64 m_served = 0;
    qint64 m_lastActivityMs = 0;
    qint64 m_headStartMs = -1; // first byte of the current head (connect time for the first)
    qint64 m_lingerDeadlineMs = -1;
};

} // namespace gh
