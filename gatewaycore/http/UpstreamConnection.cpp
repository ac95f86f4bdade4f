#include "UpstreamConnection.h"

#include "HttpGrammar.h"

#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>
#include <cstring>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#endif

namespace gh {

using namespace http;

namespace {

// Reads per wakeup, so one fast upstream cannot starve the other sockets of the thread.
constexpr int MaxReadsPerWakeup = 16;

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}



bool isSafeValue(QByteArrayView v)
{
    for (const char c : v) {
        const auto u = uchar(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

bool isOwnField(const QByteArray &name)
{
    return name.compare("content-length", Qt::CaseInsensitive) == 0 ||
           name.compare("transfer-encoding", Qt::CaseInsensitive) == 0 ||
           name.compare("connection", Qt::CaseInsensitive) == 0;
}

// The request head, or an error message when the request cannot be sent as is (the
// caller's fields are re-checked: a CR/LF here would be header injection).
QByteArray buildHead(const UpstreamRequest &request, const UpstreamOrigin &origin, QString *error)
{
    if (!isToken(request.method)) {
        *error = QStringLiteral("Invalid request method");
        return {};
    }
    if (request.target.isEmpty() || request.target.front() != '/') {
        *error = QStringLiteral("The request target must start with '/'");
        return {};
    }
    for (const char c : request.target) {
        if (uchar(c) <= 0x20 || uchar(c) >= 0x7f) {
            *error = QStringLiteral("Invalid character in the request target");
            return {};
        }
    }
    QByteArray head;
    head.reserve(256 + request.headers.size() * 48);
    head += request.method;
    head += ' ';
    head += request.target;
    head += " HTTP/1.1\r\n";
    if (!request.headers.contains("host")) {
        head += "Host: ";
        head += origin.hostHeader();
        head += "\r\n";
    }
    for (const HttpHeaders::Entry &field : request.headers.entries()) {
        if (isOwnField(field.first))
            continue;
        if (!isToken(field.first) || !isSafeValue(field.second)) {
            *error = QStringLiteral("Invalid request header field %1")
                         .arg(QString::fromLatin1(field.first.left(64)));
            return {};
        }
        head += field.first;
        head += ": ";
        head += field.second;
        head += "\r\n";
    }
    switch (request.bodyMode) {
    case UpstreamRequest::BodyMode::None:
        // RFC 9110 §8.6: a user agent should send a length with these even when empty.
        if (request.method == "POST" || request.method == "PUT" || request.method == "PATCH")
            head += "Content-Length: 0\r\n";
        break;
    case UpstreamRequest::BodyMode::Length:
        head += "Content-Length: ";
        head += QByteArray::number(request.contentLength);
        head += "\r\n";
        break;
    case UpstreamRequest::BodyMode::Chunked:
        head += "Transfer-Encoding: chunked\r\n";
        break;
    }
    if (!request.keepAlive)
        head += "Connection: close\r\n";
    head += "\r\n";
    return head;
}

bool isTlsSocketError(QAbstractSocket::SocketError error)
{
    return error == QAbstractSocket::SslHandshakeFailedError ||
           error == QAbstractSocket::SslInternalError ||
           error == QAbstractSocket::SslInvalidUserDataError;
}

} // namespace

UpstreamConnection::UpstreamConnection(UpstreamOrigin origin, QObject *parent)
    : QObject(parent)
    , m_origin(std::move(origin))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &UpstreamConnection::onTimer);
}

UpstreamConnection::~UpstreamConnection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void UpstreamConnection::start(const UpstreamRequest &request)
{
    const bool fresh = m_state == State::New;
    if (!fresh && m_state != State::Idle && !isReusable()) {
        qWarning("UpstreamConnection::start: the connection is not ready for a request");
        ++m_generation;
        m_state = State::Busy;
        failLater(UpstreamError::ProtocolError,
                  QStringLiteral("Connection not ready for another request"));
        return;
    }
    ++m_generation;
    ++m_requestsStarted;
    m_reused = !fresh;
    m_parser.reset();
    m_parser.setHeadRequest(request.method == "HEAD");
    m_pending.clear();
    m_errorMessage.clear();
    m_reusable = false;
    m_eof = false;
    m_paused = false;
    m_writeBlocked = false;
    m_queuedBytes = 0;
    m_bodyMode = request.bodyMode;
    m_bodyRemaining = request.bodyMode == UpstreamRequest::BodyMode::Length
                          ? qMax<qint64>(0, request.contentLength)
                          : 0;
    m_bodyComplete =
        request.bodyMode == UpstreamRequest::BodyMode::None ||
        (request.bodyMode == UpstreamRequest::BodyMode::Length && m_bodyRemaining == 0);
    m_requestKeepAlive = request.keepAlive;
    m_connectTimeoutMs = request.connectTimeoutMs;
    m_readTimeoutMs = request.readTimeoutMs;
    m_state = State::Busy;
    m_lastActivityMs = nowMs();

    QString error;
    const QByteArray head = buildHead(request, m_origin, &error);
    if (head.isEmpty()) {
        failLater(UpstreamError::ProtocolError, error);
        return;
    }
    if (fresh)
        connectSocket();
    writeOut(head);
    updateTimer();
}

void UpstreamConnection::connectSocket()
{
    m_connectStartMs = nowMs();
    if (m_origin.tls) {
        if (!QSslSocket::supportsSsl()) {
            failLater(UpstreamError::TlsError, QStringLiteral("TLS is not available"));
            return;
        }
        auto *ssl = new QSslSocket(this);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        config.setProtocol(QSsl::TlsV1_2OrLater);
        config.setAllowedNextProtocols({QByteArray(QSslConfiguration::NextProtocolHttp1_1)});
        if (!m_origin.tlsOptions.caCertificates.isEmpty())
            config.setCaCertificates(m_origin.tlsOptions.caCertificates); // replaces the system CAs
        ssl->setSslConfiguration(config);
        // TLS sockets cannot be unbuffered: cap the decrypted buffer instead.
        ssl->setReadBufferSize(TlsReadBufferSize);
        connect(ssl, &QSslSocket::encrypted, this, &UpstreamConnection::onSocketConnected);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            // Not ignored: the handshake fails after this, with these as the reason.
            QStringList texts;
            for (const QSslError &e : errors)
                texts.append(e.errorString());
            m_tlsErrors = texts.join(QStringLiteral("; "));
        });
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &UpstreamConnection::onSocketConnected);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &UpstreamConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &UpstreamConnection::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
    if (m_origin.tls) {
        const QString &peerName = m_origin.tlsOptions.serverName.isEmpty()
                                      ? m_origin.host
                                      : m_origin.tlsOptions.serverName;
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_origin.host, m_origin.port,
                                                                    peerName);
    } else {
        // Unbuffered: reads go straight from the kernel into our stack buffer, and
        // while paused nothing is read at all (TCP flow control does the rest).
        m_socket->connectToHost(m_origin.host, m_origin.port,
                                QIODevice::ReadWrite | QIODevice::Unbuffered);
    }
}

