#include "HttpRequestParser.h"

#include "HttpGrammar.h"

#include <cctype>
#include <cstring>
#include <limits>

namespace gh {

using namespace http;

namespace {

// Longest chunk-size line (size + extensions) accepted; real clients send a few bytes.
constexpr qsizetype MaxChunkLineBytes = 4096;
// Empty lines tolerated before a request line (RFC 9112 §2.2: some clients send a CRLF
// after a POST body).
constexpr int MaxLeadingEmptyLines = 4;
// More digits than this cannot be a sane length and might overflow.
constexpr qsizetype MaxContentLengthDigits = 18;






bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// Percent-decodes an origin-form path. "%2F" and "%25" stay encoded so that "/" in the
// result always means a segment boundary and decoding twice cannot change the meaning.
// Rejects malformed escapes, encoded NUL and control characters, and "." / ".."
// segments (literal or encoded): normalising them would let "/public/../admin" slip
// past prefix rules, and no legitimate client sends them (curl, browsers and SDKs
// resolve dot segments before sending).
bool decodePath(QByteArrayView raw, QByteArray &out, QString &error)
{
    out.clear();
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw.at(i);
        if (c != '%') {
            out.append(c);
            continue;
        }
        const int hi = i + 2 < raw.size() ? hexValue(raw.at(i + 1)) : -1;
        const int lo = hi >= 0 ? hexValue(raw.at(i + 2)) : -1;
        if (lo < 0) {
            error = QStringLiteral("Malformed percent-encoding in the request path");
            return false;
        }
        const auto decoded = uchar(hi * 16 + lo);
        i += 2;
        if (decoded == '/' || decoded == '%') {
            out.append(decoded == '/' ? "%2F" : "%25");
        } else if (isCtl(decoded)) {
            error = QStringLiteral("Encoded control character in the request path");
            return false;
        } else {
            out.append(char(decoded));
        }
    }
    qsizetype start = 0;
    while (start <= out.size()) {
        qsizetype end = out.indexOf('/', start);
        if (end < 0)
            end = out.size();
        const QByteArrayView segment = QByteArrayView(out).sliced(start, end - start);
        if (segment == "." || segment == "..") {
            error = QStringLiteral("Dot segments are not allowed in the request path");
            return false;
        }
        start = end + 1;
    }
    return true;
}

} // namespace

HttpRequestParser::HttpRequestParser()
    : HttpRequestParser(Limits())
{}

HttpRequestParser::HttpRequestParser(Limits limits)
    : m_limits(limits)
    , m_bodyLimit(limits.maxBodyBytes)
{}

bool HttpRequestParser::setBodyLimit(qint64 maxBodyBytes)
{
    m_bodyLimit = qMin(maxBodyBytes, m_limits.maxBodyBytes);
    if (m_contentLength > m_bodyLimit)
        return setError(413, QStringLiteral("Request body exceeds %1 bytes").arg(m_bodyLimit));
    return true;
}

void HttpRequestParser::reset()
{
    m_state = State::RequestLine;
    m_request = HttpRequest();
    m_line.clear();
    m_seenBytes = 0;
    m_headBytes = 0;
    m_fieldCount = 0;
    m_emptyLinesSkipped = 0;
    m_remaining = 0;
    m_contentLength = -1;
    m_bodyLimit = m_limits.maxBodyBytes;
    m_bodyBytes = 0;
    m_bodySink = nullptr;
    m_chunked = false;
    m_expectContinue = false;
    m_keepAlive = true;
    m_errorStatus = 0;
    m_errorMessage.clear();
}

HttpRequest HttpRequestParser::takeRequest()
{
    return std::exchange(m_request, HttpRequest());
}

bool HttpRequestParser::isHeadComplete() const
{
    return m_state != State::RequestLine && m_state != State::HeaderLine &&
           m_state != State::Failed;
}

bool HttpRequestParser::setError(int status, const QString &message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorMessage = message;
    m_line.clear();
    return false;
}

