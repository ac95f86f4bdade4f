#include "HttpConnection.h"

#include "HttpExchange.h"
#include "HttpExchangeHandler.h"
#include "HttpResponse.h"
#include "HttpServerContext.h"

#include <QDateTime>
#include <QLocale>
#include <QSslSocket>
#include <QTcpSocket>

#include <chrono>
#include <exception>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace gh {

namespace {

// Stop parsing further (pipelined) requests while this much output is still unsent,
// so a client that never reads cannot make us buffer without bound.
constexpr qint64 MaxPendingOutput = 1024 * 1024;
// A streamed response body: writeBody() says "stop" above the high mark and writable()
// follows below the low one, so a slow client holds at most this much of it in memory.
constexpr qint64 ResponseHighWater = 256 * 1024;
constexpr qint64 ResponseLowWater = 64 * 1024;
// After our last response: how long to drain what the client is still sending.
constexpr qint64 LingerMs = 2000;
constexpr qint64 ReadChunk = 16 * 1024;
// Reads per readyRead, so one fast client cannot starve the others on this thread.
constexpr int MaxReadsPerWakeup = 16;

// "Date:" value, formatted at most once a second per thread.
QByteArray httpDate()
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 second = now.toSecsSinceEpoch();
    if (second != cachedSecond) {
        cachedSecond = second;
        cached = QLocale::c()
                     .toString(now, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                     .toLatin1();
    }
    return cached;
}

bool isFramingHeader(const QByteArray &name)
{
    return name.compare("content-length", Qt::CaseInsensitive) == 0 ||
           name.compare("transfer-encoding", Qt::CaseInsensitive) == 0 ||
           name.compare("connection", Qt::CaseInsensitive) == 0 ||
           name.compare("keep-alive", Qt::CaseInsensitive) == 0;
}

} // namespace

HttpConnection::HttpConnection(std::shared_ptr<HttpServerContext> context,
                               HttpExchangeHandler *handler, QObject *parent)
    : QObject(parent)
    , m_context(std::move(context))
    , m_handler(handler)
    , m_parser({m_context->options.maxBodyBytes, m_context->options.maxHeaderBytes,
                m_context->options.maxHeaderCount})
{}

HttpConnection::~HttpConnection()
{
    // Destroyed with its worker: no signals back into a half-destroyed owner.
    if (m_socket)
        m_socket->disconnect(this);
    if (m_exchange) {
        m_exchange->detach();
        m_handler->exchangeFinished(m_exchange);
        delete m_exchange;
    }
}

qint64 HttpConnection::monotonicNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

qint64 HttpConnection::monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool HttpConnection::open(qintptr descriptor)
{
    const QSslConfiguration &tls = m_context->options.tls;
    if (!tls.isNull()) {
        // TLS: QSslSocket decrypts into its own buffer (capped below like the plain one),
        // so it is opened buffered; readyRead only ever delivers decrypted bytes.
        m_tlsSocket = new QSslSocket(this);
        m_tlsSocket->setSslConfiguration(tls);
        m_socket = m_tlsSocket;
        if (!m_socket->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState,
                                           QIODevice::ReadWrite))
            return false;
        // A failed handshake (old protocol, plain HTTP, no shared cipher) is an
        // errorOccurred: the connection closes without an answer.
        m_tlsSocket->startServerEncryption();
    } else {
        m_socket = new QTcpSocket(this);
        // Unbuffered: we read straight into the parser; no second copy in QIODevice.
        if (!m_socket->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState,
                                           QIODevice::ReadWrite | QIODevice::Unbuffered)) {
            return false;
        }
    }
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Qt 6.4 still fills its own read buffer on an "unbuffered" socket, and by default
    // without bound: an upload to a paused upstream would pile up here. Capped, Qt stops
    // reading the kernel once it is full and TCP flow control slows the client down.
    m_socket->setReadBufferSize(4 * ReadChunk);
    m_peerAddress = m_socket->peerAddress();
    m_peerPort = m_socket->peerPort();
    m_lastActivityMs = monotonicMs();
    m_headStartMs = m_lastActivityMs;

    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    if (m_tlsSocket) {
        connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpConnection::onTlsError);
    } else {
        connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpConnection::finish);
    }
    return true;
}

