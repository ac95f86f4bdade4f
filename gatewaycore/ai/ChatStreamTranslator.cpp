#include "ChatStreamTranslator.h"

#include "AnthropicStreamDecoder.h"
#include "AnthropicStreamEncoder.h"
#include "OpenAiStreamDecoder.h"
#include "OpenAiStreamEncoder.h"

namespace gh {

ChatStreamTranslator::ChatStreamTranslator(ChatDialect upstream, ChatDialect client,
                                           bool includeUsage)
{
    if (upstream == ChatDialect::OpenAi)
        m_decoder = std::make_unique<OpenAiStreamDecoder>();
    else
        m_decoder = std::make_unique<AnthropicStreamDecoder>();
    if (client == ChatDialect::OpenAi)
        m_encoder = std::make_unique<OpenAiStreamEncoder>(includeUsage);
    else
        m_encoder = std::make_unique<AnthropicStreamEncoder>();
}

ChatStreamTranslator::ChatStreamTranslator(std::unique_ptr<ChatStreamDecoder> decoder,
                                           Framing framing, ChatDialect client, bool includeUsage)
    : m_framing(framing)
    , m_decoder(std::move(decoder))
{
    if (client == ChatDialect::OpenAi)
        m_encoder = std::make_unique<OpenAiStreamEncoder>(includeUsage);
    else
        m_encoder = std::make_unique<AnthropicStreamEncoder>();
}

ChatStreamTranslator::ChatStreamTranslator(std::unique_ptr<ChatStreamDecoder> decoder,
                                           Framing framing,
                                           std::unique_ptr<ChatStreamEncoder> encoder)
    : m_framing(framing)
    , m_decoder(std::move(decoder))
    , m_encoder(std::move(encoder))
{}

ChatStreamTranslator::~ChatStreamTranslator() = default;

QList<SseEvent> ChatStreamTranslator::ndjsonLines(QByteArrayView bytes, bool end)
{
    QList<SseEvent> lines;
    m_line.append(bytes.data(), bytes.size());
    qsizetype start = 0;
    for (;;) {
        const qsizetype newline = m_line.indexOf('\n', start);
        if (newline < 0)
            break;
        QByteArray line = m_line.mid(start, newline - start).trimmed();
        if (!line.isEmpty())
            lines.append(SseEvent{{}, std::move(line), {}});
        start = newline + 1;
    }
    m_line.remove(0, start);
    if (end) {
        const QByteArray rest = m_line.trimmed();
        if (!rest.isEmpty())
            lines.append(SseEvent{{}, rest, {}});
        m_line.clear();
    } else if (m_line.size() > MaxLineBytes) {
        m_lineTooLong = true;
        m_line.clear();
    }
    return lines;
}

QByteArray ChatStreamTranslator::decode(const SseEvent &sse)
{
    QByteArray out;
    const QList<ChatStreamEvent> neutral = m_decoder->decode(sse);
    for (const ChatStreamEvent &event : neutral)
        out += process(event);
    return out;
}

void ChatStreamTranslator::setCreated(qint64 created)
{
    if (auto *openAi = dynamic_cast<OpenAiStreamEncoder *>(m_encoder.get()))
        openAi->setCreated(created);
}

QByteArray ChatStreamTranslator::process(const ChatStreamEvent &event)
{
    if (event.type == ChatStreamEvent::Type::Usage)
        m_usage = event.usage;
    else if (event.type == ChatStreamEvent::Type::Finish)
        m_finishReason = event.finishReason;
    else if (event.type == ChatStreamEvent::Type::Error)
        m_failed = true;
    return m_encoder->encode(event);
}

QByteArray ChatStreamTranslator::feed(QByteArrayView upstreamBytes)
{
    QByteArray out;
    if (m_encoder->isFinished())
        return out;
    const QList<SseEvent> events = m_framing == Framing::Sse ? m_parser.feed(upstreamBytes)
                                                             : ndjsonLines(upstreamBytes, false);
    for (const SseEvent &sse : events)
        out += decode(sse);
    if ((m_parser.hasError() || m_lineTooLong) && !m_encoder->isFinished())
        out += fail(
            ChatError::badGateway(QStringLiteral("the upstream sent an oversized stream event")));
    return out;
}

QByteArray ChatStreamTranslator::finish()
{
    QByteArray out;
    if (m_framing == Framing::Sse) {
        m_parser.finish();
    } else {
        for (const SseEvent &sse : ndjsonLines({}, true))
            out += decode(sse);
    }
    if (m_encoder->isFinished())
        return out;
    return out + fail(ChatError::badGateway(
                     QStringLiteral("the upstream stream ended before the answer was complete")));
}

QByteArray ChatStreamTranslator::fail(const ChatError &error)
{
    ChatStreamEvent event;
    event.type = ChatStreamEvent::Type::Error;
    event.error = error;
    return process(event);
}

} // namespace gh
