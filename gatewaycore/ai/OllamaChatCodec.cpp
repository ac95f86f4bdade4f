#include "OllamaChatCodec.h"

#include "AnthropicMessagesCodec.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace gh {

namespace {

const QString Target = QStringLiteral("Ollama");
const QString Separator = QStringLiteral("\n\n");

QString at(const QString &path, int index)
{
    return QStringLiteral("%1[%2]").arg(path).arg(index);
}

QString joinedText(const QList<ChatPart> &parts)
{
    QStringList texts;
    for (const ChatPart &part : parts) {
        if (part.kind == ChatPart::Kind::Text)
            texts.append(part.text);
    }
    return texts.join(Separator);
}

QString randomAlphanumeric(int length)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]));
    return out;
}

// Extras of an OpenAI-sourced request: mapped into options, dropped, or refused.
ChatResult<bool> applyOpenAiExtras(const QJsonObject &extra, QJsonObject &options)
{
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == QLatin1String("seed")) {
            if (!value.isDouble())
                return ChatError::invalid(key, QStringLiteral("seed: expected an integer"));
            options.insert(key, value.toInteger());
            continue;
        }
        if (key == QLatin1String("presence_penalty") || key == QLatin1String("frequency_penalty")) {
            if (!value.isDouble())
                return ChatError::invalid(key, key + QStringLiteral(": expected a number"));
            options.insert(key, value.toDouble());
            continue;
        }
        // Storage, scheduling, caching and latency hints: the answer is the same without them.
        if (key == QLatin1String("store") || key == QLatin1String("service_tier") ||
            key == QLatin1String("prediction") || key == QLatin1String("prompt_cache_key") ||
            key == QLatin1String("safety_identifier"))
            continue;
        // Explicit defaults.
        if (key == QLatin1String("n") && value.toInteger(1) == 1)
            continue;
        if (key == QLatin1String("logprobs") && !value.toBool())
            continue;
        if (key == QLatin1String("logit_bias") && value.toObject().isEmpty())
            continue;
        if (key == QLatin1String("modalities") &&
            value.toArray() == QJsonArray{QStringLiteral("text")})
            continue;
        return ChatError::unsupported(key, Target);
    }
    return true;
}

ChatResult<bool> applyAnthropicExtras(const QJsonObject &extra, QJsonObject &options)
{
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        const QString key = it.key();
        if (key == QLatin1String("top_k")) {
            if (!it.value().isDouble())
                return ChatError::invalid(key, QStringLiteral("top_k: expected an integer"));
            options.insert(key, it.value().toInteger());
            continue;
        }
        if (key == QLatin1String("service_tier"))
            continue;
        if (key == QLatin1String("thinking") &&
            it.value().toObject().value(QLatin1String("type")).toString() ==
                QLatin1String("disabled"))
            continue;
        return ChatError::unsupported(key, Target);
    }
    return true;
}

// The arguments of a tool call Ollama sent: an object (documented) or, defensively, text.
QString argumentsText(const QJsonValue &arguments)
{
    if (arguments.isObject())
        return QString::fromUtf8(
            QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact));
    if (arguments.isString())
        return arguments.toString();
    return QStringLiteral("{}");
}

} // namespace