void HttpConnection::onTlsError()
{
    if (m_tlsSocket->isEncrypted()) {
        finish();
        return;
    }
    // A refused handshake (TLS 1.1, plain HTTP): OpenSSL's fatal alert is queued after
    // this signal; abort one turn later so the client learns why (protocol_version).
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_phase != Phase::Closed)
                m_socket->flush();
            finish();
        },
        Qt::QueuedConnection);
}

bool HttpConnection::isIdle() const
{
    return m_phase == Phase::Open && !m_exchange && !m_paused && m_pending.isEmpty()
           && m_parser.isIdle();
}

void HttpConnection::closeIfIdle()
{
    if (!isIdle())
        return;
#ifdef Q_OS_UNIX
    // A request may already sit in the kernel with its readyRead not delivered yet: it
    // counts as in flight, not idle.
    char probe;
    if (::recv(int(m_socket->socketDescriptor()), &probe, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
        return;
#endif
    beginClose();
}

void HttpConnection::abort()
{
    finish();
}

void HttpConnection::checkTimeouts(qint64 nowMs)
{
    const HttpServer::Options &options = m_context->options;
    switch (m_phase) {
    case Phase::Open:
        if (m_socket->bytesToWrite() > 0 && nowMs - m_lastActivityMs > options.idleTimeoutMs) {
            finish(); // the client stopped reading
        } else if (m_exchange) {
            // Waiting for the handler (an upstream has its own timeouts) or for a body the
            // handler paused: only a client that stalls its body is timed out here.
            if (!m_requestComplete && !m_exchange->m_bodyPaused
                && nowMs - m_lastActivityMs > options.idleTimeoutMs) {
                if (m_exchange->m_responseStarted)
                    exchangeAbort();
                else
                    exchangeRespond(HttpResponse::error(408, QStringLiteral("Request body not received in time")));
            }
        } else if (m_parser.isIdle() && m_served > 0) {
            if (nowMs - m_lastActivityMs > options.idleTimeoutMs)
                beginClose(); // idle keep-alive: close silently
        } else if (!m_parser.isHeadComplete()) {
            if (m_headStartMs < 0 || nowMs - m_headStartMs <= options.headerTimeoutMs)
                break;
            if (m_tlsSocket && !m_tlsSocket->isEncrypted())
                finish(); // handshake not done in time: nobody to answer in HTTP
            else
                sendError(408, QStringLiteral("Request header not received in time"));
        } else if (nowMs - m_lastActivityMs > options.idleTimeoutMs) {
            sendError(408, QStringLiteral("Request body not received in time"));
        }
        break;
    case Phase::Closing:
        if (nowMs - m_lastActivityMs > options.idleTimeoutMs)
            finish();
        break;
    case Phase::Lingering:
        if (nowMs > m_lingerDeadlineMs)
            finish();
        break;
    case Phase::Closed:
        break;
    }
}

// Qt 6.4 unbuffered sockets only read after a readyRead (a read before it returns 0
// without touching the kernel) and re-arm the notifier on every read; so the reads
// outside readyRead below (resume, linger) can return 0 but never stall.
void HttpConnection::onReadyRead()
{
    if (m_paused || m_phase == Phase::Closed || m_phase == Phase::Closing)
        return;
    char buffer[ReadChunk];
    for (int i = 0; i < MaxReadsPerWakeup; ++i) {
        const qint64 n = m_socket->read(buffer, ReadChunk);
        if (n < 0) { // end of stream or error; an unbuffered socket reports both this way
            finish();
            return;
        }
        if (n == 0)
            return;
        m_lastActivityMs = monotonicMs();
        if (m_phase == Phase::Lingering)
            continue; // discarded: we only wait for the client's end of stream
        processInput(QByteArrayView(buffer, n));
        if (m_paused || m_phase != Phase::Open || n < ReadChunk)
            return;
    }
    // Read budget used up with more waiting: go on from the event loop. An unbuffered
    // Qt 6.4 socket was seen not to signal again for bytes already in the kernel, so
    // without this an upload stalls until the client sends something new.
    if (!m_readScheduled) {
        m_readScheduled = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_readScheduled = false;
                onReadyRead();
            },
            Qt::QueuedConnection);
    }
}

void HttpConnection::onBytesWritten()
{
    m_lastActivityMs = monotonicMs();
    if (m_exchange && m_exchange->m_waitingWritable && m_socket->bytesToWrite() < ResponseLowWater) {
        m_exchange->m_waitingWritable = false;
        Q_EMIT m_exchange->writable();
        if (m_phase == Phase::Closed)
            return;
    }
    if (m_phase == Phase::Closing && m_socket->bytesToWrite() == 0) {
        halfClose();
    } else if (m_paused && m_socket->bytesToWrite() < MaxPendingOutput / 2) {
        m_paused = false;
        processInput({});
        if (m_phase == Phase::Open && !m_paused)
            onReadyRead();
    }
}

