#pragma once

#include "ChatTypes.h"

#include <QJsonObject>

namespace gh {

// Anthropic Messages JSON (POST /v1/messages) ⇄ the neutral chat model. Wire shapes follow
// Anthropic's API reference (Messages "Create": system, content blocks text / image
// (base64 or url source) / tool_use / tool_result, tools with input_schema, tool_choice
// auto/any/tool/none with disable_parallel_tool_use, stop_sequences, metadata.user_id;
// the Message object with stop_reason and usage), "Prompt caching" (input_tokens counts
// only the tokens after the last cache breakpoint: total input = input_tokens +
// cache_read_input_tokens + cache_creation_input_tokens) and "Errors"
// ({"type":"error","error":{"type","message"}}; 400 invalid_request_error, 401
// authentication_error, 403 permission_error, 404 not_found_error, 413 request_too_large,
// 429 rate_limit_error, 500 api_error, 529 overloaded_error).
//
// Request rules:
//   - a user message's tool_result blocks become a neutral Tool message, its other blocks
//     a User message after it; written back, Tool messages and the User message after
//     them merge into one user message, tool_result blocks first (as Anthropic requires)
//   - tool_use input objects ⇄ OpenAI-style argument JSON text (compact)
//   - metadata.user_id ⇄ user; OpenAI's own metadata (stored completions) is not sent
//   - blocks other than text/image/tool_use/tool_result (document, thinking, ...) and
//     provider-defined tools are kept verbatim: same-dialect passthrough, refused elsewhere
//   - max_tokens is required from callers (as Anthropic does); written from the neutral
//     value or, when the caller (an OpenAI client) gave none, WriteOptions::defaultMaxTokens
class AnthropicMessagesCodec
{
public:
    struct WriteOptions
    {
        qint64 defaultMaxTokens = 4096;
    };

    static ChatResult<ChatRequest> parseRequest(const QJsonObject &body);
    // Refuses, naming the parameter, what Anthropic cannot honour from an OpenAI caller:
    // response_format json_object / json_schema (no JSON mode: use a tool instead),
    // temperature > 1 (Anthropic's range is 0..1), n > 1, logprobs / top_logprobs,
    // non-zero presence/frequency penalties, logit_bias, audio/modalities beyond text,
    // legacy functions, reasoning_effort and any other unknown field. Dropped by rule:
    // seed (best effort even at OpenAI), store, service_tier, metadata, message names,
    // image detail.
    static ChatResult<QJsonObject> writeRequest(const ChatRequest &request,
                                                const WriteOptions &options);
    static ChatResult<QJsonObject> writeRequest(const ChatRequest &request)
    {
        return writeRequest(request, WriteOptions());
    }

    // thinking / server-tool blocks of a response are skipped: the neutral answer is its
    // text and tool calls.
    static ChatResult<ChatResponse> parseResponse(const QJsonObject &body);
    // Fails only when a tool call's arguments are not a JSON object (tool_use.input must be).
    static ChatResult<QJsonObject> writeResponse(const ChatResponse &response);

    // usage object ⇄ ChatUsage (see ChatUsage for the conventions). Reasoning tokens have
    // no Anthropic field; they stay counted inside output_tokens.
    static ChatUsage parseUsage(const QJsonObject &usage);
    static QJsonObject writeUsage(const ChatUsage &usage);

    static FinishReason parseStopReason(const QString &reason);
    static QString stopReasonName(FinishReason reason, const QString &stopSequence);

    static QJsonObject errorBody(const ChatError &error);
    static int httpStatus(const ChatError &error);
    static QString errorTypeName(ChatError::Kind kind);
    static ChatError parseError(int status, const QByteArray &body);

    // tool_use.input for a neutral tool call ("" counts as {}); nullopt when the arguments
    // are not a JSON object.
    static std::optional<QJsonObject> toolInput(const QString &arguments);
};

} // namespace gh
