#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

#include <utility>

namespace gh::test {

// One HTTP/1.1 response as it arrived on the wire, for byte-exact assertions.
struct RawResponse
{
    int status = 0;  // 0: no status line arrived
    QByteArray head; // status line and fields, as received
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body; // de-chunked
    qint64 contentLength = -1;
    bool chunked = false;
    // The body's framing ended properly: Content-Length bytes, the last chunk, or (for a
    // close-delimited body) the end of the stream.
    bool complete = false;

    QByteArray header(const QByteArray &name) const;
    int headerCount(const QByteArray &name) const;
};

// Incremental response reader: feed bytes as they come, take finished responses. Knows
// no more than it must (1xx skipped, HEAD/204/304 without body, chunked, Content-Length,
// close-delimited); malformed input makes it fail.
class ResponseReader
{
public:
    // The request the next response answers was a HEAD (no body whatever the fields say).
    void expectHead(bool head) { m_headRequest = head; }
    // Don't keep body bytes, only count them (large transfers).
    void setDiscardBody(bool discard) { m_discard = discard; }
    // Parses as much as possible; false on a protocol error.
    bool feed(QByteArrayView data);
    // The stream ended: completes a close-delimited body.
    void finishStream();
    bool hasResponse() const { return !m_done.isEmpty(); }
    RawResponse takeResponse() { return m_done.takeFirst(); }
    // The response being read (for truncation checks after a close).
    const RawResponse &current() const { return m_current; }
    bool inResponse() const { return m_state != State::Head || !m_buffer.isEmpty(); }
    qint64 bodyBytes() const { return m_bodyBytes; } // of the current response
    bool failed() const { return m_failed; }

private:
    enum class State { Head, Length, ChunkSize, ChunkData, ChunkDataEnd, Trailers, UntilClose };

    bool parseHead(const QByteArray &head);
    void appendBody(QByteArrayView data);
    void complete();

    State m_state = State::Head;
    QByteArray m_buffer;
    RawResponse m_current;
    QList<RawResponse> m_done;
    qint64 m_remaining = 0;
    qint64 m_bodyBytes = 0;
    bool m_headRequest = false;
    bool m_discard = false;
    bool m_failed = false;
};

// A blocking raw client connection (usable without an event loop: waitFor* calls).
class RawConnection
{
public:
    bool connectTo(const QString &url, int timeoutMs = 5000);
    bool send(const QByteArray &bytes, int timeoutMs = 5000);
    // Reads the next response. `ok` false: the connection closed or timed out before it
    // was complete (what arrived is returned; check complete/status).
    RawResponse read(int timeoutMs = 10000, bool headRequest = false, bool *ok = nullptr);
    // True once the peer closed the connection (EOF or reset) within timeoutMs.
    bool waitForClosed(int timeoutMs = 5000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QTcpSocket &socket() { return m_socket; }
    ResponseReader &reader() { return m_reader; }

private:
    QTcpSocket m_socket;
    ResponseReader m_reader;
    bool m_eof = false;
};

// "GET /path HTTP/1.1\r\nHost: ...\r\n<extra>\r\n"
QByteArray rawRequest(const QByteArray &method, const QByteArray &target, const QByteArray &host,
                      const QByteArray &extraHeaders = {}, const QByteArray &body = {});

} // namespace gh::test