// Collects one CRLF-terminated line starting at pos. The line is returned without
// its CRLF, pointing into data when it arrived in one piece (no copy) or into m_line.
HttpRequestParser::LineStatus HttpRequestParser::takeLine(QByteArrayView data, qsizetype &pos,
                                                          qsizetype limit, int tooLongStatus,
                                                          const char *tooLongMessage,
                                                          QByteArrayView &line)
{
    const char *begin = data.data() + pos;
    const qsizetype available = data.size() - pos;
    const void *lf = available > 0 ? std::memchr(begin, '\n', size_t(available)) : nullptr;
    if (!lf) {
        if (m_line.size() + available > limit) {
            setError(tooLongStatus, QString::fromLatin1(tooLongMessage));
            return LineStatus::Failed;
        }
        m_line.append(begin, available);
        pos = data.size();
        return LineStatus::Incomplete;
    }
    const qsizetype length = static_cast<const char *>(lf) - begin; // without the LF
    pos += length + 1;
    if (m_line.size() + length + 1 > limit) {
        setError(tooLongStatus, QString::fromLatin1(tooLongMessage));
        return LineStatus::Failed;
    }
    if (m_line.isEmpty()) {
        line = QByteArrayView(begin, length);
    } else {
        m_line.append(begin, length);
        line = m_line;
    }
    if (line.isEmpty() || line.back() != '\r') {
        setError(400, QStringLiteral("Line not terminated by CRLF (bare LF)"));
        return LineStatus::Failed;
    }
    line.chop(1);
    if (line.contains('\r')) {
        setError(400, QStringLiteral("Bare CR in the request"));
        return LineStatus::Failed;
    }
    return LineStatus::Complete;
}

HttpRequestParser::Result HttpRequestParser::feed(QByteArrayView data)
{
    qsizetype pos = 0;
    const auto consumedSince = [this, &pos](qsizetype start) {
        m_seenBytes += pos - start;
    };

    while (true) {
        const qsizetype start = pos;
        switch (m_state) {
        case State::Failed:
            return {Status::Error, pos};
        case State::Done:
            return {Status::MessageComplete, pos};

        case State::RequestLine:
        case State::HeaderLine: {
            if (pos == data.size())
                return {Status::NeedMore, pos};
            const bool requestLine = m_state == State::RequestLine;
            const qsizetype limit = m_limits.maxHeaderBytes - m_headBytes;
            QByteArrayView line;
            const LineStatus ls = takeLine(
                data, pos, limit, requestLine ? 414 : 431,
                requestLine ? "Request line too long" : "Request header fields too large", line);
            consumedSince(start);
            if (ls == LineStatus::Failed)
                return {Status::Error, pos};
            if (ls == LineStatus::Incomplete)
                return {Status::NeedMore, pos};
            m_headBytes += line.size() + 2;
            bool ok;
            if (requestLine) {
                if (line.isEmpty() && m_emptyLinesSkipped < MaxLeadingEmptyLines) {
                    ++m_emptyLinesSkipped;
                    m_headBytes = 0;
                    m_seenBytes = 0; // still idle
                    m_line.clear();
                    continue;
                }
                ok = parseRequestLine(line);
                if (ok)
                    m_state = State::HeaderLine;
            } else if (line.isEmpty()) {
                ok = finishHead();
            } else {
                ok = parseFieldLine(line, m_request.headers, m_fieldCount);
            }
            m_line.clear();
            if (!ok)
                return {Status::Error, pos};
            if (isHeadComplete())
                return {Status::HeadComplete, pos};
            break;
        }

        case State::Body:
        case State::ChunkData: {
            if (pos == data.size())
                return {Status::NeedMore, pos};
            const qsizetype n = qsizetype(qMin<qint64>(m_remaining, data.size() - pos));
            appendBody(data.sliced(pos, n));
            pos += n;
            m_remaining -= n;
            consumedSince(start);
            if (m_remaining == 0)
                m_state = m_state == State::Body ? State::Done : State::ChunkDataEnd;
            break;
        }

        case State::ChunkSize:
        case State::ChunkDataEnd:
        case State::TrailerLine: {
            if (pos == data.size())
                return {Status::NeedMore, pos};
            QByteArrayView line;
            LineStatus ls;
            if (m_state == State::TrailerLine) {
                ls = takeLine(data, pos, m_limits.maxHeaderBytes - m_headBytes, 431,
                              "Trailer fields too large", line);
            } else {
                ls = takeLine(data, pos, m_state == State::ChunkSize ? MaxChunkLineBytes : 2, 400,
                              m_state == State::ChunkSize ? "Chunk size line too long"
                                                          : "Chunk data not followed by CRLF",
                              line);
            }
            consumedSince(start);
            if (ls == LineStatus::Failed)
                return {Status::Error, pos};
            if (ls == LineStatus::Incomplete)
                return {Status::NeedMore, pos};
            bool ok = true;
            if (m_state == State::ChunkSize) {
                ok = parseChunkSize(line);
            } else if (m_state == State::ChunkDataEnd) {
                if (!line.isEmpty())
                    ok = setError(400, QStringLiteral("Chunk data not followed by CRLF"));
                else
                    m_state = State::ChunkSize;
            } else {
                m_headBytes += line.size() + 2;
                if (line.isEmpty())
                    m_state = State::Done;
                else
                    ok = parseFieldLine(line, m_request.trailers, m_fieldCount);
            }
            m_line.clear();
            if (!ok)
                return {Status::Error, pos};
            break;
        }
        }
        if (m_state == State::Done)
            return {Status::MessageComplete, pos};
    }
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    // request-line = method SP request-target SP HTTP-version, single spaces only
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp2 < 0)
        return setError(400, QStringLiteral("Malformed request line"));
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method))
        return setError(400, QStringLiteral("Invalid request method"));

    // HTTP-version = "HTTP/" DIGIT "." DIGIT (case-sensitive)
    if (version.size() != 8 || !version.startsWith("HTTP/") || version.at(6) != '.' ||
        !std::isdigit(uchar(version.at(5))) || !std::isdigit(uchar(version.at(7)))) {
        return setError(400, QStringLiteral("Malformed HTTP version"));
    }
    if (version.at(5) != '1' || (version.at(7) != '0' && version.at(7) != '1'))
        return setError(505, QStringLiteral("Only HTTP/1.0 and HTTP/1.1 are supported"));
    m_request.versionMinor = version.at(7) - '0';
    m_request.method = method.toByteArray();

    if (method == "CONNECT")
        return setError(501, QStringLiteral("CONNECT is not supported"));
    return parseTarget(target);
}