void UpstreamConnection::onSocketConnected()
{
    if (m_state != State::Busy || m_connected)
        return;
    m_connected = true;
    m_lastActivityMs = nowMs();
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!m_outbox.isEmpty()) {
        const QByteArray out = std::exchange(m_outbox, QByteArray());
        writeOut(out);
    }
    updateTimer();
    emit connected();
}

void UpstreamConnection::writeOut(QByteArrayView bytes)
{
    if (!m_connected) {
        m_outbox.append(bytes);
        return;
    }
    m_queuedBytes += bytes.size();
    m_socket->write(bytes.data(), bytes.size());
}

bool UpstreamConnection::writeBody(QByteArrayView piece)
{
    if (m_state != State::Busy)
        return true; // answered early or failed: the body is not needed any more
    if (m_bodyComplete) {
        if (!piece.isEmpty())
            qWarning("UpstreamConnection::writeBody: body bytes after the end, ignored");
        return canWriteBody();
    }
    if (piece.isEmpty())
        return canWriteBody(); // an empty chunk would end a chunked body
    if (m_bodyMode == UpstreamRequest::BodyMode::Chunked) {
        // One buffer per piece: three writes would be three packets with TCP_NODELAY.
        QByteArray framed;
        framed.reserve(piece.size() + 20);
        framed += QByteArray::number(piece.size(), 16);
        framed += "\r\n";
        framed += piece;
        framed += "\r\n";
        writeOut(framed);
    } else {
        const qsizetype n = qsizetype(qMin<qint64>(piece.size(), m_bodyRemaining));
        if (n < piece.size())
            qWarning("UpstreamConnection::writeBody: more body than announced, excess dropped");
        writeOut(piece.first(n));
        m_bodyRemaining -= n;
        if (m_bodyRemaining == 0)
            m_bodyComplete = true;
    }
    updateTimer();
    const bool ok = canWriteBody();
    if (!ok)
        m_writeBlocked = true;
    return ok;
}

