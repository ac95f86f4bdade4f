#pragma once

#include "ChatStreamDecoder.h"
#include "ChatStreamEncoder.h"
#include "SseParser.h"

#include <QByteArrayView>

#include <memory>

namespace gh {

// One streamed answer translated from the upstream's dialect to the caller's: upstream
// bytes in (any piece sizes), caller bytes out. SSE framing is parsed by SseParser, events
// go through the upstream dialect's decoder into neutral events and out through the
// caller dialect's encoder. Usage and finish reason are kept for the log.
// The stream never ends silently: finish() on an upstream that ended before its last
// event, and fail() on a gateway-side failure, write the caller dialect's in-stream error.
class ChatStreamTranslator
{
public:
    // includeUsage: the caller asked for usage in its stream (OpenAI stream_options);
    // Anthropic callers always get it.
    ChatStreamTranslator(ChatDialect upstream, ChatDialect client, bool includeUsage);
    // Any upstream dialect: its decoder, and whether its stream is NDJSON (one JSON object
    // per line, handed to the decoder as an SseEvent's data) instead of SSE.
    enum class Framing { Sse, Ndjson };
    ChatStreamTranslator(std::unique_ptr<ChatStreamDecoder> decoder, Framing framing,
                         ChatDialect client, bool includeUsage);
    // Any upstream dialect to a caller format of its own (a prompt API's SSE).
    ChatStreamTranslator(std::unique_ptr<ChatStreamDecoder> decoder, Framing framing,
                         std::unique_ptr<ChatStreamEncoder> encoder);
    ~ChatStreamTranslator();

    QByteArray feed(QByteArrayView upstreamBytes);
    // The upstream body ended. Empty if the stream was complete, else an error event.
    QByteArray finish();
    // Ends the caller's stream with this error (nothing if it already ended).
    QByteArray fail(const ChatError &error);

    // The caller's stream is complete or failed: nothing more will be written.
    bool isFinished() const { return m_encoder->isFinished(); }
    bool hasFailed() const { return m_failed || m_encoder->hasFailed(); }
    const ChatUsage &usage() const { return m_usage; }
    FinishReason finishReason() const { return m_finishReason; }

    // Fixes "created" of OpenAI chunks when the upstream gives none (tests; default now).
    void setCreated(qint64 created);

private:
    QByteArray process(const ChatStreamEvent &event);
    QByteArray decode(const SseEvent &event);
    QList<SseEvent> ndjsonLines(QByteArrayView bytes, bool end);

    // An NDJSON line longer than this is not an answer chunk but a broken upstream.
    static constexpr qsizetype MaxLineBytes = 16 * 1024 * 1024;

    SseParser m_parser;
    Framing m_framing = Framing::Sse;
    QByteArray m_line; // NDJSON: the incomplete last line
    bool m_lineTooLong = false;
    std::unique_ptr<ChatStreamDecoder> m_decoder;
    std::unique_ptr<ChatStreamEncoder> m_encoder;
    ChatUsage m_usage;
    FinishReason m_finishReason = FinishReason::None;
    bool m_failed = false;
};

} // namespace gh
