#include "HttpResponseParser.h"

#include "HttpGrammar.h"

#include <cstring>
#include <limits>

namespace gh {

using namespace http;

namespace {

// Longest chunk-size line (size + extensions) accepted.
constexpr qsizetype MaxChunkLineBytes = 4096;
// More digits than this cannot be a sane length and might overflow.
constexpr qsizetype MaxContentLengthDigits = 18;





bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}


} // namespace

HttpResponseParser::HttpResponseParser()
    : HttpResponseParser(Limits())
{}

HttpResponseParser::HttpResponseParser(Limits limits)
    : m_limits(limits)
{}

void HttpResponseParser::reset()
{
    m_state = State::StatusLine;
    m_line.clear();
    m_headers.clear();
    m_trailers.clear();
    m_reason.clear();
    m_errorMessage.clear();
    m_seenBytes = 0;
    m_headBytes = 0;
    m_remaining = 0;
    m_contentLength = -1;
    m_bodyBytes = 0;
    m_fieldCount = 0;
    m_statusCode = 0;
    m_versionMinor = 1;
    m_interimCount = 0;
    m_framing = Framing::None;
    m_headRequest = false;
    m_keepAlive = false;
    m_truncated = false;
}

bool HttpResponseParser::isHeadComplete() const
{
    return m_state != State::StatusLine && m_state != State::HeaderLine && m_state != State::Failed;
}

bool HttpResponseParser::setError(const QString &message)
{
    m_state = State::Failed;
    m_errorMessage = message;
    m_keepAlive = false;
    m_line.clear();
    return false;
}

HttpResponseParser::Status HttpResponseParser::finish()
{
    switch (m_state) {
    case State::Done:
        return Status::MessageComplete;
    case State::UntilClose:
        m_state = State::Done;
        return Status::MessageComplete;
    case State::Failed:
        return Status::Error;
    default:
        m_truncated = true;
        setError(isIdle() ? QStringLiteral("Connection closed before any response byte")
                          : QStringLiteral("Connection closed before the response was complete"));
        return Status::Error;
    }
}

// Collects one CRLF-terminated line starting at pos, returned without its CRLF: a view
// into data when it arrived in one piece (no copy), else into m_line.
HttpResponseParser::LineStatus HttpResponseParser::takeLine(QByteArrayView data, qsizetype &pos,
                                                            qsizetype limit,
                                                            const char *tooLongMessage,
                                                            QByteArrayView &line)
{
    const char *begin = data.data() + pos;
    const qsizetype available = data.size() - pos;
    const void *lf = available > 0 ? std::memchr(begin, '\n', size_t(available)) : nullptr;
    if (!lf) {
        if (m_line.size() + available > limit) {
            setError(QString::fromLatin1(tooLongMessage));
            return LineStatus::Failed;
        }
        m_line.append(begin, available);
        pos = data.size();
        return LineStatus::Incomplete;
    }
    const qsizetype length = static_cast<const char *>(lf) - begin; // without the LF
    pos += length + 1;
    if (m_line.size() + length + 1 > limit) {
        setError(QString::fromLatin1(tooLongMessage));
        return LineStatus::Failed;
    }
    if (m_line.isEmpty()) {
        line = QByteArrayView(begin, length);
    } else {
        m_line.append(begin, length);
        line = m_line;
    }
    if (line.isEmpty() || line.back() != '\r') {
        setError(QStringLiteral("Line not terminated by CRLF (bare LF)"));
        return LineStatus::Failed;
    }
    line.chop(1);
    if (line.contains('\r')) {
        setError(QStringLiteral("Bare CR in the response"));
        return LineStatus::Failed;
    }
    return LineStatus::Complete;
}

HttpResponseParser::Result HttpResponseParser::feed(QByteArrayView data)
{
    qsizetype pos = 0;
    const Result result = step(data, pos);
    m_seenBytes += result.consumed;
    return result;
}

