// libFuzzer target for the strict HTTP/1.x request parser. The input is fed twice: whole,
// and split at a position taken from its first byte, and both runs must agree — the
// parser's answer may never depend on how TCP happened to segment the bytes.
#include "http/HttpRequestParser.h"

#include <cstdint>
#include <cstdlib>

namespace {

struct Outcome
{
    int messages = 0;
    int errorStatus = 0;
};

Outcome run(QByteArrayView data, qsizetype split)
{
    gh::HttpRequestParser parser;
    Outcome outcome;
    QByteArrayView pieces[2] = {data.first(split), data.sliced(split)};
    QByteArray pending;
    for (QByteArrayView piece : pieces) {
        pending.append(piece);
        qsizetype offset = 0;
        while (offset <= pending.size()) {
            const auto result = parser.feed(QByteArrayView(pending).sliced(offset));
            offset += result.consumed;
            if (result.status == gh::HttpRequestParser::Status::Error) {
                outcome.errorStatus = parser.errorStatus();
                return outcome;
            }
            if (result.status == gh::HttpRequestParser::Status::MessageComplete) {
                ++outcome.messages;
                parser.reset();
                continue;
            }
            if (result.status == gh::HttpRequestParser::Status::HeadComplete)
                continue;
            break; // NeedMore: everything fed was consumed or buffered
        }
        pending = pending.mid(offset);
    }
    return outcome;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const Outcome whole = run(input, qsizetype(size));
    const qsizetype split = size ? qsizetype(data[0]) % qsizetype(size + 1) : 0;
    const Outcome pieces = run(input, split);
    if (whole.messages != pieces.messages || whole.errorStatus != pieces.errorStatus)
        abort();
    return 0;
}
