#include "ProviderAdapter.h"

#include "AnthropicMessagesCodec.h"
#include "AnthropicStreamDecoder.h"
#include "GeminiCodec.h"
#include "GeminiStreamDecoder.h"
#include "OllamaChatCodec.h"
#include "OllamaStreamDecoder.h"
#include "OpenAiChatCodec.h"
#include "OpenAiEmbeddingsCodec.h"
#include "OpenAiStreamDecoder.h"

#include <QJsonDocument>
#include <QUrl>

namespace gh {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<QJsonObject> parseObject(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

ChatError unreadable(const CompiledProvider &provider, const char *what)
{
    return ChatError::badGateway(QStringLiteral("provider %1 answered %2 that is not a JSON object")
                                     .arg(provider.name, QLatin1String(what)));
}

QByteArray pathSegment(const QString &text)
{
    return QUrl::toPercentEncoding(text);
}

ProviderCall baseCall(const CompiledProvider &provider, QByteArray target)
{
    ProviderCall call;
    call.target = std::move(target);
    call.headers.set("content-type", "application/json");
    if (provider.type == ProviderType::Anthropic)
        call.headers.set("anthropic-version", ProviderTypes::anthropicVersion());
    for (const auto &[name, value] : provider.headers)
        call.headers.set(name, value);
    return call;
}

QByteArray azureTarget(const CompiledProvider &provider, const QString &deployment,
                       const QByteArray &operation)
{
    // base_url may be the resource root or already end in /openai.
    QByteArray base = provider.basePath;
    if (!base.endsWith("/openai"))
        base += "/openai";
    return base + "/deployments/" + pathSegment(deployment) + operation +
           "?api-version=" + QUrl::toPercentEncoding(provider.apiVersion);
}

ChatResult<QJsonObject> writeOpenAiFamily(const CompiledProvider &provider,
                                          const ChatRequest &request)
{
    OpenAiChatCodec::WriteOptions options;
    const bool openAiItself =
        provider.type == ProviderType::OpenAi || provider.type == ProviderType::AzureOpenAi;
    options.maxTokensField = openAiItself ? OpenAiChatCodec::MaxTokensField::MaxCompletionTokens
                                          : OpenAiChatCodec::MaxTokensField::MaxTokens;
    ChatResult<QJsonObject> body = OpenAiChatCodec::writeRequest(request, options);
    if (!body.isOk())
        return body;
    QJsonObject &json = body.value();
    if (provider.type == ProviderType::Mistral) {
        json.remove(QLatin1String("stream_options"));
        if (json.value(QLatin1String("tool_choice")).toString() == QLatin1String("required"))
            json.insert(QLatin1String("tool_choice"), QStringLiteral("any"));
    }
    if (provider.type == ProviderType::AzureOpenAi)
        json.remove(QLatin1String("model")); // the deployment in the URL names it
    return body;
}

} // namespace

qint64 ProviderAdapter::anthropicDefaultMaxTokens(const QString &model)
{
    // Output limits from Anthropic's models overview, most specific prefix first.
    static const QList<QPair<QLatin1String, qint64>> limits{
        {QLatin1String("claude-3-haiku"), 4096},     {QLatin1String("claude-3-opus"), 4096},
        {QLatin1String("claude-3-sonnet"), 4096},    {QLatin1String("claude-3-5-"), 8192},
        {QLatin1String("claude-3-7-sonnet"), 64000}, {QLatin1String("claude-opus-4-0"), 32000},
        {QLatin1String("claude-opus-4-1"), 32000},   {QLatin1String("claude-opus-4-2"), 32000},
        {QLatin1String("claude-opus-4"), 32000},     {QLatin1String("claude-sonnet-4"), 64000},
        {QLatin1String("claude-haiku-4"), 64000},
    };
    for (const auto &[prefix, limit] : limits) {
        if (model.startsWith(prefix))
            return limit;
    }
    return 4096;
}

ChatResult<ProviderCall> ProviderAdapter::chatCall(const CompiledProvider &provider,
                                                   const QString &upstreamModel,
                                                   const ChatRequest &request)
{
    ChatRequest upstream = request;
    upstream.model = upstreamModel;

    switch (provider.dialect) {
    case ProviderDialect::OpenAi: {
        ChatResult<QJsonObject> body = writeOpenAiFamily(provider, upstream);
        if (!body.isOk())
            return body.error();
        const QByteArray target = provider.type == ProviderType::AzureOpenAi
                                      ? azureTarget(provider, upstreamModel, "/chat/completions")
                                      : provider.target("/chat/completions");
        ProviderCall call = baseCall(provider, target);
        call.body = compact(body.value());
        call.framing = request.stream ? ProviderCall::Framing::Sse : ProviderCall::Framing::None;
        if (request.stream)
            call.headers.set("accept", "text/event-stream");
        return call;
    }
    case ProviderDialect::Anthropic: {
        AnthropicMessagesCodec::WriteOptions options;
        options.defaultMaxTokens = anthropicDefaultMaxTokens(upstreamModel);
        ChatResult<QJsonObject> body = AnthropicMessagesCodec::writeRequest(upstream, options);
        if (!body.isOk())
            return body.error();
        ProviderCall call = baseCall(provider, provider.target("/v1/messages"));
        call.body = compact(body.value());
        call.framing = request.stream ? ProviderCall::Framing::Sse : ProviderCall::Framing::None;
        if (request.stream)
            call.headers.set("accept", "text/event-stream");
        return call;
    }
    case ProviderDialect::Gemini: {
        ChatResult<QJsonObject> body = GeminiCodec::writeRequest(upstream);
        if (!body.isOk())
            return body.error();
        const QByteArray operation =
            request.stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        ProviderCall call = baseCall(
            provider, provider.target("/models/" + pathSegment(upstreamModel) + operation));
        call.body = compact(body.value());
        call.framing = request.stream ? ProviderCall::Framing::Sse : ProviderCall::Framing::None;
        if (request.stream)
            call.headers.set("accept", "text/event-stream");
        return call;
    }
    case ProviderDialect::Ollama: {
        ChatResult<QJsonObject> body = OllamaChatCodec::writeRequest(upstream, upstreamModel);
        if (!body.isOk())
            return body.error();
        ProviderCall call = baseCall(provider, provider.target("/api/chat"));
        call.body = compact(body.value());
        call.framing = request.stream ? ProviderCall::Framing::Ndjson : ProviderCall::Framing::None;
        return call;
    }
    }
    return ChatError{ChatError::Kind::Api, QStringLiteral("unknown provider dialect"), {}};
}

bool ProviderAdapter::canPassThrough(const CompiledProvider &provider, ChatDialect caller)
{
    return (caller == ChatDialect::OpenAi && provider.dialect == ProviderDialect::OpenAi) ||
           (caller == ChatDialect::Anthropic && provider.dialect == ProviderDialect::Anthropic);
}

ChatResult<ProviderCall> ProviderAdapter::passthroughChatCall(const CompiledProvider &provider,
                                                              const QString &upstreamModel,
                                                              QJsonObject callerBody, bool stream)
{
    QByteArray target;
    if (provider.dialect == ProviderDialect::Anthropic) {
        callerBody.insert(QLatin1String("model"), upstreamModel);
        target = provider.target("/v1/messages");
    } else {
        if (provider.type == ProviderType::AzureOpenAi)
            callerBody.remove(QLatin1String("model")); // the deployment in the URL names it
        else
            callerBody.insert(QLatin1String("model"), upstreamModel);
        if (stream && provider.type == ProviderType::Mistral) {
            callerBody.remove(QLatin1String("stream_options"));
        } else if (stream) {
            // Usage is never dropped: asked for whatever the caller asked (the stream
            // translator hides it again from a caller that did not ask).
            QJsonObject options = callerBody.value(QLatin1String("stream_options")).toObject();
            options.insert(QLatin1String("include_usage"), true);
            callerBody.insert(QLatin1String("stream_options"), options);
        }
        if (provider.type == ProviderType::Mistral &&
            callerBody.value(QLatin1String("tool_choice")).toString() == QLatin1String("required"))
            callerBody.insert(QLatin1String("tool_choice"), QStringLiteral("any"));
        target = provider.type == ProviderType::AzureOpenAi
                     ? azureTarget(provider, upstreamModel, "/chat/completions")
                     : provider.target("/chat/completions");
    }
    ProviderCall call = baseCall(provider, target);
    call.body = compact(callerBody);
    call.framing = stream ? ProviderCall::Framing::Sse : ProviderCall::Framing::None;
    if (stream)
        call.headers.set("accept", "text/event-stream");
    return call;
}

ChatResult<ChatResponse> ProviderAdapter::parseChatResponse(const CompiledProvider &provider,
                                                            const QByteArray &body)
{
    const std::optional<QJsonObject> json = parseObject(body);
    if (!json)
        return unreadable(provider, "a body");
    switch (provider.dialect) {
    case ProviderDialect::OpenAi:
        return OpenAiChatCodec::parseResponse(*json);
    case ProviderDialect::Anthropic:
        return AnthropicMessagesCodec::parseResponse(*json);
    case ProviderDialect::Gemini:
        return GeminiCodec::parseResponse(*json);
    case ProviderDialect::Ollama:
        return OllamaChatCodec::parseResponse(*json);
    }
    return unreadable(provider, "a body");
}

std::unique_ptr<ChatStreamDecoder> ProviderAdapter::streamDecoder(const CompiledProvider &provider)
{
    switch (provider.dialect) {
    case ProviderDialect::OpenAi:
        return std::make_unique<OpenAiStreamDecoder>();
    case ProviderDialect::Anthropic:
        return std::make_unique<AnthropicStreamDecoder>();
    case ProviderDialect::Gemini:
        return std::make_unique<GeminiStreamDecoder>();
    case ProviderDialect::Ollama:
        return std::make_unique<OllamaStreamDecoder>();
    }
    return std::make_unique<OpenAiStreamDecoder>();
}

ChatResult<ProviderCall> ProviderAdapter::embeddingCall(const CompiledProvider &provider,
                                                        const QString &upstreamModel,
                                                        const EmbeddingRequest &request)
{
    switch (provider.dialect) {
    case ProviderDialect::OpenAi: {
        ChatResult<QJsonObject> body = OpenAiEmbeddingsCodec::writeRequest(request, upstreamModel);
        if (!body.isOk())
            return body.error();
        if (provider.type == ProviderType::AzureOpenAi)
            body.value().remove(QLatin1String("model"));
        const QByteArray target = provider.type == ProviderType::AzureOpenAi
                                      ? azureTarget(provider, upstreamModel, "/embeddings")
                                      : provider.target("/embeddings");
        ProviderCall call = baseCall(provider, target);
        call.body = compact(body.value());
        return call;
    }
    case ProviderDialect::Gemini: {
        ChatResult<QJsonObject> body = GeminiCodec::writeEmbeddingRequest(request, upstreamModel);
        if (!body.isOk())
            return body.error();
        ProviderCall call =
            baseCall(provider, provider.target("/models/" + pathSegment(upstreamModel) +
                                               ":batchEmbedContents"));
        call.body = compact(body.value());
        return call;
    }
    case ProviderDialect::Ollama: {
        ChatResult<QJsonObject> body =
            OllamaChatCodec::writeEmbeddingRequest(request, upstreamModel);
        if (!body.isOk())
            return body.error();
        ProviderCall call = baseCall(provider, provider.target("/api/embed"));
        call.body = compact(body.value());
        return call;
    }
    case ProviderDialect::Anthropic:
        break;
    }
    return ChatError::invalid(QStringLiteral("model"),
                              QStringLiteral("provider %1 (type %2) has no embeddings API")
                                  .arg(provider.name, ProviderTypes::name(provider.type)));
}

ChatResult<EmbeddingResponse>
ProviderAdapter::parseEmbeddingResponse(const CompiledProvider &provider, const QByteArray &body)
{
    const std::optional<QJsonObject> json = parseObject(body);
    if (!json)
        return unreadable(provider, "an embeddings body");
    switch (provider.dialect) {
    case ProviderDialect::OpenAi:
        return OpenAiEmbeddingsCodec::parseResponse(*json);
    case ProviderDialect::Gemini:
        return GeminiCodec::parseEmbeddingResponse(*json);
    case ProviderDialect::Ollama:
        return OllamaChatCodec::parseEmbeddingResponse(*json);
    case ProviderDialect::Anthropic:
        break;
    }
    return unreadable(provider, "an embeddings body");
}

ChatError ProviderAdapter::parseError(const CompiledProvider &provider, int status,
                                      const QByteArray &body)
{
    switch (provider.dialect) {
    case ProviderDialect::OpenAi:
        return OpenAiChatCodec::parseError(status, body);
    case ProviderDialect::Anthropic:
        return AnthropicMessagesCodec::parseError(status, body);
    case ProviderDialect::Gemini:
        return GeminiCodec::parseError(status, body);
    case ProviderDialect::Ollama:
        return OllamaChatCodec::parseError(status, body);
    }
    return OpenAiChatCodec::parseError(status, body);
}

} // namespace gh
