#pragma once

#include "HttpResponseParser.h"
#include "UpstreamError.h"
#include "UpstreamOrigin.h"
#include "UpstreamRequest.h"

#include <QAbstractSocket>
#include <QByteArray>
#include <QObject>
#include <QString>

class QTcpSocket;
class QTimer;

namespace gh {

// One HTTP/1.1 client connection to an upstream, living on a gateway worker thread:
// never blocks, never crosses threads. Streams both ways: the request body goes out
// piece by piece (writeBody), the response comes back as it arrives (responseBody).
// Usually obtained from and handed back to an UpstreamPool, which reuses it while both
// sides allow keep-alive.
//
// Flow: start() → [connected()] → informational()* → responseHead() → responseBody()*
// → responseComplete(), or failed() at any point (once, and nothing after it).
// Signals are emitted from the socket's notifications, never from inside a call
// (start/writeBody/endBody/pause/resume), so slots may call back freely. Connect them
// directly (same thread): responseBody's view is only valid during the emission. A slot
// may release or abort the connection; it must not delete it (use deleteLater).
//
// Backpressure, both directions:
// - Upload: writeBody() returns false once more than WriteHighWater bytes wait to be
//   sent; stop reading the client until writeBufferDrained().
// - Download: pauseReading() stops reading the socket (call it from responseBody when
//   the client's write buffer is full); the kernel buffers fill up and TCP flow control
//   stalls the upstream. Memory stays flat: a plain socket is unbuffered (read straight
//   into a stack buffer, at most one read's rest kept while paused); a TLS socket's
//   decrypted buffer is capped at TlsReadBufferSize.
//
// An early response (e.g. a 413 before the body is sent) is delivered normally; later
// writeBody() calls are ignored and the connection is not reused.
class UpstreamConnection : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 WriteHighWater = 256 * 1024;
    static constexpr qint64 WriteLowWater = 64 * 1024;
    static constexpr qint64 ReadChunk = 32 * 1024;
    static constexpr qint64 TlsReadBufferSize = 64 * 1024;

    explicit UpstreamConnection(UpstreamOrigin origin, QObject *parent = nullptr);
    ~UpstreamConnection() override;

    const UpstreamOrigin &origin() const { return m_origin; }

    // Sends a request: connects first if needed. Valid on a new connection or an idle
    // (reusable) one. An invalid request fails with ProtocolError.
    void start(const UpstreamRequest &request);
    // Streams request body bytes (BodyMode Length or Chunked). Returns false when the
    // caller should pause its source until writeBufferDrained().
    bool writeBody(QByteArrayView piece);
    // The request body is complete (chunked: sends the last chunk).
    void endBody();
    bool canWriteBody() const { return pendingOutput() < WriteHighWater; }

    void pauseReading();
    void resumeReading();
    bool isReadingPaused() const { return m_paused; }

    // Closes the socket; no more signals. The owner then releases or deletes it.
    void abort();

    // The request in flight (or the last one) runs on a connection that served before.
    bool wasReused() const { return m_reused; }
    int requestsStarted() const { return m_requestsStarted; }
    // Bytes of the current request handed to the kernel. 0 when failing: the upstream
    // cannot have seen the request, a retry is always safe.
    qint64 requestBytesSent() const;
    // Any byte of the current response arrived.
    bool responseStarted() const { return !m_parser.isIdle(); }
    // Response bytes held in memory by this connection (paused rest + TLS buffer).
    qint64 bufferedBytes() const;
    // Bytes queued for the upstream, not yet handed to the kernel.
    qint64 pendingOutput() const;

    // The parsed response: status, fields, trailers (after responseComplete), framing.
    const HttpResponseParser &response() const { return m_parser; }
    UpstreamError error() const { return m_error; }
    const QString &errorMessage() const { return m_errorMessage; }
    bool hasFailed() const { return m_state == State::Failed; }

    // Connected and waiting for a request.
    bool isIdle() const { return m_state == State::Idle; }
    // The response is complete and both sides allow another request on this socket.
    bool isReusable() const;
    // Pool hooks: a completed, reusable connection becomes idle (it then watches for the
    // upstream closing it, see idleClosed()); isAliveForReuse() checks the socket.
    void makeIdle();
    bool isAliveForReuse();

Q_SIGNALS:
    void connected();
    void informational(int status, const gh::HttpHeaders &headers);
    void responseHead(int status, const gh::HttpHeaders &headers);
    void responseBody(QByteArrayView piece);
    void responseComplete();
    void failed(gh::UpstreamError error, const QString &message);
    void writeBufferDrained();
    // The upstream closed this connection (or sent garbage) while it sat idle.
    void idleClosed();

private:
    enum class State { New, Busy, Done, Idle, Failed, Closed };

    void connectSocket();
    void onSocketConnected();
    void onReadyRead();
    void onBytesWritten();
    void onSocketError(QAbstractSocket::SocketError socketError);
    void onDisconnected();
    void onTimer();
    bool processInput(QByteArrayView data);
    void handleEndOfStream();
    void handleIdleInput();
    void completeResponse(bool extraBytes);
    void fail(UpstreamError error, const QString &message);
    void failLater(UpstreamError error, const QString &message);
    void scheduleRead();
    void writeOut(QByteArrayView bytes);
    void updateTimer();
    qint64 timerDeadline(UpstreamError *kind) const;
    void closeSocket();
    bool stillCurrent(quint64 generation) const;

    UpstreamOrigin m_origin;
    QTcpSocket *m_socket = nullptr;
    QTimer *m_timer = nullptr;
    HttpResponseParser m_parser;
    State m_state = State::New;
    UpstreamError m_error = UpstreamError::ProtocolError;
    QString m_errorMessage;
    QString m_tlsErrors;      // certificate problems reported before the handshake failed
    QByteArray m_outbox;      // request bytes written before the socket is connected
    QByteArray m_pending;     // received, not parsed yet (rest of a read when paused)
    quint64 m_generation = 0; // bumped per request; stale callbacks check it
    qint64 m_queuedBytes = 0; // request bytes written to the socket object
    qint64 m_bodyRemaining = 0;
    qint64 m_connectStartMs = 0;
    qint64 m_lastActivityMs = 0;
    qint64 m_timerDeadlineMs = -1;
    int m_connectTimeoutMs = 0;
    int m_readTimeoutMs = 0;
    int m_requestsStarted = 0;
    UpstreamRequest::BodyMode m_bodyMode = UpstreamRequest::BodyMode::None;
    bool m_connected = false;
    bool m_bodyComplete = true;
    bool m_requestKeepAlive = true;
    bool m_reusable = false;
    bool m_reused = false;
    bool m_paused = false;
    bool m_readScheduled = false;
    bool m_writeBlocked = false;
    bool m_eof = false;
};

} // namespace gh