void UpstreamConnection::endBody()
{
    if (m_state != State::Busy || m_bodyComplete)
        return;
    if (m_bodyMode == UpstreamRequest::BodyMode::Length && m_bodyRemaining > 0) {
        failLater(UpstreamError::ProtocolError,
                  QStringLiteral("Request body ended %1 bytes short of its Content-Length")
                      .arg(m_bodyRemaining));
        return;
    }
    if (m_bodyMode == UpstreamRequest::BodyMode::Chunked)
        writeOut("0\r\n\r\n");
    m_bodyComplete = true;
    updateTimer();
}

void UpstreamConnection::pauseReading()
{
    if (m_paused)
        return;
    m_paused = true;
    updateTimer(); // a paused read is not the upstream's fault
}

void UpstreamConnection::resumeReading()
{
    if (!m_paused)
        return;
    m_paused = false;
    m_lastActivityMs = nowMs();
    updateTimer();
    // Queued: the rest of the last read, or an end of stream seen while paused, is
    // delivered from the event loop, not from inside the caller.
    scheduleRead();
}

void UpstreamConnection::abort()
{
    ++m_generation;
    m_timer->stop();
    m_pending.clear();
    closeSocket();
    if (m_state != State::Failed)
        m_state = State::Closed;
}

qint64 UpstreamConnection::requestBytesSent() const
{
    if (!m_socket)
        return m_queuedBytes;
    return qMax<qint64>(0, m_queuedBytes - m_socket->bytesToWrite());
}

qint64 UpstreamConnection::bufferedBytes() const
{
    qint64 bytes = m_pending.size();
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        bytes += ssl->bytesAvailable() + ssl->encryptedBytesAvailable();
    // An unbuffered socket's bytesAvailable() counts the kernel buffer: not our memory.
    return bytes;
}

qint64 UpstreamConnection::pendingOutput() const
{
    return m_outbox.size() + (m_socket ? m_socket->bytesToWrite() : 0);
}

bool UpstreamConnection::isReusable() const
{
    return m_state == State::Done && m_reusable && m_socket &&
           m_socket->state() == QAbstractSocket::ConnectedState;
}

void UpstreamConnection::makeIdle()
{
    if (!isReusable())
        return;
    ++m_generation;
    m_state = State::Idle;
    m_paused = false;
    m_timer->stop();
    // No read here for what may have arrived meanwhile (an unsolicited byte, the
    // upstream's FIN): the socket notifier reports it, and isAliveForReuse() peeks into
    // the kernel before the connection is handed out again. This saves a posted event
    // and a read syscall on every pooled request.
}

bool UpstreamConnection::isAliveForReuse()
{
    if (m_state != State::Idle || !m_socket ||
        m_socket->state() != QAbstractSocket::ConnectedState) {
        return false;
    }
    if (bufferedBytes() > 0)
        return false;
#ifdef Q_OS_UNIX
    // The upstream's FIN (or anything else) may sit in the kernel before we got the
    // notification: a closed or chatty idle connection must not be handed out.
    char probe;
    const auto n = ::recv(int(m_socket->socketDescriptor()), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n >= 0)
        return false;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
        return false;
#endif
    return true;
}

// Qt 6.4 unbuffered sockets only read after a readyRead (a read before it returns 0
// without touching the kernel) and re-arm the notifier on every read, so the reads
// outside readyRead (resume, scheduled continuation) can return 0 but never stall.
void UpstreamConnection::onReadyRead()
{
    if (m_paused || !m_socket)
        return;
    switch (m_state) {
    case State::Idle:
        handleIdleInput();
        return;
    case State::Done: {
        // Bytes or a FIN after a complete response: the connection is not reusable.
        char buffer[512];
        const qint64 n = m_socket->read(buffer, sizeof buffer);
        if (n != 0 || m_eof)
            m_reusable = false;
        return;
    }
    case State::Busy:
        break;
    default:
        return;
    }
    if (!m_connected)
        return;

    // First what is left of the last read (also lets the parser report a completion
    // that was held back by a pause).
    {
        const QByteArray pending = std::exchange(m_pending, QByteArray());
        if (!processInput(pending))
            return;
    }
    char buffer[ReadChunk];
    for (int i = 0; i < MaxReadsPerWakeup; ++i) {
        const qint64 n = m_socket->read(buffer, ReadChunk);
        if (n < 0) { // end of stream or error; an unbuffered socket reports both this way
            handleEndOfStream();
            return;
        }
        if (n == 0) {
            if (m_eof)
                handleEndOfStream();
            return;
        }
        m_lastActivityMs = nowMs();
        if (!processInput(QByteArrayView(buffer, n)))
            return;
    }
    // Read budget used up. A buffered (TLS) socket does not signal again for data it
    // already holds, so continue from the event loop.
    scheduleRead();
}

