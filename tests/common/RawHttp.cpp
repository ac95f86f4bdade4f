#include "RawHttp.h"

#include <QDeadlineTimer>
#include <QUrl>

namespace gh::test {

namespace {

constexpr qsizetype MaxHeadBytes = 256 * 1024;

} // namespace

QByteArray RawResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

int RawResponse::headerCount(const QByteArray &name) const
{
    int count = 0;
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            ++count;
    }
    return count;
}

bool ResponseReader::parseHead(const QByteArray &head)
{
    m_current = RawResponse();
    m_current.head = head;
    m_bodyBytes = 0;
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty())
        return false;
    const QByteArray statusLine = lines.first().trimmed();
    if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12)
        return false;
    bool ok = false;
    m_current.status = statusLine.mid(9, 3).toInt(&ok);
    if (!ok)
        return false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        m_current.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    m_current.chunked = m_current.header("transfer-encoding").toLower().contains("chunked");
    if (!m_current.chunked && m_current.headerCount("content-length") > 0) {
        m_current.contentLength = m_current.header("content-length").toLongLong(&ok);
        if (!ok || m_current.contentLength < 0)
            return false;
    }
    return true;
}

void ResponseReader::appendBody(QByteArrayView data)
{
    m_bodyBytes += data.size();
    if (!m_discard)
        m_current.body.append(data);
}

void ResponseReader::complete()
{
    m_current.complete = true;
    m_done.append(std::exchange(m_current, RawResponse()));
    m_state = State::Head;
    m_headRequest = false;
}

bool ResponseReader::feed(QByteArrayView data)
{
    if (m_failed)
        return false;
    m_buffer.append(data);
    while (true) {
        switch (m_state) {
        case State::Head: {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.size() > MaxHeadBytes)
                    m_failed = true;
                return !m_failed;
            }
            const QByteArray head = m_buffer.left(end + 2);
            m_buffer.remove(0, end + 4);
            if (!parseHead(head)) {
                m_failed = true;
                return false;
            }
            const int status = m_current.status;
            if (status >= 100 && status < 200) {
                m_current = RawResponse(); // informational: the real one follows
                continue;
            }
            if (m_headRequest || status == 204 || status == 304) {
                complete();
            } else if (m_current.chunked) {
                m_state = State::ChunkSize;
            } else if (m_current.contentLength >= 0) {
                m_remaining = m_current.contentLength;
                m_state = State::Length;
                if (m_remaining == 0)
                    complete();
            } else {
                m_state = State::UntilClose;
            }
            continue;
        }
        case State::Length: {
            const qsizetype n = qMin<qsizetype>(m_remaining, m_buffer.size());
            appendBody(QByteArrayView(m_buffer).first(n));
            m_buffer.remove(0, n);
            m_remaining -= n;
            if (m_remaining > 0)
                return true;
            complete();
            continue;
        }
        case State::ChunkSize: {
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0)
                return true;
            QByteArray line = m_buffer.left(end);
            m_buffer.remove(0, end + 2);
            const qsizetype semicolon = line.indexOf(';');
            if (semicolon >= 0)
                line.truncate(semicolon);
            bool ok = false;
            m_remaining = line.trimmed().toLongLong(&ok, 16);
            if (!ok || m_remaining < 0) {
                m_failed = true;
                return false;
            }
            m_state = m_remaining == 0 ? State::Trailers : State::ChunkData;
            continue;
        }
        case State::ChunkData: {
            const qsizetype n = qMin<qsizetype>(m_remaining, m_buffer.size());
            appendBody(QByteArrayView(m_buffer).first(n));
            m_buffer.remove(0, n);
            m_remaining -= n;
            if (m_remaining > 0)
                return true;
            m_state = State::ChunkDataEnd;
            continue;
        }
        case State::ChunkDataEnd:
            if (m_buffer.size() < 2)
                return true;
            if (!m_buffer.startsWith("\r\n")) {
                m_failed = true;
                return false;
            }
            m_buffer.remove(0, 2);
            m_state = State::ChunkSize;
            continue;
        case State::Trailers: {
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0)
                return true;
            m_buffer.remove(0, end + 2);
            if (end == 0)
                complete();
            continue;
        }
        case State::UntilClose:
            appendBody(m_buffer);
            m_buffer.clear();
            return true;
        }
    }
}

void ResponseReader::finishStream()
{
    if (m_state == State::UntilClose)
        complete();
}

bool RawConnection::connectTo(const QString &url, int timeoutMs)
{
    const QUrl parsed(url);
    m_socket.connectToHost(parsed.host(), quint16(parsed.port(80)));
    return m_socket.waitForConnected(timeoutMs);
}

bool RawConnection::send(const QByteArray &bytes, int timeoutMs)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState)
        return false;
    m_socket.write(bytes);
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.bytesToWrite() > 0 && !deadline.hasExpired()) {
        if (!m_socket.waitForBytesWritten(int(qMax<qint64>(1, deadline.remainingTime()))))
            break;
    }
    return m_socket.bytesToWrite() == 0;
}

RawResponse RawConnection::read(int timeoutMs, bool headRequest, bool *ok)
{
    if (!m_reader.inResponse())
        m_reader.expectHead(headRequest);
    QDeadlineTimer deadline(timeoutMs);
    while (!m_reader.hasResponse() && !m_reader.failed() && !m_eof && !deadline.hasExpired()) {
        if (m_socket.bytesAvailable() == 0) {
            if (m_socket.state() != QAbstractSocket::ConnectedState) {
                m_eof = true;
                break;
            }
            m_socket.waitForReadyRead(
                int(qBound(qint64(1), deadline.remainingTime(), qint64(100))));
        }
        const QByteArray data = m_socket.readAll();
        if (!data.isEmpty())
            m_reader.feed(data);
        else if (m_socket.state() != QAbstractSocket::ConnectedState)
            m_eof = true;
    }
    if (m_eof)
        m_reader.finishStream();
    if (m_reader.hasResponse()) {
        if (ok)
            *ok = true;
        return m_reader.takeResponse();
    }
    if (ok)
        *ok = false;
    return m_reader.current();
}

bool RawConnection::waitForClosed(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_eof || m_socket.state() != QAbstractSocket::ConnectedState)
            return true;
        m_socket.waitForReadyRead(int(qBound(qint64(1), deadline.remainingTime(), qint64(100))));
        const QByteArray data = m_socket.readAll();
        if (!data.isEmpty())
            m_reader.feed(data);
    }
    return m_eof || m_socket.state() != QAbstractSocket::ConnectedState;
}

QByteArray rawRequest(const QByteArray &method, const QByteArray &target, const QByteArray &host,
                      const QByteArray &extraHeaders, const QByteArray &body)
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    out += extraHeaders;
    if (!body.isEmpty())
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

} // namespace gh::test
