#include "OpenAiStreamEncoder.h"

#include "OpenAiChatCodec.h"
#include "SseWriter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gh {

namespace {

QByteArray dataEvent(const QJsonObject &object)
{
    return SseWriter::data(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

OpenAiStreamEncoder::OpenAiStreamEncoder(bool includeUsage)
    : m_includeUsage(includeUsage)
{}

QByteArray OpenAiStreamEncoder::chunk(const QJsonObject &delta,
                                      const QJsonValue &finishReason) const
{
    const QJsonObject choice{{QStringLiteral("index"), 0},
                             {QStringLiteral("delta"), delta},
                             {QStringLiteral("logprobs"), QJsonValue::Null},
                             {QStringLiteral("finish_reason"), finishReason}};
    QJsonObject object{{QStringLiteral("id"), m_id},
                       {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                       {QStringLiteral("created"), m_created},
                       {QStringLiteral("model"), m_model},
                       {QStringLiteral("choices"), QJsonArray{choice}}};
    if (m_includeUsage)
        object.insert(QStringLiteral("usage"), QJsonValue::Null);
    return dataEvent(object);
}

QByteArray OpenAiStreamEncoder::encode(const ChatStreamEvent &event)
{
    if (m_finished)
        return {};
    if (m_created == 0)
        m_created = event.created ? event.created : QDateTime::currentSecsSinceEpoch();
    switch (event.type) {
    case ChatStreamEvent::Type::Start:
        m_id = event.id;
        m_model = event.model;
        return chunk(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                 {QStringLiteral("content"), QString()}},
                     QJsonValue::Null);
    case ChatStreamEvent::Type::TextDelta:
        if (event.text.isEmpty())
            return {};
        return chunk(QJsonObject{{QStringLiteral("content"), event.text}}, QJsonValue::Null);
    case ChatStreamEvent::Type::ToolCallStart: {
        const QJsonObject call{
            {QStringLiteral("index"), event.toolIndex},
            {QStringLiteral("id"), event.toolCallId},
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"), QJsonObject{{QStringLiteral("name"), event.toolName},
                                                     {QStringLiteral("arguments"), QString()}}}};
        return chunk(QJsonObject{{QStringLiteral("tool_calls"), QJsonArray{call}}},
                     QJsonValue::Null);
    }
    case ChatStreamEvent::Type::ToolCallDelta: {
        if (event.text.isEmpty())
            return {};
        const QJsonObject call{
            {QStringLiteral("index"), event.toolIndex},
            {QStringLiteral("function"), QJsonObject{{QStringLiteral("arguments"), event.text}}}};
        return chunk(QJsonObject{{QStringLiteral("tool_calls"), QJsonArray{call}}},
                     QJsonValue::Null);
    }
    case ChatStreamEvent::Type::Finish:
        return chunk(QJsonObject(), OpenAiChatCodec::finishReasonName(event.finishReason));
    case ChatStreamEvent::Type::Usage:
        m_usage = event.usage;
        return {};
    case ChatStreamEvent::Type::Done: {
        m_finished = true;
        QByteArray out;
        if (m_includeUsage && m_usage.present) {
            out += dataEvent(
                QJsonObject{{QStringLiteral("id"), m_id},
                            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                            {QStringLiteral("created"), m_created},
                            {QStringLiteral("model"), m_model},
                            {QStringLiteral("choices"), QJsonArray()},
                            {QStringLiteral("usage"), OpenAiChatCodec::writeUsage(m_usage)}});
        }
        out += SseWriter::data("[DONE]");
        return out;
    }
    case ChatStreamEvent::Type::Error:
        m_finished = true;
        return dataEvent(OpenAiChatCodec::errorBody(event.error));
    }
    return {};
}

} // namespace gh
