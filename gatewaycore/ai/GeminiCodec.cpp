#include "GeminiCodec.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace gh {

namespace {

// Gemini accepts at most this many stop sequences (GenerationConfig.stopSequences).
constexpr int MaxStopSequences = 5;
// Nesting deeper than this is not a real tool schema but a runaway one.
constexpr int MaxSchemaDepth = 64;

// The documented stand-in for a thought signature on history Gemini did not produce in
// this exchange (ai.google.dev/gemini-api/docs/thought-signatures, FAQ).
const QString SkipSignature = QStringLiteral("skip_thought_signature_validator");

QString at(const QString &path, int index)
{
    return QStringLiteral("%1[%2]").arg(path).arg(index);
}

ChatError refuse(const QString &param)
{
    return ChatError::invalid(
        param, QStringLiteral("%1: not supported when the model is served by a Gemini provider")
                   .arg(param));
}

QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Media type of a URL image: the one given, else from the path's extension (query strings
// of signed URLs ignored). Empty when unknown.
QString urlMediaType(const ChatPart &part)
{
    if (!part.mediaType.isEmpty())
        return part.mediaType;
    const QString path = QUrl(part.imageUrl).path().toLower();
    static const QList<QPair<QLatin1String, QLatin1String>> types{
        {QLatin1String(".png"), QLatin1String("image/png")},
        {QLatin1String(".jpg"), QLatin1String("image/jpeg")},
        {QLatin1String(".jpeg"), QLatin1String("image/jpeg")},
        {QLatin1String(".webp"), QLatin1String("image/webp")},
        {QLatin1String(".heic"), QLatin1String("image/heic")},
        {QLatin1String(".heif"), QLatin1String("image/heif")}};
    for (const auto &[suffix, type] : types) {
        if (path.endsWith(suffix))
            return type;
    }
    return {};
}

ChatResult<QJsonObject> imagePart(const ChatPart &part, const QString &partPath)
{
    if (part.imageUrl.isEmpty()) {
        if (part.mediaType.isEmpty())
            return ChatError::invalid(
                partPath, partPath + QStringLiteral(": an inline image needs a media type"));
        return QJsonObject{
            {QStringLiteral("inlineData"), QJsonObject{{QStringLiteral("mimeType"), part.mediaType},
                                                       {QStringLiteral("data"), part.imageData}}}};
    }
    const QString param = partPath + QStringLiteral(".image_url");
    const QString scheme = QUrl(part.imageUrl).scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("gs"))
        return ChatError::invalid(
            param, QStringLiteral("%1: a Gemini provider only fetches https:// and gs:// image "
                                  "URLs; send the image as base64 data instead")
                       .arg(param));
    const QString mediaType = urlMediaType(part);
    if (mediaType.isEmpty())
        return ChatError::invalid(
            param, QStringLiteral("%1: the image type of this URL is unknown (a Gemini provider "
                                  "needs one: png, jpeg, webp, heic or heif); send the image as "
                                  "base64 data instead")
                       .arg(param));
    return QJsonObject{
        {QStringLiteral("fileData"), QJsonObject{{QStringLiteral("mimeType"), mediaType},
                                                 {QStringLiteral("fileUri"), part.imageUrl}}}};
}

// A tool result as functionResponse.response content: JSON when it is an object or array.
QJsonValue resultValue(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(QLatin1Char('{')) || trimmed.startsWith(QLatin1Char('['))) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(trimmed.toUtf8(), &error);
        if (error.error == QJsonParseError::NoError) {
            if (document.isObject())
                return document.object();
            return document.array();
        }
    }
    return text;
}

