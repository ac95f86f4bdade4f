#include "HttpConnection.h"

#include "HttpResponse.h"
#include "HttpServerContext.h"

#include <QDateTime>
#include <QLocale>
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

HttpConnection::HttpConnection(std::shared_ptr<HttpServerContext> context, QObject *parent)
    : QObject(parent)
    , m_context(std::move(context))
    , m_parser({m_context->options.maxBodyBytes, m_context->options.maxHeaderBytes,
                m_context->options.maxHeaderCount})
{}

HttpConnection::~HttpConnection()
{
    // Destroyed with its worker: no signals back into a half-destroyed owner.
    if (m_socket)
        m_socket->disconnect(this);
}

qint64 HttpConnection::monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool HttpConnection::open(qintptr descriptor)
{
    m_socket = new QTcpSocket(this);
    // Unbuffered: we read straight into the parser; no second copy in QIODevice.
    if (!m_socket->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState,
                                       QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        return false;
    }
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peerAddress = m_socket->peerAddress();
    m_peerPort = m_socket->peerPort();
    m_lastActivityMs = monotonicMs();
    m_headStartMs = m_lastActivityMs;

    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpConnection::finish);
    return true;
}

bool HttpConnection::isIdle() const
{
    return m_phase == Phase::Open && !m_paused && m_pending.isEmpty() && m_parser.isIdle();
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
        } else if (m_parser.isIdle() && m_served > 0) {
            if (nowMs - m_lastActivityMs > options.idleTimeoutMs)
                beginClose(); // idle keep-alive: close silently
        } else if (!m_parser.isHeadComplete()) {
            if (m_headStartMs >= 0 && nowMs - m_headStartMs > options.headerTimeoutMs)
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
}

void HttpConnection::onBytesWritten()
{
    m_lastActivityMs = monotonicMs();
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

    qsizetype offset = 0;
    while (m_phase == Phase::Open && !m_paused) {
        const HttpRequestParser::Result result = m_parser.feed(input.sliced(offset));
        offset += result.consumed;
        if (result.status == HttpRequestParser::Status::NeedMore)
            break;
        if (result.status == HttpRequestParser::Status::Error) {
            sendError(m_parser.errorStatus(), m_parser.errorMessage());
            break;
        }
        if (result.status == HttpRequestParser::Status::HeadComplete) {
            // Ask for the body unless the client has already started sending it.
            if (m_parser.expectsContinue() && offset == input.size())
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            continue;
        }
        handleRequest();
    }

    if (m_phase != Phase::Open)
        return;
    if (offset < input.size())
        m_pending = input.sliced(offset).toByteArray();
    if (m_parser.isHeadComplete())
        m_headStartMs = -1;
    else if (!m_parser.isIdle() && m_headStartMs < 0)
        m_headStartMs = monotonicMs();
}

void HttpConnection::handleRequest()
{
    HttpRequest request = m_parser.takeRequest();
    const bool keepAlive = m_parser.keepAlive();
    m_parser.reset();
    m_headStartMs = -1;
    request.peerAddress = m_peerAddress;
    request.peerPort = m_peerPort;

    HttpResponse response;
    if (!m_context->handler) {
        response = HttpResponse::error(404, QStringLiteral("Not found"));
    } else {
        try {
            response = m_context->handler(request);
        } catch (const std::exception &e) {
            qWarning("HTTP handler threw for %s %s: %s", request.method.constData(),
                     request.path.constData(), e.what());
            response = HttpResponse::error(500, QStringLiteral("Internal server error"));
        } catch (...) {
            qWarning("HTTP handler threw for %s %s", request.method.constData(),
                     request.path.constData());
            response = HttpResponse::error(500, QStringLiteral("Internal server error"));
        }
    }
    ++m_served;
    m_context->requestsServed.fetch_add(1, std::memory_order_relaxed);
    if (m_phase != Phase::Open)
        return; // the client went away while the handler ran

    // Checked after the handler: a shutdown that began meanwhile closes this connection.
    const bool close = !keepAlive || m_context->shuttingDown.load(std::memory_order_relaxed) ||
                       response.headers.hasToken("connection", "close");
    writeResponse(response, request.method == "HEAD", close, request.versionMinor);
    if (close)
        beginClose();
    else if (m_socket->bytesToWrite() > MaxPendingOutput)
        m_paused = true;
}

void HttpConnection::sendError(int status, const QString &message)
{
    if (m_phase != Phase::Open)
        return;
    writeResponse(HttpResponse::error(status, message), false, true, 1);
    beginClose();
}

void HttpConnection::writeResponse(const HttpResponse &response, bool headRequest, bool close,
                                   int versionMinor)
{
    const int status = response.status;
    // RFC 9110 §6.4.1: these never carry content (and 1xx/204 no Content-Length).
    const bool noContent = (status >= 100 && status < 200) || status == 204 || status == 304;
    const bool sendBody = !noContent && !headRequest;

    QByteArray out;
    out.reserve(256 + (sendBody ? response.body.size() : 0));
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\nDate: ";
    out += httpDate();
    out += "\r\n";
    const QByteArray &serverName = m_context->options.serverName;
    if (!serverName.isEmpty() && !response.headers.contains("server")) {
        out += "Server: ";
        out += serverName;
        out += "\r\n";
    }
    for (const HttpHeaders::Entry &header : response.headers.entries()) {
        if (isFramingHeader(header.first))
            continue;
        out += header.first;
        out += ": ";
        out += header.second;
        out += "\r\n";
    }
    if (status >= 200 && status != 204) {
        out += "Content-Length: ";
        out += QByteArray::number(response.body.size());
        out += "\r\n";
    }
    if (close)
        out += "Connection: close\r\n";
    else if (versionMinor == 0)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    if (sendBody)
        out += response.body;
    m_socket->write(out);
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
    emit closed();
}

} // namespace gh