void HttpConnection::processInput(QByteArrayView data)
{
    QByteArray owned;
    QByteArrayView input = data;
    if (!m_pending.isEmpty()) {
        owned = std::move(m_pending);
        m_pending.clear();
        owned.append(data);
        input = owned;
    }

    m_inInput = true;
    qsizetype offset = 0;
    while (m_phase == Phase::Open && !m_paused) {
        // One request at a time: the next one is parsed once this response has ended.
        if (m_exchange && (m_requestComplete || m_exchange->m_bodyPaused))
            break;
        const HttpRequestParser::Result result = m_parser.feed(input.sliced(offset));
        offset += result.consumed;
        if (result.status == HttpRequestParser::Status::NeedMore)
            break;
        if (result.status == HttpRequestParser::Status::Error) {
            if (m_exchange && m_exchange->m_finished)
                break; // answered already (a route's 413): finishExchange() closes
            if (m_exchange && m_exchange->m_responseStarted) {
                exchangeAbort();
            } else {
                HttpHeaders extra;
                if (m_exchange) { // the log shows this answer, not a vanished client
                    m_exchange->m_edgeError = m_parser.errorMessage();
                    m_exchange->noteResponseHead(m_parser.errorStatus(), {}, monotonicNs());
                    extra = m_exchange->m_errorHeaders;
                }
                sendError(m_parser.errorStatus(), m_parser.errorMessage(), extra);
            }
            break;
        }
        if (result.status == HttpRequestParser::Status::HeadComplete) {
            startExchange();
            // Ask for the body unless the client has already started sending it or the
            // handler has answered already.
            if (m_exchange && !m_exchange->m_responseStarted && m_parser.expectsContinue()
                && offset == input.size())
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            continue;
        }
        // MessageComplete
        m_requestComplete = true;
        if (m_exchange) {
            m_exchange->deliverBodyEnd();
        } else {
            // Answered before its body ended; the body was discarded, and we stay in sync.
            m_parser.reset();
            m_requestComplete = false;
        }
    }
    m_inInput = false;

    if (m_phase != Phase::Open)
        return;
    if (offset < input.size()) {
        m_pending = input.sliced(offset).toByteArray();
        // A client pipelining while we wait must not make us buffer without bound.
        if (m_pending.size() > MaxPendingOutput)
            m_paused = true;
    }
    if (m_exchange && m_exchange->m_finished)
        finishExchange();
    else if (m_parser.isHeadComplete())
        m_headStartMs = -1;
    else if (!m_parser.isIdle() && m_headStartMs < 0)
        m_headStartMs = monotonicMs();
}

void HttpConnection::startExchange()
{
    HttpRequest request = m_parser.takeRequest();
    request.peerAddress = m_peerAddress;
    request.peerPort = m_peerPort;
    request.secure = m_tlsSocket != nullptr;
    m_requestKeepAlive = m_parser.keepAlive();
    m_requestVersionMinor = request.versionMinor;
    m_requestComplete = false;
    m_headStartMs = -1;
    const bool hasBody = m_parser.isChunked() || m_parser.contentLength() > 0;
    m_exchange = new HttpExchange(
        this, std::move(request), hasBody,
        m_parser.isChunked() ? -1 : qMax<qint64>(0, m_parser.contentLength()), monotonicNs());
    m_parser.setBodySink([this](QByteArrayView bytes) {
        if (m_exchange)
            m_exchange->deliverBody(bytes);
    });
    ++m_served;
    m_context->requestsServed.fetch_add(1, std::memory_order_relaxed);
    try {
        m_handler->handle(m_exchange);
    } catch (const std::exception &e) {
        qWarning("HTTP handler threw for %s %s: %s", m_exchange->request().method.constData(),
                 m_exchange->request().path.constData(), e.what());
        if (!m_exchange->m_responseStarted)
            exchangeRespond(HttpResponse::error(500, QStringLiteral("Internal server error")));
        else
            exchangeAbort();
    }
}

