#pragma once

#include "JsonSchemaValidator.h"
#include "PromptInputSchema.h"
#include "PromptTemplate.h"
#include "ai/ChatTypes.h"
#include "http/HttpHeaders.h"
#include "routing/CompiledRoute.h"

#include <QByteArray>
#include <QDate>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace gh {

// A SPEC §3 prompt API ready to serve: its templates parsed, its inputs and output schema
// compiled, its lifecycle (shared with routes: draft 404, deprecated Deprecation + Sunset,
// retired 410). Immutable once compiled; part of the ConfigSnapshot, so a call keeps the
// version it started with across reloads. Pure logic: the call itself is an AiCall
// (proxy/), which runs the ChatRequest built here through the models' targets and
// fallbacks like any chat completion.
struct CompiledPromptApi
{
    using State = CompiledRoute::State;
    enum class Auth { None, Key };
    enum class OutputFormat { Text, Json };

    QString name;
    QString version;
    QByteArray path; // as configured, without a trailing "/"
    QString model;   // the public model name (SPEC §3 models)
    Auth auth = Auth::Key;
    State state = State::Published;
    QDate sunset;
    qint64 deprecatedSince = 0; // unix seconds, for deprecated prompt APIs
    HttpHeaders extraHeaders;   // Deprecation + Sunset while deprecated

    PromptTemplate system;
    PromptTemplate prompt; // `template`: the user message
    PromptInputSchema inputs;

    // params: the ones the neutral ChatRequest models, and the rest (seed, penalties) as
    // OpenAI-dialect extras the codecs translate or refuse by their documented rules.
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<qint64> maxTokens;
    QStringList stop;
    QJsonObject extraParams;

    OutputFormat outputFormat = OutputFormat::Text;
    QJsonObject outputSchemaJson; // empty: any JSON value
    JsonSchemaValidator outputSchema;

    QJsonObject json; // the normalized entity

    bool isDeprecated() const { return state == State::Deprecated; }

    // From a normalized `prompt_apis[]` entity.
    static CompiledPromptApi compile(const QJsonObject &json, qint64 deprecatedSince);
    // "/a/b/" → "/a/b" (the form paths are matched in).
    static QByteArray normalizePath(QByteArrayView path);

    struct Call
    {
        ChatRequest request;
        // What makes two calls' answers equal: the AI cache key (settings.ai_cache) of the call.
        QJsonObject identity;
    };
    // The caller's JSON body → the neutral chat request (rendered system prompt and
    // template, params, JSON mode). `eventStream`: the caller sent Accept: text/event-stream.
    // Refusals are 400s naming the field.
    ChatResult<Call> buildRequest(const QJsonObject &body, bool eventStream) const;

    // The model's answer text → the response's `output`: the text itself, or in JSON mode the
    // parsed value once it validates against the output schema. Otherwise a 502 that says
    // what was wrong and quotes the start of the answer. `cutOff`: the answer stopped at
    // max_tokens (said in the message, it is the likely cause).
    ChatResult<QJsonValue> output(const QString &text, bool cutOff = false) const;

    // {"output","model","usage","cost_usd","finish_reason"}; cost < 0 (no known price) → null.
    static QJsonObject answer(const QJsonValue &output, const QString &model,
                              FinishReason finishReason, const ChatUsage &usage, double cost);
    static QJsonObject usageJson(const ChatUsage &usage);
    static QString finishReasonName(FinishReason reason);

    // The instruction added to the system prompt in JSON mode (providers without a JSON mode
    // rely on it; the others get it as well, so every provider sees the same prompt).
    QString jsonInstruction() const;
};

} // namespace gh