std::optional<QJsonObject> argsObject(const QString &arguments)
{
    if (arguments.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(arguments.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// Extras of an OpenAI-dialect caller: mapped into generationConfig, dropped or refused.
ChatResult<bool> applyOpenAiExtras(const QJsonObject &extra, QJsonObject &config)
{
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == QLatin1String("store") || key == QLatin1String("service_tier"))
            continue;
        if (key == QLatin1String("n") && value.toInteger(1) == 1)
            continue;
        if (key == QLatin1String("logprobs") && !value.toBool())
            continue;
        if (key == QLatin1String("logit_bias") && value.toObject().isEmpty())
            continue;
        if (key == QLatin1String("modalities") &&
            value.toArray() == QJsonArray{QStringLiteral("text")})
            continue;
        if (key == QLatin1String("seed") && value.isDouble()) {
            config.insert(QStringLiteral("seed"), value.toInteger());
            continue;
        }
        if (key == QLatin1String("presence_penalty") && value.isDouble()) {
            config.insert(QStringLiteral("presencePenalty"), value.toDouble());
            continue;
        }
        if (key == QLatin1String("frequency_penalty") && value.isDouble()) {
            config.insert(QStringLiteral("frequencyPenalty"), value.toDouble());
            continue;
        }
        if (key == QLatin1String("reasoning_effort")) {
            static const QHash<QString, int> budgets{{QStringLiteral("none"), 0},
                                                     {QStringLiteral("low"), 1024},
                                                     {QStringLiteral("medium"), 8192},
                                                     {QStringLiteral("high"), 24576}};
            const auto budget = budgets.constFind(value.toString());
            if (budget != budgets.constEnd()) {
                config.insert(QStringLiteral("thinkingConfig"),
                              QJsonObject{{QStringLiteral("thinkingBudget"), *budget}});
                continue;
            }
        }
        return refuse(key);
    }
    return true;
}

// Extras of an Anthropic-dialect caller.
ChatResult<bool> applyAnthropicExtras(const QJsonObject &extra, QJsonObject &config)
{
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == QLatin1String("service_tier"))
            continue;
        if (key == QLatin1String("top_k") && value.isDouble()) {
            config.insert(QStringLiteral("topK"), value.toInteger());
            continue;
        }
        if (key == QLatin1String("thinking")) {
            const QJsonObject thinking = value.toObject();
            const QString type = thinking.value(QLatin1String("type")).toString();
            if (type == QLatin1String("disabled"))
                continue;
            if (type == QLatin1String("enabled") &&
                thinking.value(QLatin1String("budget_tokens")).isDouble()) {
                config.insert(
                    QStringLiteral("thinkingConfig"),
                    QJsonObject{{QStringLiteral("thinkingBudget"),
                                 thinking.value(QLatin1String("budget_tokens")).toInteger()}});
                continue;
            }
        }
        return refuse(key);
    }
    return true;
}

// --- JSON Schema → Gemini Schema -------------------------------------------------------

class SchemaCleaner
{
public:
    SchemaCleaner(const QJsonObject &root, const QString &param)
        : m_param(param)
    {
        for (QLatin1String key : {QLatin1String("$defs"), QLatin1String("definitions")}) {
            const QJsonObject defs = root.value(key).toObject();
            for (auto it = defs.begin(); it != defs.end(); ++it)
                m_defs.insert(QStringLiteral("#/%1/%2").arg(key, it.key()), it.value().toObject());
        }
    }

