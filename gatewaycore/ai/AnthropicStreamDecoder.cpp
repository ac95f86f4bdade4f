#include "AnthropicStreamDecoder.h"

#include "AnthropicMessagesCodec.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gh {

ChatStreamEvent AnthropicStreamDecoder::usageEvent() const
{
    ChatStreamEvent event;
    event.type = ChatStreamEvent::Type::Usage;
    event.usage.present = true;
    event.usage.input = m_inputTokens + m_cacheReadTokens + m_cacheCreationTokens;
    event.usage.cachedInput = m_cacheReadTokens;
    event.usage.cacheCreationInput = m_cacheCreationTokens;
    event.usage.output = m_outputTokens;
    return event;
}

QList<ChatStreamEvent> AnthropicStreamDecoder::decode(const SseEvent &sse)
{
    QList<ChatStreamEvent> out;
    if (m_done)
        return out;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(sse.data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        m_done = true;
        ChatStreamEvent event;
        event.type = ChatStreamEvent::Type::Error;
        event.error = ChatError::badGateway(
            QStringLiteral("the upstream sent a stream event that is not a JSON object"));
        out.append(event);
        return out;
    }
    const QJsonObject data = document.object();
    const QString type = data.value(QLatin1String("type")).toString(QString::fromUtf8(sse.event));

    auto mergeUsage = [this](const QJsonObject &usage) {
        if (usage.contains(QLatin1String("input_tokens")))
            m_inputTokens = usage.value(QLatin1String("input_tokens")).toInteger();
        if (usage.contains(QLatin1String("cache_read_input_tokens")))
            m_cacheReadTokens = usage.value(QLatin1String("cache_read_input_tokens")).toInteger();
        if (usage.contains(QLatin1String("cache_creation_input_tokens")))
            m_cacheCreationTokens =
                usage.value(QLatin1String("cache_creation_input_tokens")).toInteger();
        if (usage.contains(QLatin1String("output_tokens")))
            m_outputTokens = usage.value(QLatin1String("output_tokens")).toInteger();
    };

    if (type == QLatin1String("message_start")) {
        const QJsonObject message = data.value(QLatin1String("message")).toObject();
        ChatStreamEvent start;
        start.type = ChatStreamEvent::Type::Start;
        start.id = message.value(QLatin1String("id")).toString();
        start.model = message.value(QLatin1String("model")).toString();
        out.append(start);
        if (message.value(QLatin1String("usage")).isObject()) {
            mergeUsage(message.value(QLatin1String("usage")).toObject());
            out.append(usageEvent());
        }
    } else if (type == QLatin1String("content_block_start")) {
        const int index = data.value(QLatin1String("index")).toInt();
        const QJsonObject block = data.value(QLatin1String("content_block")).toObject();
        const QString blockType = block.value(QLatin1String("type")).toString();
        if (blockType == QLatin1String("text")) {
            const QString text = block.value(QLatin1String("text")).toString();
            if (!text.isEmpty()) {
                ChatStreamEvent event;
                event.type = ChatStreamEvent::Type::TextDelta;
                event.text = text;
                out.append(event);
            }
        } else if (blockType == QLatin1String("tool_use")) {
            const int tool = m_toolCount++;
            m_toolForBlock.insert(index, tool);
            ChatStreamEvent start;
            start.type = ChatStreamEvent::Type::ToolCallStart;
            start.toolIndex = tool;
            start.toolCallId = block.value(QLatin1String("id")).toString();
            start.toolName = block.value(QLatin1String("name")).toString();
            out.append(start);
            // The start block's input is {} when deltas follow; anything else is the input.
            const QJsonObject input = block.value(QLatin1String("input")).toObject();
            if (!input.isEmpty()) {
                ChatStreamEvent fragment;
                fragment.type = ChatStreamEvent::Type::ToolCallDelta;
                fragment.toolIndex = tool;
                fragment.text =
                    QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact));
                out.append(fragment);
            }
        }
    } else if (type == QLatin1String("content_block_delta")) {
        const int index = data.value(QLatin1String("index")).toInt();
        const QJsonObject delta = data.value(QLatin1String("delta")).toObject();
        const QString deltaType = delta.value(QLatin1String("type")).toString();
        if (deltaType == QLatin1String("text_delta")) {
            ChatStreamEvent event;
            event.type = ChatStreamEvent::Type::TextDelta;
            event.text = delta.value(QLatin1String("text")).toString();
            if (!event.text.isEmpty())
                out.append(event);
        } else if (deltaType == QLatin1String("input_json_delta") &&
                   m_toolForBlock.contains(index)) {
            ChatStreamEvent fragment;
            fragment.type = ChatStreamEvent::Type::ToolCallDelta;
            fragment.toolIndex = m_toolForBlock.value(index);
            fragment.text = delta.value(QLatin1String("partial_json")).toString();
            if (!fragment.text.isEmpty())
                out.append(fragment);
        }
    } else if (type == QLatin1String("message_delta")) {
        const QJsonObject delta = data.value(QLatin1String("delta")).toObject();
        const QString stopReason = delta.value(QLatin1String("stop_reason")).toString();
        if (!stopReason.isEmpty()) {
            ChatStreamEvent finish;
            finish.type = ChatStreamEvent::Type::Finish;
            finish.finishReason = AnthropicMessagesCodec::parseStopReason(stopReason);
            finish.stopSequence = delta.value(QLatin1String("stop_sequence")).toString();
            out.append(finish);
        }
        if (data.value(QLatin1String("usage")).isObject()) {
            mergeUsage(data.value(QLatin1String("usage")).toObject());
            out.append(usageEvent());
        }
    } else if (type == QLatin1String("message_stop")) {
        m_done = true;
        out.append(ChatStreamEvent::ofType(ChatStreamEvent::Type::Done));
    } else if (type == QLatin1String("error")) {
        m_done = true;
        // The error object has the non-streaming body's shape; reuse its type mapping.
        ChatStreamEvent event;
        event.type = ChatStreamEvent::Type::Error;
        event.error = AnthropicMessagesCodec::parseError(500, sse.data);
        out.append(event);
    }
    return out;
}

} // namespace gh