// The response has ended (or the client is gone): release the exchange and go on with
// the next request, if the connection stays open.
void HttpConnection::finishExchange()
{
    HttpExchange *exchange = std::exchange(m_exchange, nullptr);
    if (!exchange)
        return;
    exchange->detach();
    m_handler->exchangeFinished(exchange);
    exchange->deleteLater();
    if (m_phase != Phase::Open)
        return;
    if (m_closeAfterResponse) {
        beginClose();
        return;
    }
    if (m_requestComplete) {
        m_parser.reset();
        m_requestComplete = false;
    } else {
        // Answered before the body arrived: keep parsing, throwing the body away.
        m_parser.setBodySink([](QByteArrayView) {});
    }
    if (m_socket->bytesToWrite() > MaxPendingOutput)
        m_paused = true;
    if (!m_inInput)
        resumeInput();
}

void HttpConnection::resumeInput()
{
    if (m_phase != Phase::Open)
        return;
    // Output permitting, go on: processInput() consumes m_pending, and pauses again
    // itself if too much of it is still left over. (Waiting for m_pending to shrink
    // first would wait forever: nothing else consumes it.)
    if (m_paused && m_socket->bytesToWrite() < MaxPendingOutput / 2)
        m_paused = false;
    if (m_paused)
        return;
    processInput({});
    if (m_phase == Phase::Open && !m_paused && !(m_exchange && m_exchange->m_bodyPaused))
        onReadyRead();
}

bool HttpConnection::exchangeSetBodyLimit(qint64 limit)
{
    if (m_parser.setBodyLimit(limit))
        return true;
    m_exchange->m_edgeError = m_parser.errorMessage();
    HttpResponse response = HttpResponse::error(m_parser.errorStatus(), m_parser.errorMessage());
    for (const HttpHeaders::Entry &entry : m_exchange->m_errorHeaders.entries())
        response.headers.set(entry.first, entry.second);
    exchangeRespond(response);
    return false;
}

void HttpConnection::exchangePauseBody()
{
    m_exchange->m_bodyPaused = true;
}

void HttpConnection::exchangeResumeBody()
{
    m_exchange->m_bodyPaused = false;
    if (!m_inInput) {
        QMetaObject::invokeMethod(this, &HttpConnection::resumeInput, Qt::QueuedConnection);
    }
}

void HttpConnection::exchangeRespond(const HttpResponse &response)
{
    const bool headRequest = m_exchange->request().method == "HEAD";
    const int status = response.status;
    // RFC 9110 §6.4.1: these never carry content (and 1xx/204 no Content-Length).
    const bool noContent = (status >= 100 && status < 200) || status == 204 || status == 304;
    // Answered before the request body ended (401, 413): the client usually stops sending,
    // so the connection cannot be reused safely — close it.
    const bool close = !m_requestKeepAlive || (!m_requestComplete && m_exchange->m_hasBody)
                       || m_context->shuttingDown.load(std::memory_order_relaxed)
                       || response.headers.hasToken("connection", "close");
    m_closeAfterResponse = close;
    QByteArray out = responseHead(status, response.headers, response.body.size(), false, close);
    m_exchange->noteResponseHead(status, response.headers, monotonicNs());
    if (!noContent && !headRequest) {
        out += response.body;
        m_exchange->noteResponseBody(response.body);
    }
    m_socket->write(out);
    m_socket->flush(); // see exchangeEnd()
    m_lastActivityMs = monotonicMs();
    m_exchange->m_responseStarted = true;
    m_exchange->m_finished = true;
    if (!m_inInput)
        finishExchange();
}

void HttpConnection::exchangeStartResponse(int status, const HttpHeaders &headers, qint64 contentLength)
{
    const bool headRequest = m_exchange->request().method == "HEAD";
    const bool noContent = (status >= 100 && status < 200) || status == 204 || status == 304;
    m_responseHasBody = !noContent && !headRequest;
    m_responseChunked = m_responseHasBody && contentLength < 0 && m_requestVersionMinor >= 1;
    // An HTTP/1.0 client without a length can only learn the end from the close.
    const bool closeDelimited = m_responseHasBody && contentLength < 0 && !m_responseChunked;
    m_closeAfterResponse = !m_requestKeepAlive || closeDelimited
                           || m_context->shuttingDown.load(std::memory_order_relaxed)
                           || headers.hasToken("connection", "close");
    m_socket->write(responseHead(status, headers, contentLength, m_responseChunked, m_closeAfterResponse));
    m_exchange->noteResponseHead(status, headers, monotonicNs());
    m_lastActivityMs = monotonicMs();
    m_exchange->m_responseStarted = true;
}

