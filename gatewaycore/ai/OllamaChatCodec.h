#pragma once

#include "ChatTypes.h"
#include "EmbeddingTypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

namespace gh {

// The Ollama native API (POST /api/chat, POST /api/embed, GET /api/tags) ⇄ the neutral chat
// and embeddings model. Wire shapes follow ollama/ollama docs/api.md ("Generate a chat
// completion" incl. the tool-calling examples, "Generate Embeddings", "List Local Models")
// and docs.ollama.com/api/errors ({"error":"..."}; mid-stream errors are an NDJSON line of
// that shape). Ollama is only an upstream: requests are written, answers parsed.
//
// Request rules (writeRequest):
//   - "stream" is always written: Ollama streams unless told "stream": false
//   - system parts → one leading {"role":"system"} message, texts joined by a blank line
//     (Ollama content is a plain string); the texts of one message are joined the same way
//   - user images: base64 data → the message's "images" (media type and detail dropped:
//     Ollama reads the bytes); image URLs are refused naming the part (Ollama never fetches)
//   - assistant tool calls → "tool_calls":[{"function":{"name","arguments":{...}}}], the
//     arguments as an object; ids are not sent (Ollama has none)
//   - each tool result → {"role":"tool","content","tool_name"}, the name looked up from the
//     assistant call it answers (omitted when none matches); is_error has no field (dropped)
//   - tools → the OpenAI-style "tools" array (strict dropped: Ollama has no such flag;
//     provider-defined tools refused); tool_choice auto keeps them, none is honoured by not
//     sending the tools, required / a named tool are refused naming tool_choice;
//     parallel_tool_calls false is refused (Ollama may answer several calls at once)
//   - response_format json_object → "format":"json", json_schema → "format":<schema>
//   - temperature, top_p, max tokens (num_predict), stop, and from extras seed,
//     presence_penalty, frequency_penalty (OpenAI) and top_k (Anthropic) → "options"
//   - dropped: user, metadata, message names, cache_control, and the extras that do not
//     change the output: store, service_tier, prediction, prompt_cache_key,
//     safety_identifier, Anthropic thinking {"type":"disabled"}; n 1, logprobs false,
//     an empty logit_bias and modalities ["text"] (the defaults)
//   - refused by name: every other extra (n > 1, logprobs, top_logprobs, logit_bias,
//     audio, modalities beyond text, reasoning_effort, functions, function_call,
//     web_search_options, Anthropic thinking, ...): Ollama cannot honour them
//
// Response rules (parseResponse / OllamaStreamDecoder):
//   - message.content → text; message.thinking is not answer text (skipped)
//   - message.tool_calls → tool calls; Ollama gives no ids (newer versions may send one,
//     which is kept), so unique "call_..." ids are made up; arguments objects → compact JSON
//   - done_reason "length" → Length, anything else Stop, or ToolCalls when the answer has
//     tool calls; created_at (RFC 3339, nanoseconds) → created; Ollama has no response id,
//     so one is made up ("ollama-...")
//   - prompt_eval_count → input tokens, eval_count → output tokens
class OllamaChatCodec
{
public:
    static ChatResult<QJsonObject> writeRequest(const ChatRequest &request,
                                                const QString &upstreamModel);
    static ChatResult<ChatResponse> parseResponse(const QJsonObject &body);
    // Present only when the body carries prompt_eval_count or eval_count (a done answer).
    static ChatUsage parseUsage(const QJsonObject &body);
    // {"error":"..."} with the HTTP status it came with.
    static ChatError parseError(int status, const QByteArray &body);

    // /api/embed {"model","input":[...],"truncate":false,"dimensions"?}. truncate is off so
    // an input longer than the model's context fails as it does at OpenAI instead of being
    // cut silently. Token-array inputs and other extras are refused by name; the caller's
    // encoding_format is applied by the gateway when it writes the answer; user is dropped.
    static ChatResult<QJsonObject> writeEmbeddingRequest(const EmbeddingRequest &request,
                                                         const QString &upstreamModel);
    // {"model","embeddings":[[...],...],"prompt_eval_count"}.
    static ChatResult<EmbeddingResponse> parseEmbeddingResponse(const QJsonObject &body);
    // The model names of /api/tags ({"models":[{"name":"llama3.2:latest",...}]}), in order.
    static QStringList parseModelList(const QJsonObject &tagsBody);

    // Shared with OllamaStreamDecoder.
    static FinishReason parseDoneReason(const QString &reason, bool hasToolCalls);
    static qint64 parseCreatedAt(const QString &createdAt); // 0 when absent or unreadable
    static QString makeToolCallId();
    static QString makeResponseId();
};

} // namespace gh