bool UpstreamConnection::stillCurrent(quint64 generation) const
{
    return m_generation == generation && m_state == State::Busy;
}

bool UpstreamConnection::processInput(QByteArrayView data)
{
    QPointer<UpstreamConnection> self(this);
    const quint64 generation = m_generation;
    qsizetype offset = 0;
    while (true) {
        const HttpResponseParser::Result result = m_parser.feed(data.sliced(offset));
        offset += result.consumed;
        switch (result.status) {
        case HttpResponseParser::Status::NeedMore:
            return true;
        case HttpResponseParser::Status::Error:
            fail(UpstreamError::ProtocolError, m_parser.errorMessage());
            return false;
        case HttpResponseParser::Status::MessageComplete:
            completeResponse(offset < data.size());
            return false;
        case HttpResponseParser::Status::Interim:
            emit informational(m_parser.statusCode(), m_parser.headers());
            break;
        case HttpResponseParser::Status::HeadComplete:
            emit responseHead(m_parser.statusCode(), m_parser.headers());
            break;
        case HttpResponseParser::Status::Body:
            emit responseBody(result.body);
            break;
        }
        if (!self || !stillCurrent(generation))
            return false;
        if (m_paused) {
            // Keep the rest (at most one read) for resumeReading().
            if (offset < data.size())
                m_pending = data.sliced(offset).toByteArray();
            return false;
        }
    }
}

void UpstreamConnection::handleEndOfStream()
{
    if (m_state != State::Busy)
        return;
    m_eof = true;
    if (m_parser.finish() == HttpResponseParser::Status::MessageComplete) {
        completeResponse(false); // close-delimited body: complete now
        return;
    }
    const bool before = m_parser.isIdle();
    QString message = before ? QStringLiteral("Upstream closed the connection before responding")
                             : QStringLiteral("Upstream closed the connection mid-response (%1)")
                                   .arg(m_parser.errorMessage());
    if (m_socket && m_socket->error() != QAbstractSocket::RemoteHostClosedError &&
        m_socket->error() != QAbstractSocket::UnknownSocketError) {
        message += QStringLiteral(": ") + m_socket->errorString();
    }
    fail(before ? UpstreamError::ClosedBeforeResponse : UpstreamError::ClosedMidResponse, message);
}

void UpstreamConnection::handleIdleInput()
{
    char probe[512];
    const qint64 n = m_socket->read(probe, sizeof probe);
    if (n == 0 && !m_eof)
        return; // e.g. a TLS record without application data
    // The upstream closed it, or sent bytes nobody asked for: either way it is done.
    ++m_generation;
    closeSocket();
    m_state = State::Closed;
    emit idleClosed();
}

void UpstreamConnection::completeResponse(bool extraBytes)
{
    m_state = State::Done;
    m_timer->stop();
    m_pending.clear();
    // Reusable only if nothing is left over on either side: an unfinished upload would
    // be read as the next request, unsolicited bytes as the next response.
    m_reusable = !extraBytes && !m_eof && m_parser.keepAlive() && m_requestKeepAlive &&
                 m_bodyComplete && m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
    if (!m_reusable)
        closeSocket();
    emit responseComplete();
}

void UpstreamConnection::onBytesWritten()
{
    m_lastActivityMs = nowMs();
    if (m_writeBlocked && pendingOutput() < WriteLowWater) {
        m_writeBlocked = false;
        if (m_state == State::Busy)
            emit writeBufferDrained();
    }
}

void UpstreamConnection::onSocketError(QAbstractSocket::SocketError socketError)
{
    // May be emitted from inside a socket call of ours: handle it from the event loop.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation, socketError] {
            if (m_generation != generation || !m_socket)
                return;
            if (m_state == State::Idle) {
                m_eof = true;
                handleIdleInput();
                return;
            }
            if (m_state == State::Done) {
                m_reusable = false;
                return;
            }
            if (m_state != State::Busy)
                return;
            if (!m_connected) {
                if (m_origin.tls && (isTlsSocketError(socketError) || !m_tlsErrors.isEmpty())) {
                    fail(UpstreamError::TlsError,
                         QStringLiteral("TLS handshake with %1:%2 failed: %3")
                             .arg(m_origin.host)
                             .arg(m_origin.port)
                             .arg(m_tlsErrors.isEmpty() ? m_socket->errorString() : m_tlsErrors));
                } else {
                    fail(UpstreamError::ConnectFailed, QStringLiteral("Cannot connect to %1:%2: %3")
                                                           .arg(m_origin.host)
                                                           .arg(m_origin.port)
                                                           .arg(m_socket->errorString()));
                }
                return;
            }
            if (isTlsSocketError(socketError)) {
                fail(UpstreamError::TlsError, m_socket->errorString());
                return;
            }
            // Closed or reset: deliver what is still readable first, then the verdict.
            m_eof = true;
            if (!m_paused)
                onReadyRead();
        },
        Qt::QueuedConnection);
}