bool HttpConnection::exchangeWrite(QByteArrayView data)
{
    if (m_responseHasBody && !data.isEmpty()) {
        m_exchange->noteResponseBody(data);
        if (m_responseChunked) {
            QByteArray frame = QByteArray::number(data.size(), 16);
            frame += "\r\n";
            frame += data;
            frame += "\r\n";
            m_socket->write(frame);
        } else {
            m_socket->write(data.data(), data.size());
        }
    }
    const bool below = m_socket->bytesToWrite() < ResponseHighWater;
    if (!below)
        m_exchange->m_waitingWritable = true;
    return below;
}

void HttpConnection::exchangeEnd()
{
    if (m_responseChunked)
        m_socket->write("0\r\n\r\n");
    // Send now rather than one event-loop turn later (QAbstractSocket buffers writes even
    // on an unbuffered socket): saves a poll round and the write-notifier toggling.
    m_socket->flush();
    m_exchange->m_finished = true;
    if (!m_inInput)
        finishExchange();
}

void HttpConnection::exchangeAbort()
{
    // No terminating chunk, no more bytes: the client must see the transfer as broken.
    if (m_exchange) {
        m_exchange->m_finished = true;
        m_exchange->m_aborted = true;
    }
    // But what was relayed so far goes out first (as far as the kernel takes it without
    // blocking): finish() aborts the socket, which drops Qt's unsent buffer, and the
    // client would get a bare close instead of the truncated response.
    if (m_phase == Phase::Open)
        m_socket->flush();
    finish();
}

void HttpConnection::sendError(int status, const QString &message, const HttpHeaders &extra)
{
    if (m_phase != Phase::Open)
        return;
    HttpResponse response = HttpResponse::error(status, message);
    for (const HttpHeaders::Entry &entry : extra.entries())
        response.headers.set(entry.first, entry.second);
    m_socket->write(responseHead(status, response.headers, response.body.size(), false, true)
                    + response.body);
    beginClose();
}

// contentLength >= 0 sends Content-Length; -1 none (chunked or close-delimited).
QByteArray HttpConnection::responseHead(int status, const HttpHeaders &headers, qint64 contentLength,
                                        bool chunked, bool close) const
{
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\n";
    if (!headers.contains("date")) { // a proxied response keeps its origin's Date
        out += "Date: ";
        out += httpDate();
        out += "\r\n";
    }
    const QByteArray &serverName = m_context->options.serverName;
    if (!serverName.isEmpty() && !headers.contains("server")) {
        out += "Server: ";
        out += serverName;
        out += "\r\n";
    }
    for (const HttpHeaders::Entry &header : headers.entries()) {
        if (isFramingHeader(header.first))
            continue;
        out += header.first;
        out += ": ";
        out += header.second;
        out += "\r\n";
    }
    if (status >= 200 && status != 204 && contentLength >= 0) {
        out += "Content-Length: ";
        out += QByteArray::number(contentLength);
        out += "\r\n";
    }
    if (chunked)
        out += "Transfer-Encoding: chunked\r\n";
    if (close)
        out += "Connection: close\r\n";
    else if (m_requestVersionMinor == 0)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    return out;
}

void HttpConnection::beginClose()
{
    if (m_phase != Phase::Open)
        return;
    m_phase = Phase::Closing;
    m_pending.clear();
    m_lastActivityMs = monotonicMs();
    if (m_socket->bytesToWrite() == 0)
        halfClose();
}

// Send FIN but keep reading: closing with unread input would make the kernel send RST,
// which can destroy our last response before the client has read it (e.g. after a 413
// whose body the client is still sending).
void HttpConnection::halfClose()
{
    if (m_phase != Phase::Closing)
        return;
    m_phase = Phase::Lingering;
    m_lingerDeadlineMs = monotonicMs() + LingerMs;
#ifdef Q_OS_UNIX
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    onReadyRead();
#else
    finish();
#endif
}

void HttpConnection::finish()
{
    if (m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closed;
    m_pending.clear();
    m_socket->disconnect(this);
    m_socket->abort();
    if (HttpExchange *exchange = std::exchange(m_exchange, nullptr)) {
        const bool unanswered = !exchange->m_finished;
        exchange->detach();
        if (unanswered)
            Q_EMIT exchange->clientClosed();
        m_handler->exchangeFinished(exchange);
        exchange->deleteLater();
    }
    emit closed();
}

} // namespace gh
