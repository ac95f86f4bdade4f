#pragma once

#include "HttpRequest.h"
#include "HttpResponse.h"
#include "log/RequestRecord.h"

#include <QObject>

#include <functional>

namespace gh {

class HttpConnection;

// One request/response on a client connection, streamed both ways. Created by the
// connection when the request head is complete and owned by it; a handler keeps a
// QPointer, since the client may go away at any time.
class HttpExchange : public QObject
{
    Q_OBJECT

public:
    using BodyReceiver = std::function<void(QByteArrayView)>;
    using BodyEnd = std::function<void()>;

    HttpExchange(HttpConnection *connection, HttpRequest request, bool hasBody, qint64 contentLength,
                 qint64 startNs);

    // The head; the body is streamed (request().body stays empty).
    const HttpRequest &request() const { return m_request; }
    bool hasBody() const { return m_hasBody; }
    qint64 contentLength() const { return m_contentLength; } // -1: chunked or none
    bool isChunked() const { return m_hasBody && m_contentLength < 0; }
    // steady clock, ns: when the head was complete — for overhead measurements.
    qint64 startNs() const { return m_startNs; }

    // A route's own body limit. False: the body is already known to be too large and a
    // 413 has been answered.
    bool setBodyLimit(qint64 maxBodyBytes);
    // Fields for an error the connection itself sends for this exchange (a 413 found now or
    // mid-body): the request id, the route's CORS headers, so a browser can read it.
    void setErrorHeaders(const HttpHeaders &headers) { m_errorHeaders = headers; }
    const HttpHeaders &errorHeaders() const { return m_errorHeaders; }
    // Body bytes go to `onData` as they arrive; `onEnd` follows the last. Bytes that came
    // before the receiver was set are delivered at once.
    void setBodyReceiver(BodyReceiver onData, BodyEnd onEnd);
    bool isBodyComplete() const { return m_bodyComplete; }
    // Backpressure: stop reading the client while the upstream cannot take more.
    void pauseBody();
    void resumeBody();
    bool isBodyPaused() const { return m_bodyPaused; }

    // A whole response. Allowed at any time before startResponse().
    void respond(const HttpResponse &response);
    // Streaming response: contentLength -1 sends chunked (HTTP/1.1 clients) or
    // close-delimited (HTTP/1.0).
    void startResponse(int status, const HttpHeaders &headers, qint64 contentLength = -1);
    // False when the client is slow and output is buffered above the high-water mark:
    // stop producing until writable().
    bool writeBody(QByteArrayView data);
    void endResponse();
    // The response cannot be completed (the upstream died mid-body): the connection is
    // closed without terminating the body, so the client sees a truncated transfer.
    void abortResponse();
    bool isResponseStarted() const { return m_responseStarted; }
    bool isFinished() const { return m_finished; }
    bool isClientGone() const { return m_connection == nullptr; }
    // abortResponse() was called: the client saw a broken transfer.
    bool isAborted() const { return m_aborted; }

    // What the connection measured, for the request log: the status sent (0: none yet),
    // request body bytes received, response body bytes sent, when the response head went
    // out (steady clock ns, 0: not yet).
    int responseStatus() const { return m_responseStatus; }
    qint64 requestBodyBytes() const { return m_requestBodyBytes; }
    qint64 responseBodyBytes() const { return m_responseBodyBytes; }
    qint64 responseHeadNs() const { return m_responseHeadNs; }
    // Why the connection itself refused the request (a body over the limit), if it did.
    QString edgeError() const { return m_edgeError; }

    // The request log record of this exchange (RequestRecord, SPEC §6), filled by the
    // handler and the calls serving it, handed to HttpExchangeHandler::exchangeFinished().
    // Null unless enableLogRecord() was called. captureBytes > 0 also keeps the headers
    // and the first captureBytes of each body (settings.log_bodies).
    RequestRecord *logRecord() { return m_log ? &*m_log : nullptr; }
    void enableLogRecord(qint64 captureBytes = 0);

Q_SIGNALS:
    void writable();
    // The client disconnected before the response ended: stop all work for it.
    void clientClosed();

private:
    friend class HttpConnection;
    void deliverBody(QByteArrayView data);
    void deliverBodyEnd();
    void detach(); // the connection is gone
    // Called by the connection as the response goes out.
    void noteResponseHead(int status, const HttpHeaders &headers, qint64 nowNs);
    void noteResponseBody(QByteArrayView data);

    HttpConnection *m_connection;
    HttpRequest m_request;
    BodyReceiver m_onData;
    BodyEnd m_onEnd;
    QByteArray m_earlyBody; // arrived before a receiver was set
    qint64 m_contentLength;
    qint64 m_startNs;
    HttpHeaders m_errorHeaders;
    bool m_hasBody;
    bool m_bodyComplete = false;
    bool m_bodyPaused = false;
    bool m_responseStarted = false;
    bool m_finished = false;
    bool m_waitingWritable = false;
    bool m_aborted = false;
    int m_responseStatus = 0;
    qint64 m_requestBodyBytes = 0;
    qint64 m_responseBodyBytes = 0;
    qint64 m_responseHeadNs = 0;
    qint64 m_captureBytes = 0;
    std::optional<RequestRecord> m_log;
    QString m_edgeError;
};

} // namespace gh