    ChatResult<QJsonObject> clean(const QJsonObject &schema, int depth)
    {
        if (depth > MaxSchemaDepth)
            return fail(QStringLiteral("the schema is nested too deeply"));

        if (schema.contains(QLatin1String("$ref"))) {
            const QString ref = schema.value(QLatin1String("$ref")).toString();
            if (!m_defs.contains(ref))
                return fail(QStringLiteral("$ref '%1' cannot be resolved (only local $defs / "
                                           "definitions references can)")
                                .arg(ref));
            if (m_refStack.contains(ref))
                return fail(QStringLiteral("$ref '%1' is recursive, which a Gemini provider "
                                           "cannot express")
                                .arg(ref));
            m_refStack.insert(ref);
            QJsonObject merged = m_defs.value(ref);
            // Annotations next to a $ref describe this use of it.
            for (QLatin1String key : {QLatin1String("description"), QLatin1String("title")}) {
                if (schema.contains(key))
                    merged.insert(key, schema.value(key));
            }
            ChatResult<QJsonObject> inlined = clean(merged, depth + 1);
            m_refStack.remove(ref);
            return inlined;
        }

        QJsonObject in = schema;
        // allOf / single-branch anyOf / oneOf: merged into the schema itself.
        if (in.value(QLatin1String("allOf")).isArray()) {
            const QJsonArray parts = in.take(QLatin1String("allOf")).toArray();
            for (const QJsonValue &part : parts) {
                ChatResult<QJsonObject> cleaned = clean(part.toObject(), depth + 1);
                if (!cleaned.isOk())
                    return cleaned;
                mergeInto(in, cleaned.value());
            }
        }

        QJsonObject out;
        bool nullable = in.value(QLatin1String("nullable")).toBool();

        const QJsonValue type = in.value(QLatin1String("type"));
        QStringList types;
        if (type.isString())
            types.append(type.toString());
        else if (type.isArray())
            for (const QJsonValue &t : type.toArray())
                types.append(t.toString());
        if (types.removeAll(QStringLiteral("null")) > 0)
            nullable = true;

        QJsonArray branches;
        for (QLatin1String key : {QLatin1String("anyOf"), QLatin1String("oneOf")}) {
            const QJsonArray list = in.value(key).toArray();
            for (const QJsonValue &branch : list) {
                const QJsonObject object = branch.toObject();
                if (object.value(QLatin1String("type")).toString() == QLatin1String("null") &&
                    object.size() == 1) {
                    nullable = true;
                    continue;
                }
                ChatResult<QJsonObject> cleaned = clean(object, depth + 1);
                if (!cleaned.isOk())
                    return cleaned;
                branches.append(cleaned.value());
            }
        }
        if (branches.size() == 1) {
            out = branches.first().toObject();
            branches = QJsonArray();
            if (out.value(QLatin1String("nullable")).toBool())
                nullable = true;
        }

        if (types.size() == 1) {
            out.insert(QStringLiteral("type"), types.first());
        } else if (types.size() > 1) {
            for (const QString &t : std::as_const(types))
                branches.append(QJsonObject{{QStringLiteral("type"), t}});
        }
        if (!branches.isEmpty())
            out.insert(QStringLiteral("anyOf"), branches);

        QJsonArray values;
        if (in.contains(QLatin1String("const")))
            values.append(in.value(QLatin1String("const")));
        else
            values = in.value(QLatin1String("enum")).toArray();
        bool allStrings = !values.isEmpty();
        for (const QJsonValue &value : std::as_const(values))
            allStrings = allStrings && value.isString();
        // Gemini's enum holds strings only; other enums are dropped (the type stays).
        if (allStrings) {
            out.insert(QStringLiteral("enum"), values);
            if (!out.contains(QLatin1String("type")) && !out.contains(QLatin1String("anyOf")))
                out.insert(QStringLiteral("type"), QStringLiteral("string"));
        }

        const QString outType = out.value(QLatin1String("type")).toString();
        const QString format = in.value(QLatin1String("format")).toString();
        if (formatAllowed(outType, format))
            out.insert(QStringLiteral("format"), format);

        static const QLatin1String copied[] = {
            QLatin1String("title"),         QLatin1String("description"),
            QLatin1String("minItems"),      QLatin1String("maxItems"),
            QLatin1String("minProperties"), QLatin1String("maxProperties"),
            QLatin1String("minLength"),     QLatin1String("maxLength"),
            QLatin1String("pattern"),       QLatin1String("minimum"),
            QLatin1String("maximum"),       QLatin1String("default"),
            QLatin1String("example"),       QLatin1String("propertyOrdering")};
        for (QLatin1String key : copied) {
            if (in.contains(key))
                out.insert(key, in.value(key));
        }

        if (in.value(QLatin1String("properties")).isObject()) {
            const QJsonObject properties = in.value(QLatin1String("properties")).toObject();
            QJsonObject cleanedProperties;
            for (auto it = properties.begin(); it != properties.end(); ++it) {
                ChatResult<QJsonObject> cleaned = clean(it.value().toObject(), depth + 1);
                if (!cleaned.isOk())
                    return cleaned;
                cleanedProperties.insert(it.key(), cleaned.value());
            }
            // Gemini refuses an empty properties map.
            if (!cleanedProperties.isEmpty())
                out.insert(QStringLiteral("properties"), cleanedProperties);
            QJsonArray required;
            const QJsonArray names = in.value(QLatin1String("required")).toArray();
            for (const QJsonValue &name : names) {
                if (cleanedProperties.contains(name.toString()))
                    required.append(name);
            }
            if (!required.isEmpty())
                out.insert(QStringLiteral("required"), required);
        }

        if (in.value(QLatin1String("items")).isObject()) {
            ChatResult<QJsonObject> cleaned =
                clean(in.value(QLatin1String("items")).toObject(), depth + 1);
            if (!cleaned.isOk())
                return cleaned;
            out.insert(QStringLiteral("items"), cleaned.value());
        }

        if (nullable)
            out.insert(QStringLiteral("nullable"), true);
        return out;
    }

private:
    ChatError fail(const QString &what) const
    {
        return ChatError::invalid(m_param, QStringLiteral("%1: %2").arg(m_param, what));
    }

