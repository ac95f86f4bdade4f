#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace gh {

// The provider types of SPEC §3. Most are the OpenAI dialect at another base URL with
// their own quirks; anthropic, gemini, azure-openai and ollama are dialects of their own.
enum class ProviderType {
    OpenAi,
    Anthropic,
    Gemini,
    AzureOpenAi,
    Ollama,
    Mistral,
    DeepSeek,
    Groq,
    OpenRouter,
    Together,
    Xai,
    OpenAiCompatible
};

// The wire format a provider's chat endpoint speaks.
enum class ProviderDialect { OpenAi, Anthropic, Gemini, Ollama };

namespace ProviderTypes {

std::optional<ProviderType> fromName(const QString &name);
QString name(ProviderType type);
const QList<ProviderType> &all();
ProviderDialect dialect(ProviderType type);
// What the provider's official SDK takes as base URL; empty for azure-openai (per
// resource, always configured).
QString defaultBaseUrl(ProviderType type);
// The request headers that carry the API key (empty key: none, for local servers).
QList<QPair<QByteArray, QByteArray>> authHeaders(ProviderType type, const QByteArray &apiKey);
// azure-openai api-version query parameter when the provider config names none.
QString defaultAzureApiVersion();
// Anthropic's required anthropic-version header.
QByteArray anthropicVersion();

} // namespace ProviderTypes

} // namespace gh
