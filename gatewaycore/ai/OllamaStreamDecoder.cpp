#include "OllamaStreamDecoder.h"

#include "OllamaChatCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gh {

namespace {

ChatStreamEvent errorEvent(ChatError error)
{
    ChatStreamEvent event;
    event.type = ChatStreamEvent::Type::Error;
    event.error = std::move(error);
    return event;
}

} // namespace

QList<ChatStreamEvent> OllamaStreamDecoder::decode(const SseEvent &line)
{
    QList<ChatStreamEvent> out;
    if (m_done || line.data.trimmed().isEmpty())
        return out;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        m_done = true;
        out.append(errorEvent(ChatError::badGateway(
            QStringLiteral("the upstream sent a stream line that is not a JSON object"))));
        return out;
    }
    const QJsonObject chunk = document.object();
    if (chunk.contains(QLatin1String("error"))) {
        // The status line already said 200: the text is all there is to go by.
        m_done = true;
        const QJsonValue error = chunk.value(QLatin1String("error"));
        QString message = error.isObject()
                              ? error.toObject().value(QLatin1String("message")).toString()
                              : error.toString();
        if (message.isEmpty())
            message = QStringLiteral("upstream error");
        out.append(errorEvent(ChatError{ChatError::Kind::Api, message, {}}));
        return out;
    }
    if (!m_started) {
        m_started = true;
        ChatStreamEvent start;
        start.type = ChatStreamEvent::Type::Start;
        start.id = OllamaChatCodec::makeResponseId();
        start.model = chunk.value(QLatin1String("model")).toString();
        start.created =
            OllamaChatCodec::parseCreatedAt(chunk.value(QLatin1String("created_at")).toString());
        out.append(start);
    }

    const QJsonObject message = chunk.value(QLatin1String("message")).toObject();
    const QString text = message.value(QLatin1String("content")).toString();
    if (!text.isEmpty()) {
        ChatStreamEvent event;
        event.type = ChatStreamEvent::Type::TextDelta;
        event.text = text;
        out.append(event);
    }
    const QJsonArray calls = message.value(QLatin1String("tool_calls")).toArray();
    for (const QJsonValue &value : calls) {
        const QJsonObject call = value.toObject();
        const QJsonObject function = call.value(QLatin1String("function")).toObject();
        const QString id = call.value(QLatin1String("id")).toString();
        ChatStreamEvent start;
        start.type = ChatStreamEvent::Type::ToolCallStart;
        start.toolIndex = m_toolCount;
        start.toolCallId = id.isEmpty() ? OllamaChatCodec::makeToolCallId() : id;
        start.toolName = function.value(QLatin1String("name")).toString();
        out.append(start);
        const QJsonValue arguments = function.value(QLatin1String("arguments"));
        ChatStreamEvent delta;
        delta.type = ChatStreamEvent::Type::ToolCallDelta;
        delta.toolIndex = m_toolCount;
        delta.text = arguments.isString()
                         ? arguments.toString()
                         : QString::fromUtf8(
                               QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact));
        out.append(delta);
        ++m_toolCount;
    }

    if (chunk.value(QLatin1String("done")).toBool()) {
        m_done = true;
        ChatStreamEvent finish;
        finish.type = ChatStreamEvent::Type::Finish;
        finish.finishReason = OllamaChatCodec::parseDoneReason(
            chunk.value(QLatin1String("done_reason")).toString(), m_toolCount > 0);
        out.append(finish);
        ChatStreamEvent usage;
        usage.type = ChatStreamEvent::Type::Usage;
        usage.usage = OllamaChatCodec::parseUsage(chunk);
        out.append(usage);
        out.append(ChatStreamEvent::ofType(ChatStreamEvent::Type::Done));
    }
    return out;
}

} // namespace gh