    static bool formatAllowed(const QString &type, const QString &format)
    {
        if (format.isEmpty())
            return false;
        if (type == QLatin1String("string"))
            return format == QLatin1String("enum") || format == QLatin1String("date-time");
        if (type == QLatin1String("number"))
            return format == QLatin1String("float") || format == QLatin1String("double");
        if (type == QLatin1String("integer"))
            return format == QLatin1String("int32") || format == QLatin1String("int64");
        return false;
    }

    // allOf member into its parent: properties and required are unions, the rest fills gaps.
    static void mergeInto(QJsonObject &target, const QJsonObject &part)
    {
        for (auto it = part.begin(); it != part.end(); ++it) {
            if (it.key() == QLatin1String("properties")) {
                QJsonObject properties = target.value(it.key()).toObject();
                const QJsonObject more = it.value().toObject();
                for (auto p = more.begin(); p != more.end(); ++p)
                    properties.insert(p.key(), p.value());
                target.insert(it.key(), properties);
            } else if (it.key() == QLatin1String("required")) {
                QJsonArray required = target.value(it.key()).toArray();
                for (const QJsonValue &name : it.value().toArray()) {
                    if (!required.contains(name))
                        required.append(name);
                }
                target.insert(it.key(), required);
            } else if (!target.contains(it.key())) {
                target.insert(it.key(), it.value());
            }
        }
    }

    QString m_param;
    QHash<QString, QJsonObject> m_defs;
    QSet<QString> m_refStack;
};

// tools → one functionDeclarations tool; tool_choice → toolConfig.functionCallingConfig.
ChatResult<bool> writeTools(const ChatRequest &request, QJsonObject &body)
{
    QJsonArray declarations;
    QSet<QString> names;
    for (int i = 0; i < request.tools.size(); ++i) {
        const ChatTool &tool = request.tools.at(i);
        const QString toolPath = at(QStringLiteral("tools"), i);
        if (!tool.raw.isEmpty())
            return refuse(toolPath);
        QJsonObject declaration{{QStringLiteral("name"), tool.name}};
        if (!tool.description.isEmpty())
            declaration.insert(QStringLiteral("description"), tool.description);
        ChatResult<QJsonObject> parameters = GeminiCodec::cleanSchema(
            tool.parameters, toolPath + QStringLiteral(".function.parameters"));
        if (!parameters.isOk())
            return parameters.error();
        // No properties: no parameters at all (Gemini refuses empty OBJECT properties);
        // properties without a type: an OBJECT all the same (Vertex insists on it).
        QJsonObject cleanedParameters = parameters.value();
        if (cleanedParameters.contains(QLatin1String("properties"))) {
            if (!cleanedParameters.contains(QLatin1String("type")))
                cleanedParameters.insert(QStringLiteral("type"), QStringLiteral("object"));
            declaration.insert(QStringLiteral("parameters"), cleanedParameters);
        }
        declarations.append(declaration);
        names.insert(tool.name);
    }
    body.insert(QStringLiteral("tools"),
                QJsonArray{QJsonObject{{QStringLiteral("functionDeclarations"), declarations}}});

    QJsonObject calling;
    switch (request.toolChoice.mode) {
    case ChatToolChoice::Mode::Unset:
        break;
    case ChatToolChoice::Mode::Auto:
        calling.insert(QStringLiteral("mode"), QStringLiteral("AUTO"));
        break;
    case ChatToolChoice::Mode::None:
        calling.insert(QStringLiteral("mode"), QStringLiteral("NONE"));
        break;
    case ChatToolChoice::Mode::Required:
        calling.insert(QStringLiteral("mode"), QStringLiteral("ANY"));
        break;
    case ChatToolChoice::Mode::Specific:
        if (!names.contains(request.toolChoice.name))
            return ChatError::invalid(QStringLiteral("tool_choice"),
                                      QStringLiteral("tool_choice: there is no tool named '%1'")
                                          .arg(request.toolChoice.name));
        calling.insert(QStringLiteral("mode"), QStringLiteral("ANY"));
        calling.insert(QStringLiteral("allowedFunctionNames"), QJsonArray{request.toolChoice.name});
        break;
    }
    if (!calling.isEmpty())
        body.insert(QStringLiteral("toolConfig"),
                    QJsonObject{{QStringLiteral("functionCallingConfig"), calling}});
    return true;
}

} // namespace

