#include "OpenAiStreamDecoder.h"

#include "OpenAiChatCodec.h"

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

// In-stream errors carry no HTTP status; their type is the best guide.
ChatError::Kind kindForType(const QString &type)
{
    if (type == QLatin1String("invalid_request_error"))
        return ChatError::Kind::InvalidRequest;
    if (type == QLatin1String("rate_limit_error") || type == QLatin1String("tokens") ||
        type == QLatin1String("requests"))
        return ChatError::Kind::RateLimit;
    return ChatError::Kind::Api;
}

} // namespace

QList<ChatStreamEvent> OpenAiStreamDecoder::decode(const SseEvent &sse)
{
    QList<ChatStreamEvent> out;
    if (m_done)
        return out;
    if (sse.data.trimmed() == "[DONE]") {
        m_done = true;
        out.append(ChatStreamEvent::ofType(ChatStreamEvent::Type::Done));
        return out;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(sse.data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        m_done = true;
        out.append(errorEvent(
            ChatError::badGateway(QStringLiteral("the upstream sent a stream event that is not "
                                                 "a JSON object"))));
        return out;
    }
    const QJsonObject chunk = document.object();
    if (chunk.contains(QLatin1String("error"))) {
        const QJsonObject error = chunk.value(QLatin1String("error")).toObject();
        ChatError neutral{
            kindForType(error.value(QLatin1String("type")).toString()),
            error.value(QLatin1String("message")).toString(QStringLiteral("upstream error")),
            error.value(QLatin1String("param")).toString()};
        m_done = true;
        out.append(errorEvent(neutral));
        return out;
    }
    if (!m_started) {
        m_started = true;
        ChatStreamEvent start;
        start.type = ChatStreamEvent::Type::Start;
        start.id = chunk.value(QLatin1String("id")).toString();
        start.model = chunk.value(QLatin1String("model")).toString();
        start.created = chunk.value(QLatin1String("created")).toInteger();
        out.append(start);
    }
    const QJsonArray choices = chunk.value(QLatin1String("choices")).toArray();
    for (const QJsonValue &value : choices) {
        const QJsonObject choice = value.toObject();
        if (choice.value(QLatin1String("index")).toInt(0) != 0)
            continue;
        const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
        for (QLatin1String key : {QLatin1String("content"), QLatin1String("refusal")}) {
            const QString text = delta.value(key).toString();
            if (!text.isEmpty()) {
                ChatStreamEvent event;
                event.type = ChatStreamEvent::Type::TextDelta;
                event.text = text;
                out.append(event);
            }
        }
        const QJsonArray calls = delta.value(QLatin1String("tool_calls")).toArray();
        for (int i = 0; i < calls.size(); ++i) {
            const QJsonObject call = calls.at(i).toObject();
            const QJsonObject function = call.value(QLatin1String("function")).toObject();
            const int index = call.value(QLatin1String("index")).toInt(i);
            if (!m_toolIndexes.contains(index)) {
                m_toolIndexes.insert(index);
                ChatStreamEvent start;
                start.type = ChatStreamEvent::Type::ToolCallStart;
                start.toolIndex = index;
                start.toolCallId = call.value(QLatin1String("id")).toString();
                start.toolName = function.value(QLatin1String("name")).toString();
                out.append(start);
            }
            const QString arguments = function.value(QLatin1String("arguments")).toString();
            if (!arguments.isEmpty()) {
                ChatStreamEvent fragment;
                fragment.type = ChatStreamEvent::Type::ToolCallDelta;
                fragment.toolIndex = index;
                fragment.text = arguments;
                out.append(fragment);
            }
        }
        const QString finish = choice.value(QLatin1String("finish_reason")).toString();
        if (!finish.isEmpty()) {
            ChatStreamEvent event;
            event.type = ChatStreamEvent::Type::Finish;
            event.finishReason = OpenAiChatCodec::parseFinishReason(finish);
            out.append(event);
        }
    }
    if (chunk.value(QLatin1String("usage")).isObject()) {
        ChatStreamEvent event;
        event.type = ChatStreamEvent::Type::Usage;
        event.usage = OpenAiChatCodec::parseUsage(chunk.value(QLatin1String("usage")).toObject());
        out.append(event);
    }
    return out;
}

} // namespace gh
