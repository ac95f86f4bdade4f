#pragma once

#include "ChatTypes.h"
#include "EmbeddingTypes.h"

#include <QJsonObject>
#include <QStringList>

namespace gh {

// Google Gemini API JSON (generativelanguage.googleapis.com/v1beta: models/{model}:
// generateContent and :streamGenerateContent?alt=sse, :batchEmbedContents, GET models) ⇄
// the neutral chat model. Gemini is an upstream dialect only: requests are written, answers
// parsed. Wire shapes follow the v1beta API reference (GenerateContentRequest: contents /
// systemInstruction / tools.functionDeclarations / toolConfig.functionCallingConfig /
// generationConfig; Part: text / inlineData / fileData / functionCall / functionResponse /
// thought / thoughtSignature; GenerateContentResponse: candidates / promptFeedback /
// usageMetadata / modelVersion / responseId), the "Function calling", "Structured output",
// "Thought signatures" and "File input methods" guides, and the google.rpc error shape
// ({"error":{"code","message","status","details"}}).
//
// Request rules:
//   - system parts → systemInstruction.parts (text); user → "user", assistant → "model";
//     consecutive contents of one role are kept as they are (Gemini accepts them)
//   - empty text parts are left out (Gemini refuses them), as is a content left empty
//   - base64 images → inlineData {mimeType, data}. URL images → fileData {mimeType,
//     fileUri} for https:// (Gemini fetches public and signed URLs itself since January
//     2026) and gs:// URLs whose media type is known (given, or from a .png/.jpg/.jpeg/
//     .webp/.heic/.heif path); any other URL is refused naming
//     messages[i].content[j].image_url (Gemini fetches nothing else, and fileData needs a
//     media type)
//   - tools → tools[0].functionDeclarations {name, description, parameters}; the JSON
//     Schema is rewritten into the OpenAPI subset Gemini's Schema accepts (see
//     cleanSchema); a tool without properties gets no parameters (Gemini refuses an OBJECT
//     schema with empty properties). tool.strict and cache_control are dropped.
//   - tool_choice auto / none / required / {name} → toolConfig.functionCallingConfig.mode
//     AUTO / NONE / ANY / ANY + allowedFunctionNames; parallel_tool_calls is dropped (Gemini
//     decides by itself how many calls to make)
//   - assistant tool calls → functionCall {name, args}; the call id is sent as
//     functionCall.id only when Gemini issued it (ids this codec synthesized are recognized
//     by isSyntheticCallId). The first functionCall of each model content carries the
//     thoughtSignature "skip_thought_signature_validator": the neutral model does not keep
//     Gemini's signatures, and Gemini 3 refuses function-call history without one (the
//     documented value for history the model did not produce in this exchange)
//   - tool results → functionResponse {name, response: {content: <the result: a parsed
//     JSON object/array when it is one, else the text>}} ({error: ...} for an is_error
//     result) in a "user" content; adjacent tool messages share one content (parallel
//     call answers belong together). The name is that of the earlier assistant tool call
//     with the same id: none is an error naming messages[i].tool_call_id
//   - response_format json_object → generationConfig.responseMimeType application/json;
//     json_schema → also responseSchema (cleaned; works on every Gemini model, where
//     responseJsonSchema needs a recent one)
//   - temperature, top_p, max_tokens → maxOutputTokens, stop → stopSequences (at most 5:
//     more is refused naming stop)
//   - the model goes in the URL and streaming is chosen by the method: neither is in the
//     body. user and metadata are dropped (no Gemini field).
//   - caller extras, OpenAI: seed → seed, presence_penalty / frequency_penalty →
//     presencePenalty / frequencyPenalty, reasoning_effort low/medium/high →
//     thinkingConfig.thinkingBudget 1024/8192/24576 (Google's own OpenAI-compatibility
//     mapping), none → 0; dropped: store, service_tier, n = 1, logprobs = false, empty
//     logit_bias, modalities ["text"]; anything else (n > 1: only one candidate is read
//     back; logprobs; top_logprobs; ...) is refused by name. Anthropic: top_k → topK,
//     thinking enabled → thinkingConfig.thinkingBudget = budget_tokens, thinking disabled
//     and service_tier dropped; anything else refused by name.
//   - opaque blocks (document, thinking, ...) and provider-defined tools are refused.
//
// Answer rules: the first candidate is read. Its text parts are concatenated (thought
// parts skipped), functionCall parts become tool calls (id: functionCall.id, else
// "call_<random>_<n>"), other parts (inline images, code execution) are skipped.
// finishReason: see parseFinishReason; no candidates but promptFeedback → an empty
// ContentFilter answer (the prompt was blocked), not an error. responseId → id (synthesized
// when missing), modelVersion → model.
class GeminiCodec
{
public:
    // generateContent / streamGenerateContent body (the model goes in the URL, not the body).
    static ChatResult<QJsonObject> writeRequest(const ChatRequest &request);
    // A GenerateContentResponse.
    static ChatResult<ChatResponse> parseResponse(const QJsonObject &body);
    // usageMetadata → ChatUsage: promptTokenCount (cached tokens included) +
    // toolUsePromptTokenCount → input; cachedContentTokenCount → cachedInput;
    // candidatesTokenCount + thoughtsTokenCount → output; thoughtsTokenCount → reasoning.
    static ChatUsage parseUsage(const QJsonObject &usageMetadata);
    // STOP → Stop (parseResponse and the stream decoder make it ToolCalls when calls were made);
    // MAX_TOKENS → Length; SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII and the
    // IMAGE_ variants → ContentFilter; MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL,
    // TOO_MANY_TOOL_CALLS, MISSING_THOUGHT_SIGNATURE, MALFORMED_RESPONSE → Error; others
    // (LANGUAGE, OTHER, unknown) → Stop; "" → None.
    static FinishReason parseFinishReason(const QString &reason);
    // {"error":{"code","message","status","details"}} (or a one-element array of it). The
    // kind comes from status: INVALID_ARGUMENT / FAILED_PRECONDITION 400, UNAUTHENTICATED
    // 401, PERMISSION_DENIED 403, NOT_FOUND 404, RESOURCE_EXHAUSTED 429, INTERNAL 500,
    // UNAVAILABLE 503, DEADLINE_EXCEEDED 504; a details reason API_KEY_INVALID is an
    // authentication failure (Gemini answers a bad key with 400); otherwise the HTTP status.
    static ChatError parseError(int status, const QByteArray &body);