ChatResult<QJsonObject> GeminiCodec::cleanSchema(const QJsonObject &schema, const QString &param)
{
    SchemaCleaner cleaner(schema, param);
    return cleaner.clean(schema, 0);
}

QString GeminiCodec::newCallNonce()
{
    return QStringLiteral("%1").arg(QRandomGenerator::global()->generate64(), 16, 16,
                                    QLatin1Char('0'));
}

QString GeminiCodec::syntheticCallId(const QString &nonce, int index)
{
    return QStringLiteral("call_%1_%2").arg(nonce).arg(index);
}

bool GeminiCodec::isSyntheticCallId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^call_[0-9a-f]{16}_[0-9]+$"));
    return pattern.match(id).hasMatch();
}

QString GeminiCodec::syntheticResponseId()
{
    return QStringLiteral("gemini-%1").arg(newCallNonce());
}

ChatResult<QJsonObject> GeminiCodec::writeRequest(const ChatRequest &request)
{
    QJsonObject body;
    QJsonObject config;
    ChatResult<bool> extras = request.sourceDialect == ChatDialect::OpenAi
                                  ? applyOpenAiExtras(request.extra, config)
                                  : applyAnthropicExtras(request.extra, config);
    if (!extras.isOk())
        return extras.error();

    if (!request.system.isEmpty()) {
        QJsonArray parts;
        for (const ChatPart &part : request.system) {
            if (!part.text.isEmpty())
                parts.append(QJsonObject{{QStringLiteral("text"), part.text}});
        }
        if (!parts.isEmpty())
            body.insert(QStringLiteral("systemInstruction"),
                        QJsonObject{{QStringLiteral("parts"), parts}});
    }

    QHash<QString, QString> callNames; // tool call id → function name
    QJsonArray contents;
    bool previousWasTool = false;
    for (int i = 0; i < request.messages.size(); ++i) {
        const ChatMessage &message = request.messages.at(i);
        const QString path = at(QStringLiteral("messages"), i);
        QJsonArray parts;
        bool signatureSent = false;
        for (int p = 0; p < message.parts.size(); ++p) {
            const ChatPart &part = message.parts.at(p);
            const QString partPath = at(path + QStringLiteral(".content"), p);
            switch (part.kind) {
            case ChatPart::Kind::Text:
                if (!part.text.isEmpty())
                    parts.append(QJsonObject{{QStringLiteral("text"), part.text}});
                break;
            case ChatPart::Kind::Image: {
                if (message.role != ChatRole::User)
                    return refuse(partPath);
                ChatResult<QJsonObject> image = imagePart(part, partPath);
                if (!image.isOk())
                    return image.error();
                parts.append(image.value());
                break;
            }
            case ChatPart::Kind::ToolCall: {
                const std::optional<QJsonObject> args = argsObject(part.arguments);
                if (!args)
                    return ChatError::invalid(
                        partPath, QStringLiteral("%1: the arguments of tool call '%2' are not a "
                                                 "JSON object")
                                      .arg(partPath, part.toolCallId));
                QJsonObject call{{QStringLiteral("name"), part.toolName},
                                 {QStringLiteral("args"), *args}};
                if (!part.toolCallId.isEmpty() && !isSyntheticCallId(part.toolCallId))
                    call.insert(QStringLiteral("id"), part.toolCallId);
                callNames.insert(part.toolCallId, part.toolName);
                QJsonObject out{{QStringLiteral("functionCall"), call}};
                if (!signatureSent) {
                    out.insert(QStringLiteral("thoughtSignature"), SkipSignature);
                    signatureSent = true;
                }
                parts.append(out);
                break;
            }
            case ChatPart::Kind::ToolResult: {
                const auto name = callNames.constFind(part.toolCallId);
                if (name == callNames.constEnd()) {
                    const QString where = path + QStringLiteral(".tool_call_id");
                    return ChatError::invalid(
                        where, QStringLiteral("%1: no earlier assistant tool call has the id '%2' "
                                              "(a Gemini provider needs the function name of "
                                              "each tool result)")
                                   .arg(where, part.toolCallId));
                }
                QJsonObject response{
                    {part.isError ? QStringLiteral("error") : QStringLiteral("content"),
                     resultValue(part.text)}};
                QJsonObject functionResponse{{QStringLiteral("name"), *name},
                                             {QStringLiteral("response"), response}};
                if (!part.toolCallId.isEmpty() && !isSyntheticCallId(part.toolCallId))
                    functionResponse.insert(QStringLiteral("id"), part.toolCallId);
                parts.append(QJsonObject{{QStringLiteral("functionResponse"), functionResponse}});
                break;
            }
            case ChatPart::Kind::Opaque: {
                const QString type = part.raw.value(QLatin1String("type")).toString();
                return ChatError::invalid(
                    partPath, QStringLiteral("%1: '%2' content is not supported when the model "
                                             "is served by a Gemini provider")
                                  .arg(partPath, type));
            }
            }
        }
        const bool tool = message.role == ChatRole::Tool;
        if (parts.isEmpty()) {
            previousWasTool = previousWasTool && tool;
            continue;
        }
        if (tool && previousWasTool) {
            // Answers to one set of parallel calls go together in one content.
            QJsonObject last = contents.last().toObject();
            QJsonArray merged = last.value(QLatin1String("parts")).toArray();
            for (const QJsonValue &part : std::as_const(parts))
                merged.append(part);
            last.insert(QStringLiteral("parts"), merged);
            contents.replace(contents.size() - 1, last);
        } else {
            contents.append(QJsonObject{{QStringLiteral("role"), message.role == ChatRole::Assistant
                                                                     ? QStringLiteral("model")
                                                                     : QStringLiteral("user")},
                                        {QStringLiteral("parts"), parts}});
        }
        previousWasTool = tool;
    }
    body.insert(QStringLiteral("contents"), contents);

    if (!request.tools.isEmpty()) {
        ChatResult<bool> tools = writeTools(request, body);
        if (!tools.isOk())
            return tools.error();
    }

    switch (request.responseFormat.type) {
    case ChatResponseFormat::Type::Text:
        break;
    case ChatResponseFormat::Type::JsonSchema: {
        ChatResult<QJsonObject> schema = cleanSchema(
            request.responseFormat.schema, QStringLiteral("response_format.json_schema.schema"));
        if (!schema.isOk())
            return schema.error();
        config.insert(QStringLiteral("responseSchema"), schema.value());
        config.insert(QStringLiteral("responseMimeType"), QStringLiteral("application/json"));
        break;
    }
    case ChatResponseFormat::Type::JsonObject:
        config.insert(QStringLiteral("responseMimeType"), QStringLiteral("application/json"));
        break;
    }

    if (request.stop.size() > MaxStopSequences)
        return ChatError::invalid(
            QStringLiteral("stop"),
            QStringLiteral("stop: a Gemini provider accepts at most %1 stop sequences, %2 given")
                .arg(MaxStopSequences)
                .arg(request.stop.size()));
    if (!request.stop.isEmpty())
        config.insert(QStringLiteral("stopSequences"), QJsonArray::fromStringList(request.stop));
    if (request.temperature)
        config.insert(QStringLiteral("temperature"), *request.temperature);
    if (request.topP)
        config.insert(QStringLiteral("topP"), *request.topP);
    if (request.maxTokens)
        config.insert(QStringLiteral("maxOutputTokens"), *request.maxTokens);
    if (!config.isEmpty())
        body.insert(QStringLiteral("generationConfig"), config);
    return body;
}