HttpResponseParser::Result HttpResponseParser::step(QByteArrayView data, qsizetype &pos)
{
    while (true) {
        switch (m_state) {
        case State::Failed:
            return {Status::Error, pos, {}};
        case State::Done:
            return {Status::MessageComplete, pos, {}};

        case State::StatusLine:
        case State::HeaderLine: {
            if (pos == data.size())
                return {Status::NeedMore, pos, {}};
            const bool statusLine = m_state == State::StatusLine;
            QByteArrayView line;
            const LineStatus ls =
                takeLine(data, pos, m_limits.maxHeaderBytes - m_headBytes,
                         statusLine ? "Status line too long" : "Response header too large", line);
            if (ls == LineStatus::Failed)
                return {Status::Error, pos, {}};
            if (ls == LineStatus::Incomplete)
                return {Status::NeedMore, pos, {}};
            m_headBytes += line.size() + 2;
            bool ok;
            bool interim = false;
            if (statusLine) {
                ok = parseStatusLine(line);
                if (ok)
                    m_state = State::HeaderLine;
            } else if (line.isEmpty()) {
                ok = finishHead(interim);
            } else {
                ok = parseFieldLine(line, m_headers);
            }
            m_line.clear();
            if (!ok)
                return {Status::Error, pos, {}};
            if (interim)
                return {Status::Interim, pos, {}};
            if (isHeadComplete())
                return {Status::HeadComplete, pos, {}};
            break;
        }

        case State::Body:
        case State::ChunkData:
        case State::UntilClose: {
            if (pos == data.size())
                return {Status::NeedMore, pos, {}};
            qsizetype n = data.size() - pos;
            if (m_state != State::UntilClose) {
                n = qsizetype(qMin<qint64>(m_remaining, n));
                m_remaining -= n;
                if (m_remaining == 0)
                    m_state = m_state == State::Body ? State::Done : State::ChunkDataEnd;
            }
            const QByteArrayView piece = data.sliced(pos, n);
            pos += n;
            m_bodyBytes += n;
            return {Status::Body, pos, piece};
        }

        case State::ChunkSize:
        case State::ChunkDataEnd:
        case State::TrailerLine: {
            if (pos == data.size())
                return {Status::NeedMore, pos, {}};
            QByteArrayView line;
            LineStatus ls;
            if (m_state == State::TrailerLine) {
                ls = takeLine(data, pos, m_limits.maxHeaderBytes - m_headBytes,
                              "Trailer fields too large", line);
            } else if (m_state == State::ChunkSize) {
                ls = takeLine(data, pos, MaxChunkLineBytes, "Chunk size line too long", line);
            } else {
                ls = takeLine(data, pos, 2, "Chunk data not followed by CRLF", line);
            }
            if (ls == LineStatus::Failed)
                return {Status::Error, pos, {}};
            if (ls == LineStatus::Incomplete)
                return {Status::NeedMore, pos, {}};
            bool ok = true;
            if (m_state == State::ChunkSize) {
                ok = parseChunkSize(line);
            } else if (m_state == State::ChunkDataEnd) {
                if (!line.isEmpty())
                    ok = setError(QStringLiteral("Chunk data not followed by CRLF"));
                else
                    m_state = State::ChunkSize;
            } else {
                m_headBytes += line.size() + 2;
                if (line.isEmpty())
                    m_state = State::Done;
                else
                    ok = parseFieldLine(line, m_trailers);
            }
            m_line.clear();
            if (!ok)
                return {Status::Error, pos, {}};
            if (m_state == State::Done)
                return {Status::MessageComplete, pos, {}};
            break;
        }
        }
    }
}

bool HttpResponseParser::parseStatusLine(QByteArrayView line)
{
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]; the SP before an
    // empty reason is often left out, so it is optional.
    if (line.size() < 12 || !line.startsWith("HTTP/") || line.at(6) != '.' ||
        !isDigit(line.at(5)) || !isDigit(line.at(7)) || line.at(8) != ' ') {
        return setError(QStringLiteral("Malformed status line"));
    }
    if (line.at(5) != '1' || (line.at(7) != '0' && line.at(7) != '1'))
        return setError(QStringLiteral("Unsupported HTTP version in the status line"));
    if (!isDigit(line.at(9)) || !isDigit(line.at(10)) || !isDigit(line.at(11)) ||
        (line.size() > 12 && line.at(12) != ' ')) {
        return setError(QStringLiteral("Malformed status code"));
    }
    const int code = (line.at(9) - '0') * 100 + (line.at(10) - '0') * 10 + (line.at(11) - '0');
    if (code < 100)
        return setError(QStringLiteral("Malformed status code"));
    const QByteArrayView reason = line.size() > 13 ? line.sliced(13) : QByteArrayView();
    for (const char c : reason) {
        if (isCtl(uchar(c)) && c != '\t')
            return setError(QStringLiteral("Invalid character in the reason phrase"));
    }
    // A new head (the final one after 1xx) starts with fresh fields.
    m_headers.clear();
    m_fieldCount = 0;
    m_statusCode = code;
    m_versionMinor = line.at(7) - '0';
    m_reason = reason.toByteArray();
    return true;
}