    // POST models/{model}:batchEmbedContents. dimensions → outputDimensionality;
    // encoding_format is the gateway's business (float or base64 both fine); user is
    // dropped; extras (token-array inputs, ...) are refused by name.
    static ChatResult<QJsonObject> writeEmbeddingRequest(const EmbeddingRequest &request,
                                                         const QString &upstreamModel);
    // {"embeddings":[{"values":[...]}]}, one per request in order. Gemini reports no token
    // counts for embeddings: usage.present stays false. model is left to the caller.
    static ChatResult<EmbeddingResponse> parseEmbeddingResponse(const QJsonObject &body);

    // GET models ({"models":[{"name":"models/gemini-2.0-flash",...}], "nextPageToken"}) →
    // ids without the "models/" prefix, in order.
    static QStringList parseModelList(const QJsonObject &body);

    // JSON Schema → the OpenAPI 3.0 subset of Gemini's Schema object, recursively. Kept:
    // type, format (only the values Gemini knows: enum / date-time, float / double, int32 /
    // int64), title, description, nullable, enum (string values only), properties,
    // required (only names that are properties), items, anyOf, minItems, maxItems,
    // minProperties, maxProperties, minLength, maxLength, pattern, minimum, maximum,
    // default, example, propertyOrdering. Rewritten: a type array with "null" → the type +
    // nullable; several types → anyOf; const → enum; oneOf → anyOf; a null branch of anyOf
    // → nullable; a one-branch anyOf / allOf → merged in; local $ref ("#/$defs/..",
    // "#/definitions/..") → inlined. Dropped: everything else (additionalProperties,
    // $schema, $id, $defs, strict, examples, exclusiveMinimum, not, ...). A $ref that
    // cannot be resolved, or a recursive one (Gemini's Schema cannot express recursion), is
    // an error naming param.
    static ChatResult<QJsonObject> cleanSchema(const QJsonObject &schema, const QString &param);

    // Tool-call ids for calls Gemini gave none: "call_<nonce>_<n>", nonce from newCallNonce()
    // (one per answer, 16 hex digits). Such ids are never sent back to Gemini.
    static QString newCallNonce();
    static QString syntheticCallId(const QString &nonce, int index);
    static bool isSyntheticCallId(const QString &id);
    // An answer id when Gemini sent no responseId.
    static QString syntheticResponseId();
};

} // namespace gh