ChatResult<QJsonObject> OllamaChatCodec::writeRequest(const ChatRequest &request,
                                                      const QString &upstreamModel)
{
    QJsonObject options;
    ChatResult<bool> extras = request.sourceDialect == ChatDialect::OpenAi
                                  ? applyOpenAiExtras(request.extra, options)
                                  : applyAnthropicExtras(request.extra, options);
    if (!extras.isOk())
        return extras.error();

    const bool sendTools =
        !request.tools.isEmpty() && request.toolChoice.mode != ChatToolChoice::Mode::None;
    if (request.toolChoice.mode == ChatToolChoice::Mode::Required ||
        request.toolChoice.mode == ChatToolChoice::Mode::Specific) {
        return ChatError::invalid(
            QStringLiteral("tool_choice"),
            QStringLiteral("tool_choice: only auto and none are supported when the model is "
                           "served by an Ollama provider (it cannot force a tool call)"));
    }
    if (sendTools && request.parallelToolCalls && !*request.parallelToolCalls)
        return ChatError::unsupported(QStringLiteral("parallel_tool_calls"), Target);

    QJsonObject body{{QStringLiteral("model"), upstreamModel},
                     {QStringLiteral("stream"), request.stream}};

    QJsonArray messages;
    if (!request.system.isEmpty()) {
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), joinedText(request.system)}});
    }
    // Tool results name the tool they answer; the neutral form only has the call id.
    QHash<QString, QString> toolNameForCall;
    for (int i = 0; i < request.messages.size(); ++i) {
        const ChatMessage &message = request.messages.at(i);
        const QString path = at(QStringLiteral("messages"), i);
        QList<ChatPart> texts;
        QJsonArray images;
        QJsonArray toolCalls;
        for (int p = 0; p < message.parts.size(); ++p) {
            const ChatPart &part = message.parts.at(p);
            const QString partPath = at(path + QStringLiteral(".content"), p);
            switch (part.kind) {
            case ChatPart::Kind::Text:
                texts.append(part);
                break;
            case ChatPart::Kind::Image:
                if (message.role != ChatRole::User)
                    return ChatError::unsupported(partPath, Target);
                if (part.imageData.isEmpty()) {
                    return ChatError::invalid(
                        partPath, QStringLiteral("%1: image URLs are not supported when the "
                                                 "model is served by an Ollama provider; send "
                                                 "the image as base64 data")
                                      .arg(partPath));
                }
                images.append(part.imageData);
                break;
            case ChatPart::Kind::ToolCall: {
                const std::optional<QJsonObject> arguments =
                    AnthropicMessagesCodec::toolInput(part.arguments);
                if (!arguments) {
                    return ChatError::invalid(
                        partPath, QStringLiteral("%1: the arguments of tool call '%2' are not a "
                                                 "JSON object")
                                      .arg(partPath, part.toolCallId));
                }
                toolNameForCall.insert(part.toolCallId, part.toolName);
                toolCalls.append(
                    QJsonObject{{QStringLiteral("function"),
                                 QJsonObject{{QStringLiteral("name"), part.toolName},
                                             {QStringLiteral("arguments"), *arguments}}}});
                break;
            }
            case ChatPart::Kind::ToolResult: {
                QJsonObject result{{QStringLiteral("role"), QStringLiteral("tool")},
                                   {QStringLiteral("content"), part.text}};
                const QString name = toolNameForCall.value(part.toolCallId);
                if (!name.isEmpty())
                    result.insert(QStringLiteral("tool_name"), name);
                messages.append(result);
                break;
            }
            case ChatPart::Kind::Opaque: {
                const QString type = part.raw.value(QLatin1String("type")).toString();
                return ChatError::invalid(
                    partPath, QStringLiteral("%1: '%2' content blocks are not supported when the "
                                             "model is served by an %3 provider")
                                  .arg(partPath, type, Target));
            }
            }
        }
        if (message.role == ChatRole::Tool)
            continue;
        if (texts.isEmpty() && images.isEmpty() && toolCalls.isEmpty())
            continue;
        QJsonObject out{{QStringLiteral("role"), message.role == ChatRole::User
                                                     ? QStringLiteral("user")
                                                     : QStringLiteral("assistant")},
                        {QStringLiteral("content"), joinedText(texts)}};
        if (!images.isEmpty())
            out.insert(QStringLiteral("images"), images);
        if (!toolCalls.isEmpty())
            out.insert(QStringLiteral("tool_calls"), toolCalls);
        messages.append(out);
    }
    body.insert(QStringLiteral("messages"), messages);

    if (sendTools) {
        QJsonArray tools;
        for (int i = 0; i < request.tools.size(); ++i) {
            const ChatTool &tool = request.tools.at(i);
            if (!tool.raw.isEmpty())
                return ChatError::unsupported(
                    at(QStringLiteral("tools"), i) + QStringLiteral(" (type '") +
                        tool.raw.value(QLatin1String("type")).toString() + QStringLiteral("')"),
                    Target);
            QJsonObject function{{QStringLiteral("name"), tool.name}};
            if (!tool.description.isEmpty())
                function.insert(QStringLiteral("description"), tool.description);
            if (!tool.parameters.isEmpty())
                function.insert(QStringLiteral("parameters"), tool.parameters);
            tools.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                                     {QStringLiteral("function"), function}});
        }
        body.insert(QStringLiteral("tools"), tools);
    }

    switch (request.responseFormat.type) {
    case ChatResponseFormat::Type::Text:
        break;
    case ChatResponseFormat::Type::JsonObject:
        body.insert(QStringLiteral("format"), QStringLiteral("json"));
        break;
    case ChatResponseFormat::Type::JsonSchema:
        // A schema-less json_schema asks for JSON all the same.
        if (request.responseFormat.schema.isEmpty())
            body.insert(QStringLiteral("format"), QStringLiteral("json"));
        else
            body.insert(QStringLiteral("format"), request.responseFormat.schema);
        break;
    }

    if (request.temperature)
        options.insert(QStringLiteral("temperature"), *request.temperature);
    if (request.topP)
        options.insert(QStringLiteral("top_p"), *request.topP);
    if (request.maxTokens)
        options.insert(QStringLiteral("num_predict"), *request.maxTokens);
    if (!request.stop.isEmpty())
        options.insert(QStringLiteral("stop"), QJsonArray::fromStringList(request.stop));
    if (!options.isEmpty())
        body.insert(QStringLiteral("options"), options);
    return body;
}

