// Parser throughput on typical requests, whole and in small TCP-like pieces: the number
// to watch when the parser changes (it runs once per request on every worker).
#include "http/HttpRequestParser.h"

#include <benchmark/benchmark.h>

namespace {

const QByteArray kSmallGet = "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:4141\r\n"
                             "User-Agent: OpenAI/Python 1.40.0\r\nAccept: application/json\r\n"
                             "Authorization: Bearer gh-0123456789abcdef0123456789abcdef0123456\r\n\r\n";

QByteArray chatPost()
{
    const QByteArray body = R"({"model":"fast","messages":[{"role":"user","content":"Say hello"}],"stream":true})";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:4141\r\nContent-Type: application/json\r\n"
           "Authorization: Bearer gh-0123456789abcdef0123456789abcdef0123456\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

void parseAll(gh::HttpRequestParser &parser, QByteArrayView data, qsizetype piece)
{
    for (qsizetype offset = 0; offset < data.size();) {
        const QByteArrayView chunk = data.sliced(offset, qMin(piece, data.size() - offset));
        qsizetype used = 0;
        while (used < chunk.size()) {
            const auto r = parser.feed(chunk.sliced(used));
            used += r.consumed;
            if (r.status == gh::HttpRequestParser::Status::MessageComplete)
                parser.reset();
            else if (r.status == gh::HttpRequestParser::Status::NeedMore)
                break;
        }
        offset += chunk.size();
    }
}

void BM_ParseWhole(benchmark::State &state, QByteArray request)
{
    gh::HttpRequestParser parser;
    for (auto _ : state) {
        parseAll(parser, request, request.size());
        benchmark::DoNotOptimize(parser.request().method.constData());
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * request.size());
    state.SetItemsProcessed(state.iterations());
}

void BM_ParseInPieces(benchmark::State &state, QByteArray request)
{
    gh::HttpRequestParser parser;
    for (auto _ : state)
        parseAll(parser, request, 16);
    state.SetBytesProcessed(int64_t(state.iterations()) * request.size());
    state.SetItemsProcessed(state.iterations());
}

} // namespace

BENCHMARK_CAPTURE(BM_ParseWhole, small_get, kSmallGet);
BENCHMARK_CAPTURE(BM_ParseWhole, chat_post, chatPost());
BENCHMARK_CAPTURE(BM_ParseInPieces, chat_post_16_bytes, chatPost());
BENCHMARK_MAIN();
