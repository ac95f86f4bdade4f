#include "ProviderType.h"

#include <QHash>

namespace gh::ProviderTypes {

namespace {

struct TypeInfo
{
    ProviderType type;
    const char *name;
    ProviderDialect dialect;
    const char *baseUrl;
};

// Base URLs: what each provider's docs give its OpenAI-compatible (or native) SDK.
constexpr TypeInfo infos[] = {
    {ProviderType::OpenAi, "openai", ProviderDialect::OpenAi, "https://api.openai.com/v1"},
    {ProviderType::Anthropic, "anthropic", ProviderDialect::Anthropic, "https://api.anthropic.com"},
    {ProviderType::Gemini, "gemini", ProviderDialect::Gemini,
     "https://generativelanguage.googleapis.com/v1beta"},
    {ProviderType::AzureOpenAi, "azure-openai", ProviderDialect::OpenAi, ""},
    {ProviderType::Ollama, "ollama", ProviderDialect::Ollama, "http://127.0.0.1:11434"},
    {ProviderType::Mistral, "mistral", ProviderDialect::OpenAi, "https://api.mistral.ai/v1"},
    {ProviderType::DeepSeek, "deepseek", ProviderDialect::OpenAi, "https://api.deepseek.com/v1"},
    {ProviderType::Groq, "groq", ProviderDialect::OpenAi, "https://api.groq.com/openai/v1"},
    {ProviderType::OpenRouter, "openrouter", ProviderDialect::OpenAi,
     "https://openrouter.ai/api/v1"},
    {ProviderType::Together, "together", ProviderDialect::OpenAi, "https://api.together.xyz/v1"},
    {ProviderType::Xai, "xai", ProviderDialect::OpenAi, "https://api.x.ai/v1"},
    {ProviderType::OpenAiCompatible, "openai-compatible", ProviderDialect::OpenAi, ""},
};

const TypeInfo &info(ProviderType type)
{
    for (const TypeInfo &i : infos) {
        if (i.type == type)
            return i;
    }
    return infos[0];
}

} // namespace

std::optional<ProviderType> fromName(const QString &name)
{
    for (const TypeInfo &i : infos) {
        if (name == QLatin1String(i.name))
            return i.type;
    }
    return std::nullopt;
}

QString name(ProviderType type)
{
    return QLatin1String(info(type).name);
}

const QList<ProviderType> &all()
{
    static const QList<ProviderType> types = [] {
        QList<ProviderType> list;
        for (const TypeInfo &i : infos)
            list.append(i.type);
        return list;
    }();
    return types;
}

ProviderDialect dialect(ProviderType type)
{
    return info(type).dialect;
}

QString defaultBaseUrl(ProviderType type)
{
    return QLatin1String(info(type).baseUrl);
}

QList<QPair<QByteArray, QByteArray>> authHeaders(ProviderType type, const QByteArray &apiKey)
{
    if (apiKey.isEmpty())
        return {};
    switch (type) {
    case ProviderType::Anthropic:
        return {{"x-api-key", apiKey}};
    case ProviderType::Gemini:
        return {{"x-goog-api-key", apiKey}};
    case ProviderType::AzureOpenAi:
        return {{"api-key", apiKey}};
    default:
        return {{"authorization", "Bearer " + apiKey}};
    }
}

QString defaultAzureApiVersion()
{
    return QStringLiteral("2024-10-21");
}

QByteArray anthropicVersion()
{
    return "2023-06-01";
}

} // namespace gh::ProviderTypes
