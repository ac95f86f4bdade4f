#pragma once

#include "ChatError.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gh {

// The provider-neutral chat model every AI dialect is translated through (SPEC §4): a
// caller's request is parsed from its dialect into ChatRequest, written in the upstream
// provider's dialect, and the answer comes back the same way (ChatResponse, or a sequence
// of ChatStreamEvents). The codecs are pure functions over these structs; the mapping
// rules of each dialect are documented in its codec's header.

enum class ChatDialect { OpenAi, Anthropic };

enum class ChatRole { User, Assistant, Tool };

// Neutral stop reason. Stop covers a natural end and a matched stop sequence (then
// ChatResponse::stopSequence says which one, when the provider reports it).
enum class FinishReason { None, Stop, Length, ToolCalls, ContentFilter, Error };

struct ChatPart
{
    enum class Kind {
        Text,
        Image,
        ToolCall,
        ToolResult,
        // A block only the source dialect understands (Anthropic "document", "thinking",
        // ...): kept verbatim in raw so a same-dialect upstream still gets it; writing it
        // in another dialect is an error naming the block type.
        Opaque
    };

    Kind kind = Kind::Text;
    QString text; // Text; ToolResult: the result's text content

    // Image: either base64 data (kept encoded: it is only ever re-emitted) + media type,
    // or a URL. OpenAI "data:" URLs are split into the two on parse.
    QString imageUrl;
    QString imageData;
    QString mediaType;
    QString imageDetail; // OpenAI image_url.detail; no Anthropic equivalent

    // ToolCall: id, name, arguments as JSON text (OpenAI's form; Anthropic's input object
    // is serialized compactly). ToolResult: toolCallId + text + isError.
    QString toolCallId;
    QString toolName;
    QString arguments;
    bool isError = false;

    // Anthropic prompt-caching breakpoint ({"type":"ephemeral"}), re-emitted to
    // Anthropic, dropped for OpenAI (which caches prefixes by itself).
    QJsonObject cacheControl;
    QJsonObject raw; // Opaque

    static ChatPart makeText(const QString &text);
    static ChatPart makeImageData(const QString &mediaType, const QString &base64);
    static ChatPart makeImageUrl(const QString &url);
    static ChatPart makeToolCall(const QString &id, const QString &name, const QString &arguments);
    static ChatPart makeToolResult(const QString &toolCallId, const QString &content,
                                   bool isError = false);
};

struct ChatMessage
{
    ChatRole role = ChatRole::User;
    // User: Text/Image. Assistant: Text/ToolCall. Tool: ToolResult only (one or more).
    QList<ChatPart> parts;
    QString name; // OpenAI participant name; no Anthropic equivalent (dropped)
};

struct ChatTool
{
    QString name;
    QString description;
    QJsonObject parameters;     // JSON Schema of the arguments
    std::optional<bool> strict; // OpenAI function.strict
    QJsonObject cacheControl;
    // A provider-defined tool (Anthropic "web_search_20250305", ...): verbatim, same-dialect
    // only.
    QJsonObject raw;
};

struct ChatToolChoice
{
    enum class Mode { Unset, Auto, None, Required, Specific };
    Mode mode = Mode::Unset;
    QString name; // Specific
};

struct ChatResponseFormat
{
    enum class Type { Text, JsonObject, JsonSchema };
    Type type = Type::Text;
    QString name; // JsonSchema
    QString description;
    QJsonObject schema;
    std::optional<bool> strict;
};

// Token counts in one convention, whatever the provider's:
//   input              every prompt token, cached ones included (OpenAI prompt_tokens;
//                      Anthropic input_tokens + cache_read_input_tokens +
//                      cache_creation_input_tokens)
//   cachedInput        prompt tokens read from the provider's cache (OpenAI
//                      prompt_tokens_details.cached_tokens; Anthropic cache_read_input_tokens)
//   cacheCreationInput prompt tokens written to the cache (Anthropic only)
//   output             every generated token, reasoning included (OpenAI completion_tokens;
//                      Anthropic output_tokens)
//   reasoning          generated reasoning tokens (OpenAI completion_tokens_details.
//                      reasoning_tokens; Anthropic does not report them separately)
struct ChatUsage
{
    qint64 input = 0;
    qint64 output = 0;
    qint64 cachedInput = 0;
    qint64 cacheCreationInput = 0;
    qint64 reasoning = 0;
    bool present = false; // the provider reported usage at all

    qint64 total() const { return input + output; }
    bool operator==(const ChatUsage &other) const = default;
};

struct ChatRequest
{
    QString model;
    QList<ChatPart> system; // Text parts, in order
    QList<ChatMessage> messages;
    QList<ChatTool> tools;
    ChatToolChoice toolChoice;
    std::optional<bool> parallelToolCalls;
    ChatResponseFormat responseFormat;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<qint64> maxTokens;
    QStringList stop;
    bool stream = false;
    bool includeUsage = false; // the caller wants usage in its stream (OpenAI stream_options)
    QString user;              // OpenAI user / Anthropic metadata.user_id
    QJsonObject metadata;      // OpenAI metadata (stored completions); not sent to Anthropic

    // The dialect the request was parsed from, and the top-level fields of it the neutral
    // form does not model. Written back verbatim to an upstream of the same dialect;
    // for another dialect each one is either dropped by a documented rule or refused
    // with an error naming it (see each codec).
    ChatDialect sourceDialect = ChatDialect::OpenAi;
    QJsonObject extra;
};

struct ChatResponse
{
    QString id;
    QString model;
    qint64 created = 0;      // Unix seconds; Anthropic has none (0 = unknown)
    QList<ChatPart> content; // Text and ToolCall parts
    FinishReason finishReason = FinishReason::None;
    QString stopSequence; // the stop sequence that matched, when known
    ChatUsage usage;
};

// One step of a streamed answer, in order: Start, then any TextDelta / ToolCallStart /
// ToolCallDelta, Finish, Usage (zero or more: each carries the cumulative usage so far),
// Done. Error may come at any point and ends the stream.
struct ChatStreamEvent
{
    enum class Type { Start, TextDelta, ToolCallStart, ToolCallDelta, Finish, Usage, Done, Error };

    Type type = Type::Start;
    QString id;         // Start
    QString model;      // Start
    qint64 created = 0; // Start
    QString text;       // TextDelta; ToolCallDelta: an arguments fragment
    int toolIndex = 0;  // ToolCall*: 0-based ordinal among this answer's tool calls
    QString toolCallId; // ToolCallStart
    QString toolName;   // ToolCallStart
    FinishReason finishReason = FinishReason::None; // Finish
    QString stopSequence;                           // Finish
    ChatUsage usage;                                // Usage
    ChatError error;                                // Error

    static ChatStreamEvent ofType(Type type)
    {
        ChatStreamEvent event;
        event.type = type;
        return event;
    }
};

} // namespace gh
