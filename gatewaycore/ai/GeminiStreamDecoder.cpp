#include "GeminiStreamDecoder.h"

#include "GeminiCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gh {

GeminiStreamDecoder::GeminiStreamDecoder()
    : m_nonce(GeminiCodec::newCallNonce())
{}

void GeminiStreamDecoder::finish(QList<ChatStreamEvent> &out, FinishReason reason)
{
    m_done = true;
    ChatStreamEvent event = ChatStreamEvent::ofType(ChatStreamEvent::Type::Finish);
    event.finishReason = reason;
    out.append(event);
    if (m_usage.present) {
        ChatStreamEvent usage = ChatStreamEvent::ofType(ChatStreamEvent::Type::Usage);
        usage.usage = m_usage;
        out.append(usage);
    }
    out.append(ChatStreamEvent::ofType(ChatStreamEvent::Type::Done));
}

QList<ChatStreamEvent> GeminiStreamDecoder::decode(const SseEvent &sse)
{
    QList<ChatStreamEvent> out;
    if (m_done)
        return out;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(sse.data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        m_done = true;
        ChatStreamEvent event = ChatStreamEvent::ofType(ChatStreamEvent::Type::Error);
        event.error = ChatError::badGateway(
            QStringLiteral("the upstream sent a stream event that is not a JSON object"));
        out.append(event);
        return out;
    }
    const QJsonObject chunk = document.object();

    if (chunk.value(QLatin1String("error")).isObject()) {
        m_done = true;
        ChatStreamEvent event = ChatStreamEvent::ofType(ChatStreamEvent::Type::Error);
        // The stream itself was 200: the error's own code says what went wrong.
        event.error = GeminiCodec::parseError(0, sse.data);
        out.append(event);
        return out;
    }

    if (!m_started) {
        m_started = true;
        ChatStreamEvent start = ChatStreamEvent::ofType(ChatStreamEvent::Type::Start);
        start.id = chunk.value(QLatin1String("responseId")).toString();
        if (start.id.isEmpty())
            start.id = GeminiCodec::syntheticResponseId();
        start.model = chunk.value(QLatin1String("modelVersion")).toString();
        out.append(start);
    }

    if (chunk.value(QLatin1String("usageMetadata")).isObject())
        m_usage = GeminiCodec::parseUsage(chunk.value(QLatin1String("usageMetadata")).toObject());

    const QJsonArray candidates = chunk.value(QLatin1String("candidates")).toArray();
    if (candidates.isEmpty()) {
        const QJsonObject feedback = chunk.value(QLatin1String("promptFeedback")).toObject();
        if (!feedback.value(QLatin1String("blockReason")).toString().isEmpty())
            finish(out, FinishReason::ContentFilter);
        return out;
    }

    const QJsonObject candidate = candidates.first().toObject();
    const QJsonArray parts = candidate.value(QLatin1String("content"))
                                 .toObject()
                                 .value(QLatin1String("parts"))
                                 .toArray();
    for (const QJsonValue &value : parts) {
        const QJsonObject part = value.toObject();
        if (part.value(QLatin1String("thought")).toBool())
            continue;
        if (part.contains(QLatin1String("text"))) {
            ChatStreamEvent event = ChatStreamEvent::ofType(ChatStreamEvent::Type::TextDelta);
            event.text = part.value(QLatin1String("text")).toString();
            if (!event.text.isEmpty())
                out.append(event);
        } else if (part.value(QLatin1String("functionCall")).isObject()) {
            const QJsonObject call = part.value(QLatin1String("functionCall")).toObject();
            const int index = m_toolCount++;
            ChatStreamEvent start = ChatStreamEvent::ofType(ChatStreamEvent::Type::ToolCallStart);
            start.toolIndex = index;
            start.toolCallId = call.value(QLatin1String("id")).toString();
            if (start.toolCallId.isEmpty())
                start.toolCallId = GeminiCodec::syntheticCallId(m_nonce, index);
            start.toolName = call.value(QLatin1String("name")).toString();
            out.append(start);
            ChatStreamEvent arguments =
                ChatStreamEvent::ofType(ChatStreamEvent::Type::ToolCallDelta);
            arguments.toolIndex = index;
            arguments.text =
                QString::fromUtf8(QJsonDocument(call.value(QLatin1String("args")).toObject())
                                      .toJson(QJsonDocument::Compact));
            out.append(arguments);
        }
    }

    const QString reason = candidate.value(QLatin1String("finishReason")).toString();
    if (!reason.isEmpty()) {
        FinishReason finishReason = GeminiCodec::parseFinishReason(reason);
        if (finishReason == FinishReason::Stop && m_toolCount > 0)
            finishReason = FinishReason::ToolCalls;
        finish(out, finishReason);
    }
    return out;
}

} // namespace gh
