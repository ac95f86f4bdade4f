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

ChatStreamTranslator::~ChatStreamTranslator() = default;

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
    const QList<SseEvent> events = m_parser.feed(upstreamBytes);
    for (const SseEvent &sse : events) {
        const QList<ChatStreamEvent> neutral = m_decoder->decode(sse);
        for (const ChatStreamEvent &event : neutral)
            out += process(event);
    }
    if (m_parser.hasError() && !m_encoder->isFinished())
        out += fail(
            ChatError::badGateway(QStringLiteral("the upstream sent an oversized stream event")));
    return out;
}

QByteArray ChatStreamTranslator::finish()
{
    m_parser.finish();
    if (m_encoder->isFinished())
        return {};
    return fail(ChatError::badGateway(
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
