#pragma once

#include "HttpHeaders.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace gh {

// Strict, incremental HTTP/1.x response parser for upstream responses: pure logic, no
// I/O, the counterpart of HttpRequestParser. Feed it bytes as they arrive, in pieces of
// any size; it stops wherever the caller has to act:
//   Interim         a 1xx head (100 Continue, 103 Early Hints, ...) was parsed; its status
//                   and fields are in statusCode()/headers() until the next feed. The
//                   parser then waits for the next head by itself: callers that do not
//                   forward interim responses simply feed on. 101 is an error (we never
//                   ask for an upgrade).
//   HeadComplete    the final status line and fields are parsed; framing() is known.
//   Body            Result::body is a piece of decoded body (chunk framing removed). It
//                   points into the fed data: nothing is accumulated, so use or copy it
//                   before the fed buffer goes away.
//   MessageComplete the response (trailers included) is complete.
//   Error           errorMessage() says why; the upstream is broken (a proxy answers 502)
//                   and the connection must not be reused.
// Bytes after a complete response are not consumed. At end of stream call finish(): it
// completes a close-delimited body, and reports every other unfinished response as an
// error with isTruncated() set, so a proxy aborts its client's response instead of
// ending it as if it were whole.
//
// Framing follows RFC 9112 §6.3: no body for a HEAD request (setHeadRequest) or a
// 1xx/204/304 status whatever the fields say; else Transfer-Encoding "chunked" (the only
// coding accepted: nothing else can be forwarded safely); else Content-Length (exactly
// one field of digits: duplicates, lists and signs are errors); else read until close.
// Both Transfer-Encoding and Content-Length is an error, never a guess. Lines must end
// in CRLF; obs-fold, NUL/CR/LF in values and malformed names are errors.
class HttpResponseParser
{
public:
    struct Limits
    {
        int maxHeaderBytes = 64 * 1024; // status line + fields of one head; trailers: same again
        int maxHeaderCount = 200;
        int maxInterimResponses = 16; // 1xx heads before the final one
    };
    enum class Status { NeedMore, Interim, HeadComplete, Body, MessageComplete, Error };
    enum class Framing { None, ContentLength, Chunked, UntilClose };
    struct Result
    {
        Status status;
        qsizetype consumed;  // bytes of the fed data used; the rest belongs to a later feed
        QByteArrayView body; // with Status::Body: a piece inside the fed data
    };

    HttpResponseParser();
    explicit HttpResponseParser(Limits limits);

    // The request was HEAD: the response has no body whatever its fields say. Set it
    // before feeding; reset() clears it.
    void setHeadRequest(bool head) { m_headRequest = head; }
    Result feed(QByteArrayView data);
    // The connection ended: MessageComplete if the response is complete now (a
    // close-delimited body ends here), else Error with isTruncated().
    Status finish();
    // Ready for the next response on the same connection.
    void reset();

    // No byte of this response has arrived yet.
    bool isIdle() const { return m_seenBytes == 0; }
    bool isHeadComplete() const;
    bool isComplete() const { return m_state == State::Done; }
    bool hasError() const { return m_state == State::Failed; }
    // The connection ended before the response was complete.
    bool isTruncated() const { return m_truncated; }
    const QString &errorMessage() const { return m_errorMessage; }

    int statusCode() const { return m_statusCode; }
    int versionMinor() const { return m_versionMinor; }
    const QByteArray &reasonPhrase() const { return m_reason; }
    const HttpHeaders &headers() const { return m_headers; }
    const HttpHeaders &trailers() const { return m_trailers; }
    int interimCount() const { return m_interimCount; }

    // Valid once the head is complete.
    Framing framing() const { return m_framing; }
    qint64 contentLength() const { return m_contentLength; } // -1 unless ContentLength
    // The upstream lets us send another request on this connection afterwards
    // (HTTP/1.1 without "close", HTTP/1.0 with "keep-alive"; never close-delimited).
    bool keepAlive() const { return m_keepAlive; }
    qint64 bodyBytes() const { return m_bodyBytes; } // decoded body bytes so far

private:
    enum class State {
        StatusLine,
        HeaderLine,
        Body,
        UntilClose,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        TrailerLine,
        Done,
        Failed
    };
    enum class LineStatus { Incomplete, Complete, Failed };

    LineStatus takeLine(QByteArrayView data, qsizetype &pos, qsizetype limit,
                        const char *tooLongMessage, QByteArrayView &line);
    Result step(QByteArrayView data, qsizetype &pos);
    bool parseStatusLine(QByteArrayView line);
    bool parseFieldLine(QByteArrayView line, HttpHeaders &into);
    bool finishHead(bool &interim);
    bool parseChunkSize(QByteArrayView line);
    bool setError(const QString &message);

    Limits m_limits;
    State m_state = State::StatusLine;
    QByteArray m_line; // a line split across feeds
    HttpHeaders m_headers;
    HttpHeaders m_trailers;
    QByteArray m_reason;
    QString m_errorMessage;
    qint64 m_seenBytes = 0; // of this response, interim heads included
    qint64 m_headBytes = 0; // of the current head (or the trailers)
    qint64 m_remaining = 0; // of the Content-Length body or the current chunk
    qint64 m_contentLength = -1;
    qint64 m_bodyBytes = 0;
    int m_fieldCount = 0;
    int m_statusCode = 0;
    int m_versionMinor = 1;
    int m_interimCount = 0;
    Framing m_framing = Framing::None;
    bool m_headRequest = false;
    bool m_keepAlive = false;
    bool m_truncated = false;
};

} // namespace gh
