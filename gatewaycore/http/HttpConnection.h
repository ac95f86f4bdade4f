#pragma once

#include "HttpRequestParser.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <memory>

class QSslSocket;
class QTcpSocket;

namespace gh {

class HttpExchange;
class HttpExchangeHandler;
class HttpHeaders;
struct HttpResponse;
struct HttpServerContext;

// One accepted client connection, owned by an HttpWorker on its thread: reads bytes,
// runs them through HttpRequestParser, hands each request to the worker's handler as an
// HttpExchange at head time, streams the body to it and its response back, one request
// at a time in order (keep-alive, pipelining), enforces the timeouts and closes politely
// (half-close, then drain what the client still sends, so it gets to read our last
// response).
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    HttpConnection(std::shared_ptr<HttpServerContext> context, HttpExchangeHandler *handler,
                   QObject *parent = nullptr);
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
    static qint64 monotonicNs(); // the clock of HttpExchange::startNs()

Q_SIGNALS:
    // The socket is closed; the owner may delete this object (later, not in the slot).
    void closed();

private:
    friend class HttpExchange;
    // Called by the current exchange.
    bool exchangeSetBodyLimit(qint64 limit);
    void exchangePauseBody();
    void exchangeResumeBody();
    void exchangeRespond(const HttpResponse &response);
    void exchangeStartResponse(int status, const HttpHeaders &headers, qint64 contentLength);
    bool exchangeWrite(QByteArrayView data);
    void exchangeEnd();
    void exchangeAbort();

    void startExchange();
    void finishExchange();
    void resumeInput();
    enum class Phase { Open, Closing, Lingering, Closed };

    void onReadyRead();
    void onBytesWritten();
    void onTlsError();
    void processInput(QByteArrayView data);
    void sendError(int status, const QString &message, const HttpHeaders &extra = {});
    QByteArray responseHead(int status, const HttpHeaders &headers, qint64 contentLength,
                            bool chunked, bool close) const;
    void beginClose();
    void halfClose();
    void finish();

    std::shared_ptr<HttpServerContext> m_context;
    HttpExchangeHandler *m_handler = nullptr;
    HttpExchange *m_exchange = nullptr; // the request being served, owned
    QTcpSocket *m_socket = nullptr;
    QSslSocket *m_tlsSocket = nullptr; // m_socket itself when the server serves TLS
    HttpRequestParser m_parser;
    QByteArray m_pending; // received, not parsed yet (only while paused or closing)
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    Phase m_phase = Phase::Open;
    bool m_paused = false; // too much unsent output: stop reading until it drains
    bool m_inInput = false;        // inside processInput(): completions must not recurse
    bool m_readScheduled = false;  // a read continues from the event loop (budget used up)
    bool m_requestComplete = false; // the current exchange's request body has all arrived
    // The current response's framing.
    bool m_responseChunked = false;
    bool m_responseHasBody = false;
    bool m_closeAfterResponse = false;
    bool m_requestKeepAlive = true;
    int m_requestVersionMinor = 1;
    quint64 m_served = 0;
    qint64 m_lastActivityMs = 0;
    qint64 m_headStartMs = -1; // first byte of the current head (connect time for the first)
    qint64 m_lingerDeadlineMs = -1;
};

} // namespace gh