void UpstreamConnection::onDisconnected()
{
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (m_generation != generation || !m_socket)
                return;
            m_eof = true;
            if (m_state == State::Idle)
                handleIdleInput();
            else if (m_state == State::Done)
                m_reusable = false;
            else if (m_state == State::Busy && m_connected && !m_paused)
                onReadyRead();
            else if (m_state == State::Busy && !m_connected)
                fail(UpstreamError::ConnectFailed,
                     QStringLiteral("Connection closed while connecting"));
        },
        Qt::QueuedConnection);
}

qint64 UpstreamConnection::timerDeadline(UpstreamError *kind) const
{
    if (m_state != State::Busy)
        return -1;
    if (!m_connected) {
        *kind = UpstreamError::ConnectTimeout;
        return m_connectTimeoutMs > 0 ? m_connectStartMs + m_connectTimeoutMs : -1;
    }
    if (m_paused || m_readTimeoutMs <= 0)
        return -1;
    // The upstream owes us progress once it has the whole request, or while it has
    // bytes of ours to take, or once it started answering.
    if (m_bodyComplete || pendingOutput() > 0 || responseStarted()) {
        *kind = UpstreamError::ReadTimeout;
        return m_lastActivityMs + m_readTimeoutMs;
    }
    return -1; // waiting for the caller's body
}

void UpstreamConnection::updateTimer()
{
    UpstreamError kind;
    const qint64 deadline = timerDeadline(&kind);
    if (deadline < 0) {
        m_timer->stop();
        m_timerDeadlineMs = -1;
        return;
    }
    // An earlier timer is fine: it re-arms itself for the rest (no restart per read).
    if (m_timer->isActive() && m_timerDeadlineMs <= deadline)
        return;
    m_timerDeadlineMs = deadline;
    m_timer->start(int(qMax<qint64>(0, deadline - nowMs())));
}

void UpstreamConnection::onTimer()
{
    UpstreamError kind = UpstreamError::ReadTimeout;
    const qint64 deadline = timerDeadline(&kind);
    m_timerDeadlineMs = -1;
    if (deadline < 0)
        return;
    const qint64 now = nowMs();
    if (now < deadline) {
        m_timerDeadlineMs = deadline;
        m_timer->start(int(deadline - now));
        return;
    }
    if (kind == UpstreamError::ConnectTimeout) {
        fail(kind, QStringLiteral("Connecting to %1:%2 timed out after %3 ms")
                       .arg(m_origin.host)
                       .arg(m_origin.port)
                       .arg(m_connectTimeoutMs));
    } else {
        fail(kind, QStringLiteral("Upstream %1:%2 sent nothing for %3 ms")
                       .arg(m_origin.host)
                       .arg(m_origin.port)
                       .arg(m_readTimeoutMs));
    }
}

void UpstreamConnection::scheduleRead()
{
    if (m_readScheduled)
        return;
    m_readScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_readScheduled = false;
            onReadyRead();
        },
        Qt::QueuedConnection);
}

void UpstreamConnection::fail(UpstreamError error, const QString &message)
{
    if (m_state == State::Failed || m_state == State::Closed)
        return;
    ++m_generation;
    m_state = State::Failed;
    m_error = error;
    m_errorMessage = message;
    m_timer->stop();
    m_pending.clear();
    m_outbox.clear();
    closeSocket();
    emit failed(error, message);
}

void UpstreamConnection::failLater(UpstreamError error, const QString &message)
{
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation, error, message] {
            if (m_generation == generation)
                fail(error, message);
        },
        Qt::QueuedConnection);
}

void UpstreamConnection::closeSocket()
{
    if (!m_socket)
        return;
    m_queuedBytes = requestBytesSent(); // keep the answer once the socket is gone
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater(); // we may be inside one of its signals
    m_socket = nullptr;
    m_connected = false;
}

} // namespace gh