ChatResult<ChatResponse> OllamaChatCodec::parseResponse(const QJsonObject &body)
{
    if (body.contains(QLatin1String("error"))) {
        return ChatError{ChatError::Kind::Api,
                         body.value(QLatin1String("error"))
                             .toString(QStringLiteral("upstream "
                                                      "error")),
                         {}};
    }
    if (!body.value(QLatin1String("message")).isObject())
        return ChatError::badGateway(QStringLiteral("upstream response has no message"));
    const QJsonObject message = body.value(QLatin1String("message")).toObject();

    ChatResponse response;
    response.id = makeResponseId();
    response.model = body.value(QLatin1String("model")).toString();
    response.created = parseCreatedAt(body.value(QLatin1String("created_at")).toString());
    const QString content = message.value(QLatin1String("content")).toString();
    if (!content.isEmpty())
        response.content.append(ChatPart::makeText(content));
    const QJsonArray calls = message.value(QLatin1String("tool_calls")).toArray();
    for (const QJsonValue &value : calls) {
        const QJsonObject call = value.toObject();
        const QJsonObject function = call.value(QLatin1String("function")).toObject();
        const QString id = call.value(QLatin1String("id")).toString();
        response.content.append(ChatPart::makeToolCall(
            id.isEmpty() ? makeToolCallId() : id, function.value(QLatin1String("name")).toString(),
            argumentsText(function.value(QLatin1String("arguments")))));
    }
    response.finishReason =
        parseDoneReason(body.value(QLatin1String("done_reason")).toString(), !calls.isEmpty());
    response.usage = parseUsage(body);
    return response;
}

ChatUsage OllamaChatCodec::parseUsage(const QJsonObject &body)
{
    ChatUsage usage;
    usage.present = body.contains(QLatin1String("prompt_eval_count")) ||
                    body.contains(QLatin1String("eval_count"));
    usage.input = body.value(QLatin1String("prompt_eval_count")).toInteger();
    usage.output = body.value(QLatin1String("eval_count")).toInteger();
    return usage;
}

ChatError OllamaChatCodec::parseError(int status, const QByteArray &body)
{
    ChatError error;
    error.kind = ChatError::kindForStatus(status);
    const QJsonValue value = QJsonDocument::fromJson(body).object().value(QLatin1String("error"));
    // Ollama's own shape is a string; proxies in front of it may answer OpenAI's object.
    error.message = value.isObject() ? value.toObject().value(QLatin1String("message")).toString()
                                     : value.toString();
    if (error.message.isEmpty())
        error.message = QStringLiteral("upstream answered HTTP %1").arg(status);
    return error;
}