bool HttpRequestParser::parseTarget(QByteArrayView target)
{
    if (target.isEmpty())
        return setError(400, QStringLiteral("Empty request target"));
    for (const char c : target) {
        // Visible ASCII only; '#' never belongs to a request-target.
        if (uchar(c) <= 0x20 || uchar(c) >= 0x7f || c == '#')
            return setError(400, QStringLiteral("Invalid character in the request target"));
    }
    m_request.target = target.toByteArray();

    QByteArrayView pathAndQuery;
    if (target.front() == '/') {
        pathAndQuery = target; // origin-form
    } else if (target == "*") {
        if (m_request.method != "OPTIONS")
            return setError(400, QStringLiteral("Asterisk-form is only allowed with OPTIONS"));
        m_request.path = "*";
        return true;
    } else {
        // absolute-form: http(s)://authority[/path][?query]
        const qsizetype schemeEnd = target.indexOf("://");
        const QByteArrayView scheme = schemeEnd < 0 ? QByteArrayView() : target.first(schemeEnd);
        if (!equalsIgnoreCase(scheme, "http") && !equalsIgnoreCase(scheme, "https"))
            return setError(400, QStringLiteral("Invalid request target"));
        const QByteArrayView rest = target.sliced(schemeEnd + 3);
        qsizetype authorityEnd = 0;
        while (authorityEnd < rest.size() && rest.at(authorityEnd) != '/' &&
               rest.at(authorityEnd) != '?') {
            ++authorityEnd;
        }
        if (authorityEnd == 0 || rest.first(authorityEnd).contains('@'))
            return setError(400, QStringLiteral("Invalid authority in the request target"));
        pathAndQuery = rest.sliced(authorityEnd);
    }

    const qsizetype question = pathAndQuery.indexOf('?');
    QByteArrayView rawPath = question < 0 ? pathAndQuery : pathAndQuery.first(question);
    if (question >= 0)
        m_request.query = pathAndQuery.sliced(question + 1).toByteArray();
    if (rawPath.isEmpty())
        rawPath = "/";
    QString error;
    if (!decodePath(rawPath, m_request.path, error))
        return setError(400, error);
    return true;
}

bool HttpRequestParser::parseFieldLine(QByteArrayView line, HttpHeaders &into, int &count)
{
    if (line.front() == ' ' || line.front() == '\t')
        return setError(400, QStringLiteral("Obsolete line folding is not allowed"));
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return setError(400, QStringLiteral("Header line without a colon"));
    const QByteArrayView name = line.first(colon);
    if (name.isEmpty())
        return setError(400, QStringLiteral("Empty header name"));
    if (name.back() == ' ' || name.back() == '\t')
        return setError(400, QStringLiteral("Whitespace before the colon in a header line"));
    if (!isToken(name))
        return setError(400, QStringLiteral("Invalid header name"));
    const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
    for (const char c : value) {
        if (isCtl(uchar(c)) && c != '\t')
            return setError(400, QStringLiteral("Invalid character in a header value"));
    }
    if (++count > m_limits.maxHeaderCount)
        return setError(431, QStringLiteral("Too many header fields"));
    into.add(name.toByteArray(), value.toByteArray());
    return true;
}

