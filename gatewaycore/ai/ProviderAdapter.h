#pragma once

#include "ChatStreamDecoder.h"
#include "ChatTypes.h"
#include "CompiledProvider.h"
#include "EmbeddingTypes.h"
#include "http/HttpHeaders.h"

#include <QByteArray>

#include <memory>

namespace gh {

// One request to a provider, in its own dialect: what UpstreamConnection sends.
struct ProviderCall
{
    enum class Framing {
        None,  // one JSON body
        Sse,   // text/event-stream (OpenAI, Anthropic, Gemini ?alt=sse)
        Ndjson // one JSON object per line (Ollama)
    };

    QByteArray method = "POST";
    QByteArray target; // origin-form path + query
    HttpHeaders headers;
    QByteArray body;
    Framing framing = Framing::None;
};

// Writes neutral requests as each provider type's HTTP call and reads its answers back:
// the URL layout, auth headers and per-type quirks live here; the JSON translation lives
// in the dialect codecs. Pure functions: no I/O.
//
// Quirks (where an OpenAI-compatible provider differs from OpenAI):
//   - openai, azure-openai: the token limit goes out as max_completion_tokens (the only
//     field o-series and gpt-5 models take); every other type gets max_tokens
//   - mistral: no stream_options (Mistral always sends usage in the last chunk);
//     tool_choice "required" is spelled "any"
//   - azure-openai: {base}/openai/deployments/{deployment}/…?api-version=…, key in api-key;
//     the target's model is the deployment name
//   - anthropic: anthropic-version header; max_tokens defaulted from the model family's
//     output limit when an OpenAI caller gave none
class ProviderAdapter
{
public:
    static ChatResult<ProviderCall> chatCall(const CompiledProvider &provider,
                                             const QString &upstreamModel,
                                             const ChatRequest &request);
    // A caller of the provider's own dialect (OpenAI → the OpenAI family, Anthropic →
    // anthropic): its JSON goes out as it came, with the upstream model and this type's
    // quirks applied, and the answer comes back as the provider sent it — every field either
    // side knows reaches the other, and no translation costs time. Gemini and Ollama never.
    static bool canPassThrough(const CompiledProvider &provider, ChatDialect caller);
    static ChatResult<ProviderCall> passthroughChatCall(const CompiledProvider &provider,
                                                        const QString &upstreamModel,
                                                        QJsonObject callerBody, bool stream);
    static ChatResult<ChatResponse> parseChatResponse(const CompiledProvider &provider,
                                                      const QByteArray &body);
    static std::unique_ptr<ChatStreamDecoder> streamDecoder(const CompiledProvider &provider);

    // Embeddings: the OpenAI family, Azure, Gemini and Ollama; Anthropic has none.
    static ChatResult<ProviderCall> embeddingCall(const CompiledProvider &provider,
                                                  const QString &upstreamModel,
                                                  const EmbeddingRequest &request);
    static ChatResult<EmbeddingResponse> parseEmbeddingResponse(const CompiledProvider &provider,
                                                                const QByteArray &body);

    // An upstream's error answer in neutral terms (its dialect's error shape).
    static ChatError parseError(const CompiledProvider &provider, int status,
                                const QByteArray &body);

    // Output-token limit used as Anthropic's required max_tokens when the caller gave none.
    static qint64 anthropicDefaultMaxTokens(const QString &model);
};

} // namespace gh
