// Own parser or a library? gh::HttpRequestParser against Debian's libhttp-parser 2.9
// (the parser Node.js used before llhttp) on the same inputs, fed whole and in 16-byte
// TCP-like pieces. Two libhttp-parser variants:
//   http_parser_bare     callbacks do nothing: the library's raw scanning speed, a
//                        lower bound no real server gets (it must keep what it parsed);
//   http_parser_collect  callbacks build the same gh::HttpRequest our parser produces
//                        (method, target, headers as owned QByteArrays, body), joining
//                        the fragments the library hands out when a token is split
//                        across reads: the work a gateway would really do with it.
// Ours additionally validates and percent-decodes the path, checks Host, framing and
// header values; see `bench_parser_choice --strictness` for what each one accepts.
#include "http/HttpRequest.h"
#include "http/HttpRequestParser.h"

#include <benchmark/benchmark.h>
#include <http_parser.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

const QByteArray kSmallGet = "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:4141\r\n"
                             "User-Agent: OpenAI/Python 1.40.0\r\nAccept: application/json\r\n"
                             "Authorization: Bearer gh-0123456789abcdef0123456789abcdef0123456\r\n\r\n";

QByteArray chatPost()
{
    const QByteArray body = R"({"model":"fast","messages":[{"role":"system","content":"You are terse."},)"
                            R"({"role":"user","content":"Say hello in five languages, one per line."}],)"
                            R"("temperature":0.2,"max_tokens":256,"stream":true})";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:4141\r\nContent-Type: application/json\r\n"
           "User-Agent: OpenAI/Python 1.40.0\r\nAccept: application/json\r\n"
           "Authorization: Bearer gh-0123456789abcdef0123456789abcdef0123456\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// Ten requests back to back, as a pipelining client (or wrk with a pipeline script) sends them.
QByteArray pipelined()
{
    QByteArray batch;
    for (int i = 0; i < 10; ++i)
        batch += (i % 5 == 4) ? chatPost() : kSmallGet;
    return batch;
}

int messagesIn(const QByteArray &data)
{
    return int(data.count("HTTP/1.1\r\n"));
}

// ---- ours ----------------------------------------------------------------------------

int parseOurs(gh::HttpRequestParser &parser, QByteArrayView data, qsizetype piece)
{
    int complete = 0;
    for (qsizetype offset = 0; offset < data.size();) {
        QByteArrayView rest = data.sliced(offset, qMin(piece, data.size() - offset));
        offset += rest.size();
        // Feed until the parser needs more: after HeadComplete it is fed again (with what
        // is left, possibly nothing) to reach MessageComplete, as HttpConnection does.
        while (true) {
            const auto r = parser.feed(rest);
            rest = rest.sliced(r.consumed);
            if (r.status == gh::HttpRequestParser::Status::MessageComplete) {
                benchmark::DoNotOptimize(parser.request().headers.size());
                ++complete;
                parser.reset();
                if (rest.isEmpty())
                    break;
            } else if (r.status == gh::HttpRequestParser::Status::NeedMore) {
                break;
            } else if (r.status == gh::HttpRequestParser::Status::Error) {
                return -1;
            }
        }
    }
    return complete;
}

// ---- libhttp-parser ------------------------------------------------------------------

struct Collector
{
    gh::HttpRequest request;
    QByteArray field;
    QByteArray value;
    bool inValue = false;
    bool midMessage = false; // between on_message_begin and on_message_complete
    int complete = 0;
    qint64 bodyBytes = 0; // strictness table only

    void flushHeader()
    {
        if (!field.isEmpty())
            request.headers.add(std::exchange(field, QByteArray()), std::exchange(value, QByteArray()));
        inValue = false;
    }
};

Collector &collector(http_parser *p)
{
    return *static_cast<Collector *>(p->data);
}

http_parser_settings collectSettings()
{
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_url = [](http_parser *p, const char *at, size_t n) {
        collector(p).request.target.append(at, qsizetype(n));
        return 0;
    };
    s.on_header_field = [](http_parser *p, const char *at, size_t n) {
        Collector &c = collector(p);
        if (c.inValue)
            c.flushHeader();
        c.field.append(at, qsizetype(n));
        return 0;
    };
    s.on_header_value = [](http_parser *p, const char *at, size_t n) {
        Collector &c = collector(p);
        c.inValue = true;
        c.value.append(at, qsizetype(n));
        return 0;
    };
    s.on_headers_complete = [](http_parser *p) {
        Collector &c = collector(p);
        c.flushHeader();
        c.request.method = http_method_str(http_method(p->method));
        c.request.versionMinor = p->http_minor;
        if (p->content_length > 0 && p->content_length != ULLONG_MAX)
            c.request.body.reserve(qsizetype(qMin<uint64_t>(p->content_length, 256 * 1024)));
        return 0;
    };
    s.on_body = [](http_parser *p, const char *at, size_t n) {
        collector(p).request.body.append(at, qsizetype(n));
        return 0;
    };
    s.on_message_complete = [](http_parser *p) {
        Collector &c = collector(p);
        benchmark::DoNotOptimize(c.request.headers.size());
        ++c.complete;
        c.request = gh::HttpRequest(); // fresh per message, as ours does
        return 0;
    };
    return s;
}

http_parser_settings bareSettings()
{
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_message_begin = [](http_parser *p) {
        collector(p).midMessage = true;
        return 0;
    };
    s.on_body = [](http_parser *p, const char *, size_t n) {
        collector(p).bodyBytes += qint64(n);
        return 0;
    };
    s.on_message_complete = [](http_parser *p) {
        ++collector(p).complete;
        collector(p).midMessage = false;
        return 0;
    };
    return s;
}

int parseLib(http_parser &parser, const http_parser_settings &settings, Collector &c, QByteArrayView data,
             qsizetype piece)
{
    c.complete = 0;
    for (qsizetype offset = 0; offset < data.size();) {
        const size_t n = size_t(qMin(piece, data.size() - offset));
        const size_t used = http_parser_execute(&parser, &settings, data.data() + offset, n);
        if (used != n || HTTP_PARSER_ERRNO(&parser) != HPE_OK)
            return -1;
        offset += qsizetype(n);
    }
    return c.complete;
}

// ---- benchmarks ----------------------------------------------------------------------

void BM_Ours(benchmark::State &state, QByteArray input, qsizetype piece)
{
    gh::HttpRequestParser parser;
    const int expected = messagesIn(input);
    for (auto _ : state) {
        if (parseOurs(parser, input, piece ? piece : input.size()) != expected) {
            state.SkipWithError("gh::HttpRequestParser did not parse the input");
            break;
        }
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * input.size());
    state.SetItemsProcessed(int64_t(state.iterations()) * expected);
}

void runLib(benchmark::State &state, const QByteArray &input, qsizetype piece, const http_parser_settings &settings)
{
    Collector c;
    http_parser parser;
    http_parser_init(&parser, HTTP_REQUEST);
    parser.data = &c;
    const int expected = messagesIn(input);
    for (auto _ : state) {
        if (parseLib(parser, settings, c, input, piece ? piece : input.size()) != expected) {
            state.SkipWithError("http_parser did not parse the input");
            break;
        }
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * input.size());
    state.SetItemsProcessed(int64_t(state.iterations()) * expected);
}

void BM_HttpParserCollect(benchmark::State &state, QByteArray input, qsizetype piece)
{
    runLib(state, input, piece, collectSettings());
}

void BM_HttpParserBare(benchmark::State &state, QByteArray input, qsizetype piece)
{
    runLib(state, input, piece, bareSettings());
}

#define GH_PARSER_CASES(fn)                                                                                 \
    BENCHMARK_CAPTURE(fn, small_get_whole, kSmallGet, 0);                                                   \
    BENCHMARK_CAPTURE(fn, small_get_16_bytes, kSmallGet, 16);                                               \
    BENCHMARK_CAPTURE(fn, chat_post_whole, chatPost(), 0);                                                  \
    BENCHMARK_CAPTURE(fn, chat_post_16_bytes, chatPost(), 16);                                              \
    BENCHMARK_CAPTURE(fn, pipelined_10_whole, pipelined(), 0);                                              \
    BENCHMARK_CAPTURE(fn, pipelined_10_16_bytes, pipelined(), 16)

GH_PARSER_CASES(BM_Ours);
GH_PARSER_CASES(BM_HttpParserCollect);
GH_PARSER_CASES(BM_HttpParserBare);

// ---- strictness: what each parser accepts ----------------------------------------------

struct Case
{
    const char *name;
    QByteArray bytes;
};

// accepted = at least one complete message and no error. For libhttp-parser the whole
// input is fed in one call (it keeps going across pipelined messages).
QString verdictOurs(const QByteArray &bytes, int &messages)
{
    qint64 bodyBytes = 0;
    gh::HttpRequestParser parser;
    messages = 0;
    QByteArrayView rest(bytes);
    while (true) {
        const auto r = parser.feed(rest);
        rest = rest.sliced(r.consumed);
        if (r.status == gh::HttpRequestParser::Status::MessageComplete) {
            ++messages;
            bodyBytes += parser.request().body.size();
            parser.reset();
            if (rest.isEmpty())
                break;
        } else if (r.status == gh::HttpRequestParser::Status::Error) {
            return QStringLiteral("reject %1").arg(parser.errorStatus());
        } else if (r.status == gh::HttpRequestParser::Status::NeedMore) {
            break;
        }
    }
    if (!messages)
        return QStringLiteral("incomplete");
    return (rest.isEmpty() && parser.isIdle() ? QStringLiteral("accept") : QStringLiteral("accept+rest"))
           + QStringLiteral(" (body %1)").arg(bodyBytes);
}

QString verdictLib(const QByteArray &bytes, int &messages)
{
    Collector c;
    http_parser parser;
    http_parser_init(&parser, HTTP_REQUEST);
    parser.data = &c;
    const http_parser_settings settings = bareSettings();
    const size_t used = http_parser_execute(&parser, &settings, bytes.constData(), size_t(bytes.size()));
    messages = c.complete;
    if (HTTP_PARSER_ERRNO(&parser) != HPE_OK || used != size_t(bytes.size()))
        return QStringLiteral("reject %1").arg(QString::fromLatin1(http_errno_name(HTTP_PARSER_ERRNO(&parser))));
    if (!messages)
        return QStringLiteral("incomplete");
    // Bytes left in a half-parsed next message: the body was taken for a new request.
    return (c.midMessage ? QStringLiteral("accept+rest") : QStringLiteral("accept"))
           + QStringLiteral(" (%1 msg, body %2)").arg(messages).arg(c.bodyBytes);
}

int printStrictness()
{
    const QByteArray h = "Host: a\r\n";
    const std::vector<Case> cases = {
        {"valid GET (control)", "GET / HTTP/1.1\r\n" + h + "\r\n"},
        {"Content-Length + Transfer-Encoding", "POST / HTTP/1.1\r\n" + h
                                                   + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                     "0\r\n\r\n"},
        {"two different Content-Length", "POST / HTTP/1.1\r\n" + h + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
        {"two equal Content-Length", "POST / HTTP/1.1\r\n" + h + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nab"},
        {"Content-Length: +2", "POST / HTTP/1.1\r\n" + h + "Content-Length: +2\r\n\r\nab"},
        {"Content-Length: 2 2 (inner space)", "POST / HTTP/1.1\r\n" + h + "Content-Length: 2 2\r\n\r\nab"},
        {"space before colon (Content-Length :)", "POST / HTTP/1.1\r\n" + h + "Content-Length : 2\r\n\r\nab"},
        {"TE: chunked, identity (not final)", "POST / HTTP/1.1\r\n" + h
                                                   + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"},
        {"TE: xchunked", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"},
        {"TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
        {"obs-fold header continuation", "GET / HTTP/1.1\r\n" + h + "X-A: 1\r\n  continued\r\n\r\n"},
        {"bare LF line endings", "GET / HTTP/1.1\n" + QByteArray("Host: a\n\n")},
        {"bare CR inside a header value", "GET / HTTP/1.1\r\n" + h + "X-A: 1\r2\r\n\r\n"},
        {"NUL inside a header value", "GET / HTTP/1.1\r\n" + h + QByteArray("X-A: 1\0002\r\n\r\n", sizeof("X-A: 1\0002\r\n\r\n") - 1)},
        {"chunk size with leading space", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n 1\r\na\r\n0\r\n\r\n"},
        {"chunk size 0x1 style (1x)", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n1x\r\na\r\n0\r\n\r\n"},
        {"chunk data not followed by CRLF", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n1\r\naXX0\r\n\r\n"},
        {"missing Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n"},
        {"two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
        {"dot segment /a/../admin", "GET /a/../admin HTTP/1.1\r\n" + h + "\r\n"},
        {"encoded NUL %00 in path", "GET /a%00b HTTP/1.1\r\n" + h + "\r\n"},
        {"two spaces in request line", "GET  / HTTP/1.1\r\n" + h + "\r\n"},
        {"HTTP/1.2", "GET / HTTP/1.2\r\n" + h + "\r\n"},
        {"invalid header name (a b)", "GET / HTTP/1.1\r\n" + h + "a b: c\r\n\r\n"},
        {"TE with space before colon", "POST / HTTP/1.1\r\n" + h
                                            + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"},
        {"unknown method FOO", "FOO / HTTP/1.1\r\n" + h + "\r\n"},
    };
    std::printf("accept = one complete request, nothing left; accept+rest = a request was complete and the\n"
                "remaining bytes were taken as the start of another one (the smuggling shape); reject = error\n\n");
    std::printf("%-40s | %-16s | %s\n", "input", "ours", "libhttp-parser 2.9");
    std::printf("%s\n", QByteArray(40, '-').append("-+-").append(QByteArray(16, '-')).append("-+-").append(QByteArray(24, '-')).constData());
    for (const Case &c : cases) {
        int oursMessages = 0;
        int libMessages = 0;
        const QString ours = verdictOurs(c.bytes, oursMessages);
        const QString lib = verdictLib(c.bytes, libMessages);
        std::printf("%-40s | %-16s | %s\n", c.name, qPrintable(ours), qPrintable(lib));
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--strictness") == 0)
            return printStrictness();
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