ChatResult<ChatResponse> GeminiCodec::parseResponse(const QJsonObject &body)
{
    ChatResponse response;
    response.id = body.value(QLatin1String("responseId")).toString();
    if (response.id.isEmpty())
        response.id = syntheticResponseId();
    response.model = body.value(QLatin1String("modelVersion")).toString();
    if (body.value(QLatin1String("usageMetadata")).isObject())
        response.usage = parseUsage(body.value(QLatin1String("usageMetadata")).toObject());

    const QJsonArray candidates = body.value(QLatin1String("candidates")).toArray();
    if (candidates.isEmpty()) {
        if (body.value(QLatin1String("promptFeedback")).isObject()) {
            response.finishReason = FinishReason::ContentFilter; // the prompt was blocked
            return response;
        }
        return ChatError::badGateway(
            QStringLiteral("the Gemini upstream answered without any candidate"));
    }

    const QJsonObject candidate = candidates.first().toObject();
    const QJsonArray parts = candidate.value(QLatin1String("content"))
                                 .toObject()
                                 .value(QLatin1String("parts"))
                                 .toArray();
    const QString nonce = newCallNonce();
    QString text;
    QList<ChatPart> calls;
    for (const QJsonValue &value : parts) {
        const QJsonObject part = value.toObject();
        if (part.value(QLatin1String("thought")).toBool())
            continue;
        if (part.contains(QLatin1String("text"))) {
            text += part.value(QLatin1String("text")).toString();
        } else if (part.value(QLatin1String("functionCall")).isObject()) {
            const QJsonObject call = part.value(QLatin1String("functionCall")).toObject();
            QString id = call.value(QLatin1String("id")).toString();
            if (id.isEmpty())
                id = syntheticCallId(nonce, int(calls.size()));
            calls.append(
                ChatPart::makeToolCall(id, call.value(QLatin1String("name")).toString(),
                                       compactJson(call.value(QLatin1String("args")).toObject())));
        }
    }
    if (!text.isEmpty())
        response.content.append(ChatPart::makeText(text));
    response.content += calls;
    response.finishReason =
        parseFinishReason(candidate.value(QLatin1String("finishReason")).toString());
    if (!calls.isEmpty() && response.finishReason == FinishReason::Stop)
        response.finishReason = FinishReason::ToolCalls;
    return response;
}