ChatResult<QJsonObject> OllamaChatCodec::writeEmbeddingRequest(const EmbeddingRequest &request,
                                                               const QString &upstreamModel)
{
    for (auto it = request.extra.begin(); it != request.extra.end(); ++it) {
        if (it.key() == QLatin1String("input")) {
            return ChatError::invalid(
                QStringLiteral("input"),
                QStringLiteral("input: token arrays are not supported when the model is served "
                               "by an Ollama provider; send text"));
        }
        return ChatError::unsupported(it.key(), Target);
    }
    QJsonObject body{{QStringLiteral("model"), upstreamModel},
                     {QStringLiteral("input"), QJsonArray::fromStringList(request.inputs)},
                     {QStringLiteral("truncate"), false}};
    if (request.dimensions)
        body.insert(QStringLiteral("dimensions"), *request.dimensions);
    return body;
}

ChatResult<EmbeddingResponse> OllamaChatCodec::parseEmbeddingResponse(const QJsonObject &body)
{
    if (!body.value(QLatin1String("embeddings")).isArray())
        return ChatError::badGateway(QStringLiteral("upstream response has no embeddings"));
    EmbeddingResponse response;
    response.model = body.value(QLatin1String("model")).toString();
    const QJsonArray embeddings = body.value(QLatin1String("embeddings")).toArray();
    for (const QJsonValue &embedding : embeddings) {
        if (!embedding.isArray())
            return ChatError::badGateway(
                QStringLiteral("upstream response has an embedding that is not an array"));
        QList<float> vector;
        const QJsonArray numbers = embedding.toArray();
        vector.reserve(numbers.size());
        for (const QJsonValue &number : numbers) {
            if (!number.isDouble())
                return ChatError::badGateway(
                    QStringLiteral("upstream response has a non-numeric embedding value"));
            vector.append(static_cast<float>(number.toDouble()));
        }
        response.vectors.append(vector);
    }
    if (body.contains(QLatin1String("prompt_eval_count"))) {
        response.usage.present = true;
        response.usage.input = body.value(QLatin1String("prompt_eval_count")).toInteger();
    }
    return response;
}

QStringList OllamaChatCodec::parseModelList(const QJsonObject &tagsBody)
{
    QStringList names;
    const QJsonArray models = tagsBody.value(QLatin1String("models")).toArray();
    for (const QJsonValue &value : models) {
        const QJsonObject model = value.toObject();
        QString name = model.value(QLatin1String("name")).toString();
        if (name.isEmpty())
            name = model.value(QLatin1String("model")).toString();
        if (!name.isEmpty())
            names.append(name);
    }
    return names;
}

FinishReason OllamaChatCodec::parseDoneReason(const QString &reason, bool hasToolCalls)
{
    if (reason == QLatin1String("length"))
        return FinishReason::Length;
    return hasToolCalls ? FinishReason::ToolCalls : FinishReason::Stop;
}

qint64 OllamaChatCodec::parseCreatedAt(const QString &createdAt)
{
    // Go's RFC 3339 with nanoseconds ("2023-08-04T08:52:19.385406455-07:00"): Qt reads at
    // most milliseconds, and whole seconds are all that created keeps.
    static const QRegularExpression pattern(QStringLiteral(
        "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)(?:\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)$"));
    const QRegularExpressionMatch match = pattern.match(createdAt);
    if (!match.hasMatch())
        return 0;
    const QDateTime time =
        QDateTime::fromString(match.captured(1) + match.captured(2), Qt::ISODate);
    return time.isValid() ? time.toSecsSinceEpoch() : 0;
}

QString OllamaChatCodec::makeToolCallId()
{
    return QStringLiteral("call_") + randomAlphanumeric(24);
}

QString OllamaChatCodec::makeResponseId()
{
    return QStringLiteral("ollama-") + randomAlphanumeric(24);
}

} // namespace gh
