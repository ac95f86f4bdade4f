#include "AnthropicStreamEncoder.h"

#include "AnthropicMessagesCodec.h"
#include "SseWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gh {

namespace {

QByteArray namedEvent(const QJsonObject &data)
{
    return SseWriter::event(data.value(QLatin1String("type")).toString().toUtf8(),
                            QJsonDocument(data).toJson(QJsonDocument::Compact));
}

} // namespace

QByteArray AnthropicStreamEncoder::ensureStarted()
{
    if (m_started)
        return {};
    m_started = true;
    const QJsonObject message{
        {QStringLiteral("id"), m_id},
        {QStringLiteral("type"), QStringLiteral("message")},
        {QStringLiteral("role"), QStringLiteral("assistant")},
        {QStringLiteral("model"), m_model},
        {QStringLiteral("content"), QJsonArray()},
        {QStringLiteral("stop_reason"), QJsonValue::Null},
        {QStringLiteral("stop_sequence"), QJsonValue::Null},
        {QStringLiteral("usage"), AnthropicMessagesCodec::writeUsage(m_usage)}};
    return namedEvent(QJsonObject{{QStringLiteral("type"), QStringLiteral("message_start")},
                                  {QStringLiteral("message"), message}});
}

QByteArray AnthropicStreamEncoder::closeBlock()
{
    if (m_openKind == BlockKind::None)
        return {};
    const int index = m_openBlock;
    m_openKind = BlockKind::None;
    m_openBlock = -1;
    return namedEvent(QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_stop")},
                                  {QStringLiteral("index"), index}});
}

QByteArray AnthropicStreamEncoder::openBlock(BlockKind kind, const QJsonObject &contentBlock)
{
    QByteArray out = closeBlock();
    m_openKind = kind;
    m_openBlock = m_nextBlock++;
    out += namedEvent(QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_start")},
                                  {QStringLiteral("index"), m_openBlock},
                                  {QStringLiteral("content_block"), contentBlock}});
    return out;
}

QByteArray AnthropicStreamEncoder::encode(const ChatStreamEvent &event)
{
    if (m_finished)
        return {};
    QByteArray out;
    switch (event.type) {
    case ChatStreamEvent::Type::Start:
        m_id = event.id;
        m_model = event.model;
        break;
    case ChatStreamEvent::Type::Usage:
        m_usage = event.usage;
        break;
    case ChatStreamEvent::Type::TextDelta:
        if (event.text.isEmpty())
            break;
        out += ensureStarted();
        if (m_openKind != BlockKind::Text) {
            out += openBlock(BlockKind::Text,
                             QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                         {QStringLiteral("text"), QString()}});
        }
        out += namedEvent(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_delta")},
                        {QStringLiteral("index"), m_openBlock},
                        {QStringLiteral("delta"),
                         QJsonObject{{QStringLiteral("type"), QStringLiteral("text_delta")},
                                     {QStringLiteral("text"), event.text}}}});
        break;
    case ChatStreamEvent::Type::ToolCallStart:
        out += ensureStarted();
        out += openBlock(BlockKind::Tool,
                         QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_use")},
                                     {QStringLiteral("id"), event.toolCallId},
                                     {QStringLiteral("name"), event.toolName},
                                     {QStringLiteral("input"), QJsonObject()}});
        m_blockForTool.insert(event.toolIndex, m_openBlock);
        break;
    case ChatStreamEvent::Type::ToolCallDelta: {
        if (event.text.isEmpty())
            break;
        out += ensureStarted();
        if (!m_blockForTool.contains(event.toolIndex)) {
            // Arguments before the call's start: open the block with what we know.
            out += openBlock(BlockKind::Tool,
                             QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_use")},
                                         {QStringLiteral("id"), QString()},
                                         {QStringLiteral("name"), QString()},
                                         {QStringLiteral("input"), QJsonObject()}});
            m_blockForTool.insert(event.toolIndex, m_openBlock);
        }
        const QJsonObject delta{{QStringLiteral("type"), QStringLiteral("input_json_delta")},
                                {QStringLiteral("partial_json"), event.text}};
        out +=
            namedEvent(QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_delta")},
                                   {QStringLiteral("index"), m_blockForTool.value(event.toolIndex)},
                                   {QStringLiteral("delta"), delta}});
        break;
    }
    case ChatStreamEvent::Type::Finish:
        m_finishReason = event.finishReason;
        m_stopSequence = event.stopSequence;
        break;
    case ChatStreamEvent::Type::Done: {
        out += ensureStarted();
        out += closeBlock();
        const QString stopReason =
            AnthropicMessagesCodec::stopReasonName(m_finishReason, m_stopSequence);
        const QJsonObject delta{
            {QStringLiteral("stop_reason"), stopReason},
            {QStringLiteral("stop_sequence"), stopReason == QLatin1String("stop_sequence")
                                                  ? QJsonValue(m_stopSequence)
                                                  : QJsonValue(QJsonValue::Null)}};
        out += namedEvent(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("message_delta")},
                        {QStringLiteral("delta"), delta},
                        {QStringLiteral("usage"), AnthropicMessagesCodec::writeUsage(m_usage)}});
        out += namedEvent(QJsonObject{{QStringLiteral("type"), QStringLiteral("message_stop")}});
        m_finished = true;
        break;
    }
    case ChatStreamEvent::Type::Error:
        m_finished = true;
        out += namedEvent(AnthropicMessagesCodec::errorBody(event.error));
        break;
    }
    return out;
}

} // namespace gh