ChatUsage GeminiCodec::parseUsage(const QJsonObject &usageMetadata)
{
    ChatUsage usage;
    usage.present = true;
    usage.input = usageMetadata.value(QLatin1String("promptTokenCount")).toInteger() +
                  usageMetadata.value(QLatin1String("toolUsePromptTokenCount")).toInteger();
    usage.cachedInput = usageMetadata.value(QLatin1String("cachedContentTokenCount")).toInteger();
    usage.reasoning = usageMetadata.value(QLatin1String("thoughtsTokenCount")).toInteger();
    usage.output =
        usageMetadata.value(QLatin1String("candidatesTokenCount")).toInteger() + usage.reasoning;
    return usage;
}

FinishReason GeminiCodec::parseFinishReason(const QString &reason)
{
    if (reason.isEmpty())
        return FinishReason::None;
    if (reason == QLatin1String("MAX_TOKENS"))
        return FinishReason::Length;
    static const QSet<QString> filtered{QStringLiteral("SAFETY"),
                                        QStringLiteral("RECITATION"),
                                        QStringLiteral("BLOCKLIST"),
                                        QStringLiteral("PROHIBITED_CONTENT"),
                                        QStringLiteral("SPII"),
                                        QStringLiteral("IMAGE_SAFETY"),
                                        QStringLiteral("IMAGE_PROHIBITED_CONTENT"),
                                        QStringLiteral("IMAGE_RECITATION")};
    if (filtered.contains(reason))
        return FinishReason::ContentFilter;
    static const QSet<QString> failed{
        QStringLiteral("MALFORMED_FUNCTION_CALL"), QStringLiteral("UNEXPECTED_TOOL_CALL"),
        QStringLiteral("TOO_MANY_TOOL_CALLS"), QStringLiteral("MISSING_THOUGHT_SIGNATURE"),
        QStringLiteral("MALFORMED_RESPONSE")};
    if (failed.contains(reason))
        return FinishReason::Error;
    return FinishReason::Stop; // STOP, LANGUAGE, OTHER and whatever comes next
}