bool HttpResponseParser::parseFieldLine(QByteArrayView line, HttpHeaders &into)
{
    if (line.front() == ' ' || line.front() == '\t')
        return setError(QStringLiteral("Obsolete line folding is not allowed"));
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return setError(QStringLiteral("Header line without a colon"));
    const QByteArrayView name = line.first(colon);
    if (name.isEmpty() || name.back() == ' ' || name.back() == '\t' || !isToken(name))
        return setError(QStringLiteral("Invalid header name"));
    const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
    for (const char c : value) {
        if (isCtl(uchar(c)) && c != '\t')
            return setError(QStringLiteral("Invalid character in a header value"));
    }
    if (++m_fieldCount > m_limits.maxHeaderCount)
        return setError(QStringLiteral("Too many header fields"));
    into.add(name.toByteArray(), value.toByteArray());
    return true;
}

bool HttpResponseParser::finishHead(bool &interim)
{
    m_headBytes = 0; // the next head or the trailers get their own budget
    m_fieldCount = 0;
    if (m_statusCode == 101)
        return setError(QStringLiteral("Unexpected protocol upgrade (101)"));
    if (m_statusCode < 200) {
        if (++m_interimCount > m_limits.maxInterimResponses)
            return setError(QStringLiteral("Too many interim (1xx) responses"));
        interim = true;
        m_state = State::StatusLine;
        return true;
    }

    const bool http10 = m_versionMinor == 0;
    if (m_headers.hasToken("connection", "close"))
        m_keepAlive = false;
    else
        m_keepAlive = !http10 || m_headers.hasToken("connection", "keep-alive");

    // RFC 9112 §6.3 (1): these never have a body, whatever the fields say.
    if (m_headRequest || m_statusCode == 204 || m_statusCode == 304) {
        m_framing = Framing::None;
        m_state = State::Done;
        return true;
    }

    const QList<QByteArray> lengths = m_headers.values("content-length");
    const QList<QByteArray> encodings = m_headers.values("transfer-encoding");
    if (!encodings.isEmpty()) {
        if (!lengths.isEmpty())
            return setError(
                QStringLiteral("Both Content-Length and Transfer-Encoding in the response"));
        if (http10)
            return setError(QStringLiteral("Transfer-Encoding in an HTTP/1.0 response"));
        // Only exactly "chunked": other codings would have to be forwarded undecoded
        // over a hop that may frame differently.
        if (encodings.size() != 1 ||
            trimmedOws(encodings.front()).compare("chunked", Qt::CaseInsensitive) != 0) {
            return setError(QStringLiteral("Unsupported Transfer-Encoding in the response"));
        }
        m_framing = Framing::Chunked;
        m_state = State::ChunkSize;
        return true;
    }
    if (!lengths.isEmpty()) {
        if (lengths.size() > 1)
            return setError(QStringLiteral("More than one Content-Length in the response"));
        const QByteArray &text = lengths.front();
        if (text.isEmpty() || text.size() > MaxContentLengthDigits)
            return setError(QStringLiteral("Invalid Content-Length in the response"));
        qint64 length = 0;
        for (const char c : text) {
            if (!isDigit(c))
                return setError(QStringLiteral("Invalid Content-Length in the response"));
            length = length * 10 + (c - '0');
        }
        m_framing = Framing::ContentLength;
        m_contentLength = length;
        m_remaining = length;
        m_state = length > 0 ? State::Body : State::Done;
        return true;
    }
    m_framing = Framing::UntilClose;
    m_keepAlive = false; // the end of the body is the end of the connection
    m_state = State::UntilClose;
    return true;
}

bool HttpResponseParser::parseChunkSize(QByteArrayView line)
{
    const char *error = nullptr;
    const qint64 size = parseChunkSizeLine(line, &error);
    if (size < 0)
        return setError(QString::fromLatin1(error));
    if (size == 0) {
        m_state = State::TrailerLine;
        return true;
    }
    m_remaining = size;
    m_state = State::ChunkData;
    return true;
}

} // namespace gh
