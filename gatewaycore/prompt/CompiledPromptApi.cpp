#include "CompiledPromptApi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

namespace gh {

namespace {

// How much of a refused answer a 502 quotes.
constexpr qsizetype QuotedOutputChars = 200;

QString excerpt(const QString &text)
{
    QString quoted = text.left(QuotedOutputChars);
    quoted.replace(u'\n', QLatin1String("\\n"));
    return text.size() > QuotedOutputChars ? quoted + QStringLiteral("…") : quoted;
}

// ```json … ``` around an answer (models add them even when told not to).
QString withoutCodeFence(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(QLatin1String("```")) || !trimmed.endsWith(QLatin1String("```")) ||
        trimmed.size() < 6)
        return trimmed;
    const qsizetype firstLine = trimmed.indexOf(u'\n');
    if (firstLine < 0)
        return trimmed;
    return trimmed.mid(firstLine + 1, trimmed.size() - 3 - (firstLine + 1)).trimmed();
}

} // namespace

QByteArray CompiledPromptApi::normalizePath(QByteArrayView path)
{
    QByteArray normalized = path.toByteArray();
    while (normalized.size() > 1 && normalized.endsWith('/'))
        normalized.chop(1);
    return normalized;
}

CompiledPromptApi CompiledPromptApi::compile(const QJsonObject &json, qint64 deprecatedSince)
{
    CompiledPromptApi api;
    api.json = json;
    api.name = json.value(QLatin1String("name")).toString();
    api.version = json.value(QLatin1String("version")).toString();
    api.path = normalizePath(json.value(QLatin1String("path")).toString().toUtf8());
    api.model = json.value(QLatin1String("model")).toString();
    api.auth = json.value(QLatin1String("auth")).toString() == QLatin1String("none") ? Auth::None
                                                                                     : Auth::Key;
    api.state = CompiledRoute::stateFromString(json.value(QLatin1String("state")).toString());
    api.sunset = QDate::fromString(json.value(QLatin1String("sunset")).toString(), Qt::ISODate);
    if (api.state == State::Deprecated) {
        // Same headers as a deprecated route (RFC 9745 Deprecation, RFC 8594 Sunset).
        api.deprecatedSince = deprecatedSince;
        api.extraHeaders.add("Deprecation", '@' + QByteArray::number(deprecatedSince));
        if (api.sunset.isValid())
            api.extraHeaders.add("Sunset", CompiledRoute::httpDate(QDateTime(
                                               api.sunset, QTime(0, 0), QTimeZone::utc())));
    }

    api.system = PromptTemplate::parse(json.value(QLatin1String("system")).toString());
    api.prompt = PromptTemplate::parse(json.value(QLatin1String("template")).toString());
    api.inputs = PromptInputSchema::fromJson(json.value(QLatin1String("inputs")).toObject());

    const QJsonObject params = json.value(QLatin1String("params")).toObject();
    if (params.value(QLatin1String("temperature")).isDouble())
        api.temperature = params.value(QLatin1String("temperature")).toDouble();
    if (params.value(QLatin1String("top_p")).isDouble())
        api.topP = params.value(QLatin1String("top_p")).toDouble();
    if (params.value(QLatin1String("max_tokens")).isDouble())
        api.maxTokens = params.value(QLatin1String("max_tokens")).toInteger();
    const QJsonValue stop = params.value(QLatin1String("stop"));
    if (stop.isString()) {
        api.stop.append(stop.toString());
    } else {
        const QJsonArray stops = stop.toArray();
        for (const QJsonValue &value : stops)
            api.stop.append(value.toString());
    }
    for (const char *extra : {"presence_penalty", "frequency_penalty", "seed"}) {
        const QString key = QString::fromLatin1(extra);
        if (params.contains(key))
            api.extraParams.insert(key, params.value(key));
    }

    // output: {format, json_schema}; params.response_format / params.json_schema say the
    // same in OpenAI's words (accepted for configs written before `output` existed).
    const QJsonObject output = json.value(QLatin1String("output")).toObject();
    const QJsonValue responseFormat = params.value(QLatin1String("response_format"));
    const QString legacyFormat =
        responseFormat.isObject()
            ? responseFormat.toObject().value(QLatin1String("type")).toString()
            : responseFormat.toString();
    const bool jsonMode =
        output.value(QLatin1String("format")).toString() == QLatin1String("json") ||
        output.value(QLatin1String("json_schema")).isObject() ||
        legacyFormat == QLatin1String("json_object") ||
        legacyFormat == QLatin1String("json_schema") ||
        params.value(QLatin1String("json_schema")).isObject();
    if (jsonMode) {
        api.outputFormat = OutputFormat::Json;
        api.outputSchemaJson = output.value(QLatin1String("json_schema")).isObject()
                                   ? output.value(QLatin1String("json_schema")).toObject()
                                   : params.value(QLatin1String("json_schema")).toObject();
        if (!api.outputSchemaJson.isEmpty())
            api.outputSchema = JsonSchemaValidator::compile(api.outputSchemaJson, nullptr);
    }
    return api;
}

QString CompiledPromptApi::jsonInstruction() const
{
    QString instruction = QStringLiteral(
        "Answer with JSON only: one JSON value, without any other text or Markdown code fences.");
    if (!outputSchemaJson.isEmpty())
        instruction +=
            QStringLiteral(" It must be valid against this JSON Schema: ") +
            QString::fromUtf8(QJsonDocument(outputSchemaJson).toJson(QJsonDocument::Compact));
    return instruction;
}

