#pragma once

#include "HttpRequest.h"

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace gh {

// Strict, incremental HTTP/1.x request parser: pure logic, no I/O. Feed it bytes as
// they arrive, in pieces of any size (a byte at a time works); it stops at every point
// where the caller has to act:
//   HeadComplete    request line and headers are parsed and validated; the body
//                   framing is known (answer "Expect: 100-continue" here).
//   MessageComplete the whole request (body and trailers included) is in request().
//   Error           errorStatus()/errorMessage() say why; the connection must close,
//                   the parser accepts nothing more.
// Bytes after a complete message are not consumed: after MessageComplete, call reset()
// and feed the rest (pipelining). Ambiguous framing is always an error, never a guess
// (RFC 9112 §6.3, §11.2: request smuggling).
//
// Bodies are collected into request().body for now; every body byte passes through
// appendBody(), the one place to turn into a streaming body event later.
class HttpRequestParser
{
public:
    struct Limits
    {
        qint64 maxBodyBytes = 10 * 1024 * 1024;
        int maxHeaderBytes = 32 * 1024; // request line + header fields (trailers: same again)
        int maxHeaderCount = 100;
    };
    enum class Status { NeedMore, HeadComplete, MessageComplete, Error };
    struct Result
    {
        Status status;
        qsizetype consumed; // bytes of the fed data used; the rest belongs to a later feed
    };

    HttpRequestParser();
    explicit HttpRequestParser(Limits limits);

    Result feed(QByteArrayView data);

    // Streaming: with a sink set, body bytes go to it as they are parsed (chunked framing
    // removed) instead of into request().body. Set it at HeadComplete; reset() clears it.
    using BodySink = std::function<void(QByteArrayView)>;
    void setBodySink(BodySink sink) { m_bodySink = std::move(sink); }
    // Lowers the body limit for the current request (a route's own limit), valid at
    // HeadComplete. False when the announced Content-Length already exceeds it: the
    // parser is then in the Error state with 413.
    bool setBodyLimit(qint64 maxBodyBytes);
    qint64 bodyBytesReceived() const { return m_bodyBytes; }
    // Ready for the next request on the same connection (also clears an error).
    void reset();

    const HttpRequest &request() const { return m_request; }
    HttpRequest takeRequest();

    // No byte of the current message has arrived yet (between keep-alive requests).
    bool isIdle() const { return m_state == State::RequestLine && m_seenBytes == 0; }
    bool isHeadComplete() const;
    bool hasError() const { return m_state == State::Failed; }
    int errorStatus() const { return m_errorStatus; }
    const QString &errorMessage() const { return m_errorMessage; }

    // Valid once the head is complete.
    bool expectsContinue() const { return m_expectContinue; }
    bool keepAlive() const { return m_keepAlive; }
    bool isChunked() const { return m_chunked; }
    qint64 contentLength() const { return m_contentLength; } // -1 when chunked or no body

private:
    enum class State {
        RequestLine,
        HeaderLine,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        TrailerLine,
        Done,
        Failed
    };
    enum class LineStatus { Incomplete, Complete, Failed };

    LineStatus takeLine(QByteArrayView data, qsizetype &pos, qsizetype limit, int tooLongStatus,
                        const char *tooLongMessage, QByteArrayView &line);
    bool parseRequestLine(QByteArrayView line);
    bool parseTarget(QByteArrayView target);
    bool parseFieldLine(QByteArrayView line, HttpHeaders &into, int &count);
    bool finishHead();
    bool parseChunkSize(QByteArrayView line);
    void appendBody(QByteArrayView bytes);
    bool setError(int status, const QString &message);

    Limits m_limits;
    qint64 m_bodyLimit = 0; // this request's; starts as m_limits.maxBodyBytes
    qint64 m_bodyBytes = 0;
    BodySink m_bodySink;
    State m_state = State::RequestLine;
    HttpRequest m_request;
    QByteArray m_line;      // a line split across feeds
    qint64 m_seenBytes = 0; // of the current message
    qint64 m_headBytes = 0; // complete head (or trailer) lines so far
    int m_fieldCount = 0;
    int m_emptyLinesSkipped = 0;
    qint64 m_remaining = 0; // of the Content-Length body or the current chunk
    qint64 m_contentLength = -1;
    bool m_chunked = false;
    bool m_expectContinue = false;
    bool m_keepAlive = true;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace gh
