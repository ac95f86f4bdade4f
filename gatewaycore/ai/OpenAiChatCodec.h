#pragma once

#include "ChatTypes.h"

#include <QJsonObject>

namespace gh {

// OpenAI Chat Completions JSON (POST /v1/chat/completions) ⇄ the neutral chat model.
// Wire shapes follow the OpenAI API reference as generated into the official
// openai-python SDK (src/openai/types/chat/*.py: completion_create_params,
// chat_completion, chat_completion_chunk, completion_usage) and its streaming reader
// (src/openai/_streaming.py: a data object with an "error" member is an in-stream error).
//
// Request rules:
//   - system and developer messages (anywhere) become the neutral system parts, in order;
//     written back as one leading system message (a string, or text parts when several)
//   - max_completion_tokens wins over the older max_tokens; the writer uses the field
//     chosen by WriteOptions (o-series models only take max_completion_tokens, many
//     OpenAI-compatible servers only max_tokens)
//   - image_url "data:<type>;base64,<data>" URLs become base64 images, others URL images
//   - each role "tool" message becomes a neutral Tool message; a neutral Tool message with
//     several results becomes several tool messages
//   - a streaming request written for an upstream always asks for
//     stream_options.include_usage: usage is never dropped, whatever the caller asked
//   - fields the neutral model does not know stay in ChatRequest::extra: written back
//     verbatim to an OpenAI-dialect upstream; for an Anthropic-sourced request see
//     writeRequest (each one dropped by a documented rule or refused by name)
//   - legacy functions/function_call are kept as extras (same-dialect passthrough only)
class OpenAiChatCodec
{
public:
    enum class MaxTokensField { MaxTokens, MaxCompletionTokens };
    struct WriteOptions
    {
        MaxTokensField maxTokensField = MaxTokensField::MaxTokens;
    };

    static ChatResult<ChatRequest> parseRequest(const QJsonObject &body);
    // Refuses what OpenAI cannot express: Anthropic top_k, thinking (unless disabled),
    // provider-defined tools and opaque blocks (document, thinking, ...), images inside
    // tool results; drops Anthropic service_tier and cache_control (OpenAI caches by
    // itself) and the tool-result is_error flag (no field for it).
    static ChatResult<QJsonObject> writeRequest(const ChatRequest &request,
                                                const WriteOptions &options);
    static ChatResult<QJsonObject> writeRequest(const ChatRequest &request)
    {
        return writeRequest(request, WriteOptions());
    }

    static ChatResult<ChatResponse> parseResponse(const QJsonObject &body);
    // created 0 (unknown, e.g. from Anthropic) is written as the current time.
    static QJsonObject writeResponse(const ChatResponse &response);

    // usage object ⇄ ChatUsage. OpenAI's prompt_tokens already include cached tokens and
    // completion_tokens include reasoning tokens, the neutral convention; Anthropic's
    // cache-creation count has no OpenAI field and is written as the extra member
    // "cache_creation_input_tokens" (the name Anthropic uses) so it is not lost.
    static ChatUsage parseUsage(const QJsonObject &usage);
    static QJsonObject writeUsage(const ChatUsage &usage);

    static FinishReason parseFinishReason(const QString &reason);
    static QString finishReasonName(FinishReason reason);

    // {"error":{"message","type","param","code"}} and the status to send it with.
    static QJsonObject errorBody(const ChatError &error);
    static int httpStatus(const ChatError &error);
    // An upstream's error answer (any shape; OpenAI's expected) as a ChatError.
    static ChatError parseError(int status, const QByteArray &body);
};

} // namespace gh