bool HttpRequestParser::finishHead()
{
    const HttpHeaders &headers = m_request.headers;
    const bool http10 = m_request.versionMinor == 0;

    const int hosts = headers.count("host");
    if (hosts > 1)
        return setError(400, QStringLiteral("More than one Host header"));
    if (hosts == 0 && !http10)
        return setError(400, QStringLiteral("Missing Host header"));

    const QList<QByteArray> lengths = headers.values("content-length");
    const QList<QByteArray> encodings = headers.values("transfer-encoding");
    if (!encodings.isEmpty()) {
        if (http10)
            return setError(400, QStringLiteral("Transfer-Encoding is not allowed in HTTP/1.0"));
        if (!lengths.isEmpty())
            return setError(
                400, QStringLiteral("Both Content-Length and Transfer-Encoding are present"));
        // Only a single, final "chunked" is accepted; anything else could be framed
        // differently by another hop.
        QList<QByteArrayView> codings;
        for (const QByteArray &field : encodings) {
            QByteArrayView rest(field);
            while (true) {
                const qsizetype comma = rest.indexOf(',');
                codings.append(trimmedOws(comma < 0 ? rest : rest.first(comma)));
                if (comma < 0)
                    break;
                rest = rest.sliced(comma + 1);
            }
        }
        if (codings.isEmpty() || !equalsIgnoreCase(codings.back(), "chunked"))
            return setError(400, QStringLiteral("Transfer-Encoding must end with chunked"));
        for (qsizetype i = 0; i + 1 < codings.size(); ++i) {
            if (codings.at(i).isEmpty() || equalsIgnoreCase(codings.at(i), "chunked"))
                return setError(400, QStringLiteral("Invalid Transfer-Encoding"));
            if (!isToken(codings.at(i)))
                return setError(400, QStringLiteral("Invalid Transfer-Encoding"));
        }
        if (codings.size() > 1)
            return setError(501, QStringLiteral("Only the chunked transfer coding is supported"));
        m_chunked = true;
    } else if (!lengths.isEmpty()) {
        if (lengths.size() > 1)
            return setError(400, QStringLiteral("More than one Content-Length header"));
        const QByteArray &text = lengths.front();
        if (text.isEmpty() || text.size() > MaxContentLengthDigits)
            return setError(400, QStringLiteral("Invalid Content-Length"));
        qint64 length = 0;
        for (const char c : text) {
            if (c < '0' || c > '9')
                return setError(400, QStringLiteral("Invalid Content-Length"));
            length = length * 10 + (c - '0');
        }
        if (length > m_bodyLimit)
            return setError(413, QStringLiteral("Request body exceeds %1 bytes").arg(m_bodyLimit));
        m_contentLength = length;
    }

    if (headers.contains("expect")) {
        const QList<QByteArray> expectations = headers.values("expect");
        if (expectations.size() != 1 || !equalsIgnoreCase(expectations.front(), "100-continue"))
            return setError(417, QStringLiteral("Unsupported expectation"));
        // RFC 9110 §10.1.1: a 100-continue expectation in HTTP/1.0 is ignored.
        m_expectContinue = !http10 && (m_chunked || m_contentLength > 0);
    }

    if (headers.hasToken("connection", "close"))
        m_keepAlive = false;
    else
        m_keepAlive = !http10 || headers.hasToken("connection", "keep-alive");

    m_headBytes = 0; // trailers get their own budget
    m_fieldCount = 0;
    if (m_chunked) {
        m_state = State::ChunkSize;
    } else if (m_contentLength > 0) {
        m_remaining = m_contentLength;
        m_state = State::Body;
    } else {
        m_state = State::Done;
    }
    return true;
}

bool HttpRequestParser::parseChunkSize(QByteArrayView line)
{
    const char *error = nullptr;
    const qint64 size = parseChunkSizeLine(line, &error);
    if (size < 0)
        return setError(400, QString::fromLatin1(error));
    if (size == 0) {
        m_state = State::TrailerLine;
        return true;
    }
    if (size > m_bodyLimit - m_bodyBytes)
        return setError(413, QStringLiteral("Request body exceeds %1 bytes").arg(m_bodyLimit));
    m_remaining = size;
    m_state = State::ChunkData;
    return true;
}

void HttpRequestParser::appendBody(QByteArrayView bytes)
{
    m_bodyBytes += bytes.size();
    if (m_bodySink) {
        m_bodySink(bytes);
        return;
    }
    // Reserve what is announced, but not so much that slow clients pin memory.
    if (m_request.body.isEmpty() && m_contentLength > 0)
        m_request.body.reserve(qsizetype(qMin<qint64>(m_contentLength, 256 * 1024)));
    m_request.body.append(bytes);
}

} // namespace gh
