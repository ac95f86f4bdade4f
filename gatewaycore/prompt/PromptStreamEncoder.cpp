#include "PromptStreamEncoder.h"

#include "CompiledPromptApi.h"
#include "ai/OpenAiChatCodec.h"
#include "ai/SseWriter.h"

#include <QJsonDocument>

namespace gh {

namespace {

QByteArray event(QByteArrayView name, const QJsonObject &data)
{
    return SseWriter::event(name, QJsonDocument(data).toJson(QJsonDocument::Compact));
}

} // namespace

PromptStreamEncoder::PromptStreamEncoder(const CompiledPromptApi &api, CostFunction cost,
                                         QString model)
    : m_api(api)
    , m_cost(std::move(cost))
    , m_model(std::move(model))
{}

QByteArray PromptStreamEncoder::errorEvent(const ChatError &error)
{
    // The same body a non-streamed refusal has.
    return event("error", OpenAiChatCodec::errorBody(error));
}

QByteArray PromptStreamEncoder::start()
{
    if (m_started)
        return {};
    m_started = true;
    return event("start", QJsonObject{{QStringLiteral("prompt_api"), m_api.name},
                                      {QStringLiteral("version"), m_api.version},
                                      {QStringLiteral("model"), m_model}});
}

QByteArray PromptStreamEncoder::encode(const ChatStreamEvent &chatEvent)
{
    if (m_finished)
        return {};
    switch (chatEvent.type) {
    case ChatStreamEvent::Type::Start:
        if (!chatEvent.model.isEmpty())
            m_model = chatEvent.model;
        return start();
    case ChatStreamEvent::Type::TextDelta: {
        if (chatEvent.text.isEmpty())
            return {};
        m_text += chatEvent.text;
        return start() + event("delta", QJsonObject{{QStringLiteral("text"), chatEvent.text}});
    }
    case ChatStreamEvent::Type::ToolCallStart:
    case ChatStreamEvent::Type::ToolCallDelta:
        return {}; // prompt APIs declare no tools
    case ChatStreamEvent::Type::Finish:
        m_finishReason = chatEvent.finishReason;
        return {};
    case ChatStreamEvent::Type::Usage:
        m_usage = chatEvent.usage;
        return {};
    case ChatStreamEvent::Type::Done: {
        m_finished = true;
        const ChatResult<QJsonValue> output =
            m_api.output(m_text, m_finishReason == FinishReason::Length);
        if (!output.isOk()) {
            m_failed = true;
            return start() + errorEvent(output.error());
        }
        return start() +
               event("done", CompiledPromptApi::answer(output.value(), m_model, m_finishReason,
                                                       m_usage, m_cost ? m_cost(m_usage) : -1));
    }
    case ChatStreamEvent::Type::Error:
        m_finished = true;
        m_failed = true;
        return start() + errorEvent(chatEvent.error);
    }
    return {};
}

} // namespace gh