ChatError GeminiCodec::parseError(int status, const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    QJsonObject root = document.object();
    if (document.isArray() && !document.array().isEmpty())
        root = document.array().first().toObject();
    const QJsonObject inner = root.value(QLatin1String("error")).toObject();

    const int code = inner.value(QLatin1String("code")).toInt(status);
    ChatError error;
    error.kind = ChatError::kindForStatus(status >= 400 ? status : code);
    static const QHash<QString, ChatError::Kind> kinds{
        {QStringLiteral("INVALID_ARGUMENT"), ChatError::Kind::InvalidRequest},
        {QStringLiteral("FAILED_PRECONDITION"), ChatError::Kind::InvalidRequest},
        {QStringLiteral("OUT_OF_RANGE"), ChatError::Kind::InvalidRequest},
        {QStringLiteral("UNAUTHENTICATED"), ChatError::Kind::Authentication},
        {QStringLiteral("PERMISSION_DENIED"), ChatError::Kind::Permission},
        {QStringLiteral("NOT_FOUND"), ChatError::Kind::NotFound},
        {QStringLiteral("RESOURCE_EXHAUSTED"), ChatError::Kind::RateLimit},
        {QStringLiteral("INTERNAL"), ChatError::Kind::Api},
        {QStringLiteral("UNKNOWN"), ChatError::Kind::Api},
        {QStringLiteral("UNAVAILABLE"), ChatError::Kind::Overloaded},
        {QStringLiteral("DEADLINE_EXCEEDED"), ChatError::Kind::Timeout}};
    const auto kind = kinds.constFind(inner.value(QLatin1String("status")).toString());
    if (kind != kinds.constEnd())
        error.kind = *kind;
    const QJsonArray details = inner.value(QLatin1String("details")).toArray();
    for (const QJsonValue &detail : details) {
        if (detail.toObject().value(QLatin1String("reason")).toString() ==
            QLatin1String("API_KEY_INVALID"))
            error.kind = ChatError::Kind::Authentication;
    }
    error.message = inner.value(QLatin1String("message")).toString();
    if (error.message.isEmpty())
        error.message = QStringLiteral("upstream answered HTTP %1").arg(status);
    return error;
}

ChatResult<QJsonObject> GeminiCodec::writeEmbeddingRequest(const EmbeddingRequest &request,
                                                           const QString &upstreamModel)
{
    if (!request.extra.isEmpty())
        return refuse(request.extra.begin().key());
    if (request.inputs.isEmpty())
        return ChatError::invalid(QStringLiteral("input"),
                                  QStringLiteral("input: at least one input is required"));
    if (!request.encodingFormat.isEmpty() && request.encodingFormat != QLatin1String("float") &&
        request.encodingFormat != QLatin1String("base64"))
        return ChatError::invalid(QStringLiteral("encoding_format"),
                                  QStringLiteral("encoding_format: must be 'float' or 'base64'"));
    const QString model = upstreamModel.startsWith(QLatin1String("models/"))
                              ? upstreamModel
                              : QStringLiteral("models/") + upstreamModel;
    QJsonArray requests;
    for (const QString &input : request.inputs) {
        QJsonObject one{{QStringLiteral("model"), model},
                        {QStringLiteral("content"),
                         QJsonObject{{QStringLiteral("parts"),
                                      QJsonArray{QJsonObject{{QStringLiteral("text"), input}}}}}}};
        if (request.dimensions)
            one.insert(QStringLiteral("outputDimensionality"), *request.dimensions);
        requests.append(one);
    }
    return QJsonObject{{QStringLiteral("requests"), requests}};
}

ChatResult<EmbeddingResponse> GeminiCodec::parseEmbeddingResponse(const QJsonObject &body)
{
    if (!body.value(QLatin1String("embeddings")).isArray())
        return ChatError::badGateway(
            QStringLiteral("the Gemini upstream answered without an embeddings array"));
    EmbeddingResponse response;
    const QJsonArray embeddings = body.value(QLatin1String("embeddings")).toArray();
    for (const QJsonValue &embedding : embeddings) {
        const QJsonArray values = embedding.toObject().value(QLatin1String("values")).toArray();
        QList<float> vector;
        vector.reserve(values.size());
        for (const QJsonValue &value : values)
            vector.append(float(value.toDouble()));
        response.vectors.append(vector);
    }
    return response;
}

QStringList GeminiCodec::parseModelList(const QJsonObject &body)
{
    QStringList ids;
    const QJsonArray models = body.value(QLatin1String("models")).toArray();
    for (const QJsonValue &model : models) {
        QString name = model.toObject().value(QLatin1String("name")).toString();
        if (name.startsWith(QLatin1String("models/")))
            name.remove(0, 7);
        if (!name.isEmpty())
            ids.append(name);
    }
    return ids;
}

} // namespace gh