ChatResult<CompiledPromptApi::Call> CompiledPromptApi::buildRequest(const QJsonObject &body,
                                                                    bool eventStream) const
{
    // "stream" is the one field that is not an input (the validator reserves the name).
    bool stream = eventStream;
    const QJsonValue streamValue = body.value(QLatin1String("stream"));
    if (!streamValue.isUndefined() && !streamValue.isNull()) {
        if (!streamValue.isBool())
            return ChatError::invalid(QStringLiteral("stream"),
                                      QStringLiteral("stream: must be true or false"));
        stream = streamValue.toBool();
    }
    ChatResult<PromptInputSchema::Values> values =
        inputs.validate(body, {QStringLiteral("stream")});
    if (!values.isOk())
        return values.error();

    Call call;
    ChatRequest &request = call.request;
    request.model = model;
    request.sourceDialect = ChatDialect::OpenAi;
    request.stream = stream;
    request.includeUsage = true; // the done event reports usage and cost

    QString systemText = system.render(values.value().text);
    if (outputFormat == OutputFormat::Json) {
        systemText = systemText.isEmpty() ? jsonInstruction()
                                          : systemText + QStringLiteral("\n\n") + jsonInstruction();
        // Providers' JSON modes produce objects (OpenAI's json_schema wants an object at the
        // root): a schema for anything else relies on the instruction alone.
        const bool objectRoot =
            outputSchemaJson.value(QLatin1String("type")).toString() == QLatin1String("object");
        request.responseFormat.type = outputSchemaJson.isEmpty()
                                          ? ChatResponseFormat::Type::JsonObject
                                      : objectRoot ? ChatResponseFormat::Type::JsonSchema
                                                   : ChatResponseFormat::Type::Text;
        request.responseFormat.name = QStringLiteral("output"); // OpenAI wants a name; any will do
        request.responseFormat.schema = outputSchemaJson;
    }
    if (!systemText.isEmpty())
        request.system.append(ChatPart::makeText(systemText));
    const QString userText = prompt.render(values.value().text);
    ChatMessage message;
    message.role = ChatRole::User;
    message.parts.append(ChatPart::makeText(userText));
    request.messages.append(message);

    request.temperature = temperature;
    request.topP = topP;
    request.maxTokens = maxTokens;
    request.stop = stop;
    request.extra = extraParams;

    // Everything that decides the answer, for the AI cache: the rendered texts rather than
    // the inputs, so an edited template never serves an answer of the old one.
    call.identity = QJsonObject{{QStringLiteral("prompt_api"), name},
                                {QStringLiteral("model"), model},
                                {QStringLiteral("system"), systemText},
                                {QStringLiteral("prompt"), userText},
                                {QStringLiteral("params"), json.value(QLatin1String("params"))},
                                {QStringLiteral("output"), outputSchemaJson},
                                {QStringLiteral("stream"), stream}};
    if (temperature)
        call.identity.insert(QStringLiteral("temperature"), *temperature);
    return call;
}

ChatResult<QJsonValue> CompiledPromptApi::output(const QString &text, bool cutOff) const
{
    if (outputFormat == OutputFormat::Text)
        return QJsonValue(text);
    const QString cutOffHint =
        cutOff ? QStringLiteral(" (the answer stopped at max_tokens; raise params.max_tokens)")
               : QString();
    // QJsonDocument only takes an object or array at the top: read the answer as the only
    // item of an array, so "42" or "\"yes\"" are values too and "1, 2" is refused.
    const QString candidate = withoutCodeFence(text);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + candidate.toUtf8() + ']', &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1) {
        return ChatError::badGateway(
            QStringLiteral("prompt API %1: the model's output is not one JSON value%2: \"%3\"")
                .arg(name, cutOffHint, excerpt(text)));
    }
    const QJsonValue value = doc.array().first();
    const QList<JsonSchemaValidator::Problem> problems = outputSchema.validate(value);
    if (!problems.isEmpty()) {
        QStringList reasons;
        for (const JsonSchemaValidator::Problem &problem : problems)
            reasons.append(problem.toString());
        return ChatError::badGateway(
            QStringLiteral("prompt API %1: the model's output does not match the output "
                           "schema%2: %3; output: \"%4\"")
                .arg(name, cutOffHint, reasons.join(QStringLiteral("; ")), excerpt(candidate)));
    }
    return value;
}

QString CompiledPromptApi::finishReasonName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::None:
        break;
    case FinishReason::Stop:
        return QStringLiteral("stop");
    case FinishReason::Length:
        return QStringLiteral("length");
    case FinishReason::ToolCalls:
        return QStringLiteral("tool_calls");
    case FinishReason::ContentFilter:
        return QStringLiteral("content_filter");
    case FinishReason::Error:
        return QStringLiteral("error");
    }
    return QString();
}

QJsonObject CompiledPromptApi::usageJson(const ChatUsage &usage)
{
    QJsonObject json{{QStringLiteral("input_tokens"), usage.input},
                     {QStringLiteral("output_tokens"), usage.output},
                     {QStringLiteral("total_tokens"), usage.total()}};
    if (usage.cachedInput)
        json.insert(QStringLiteral("cached_input_tokens"), usage.cachedInput);
    if (usage.cacheCreationInput)
        json.insert(QStringLiteral("cache_creation_input_tokens"), usage.cacheCreationInput);
    if (usage.reasoning)
        json.insert(QStringLiteral("reasoning_tokens"), usage.reasoning);
    return json;
}

QJsonObject CompiledPromptApi::answer(const QJsonValue &output, const QString &model,
                                      FinishReason finishReason, const ChatUsage &usage,
                                      double cost)
{
    const QString finish = finishReasonName(finishReason);
    return QJsonObject{
        {QStringLiteral("output"), output},
        {QStringLiteral("model"), model},
        {QStringLiteral("usage"), usageJson(usage)},
        {QStringLiteral("cost_usd"), cost >= 0 ? QJsonValue(cost) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("finish_reason"),
         finish.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(finish)}};
}

} // namespace gh
