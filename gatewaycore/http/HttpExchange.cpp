#include "HttpExchange.h"

#include "HttpConnection.h"

namespace gh {

HttpExchange::HttpExchange(HttpConnection *connection, HttpRequest request, bool hasBody,
                           qint64 contentLength, qint64 startNs)
    : m_connection(connection)
    , m_request(std::move(request))
    , m_contentLength(hasBody ? contentLength : 0)
    , m_startNs(startNs)
    , m_hasBody(hasBody)
    , m_bodyComplete(!hasBody)
{}

bool HttpExchange::setBodyLimit(qint64 maxBodyBytes)
{
    if (!m_connection || m_responseStarted)
        return false;
    return m_connection->exchangeSetBodyLimit(maxBodyBytes);
}

void HttpExchange::setBodyReceiver(BodyReceiver onData, BodyEnd onEnd)
{
    m_onData = std::move(onData);
    m_onEnd = std::move(onEnd);
    if (!m_earlyBody.isEmpty() && m_onData) {
        const QByteArray early = std::exchange(m_earlyBody, {});
        m_onData(early);
    }
    if (m_bodyComplete && m_onEnd)
        m_onEnd();
}

void HttpExchange::pauseBody()
{
    if (m_connection && !m_bodyPaused && !m_bodyComplete)
        m_connection->exchangePauseBody();
}

void HttpExchange::resumeBody()
{
    if (m_connection && m_bodyPaused)
        m_connection->exchangeResumeBody();
}

void HttpExchange::respond(const HttpResponse &response)
{
    if (!m_connection || m_responseStarted)
        return;
    m_connection->exchangeRespond(response);
}

void HttpExchange::startResponse(int status, const HttpHeaders &headers, qint64 contentLength)
{
    if (!m_connection || m_responseStarted)
        return;
    m_connection->exchangeStartResponse(status, headers, contentLength);
}

bool HttpExchange::writeBody(QByteArrayView data)
{
    if (!m_connection || !m_responseStarted || m_finished)
        return false;
    return m_connection->exchangeWrite(data);
}

void HttpExchange::endResponse()
{
    if (!m_connection || !m_responseStarted || m_finished)
        return;
    m_connection->exchangeEnd();
}

void HttpExchange::abortResponse()
{
    if (!m_connection || m_finished)
        return;
    m_connection->exchangeAbort();
}

void HttpExchange::enableLogRecord(qint64 captureBytes)
{
    m_log.emplace();
    m_captureBytes = captureBytes;
    if (captureBytes > 0)
        m_log->requestHeaders = m_request.headers;
}

namespace {

// Appends what still fits under the capture cap.
void capture(QByteArray &into, QByteArrayView data, qint64 cap, bool *truncated)
{
    const qint64 room = cap - into.size();
    if (room <= 0) {
        *truncated = *truncated || !data.isEmpty();
        return;
    }
    if (data.size() > room)
        *truncated = true;
    into.append(data.first(qMin<qint64>(room, data.size())));
}

} // namespace

void HttpExchange::noteResponseHead(int status, const HttpHeaders &headers, qint64 nowNs)
{
    m_responseStatus = status;
    m_responseHeadNs = nowNs;
    if (m_log && m_captureBytes > 0)
        m_log->responseHeaders = headers;
}

void HttpExchange::noteResponseBody(QByteArrayView data)
{
    m_responseBodyBytes += data.size();
    if (m_log && m_captureBytes > 0)
        capture(m_log->responseBody, data, m_captureBytes, &m_log->bodiesTruncated);
}

void HttpExchange::deliverBody(QByteArrayView data)
{
    m_requestBodyBytes += data.size();
    if (m_log && m_captureBytes > 0)
        capture(m_log->requestBody, data, m_captureBytes, &m_log->bodiesTruncated);
    if (m_finished)
        return; // answered already: the rest of the body is discarded
    if (m_onData)
        m_onData(data);
    else
        m_earlyBody.append(data);
}

void HttpExchange::deliverBodyEnd()
{
    m_bodyComplete = true;
    if (!m_finished && m_onEnd)
        m_onEnd();
}

void HttpExchange::detach()
{
    m_connection = nullptr;
}

} // namespace gh
