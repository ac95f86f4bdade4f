#include "OpenAiChatCodec.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace gh {

namespace {

const QString Target = QStringLiteral("OpenAI-dialect");

// Top-level request fields the neutral model carries; everything else is an extra.
const QSet<QString> &modeledFields()
{
    static const QSet<QString> fields{QStringLiteral("model"),
                                      QStringLiteral("messages"),
                                      QStringLiteral("tools"),
                                      QStringLiteral("tool_choice"),
                                      QStringLiteral("parallel_tool_calls"),
                                      QStringLiteral("response_format"),
                                      QStringLiteral("temperature"),
                                      QStringLiteral("top_p"),
                                      QStringLiteral("max_tokens"),
                                      QStringLiteral("max_completion_tokens"),
                                      QStringLiteral("stop"),
                                      QStringLiteral("stream"),
                                      QStringLiteral("stream_options"),
                                      QStringLiteral("user"),
                                      QStringLiteral("metadata")};
    return fields;
}

QString at(const QString &path, int index)
{
    return QStringLiteral("%1[%2]").arg(path).arg(index);
}

// Content that may be a string or an array of {"type":"text"} parts (system, developer,
// tool and assistant messages).
ChatResult<QList<ChatPart>> parseTextContent(const QJsonValue &content, const QString &path)
{
    QList<ChatPart> parts;
    if (content.isString()) {
        parts.append(ChatPart::makeText(content.toString()));
        return parts;
    }
    if (content.isNull() || content.isUndefined())
        return parts;
    if (!content.isArray())
        return ChatError::invalid(path, path + QStringLiteral(": expected a string or an array"));
    const QJsonArray array = content.toArray();
    for (int i = 0; i < array.size(); ++i) {
        const QJsonObject part = array.at(i).toObject();
        const QString type = part.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text") || type == QLatin1String("refusal")) {
            parts.append(ChatPart::makeText(part.value(type).toString()));
        } else {
            const QString where = at(path, i) + QStringLiteral(".type");
            return ChatError::invalid(where, QStringLiteral("%1: content part type '%2' is not "
                                                            "allowed here")
                                                 .arg(where, type));
        }
    }
    return parts;
}

QString joinedText(const QList<ChatPart> &parts)
{
    QString text;
    for (const ChatPart &part : parts)
        text += part.text;
    return text;
}

ChatResult<ChatPart> parseImage(const QJsonObject &imageUrl, const QString &path)
{
    const QString url = imageUrl.value(QLatin1String("url")).toString();
    ChatPart part;
    if (url.startsWith(QLatin1String("data:"))) {
        // data:[<media type>][;base64],<data> (RFC 2397); only base64 images are images.
        const qsizetype comma = url.indexOf(QLatin1Char(','));
        const QString header = url.mid(5, comma - 5);
        if (comma < 0 || !header.endsWith(QLatin1String(";base64")))
            return ChatError::invalid(path, path + QStringLiteral(": a data: URL image must be "
                                                                  "base64-encoded"));
        part = ChatPart::makeImageData(header.chopped(7), url.mid(comma + 1));
    } else if (url.startsWith(QLatin1String("http://")) ||
               url.startsWith(QLatin1String("https://"))) {
        part = ChatPart::makeImageUrl(url);
    } else {
        return ChatError::invalid(path,
                                  path + QStringLiteral(": expected an http(s) or data: URL"));
    }
    part.imageDetail = imageUrl.value(QLatin1String("detail")).toString();
    return part;
}

ChatResult<QList<ChatPart>> parseUserContent(const QJsonValue &content, const QString &path)
{
    QList<ChatPart> parts;
    if (content.isString()) {
        parts.append(ChatPart::makeText(content.toString()));
        return parts;
    }
    if (!content.isArray())
        return ChatError::invalid(path, path + QStringLiteral(": expected a string or an array"));
    const QJsonArray array = content.toArray();
    for (int i = 0; i < array.size(); ++i) {
        const QJsonObject part = array.at(i).toObject();
        const QString type = part.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text")) {
            parts.append(ChatPart::makeText(part.value(QLatin1String("text")).toString()));
        } else if (type == QLatin1String("image_url")) {
            ChatResult<ChatPart> image =
                parseImage(part.value(QLatin1String("image_url")).toObject(),
                           at(path, i) + QStringLiteral(".image_url.url"));
            if (!image.isOk())
                return image.error();
            parts.append(image.value());
        } else {
            const QString where = at(path, i) + QStringLiteral(".type");
            return ChatError::invalid(where, QStringLiteral("%1: content part type '%2' is not "
                                                            "supported")
                                                 .arg(where, type));
        }
    }
    return parts;
}

std::optional<double> optionalNumber(const QJsonObject &object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    if (value.isDouble())
        return value.toDouble();
    return std::nullopt;
}

QJsonValue textContent(const QList<ChatPart> &parts)
{
    if (parts.size() == 1)
        return parts.first().text;
    QJsonArray array;
    for (const ChatPart &part : parts)
        array.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                 {QStringLiteral("text"), part.text}});
    return array;
}

QJsonObject toolCallJson(const ChatPart &call)
{
    return QJsonObject{
        {QStringLiteral("id"), call.toolCallId},
        {QStringLiteral("type"), QStringLiteral("function")},
        {QStringLiteral("function"), QJsonObject{{QStringLiteral("name"), call.toolName},
                                                 {QStringLiteral("arguments"), call.arguments}}}};
}

// Anthropic-sourced extras: what happens to each when the upstream speaks OpenAI.
ChatResult<bool> checkAnthropicExtras(const QJsonObject &extra)
{
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        const QString key = it.key();
        if (key == QLatin1String("service_tier"))
            continue; // a scheduling preference, not an output change
        if (key == QLatin1String("thinking") &&
            it.value().toObject().value(QLatin1String("type")).toString() ==
                QLatin1String("disabled"))
            continue;
        return ChatError::unsupported(key, Target);
    }
    return true;
}

} // namespace

ChatResult<ChatRequest> OpenAiChatCodec::parseRequest(const QJsonObject &body)
{
    ChatRequest request;
    request.sourceDialect = ChatDialect::OpenAi;
    request.model = body.value(QLatin1String("model")).toString();
    if (request.model.isEmpty())
        return ChatError::invalid(QStringLiteral("model"), QStringLiteral("model: required"));
    const QJsonValue messagesValue = body.value(QLatin1String("messages"));
    if (!messagesValue.isArray() || messagesValue.toArray().isEmpty())
        return ChatError::invalid(QStringLiteral("messages"),
                                  QStringLiteral("messages: a non-empty array is required"));

    const QJsonArray messages = messagesValue.toArray();
    for (int i = 0; i < messages.size(); ++i) {
        const QString path = at(QStringLiteral("messages"), i);
        const QJsonObject message = messages.at(i).toObject();
        const QString role = message.value(QLatin1String("role")).toString();
        const QJsonValue content = message.value(QLatin1String("content"));
        if (role == QLatin1String("system") || role == QLatin1String("developer")) {
            ChatResult<QList<ChatPart>> parts =
                parseTextContent(content, path + QStringLiteral(".content"));
            if (!parts.isOk())
                return parts.error();
            request.system += parts.value();
        } else if (role == QLatin1String("user")) {
            ChatResult<QList<ChatPart>> parts =
                parseUserContent(content, path + QStringLiteral(".content"));
            if (!parts.isOk())
                return parts.error();
            request.messages.append(
                {ChatRole::User, parts.value(), message.value(QLatin1String("name")).toString()});
        } else if (role == QLatin1String("assistant")) {
            ChatResult<QList<ChatPart>> parts =
                parseTextContent(content, path + QStringLiteral(".content"));
            if (!parts.isOk())
                return parts.error();
            ChatMessage assistant{ChatRole::Assistant, parts.value(),
                                  message.value(QLatin1String("name")).toString()};
            const QJsonArray calls = message.value(QLatin1String("tool_calls")).toArray();
            for (int c = 0; c < calls.size(); ++c) {
                const QJsonObject call = calls.at(c).toObject();
                const QJsonObject function = call.value(QLatin1String("function")).toObject();
                if (call.value(QLatin1String("type")).toString(QStringLiteral("function")) !=
                    QLatin1String("function")) {
                    const QString where =
                        at(path + QStringLiteral(".tool_calls"), c) + QStringLiteral(".type");
                    return ChatError::invalid(
                        where, where + QStringLiteral(": only function tool calls are supported"));
                }
                assistant.parts.append(
                    ChatPart::makeToolCall(call.value(QLatin1String("id")).toString(),
                                           function.value(QLatin1String("name")).toString(),
                                           function.value(QLatin1String("arguments")).toString()));
            }
            request.messages.append(assistant);
        } else if (role == QLatin1String("tool")) {
            ChatResult<QList<ChatPart>> parts =
                parseTextContent(content, path + QStringLiteral(".content"));
            if (!parts.isOk())
                return parts.error();
            const QString id = message.value(QLatin1String("tool_call_id")).toString();
            if (id.isEmpty())
                return ChatError::invalid(path + QStringLiteral(".tool_call_id"),
                                          path + QStringLiteral(".tool_call_id: required"));
            request.messages.append(
                {ChatRole::Tool, {ChatPart::makeToolResult(id, joinedText(parts.value()))}, {}});
        } else {
            const QString where = path + QStringLiteral(".role");
            return ChatError::invalid(
                where, QStringLiteral("%1: role '%2' is not supported").arg(where, role));
        }
    }

    const QJsonArray tools = body.value(QLatin1String("tools")).toArray();
    for (int i = 0; i < tools.size(); ++i) {
        const QJsonObject tool = tools.at(i).toObject();
        if (tool.value(QLatin1String("type")).toString() != QLatin1String("function")) {
            const QString where = at(QStringLiteral("tools"), i) + QStringLiteral(".type");
            return ChatError::invalid(
                where, where + QStringLiteral(": only function tools are supported"));
        }
        const QJsonObject function = tool.value(QLatin1String("function")).toObject();
        ChatTool neutral;
        neutral.name = function.value(QLatin1String("name")).toString();
        neutral.description = function.value(QLatin1String("description")).toString();
        neutral.parameters = function.value(QLatin1String("parameters")).toObject();
        if (function.value(QLatin1String("strict")).isBool())
            neutral.strict = function.value(QLatin1String("strict")).toBool();
        request.tools.append(neutral);
    }

    const QJsonValue toolChoice = body.value(QLatin1String("tool_choice"));
    if (toolChoice.isString()) {
        const QString mode = toolChoice.toString();
        if (mode == QLatin1String("auto"))
            request.toolChoice.mode = ChatToolChoice::Mode::Auto;
        else if (mode == QLatin1String("none"))
            request.toolChoice.mode = ChatToolChoice::Mode::None;
        else if (mode == QLatin1String("required"))
            request.toolChoice.mode = ChatToolChoice::Mode::Required;
        else
            return ChatError::invalid(QStringLiteral("tool_choice"),
                                      QStringLiteral("tool_choice: unknown value '%1'").arg(mode));
    } else if (toolChoice.isObject()) {
        const QJsonObject choice = toolChoice.toObject();
        if (choice.value(QLatin1String("type")).toString() != QLatin1String("function"))
            return ChatError::invalid(
                QStringLiteral("tool_choice"),
                QStringLiteral("tool_choice: only function tool choices are supported"));
        request.toolChoice.mode = ChatToolChoice::Mode::Specific;
        request.toolChoice.name = choice.value(QLatin1String("function"))
                                      .toObject()
                                      .value(QLatin1String("name"))
                                      .toString();
    }
    if (body.value(QLatin1String("parallel_tool_calls")).isBool())
        request.parallelToolCalls = body.value(QLatin1String("parallel_tool_calls")).toBool();

    const QJsonObject format = body.value(QLatin1String("response_format")).toObject();
    const QString formatType = format.value(QLatin1String("type")).toString(QStringLiteral("text"));
    if (formatType == QLatin1String("json_object")) {
        request.responseFormat.type = ChatResponseFormat::Type::JsonObject;
    } else if (formatType == QLatin1String("json_schema")) {
        const QJsonObject schema = format.value(QLatin1String("json_schema")).toObject();
        request.responseFormat.type = ChatResponseFormat::Type::JsonSchema;
        request.responseFormat.name = schema.value(QLatin1String("name")).toString();
        request.responseFormat.description = schema.value(QLatin1String("description")).toString();
        request.responseFormat.schema = schema.value(QLatin1String("schema")).toObject();
        if (schema.value(QLatin1String("strict")).isBool())
            request.responseFormat.strict = schema.value(QLatin1String("strict")).toBool();
    } else if (formatType != QLatin1String("text")) {
        return ChatError::invalid(
            QStringLiteral("response_format"),
            QStringLiteral("response_format: unknown type '%1'").arg(formatType));
    }

    request.temperature = optionalNumber(body, QLatin1String("temperature"));
    request.topP = optionalNumber(body, QLatin1String("top_p"));
    for (QLatin1String key :
         {QLatin1String("max_completion_tokens"), QLatin1String("max_tokens")}) {
        const QJsonValue value = body.value(key);
        if (value.isDouble()) {
            request.maxTokens = value.toInteger();
            break;
        }
    }
    const QJsonValue stop = body.value(QLatin1String("stop"));
    if (stop.isString()) {
        request.stop.append(stop.toString());
    } else {
        const QJsonArray stops = stop.toArray();
        for (const QJsonValue &value : stops)
            request.stop.append(value.toString());
    }
    request.stream = body.value(QLatin1String("stream")).toBool();
    request.includeUsage = body.value(QLatin1String("stream_options"))
                               .toObject()
                               .value(QLatin1String("include_usage"))
                               .toBool();
    request.user = body.value(QLatin1String("user")).toString();
    request.metadata = body.value(QLatin1String("metadata")).toObject();

    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!modeledFields().contains(it.key()))
            request.extra.insert(it.key(), it.value());
    }
    return request;
}

ChatResult<QJsonObject> OpenAiChatCodec::writeRequest(const ChatRequest &request,
                                                      const WriteOptions &options)
{
    const bool sameDialect = request.sourceDialect == ChatDialect::OpenAi;
    QJsonObject body;
    if (sameDialect) {
        body = request.extra;
    } else {
        ChatResult<bool> checked = checkAnthropicExtras(request.extra);
        if (!checked.isOk())
            return checked.error();
    }
    body.insert(QStringLiteral("model"), request.model);

    QJsonArray messages;
    if (!request.system.isEmpty()) {
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), textContent(request.system)}});
    }
    for (int i = 0; i < request.messages.size(); ++i) {
        const ChatMessage &message = request.messages.at(i);
        const QString path = at(QStringLiteral("messages"), i);
        QList<ChatPart> texts;
        QJsonArray userParts;
        QJsonArray toolCalls;
        for (int p = 0; p < message.parts.size(); ++p) {
            const ChatPart &part = message.parts.at(p);
            const QString partPath = at(path + QStringLiteral(".content"), p);
            switch (part.kind) {
            case ChatPart::Kind::Text:
                texts.append(part);
                userParts.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                             {QStringLiteral("text"), part.text}});
                break;
            case ChatPart::Kind::Image: {
                if (message.role != ChatRole::User)
                    return ChatError::unsupported(partPath, Target);
                QJsonObject imageUrl{
                    {QStringLiteral("url"),
                     part.imageUrl.isEmpty()
                         ? QStringLiteral("data:%1;base64,%2").arg(part.mediaType, part.imageData)
                         : part.imageUrl}};
                if (!part.imageDetail.isEmpty())
                    imageUrl.insert(QStringLiteral("detail"), part.imageDetail);
                userParts.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("image_url")},
                                             {QStringLiteral("image_url"), imageUrl}});
                break;
            }
            case ChatPart::Kind::ToolCall:
                toolCalls.append(toolCallJson(part));
                break;
            case ChatPart::Kind::ToolResult:
                // is_error has no OpenAI field: the content itself has to say it.
                messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("tool")},
                                            {QStringLiteral("tool_call_id"), part.toolCallId},
                                            {QStringLiteral("content"), part.text}});
                break;
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
        QJsonObject out{{QStringLiteral("role"), message.role == ChatRole::User
                                                     ? QStringLiteral("user")
                                                     : QStringLiteral("assistant")}};
        if (!message.name.isEmpty())
            out.insert(QStringLiteral("name"), message.name);
        if (message.role == ChatRole::User) {
            if (userParts.isEmpty())
                continue;
            const bool onlyOneText = userParts.size() == 1 && texts.size() == 1;
            out.insert(QStringLiteral("content"),
                       onlyOneText ? QJsonValue(texts.first().text) : QJsonValue(userParts));
        } else {
            if (texts.isEmpty() && toolCalls.isEmpty())
                continue;
            out.insert(QStringLiteral("content"),
                       texts.isEmpty() ? QJsonValue(QJsonValue::Null) : textContent(texts));
            if (!toolCalls.isEmpty())
                out.insert(QStringLiteral("tool_calls"), toolCalls);
        }
        messages.append(out);
    }
    body.insert(QStringLiteral("messages"), messages);

    if (!request.tools.isEmpty()) {
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
            if (tool.strict)
                function.insert(QStringLiteral("strict"), *tool.strict);
            tools.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                                     {QStringLiteral("function"), function}});
        }
        body.insert(QStringLiteral("tools"), tools);
    }
    switch (request.toolChoice.mode) {
    case ChatToolChoice::Mode::Unset:
        break;
    case ChatToolChoice::Mode::Auto:
        body.insert(QStringLiteral("tool_choice"), QStringLiteral("auto"));
        break;
    case ChatToolChoice::Mode::None:
        body.insert(QStringLiteral("tool_choice"), QStringLiteral("none"));
        break;
    case ChatToolChoice::Mode::Required:
        body.insert(QStringLiteral("tool_choice"), QStringLiteral("required"));
        break;
    case ChatToolChoice::Mode::Specific:
        body.insert(QStringLiteral("tool_choice"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                                {QStringLiteral("function"),
                                 QJsonObject{{QStringLiteral("name"), request.toolChoice.name}}}});
        break;
    }
    // parallel_tool_calls is only valid alongside tools.
    if (request.parallelToolCalls && !request.tools.isEmpty())
        body.insert(QStringLiteral("parallel_tool_calls"), *request.parallelToolCalls);

    switch (request.responseFormat.type) {
    case ChatResponseFormat::Type::Text:
        break; // the default: an explicit {"type":"text"} changes nothing
    case ChatResponseFormat::Type::JsonObject:
        body.insert(QStringLiteral("response_format"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("json_object")}});
        break;
    case ChatResponseFormat::Type::JsonSchema: {
        QJsonObject schema{{QStringLiteral("name"), request.responseFormat.name},
                           {QStringLiteral("schema"), request.responseFormat.schema}};
        if (!request.responseFormat.description.isEmpty())
            schema.insert(QStringLiteral("description"), request.responseFormat.description);
        if (request.responseFormat.strict)
            schema.insert(QStringLiteral("strict"), *request.responseFormat.strict);
        body.insert(QStringLiteral("response_format"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("json_schema")},
                                {QStringLiteral("json_schema"), schema}});
        break;
    }
    }

    if (request.temperature)
        body.insert(QStringLiteral("temperature"), *request.temperature);
    if (request.topP)
        body.insert(QStringLiteral("top_p"), *request.topP);
    if (request.maxTokens) {
        body.insert(options.maxTokensField == MaxTokensField::MaxCompletionTokens
                        ? QStringLiteral("max_completion_tokens")
                        : QStringLiteral("max_tokens"),
                    *request.maxTokens);
    }
    if (!request.stop.isEmpty())
        body.insert(QStringLiteral("stop"), QJsonArray::fromStringList(request.stop));
    if (request.stream) {
        body.insert(QStringLiteral("stream"), true);
        body.insert(QStringLiteral("stream_options"),
                    QJsonObject{{QStringLiteral("include_usage"), true}});
    }
    if (!request.user.isEmpty())
        body.insert(QStringLiteral("user"), request.user);
    if (!request.metadata.isEmpty())
        body.insert(QStringLiteral("metadata"), request.metadata);
    return body;
}

ChatResult<ChatResponse> OpenAiChatCodec::parseResponse(const QJsonObject &body)
{
    ChatResponse response;
    response.id = body.value(QLatin1String("id")).toString();
    response.model = body.value(QLatin1String("model")).toString();
    response.created = body.value(QLatin1String("created")).toInteger();
    const QJsonArray choices = body.value(QLatin1String("choices")).toArray();
    if (choices.isEmpty())
        return ChatError::badGateway(QStringLiteral("upstream response has no choices"));
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject message = choice.value(QLatin1String("message")).toObject();
    const QString content = message.value(QLatin1String("content")).toString();
    if (!content.isEmpty())
        response.content.append(ChatPart::makeText(content));
    // A refusal is the model's answer too; callers of other dialects only have text for it.
    const QString refusal = message.value(QLatin1String("refusal")).toString();
    if (!refusal.isEmpty())
        response.content.append(ChatPart::makeText(refusal));
    const QJsonArray calls = message.value(QLatin1String("tool_calls")).toArray();
    for (const QJsonValue &value : calls) {
        const QJsonObject call = value.toObject();
        const QJsonObject function = call.value(QLatin1String("function")).toObject();
        response.content.append(
            ChatPart::makeToolCall(call.value(QLatin1String("id")).toString(),
                                   function.value(QLatin1String("name")).toString(),
                                   function.value(QLatin1String("arguments")).toString()));
    }
    response.finishReason =
        parseFinishReason(choice.value(QLatin1String("finish_reason")).toString());
    if (body.value(QLatin1String("usage")).isObject())
        response.usage = parseUsage(body.value(QLatin1String("usage")).toObject());
    return response;
}

QJsonObject OpenAiChatCodec::writeResponse(const ChatResponse &response)
{
    QString text;
    QJsonArray toolCalls;
    for (const ChatPart &part : response.content) {
        if (part.kind == ChatPart::Kind::Text)
            text += part.text;
        else if (part.kind == ChatPart::Kind::ToolCall)
            toolCalls.append(toolCallJson(part));
    }
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), text.isEmpty() && !toolCalls.isEmpty()
                                                        ? QJsonValue(QJsonValue::Null)
                                                        : QJsonValue(text)}};
    if (!toolCalls.isEmpty())
        message.insert(QStringLiteral("tool_calls"), toolCalls);
    const QJsonObject choice{
        {QStringLiteral("index"), 0},
        {QStringLiteral("message"), message},
        {QStringLiteral("logprobs"), QJsonValue::Null},
        {QStringLiteral("finish_reason"), finishReasonName(response.finishReason)}};
    QJsonObject body{{QStringLiteral("id"), response.id},
                     {QStringLiteral("object"), QStringLiteral("chat.completion")},
                     {QStringLiteral("created"),
                      response.created ? response.created : QDateTime::currentSecsSinceEpoch()},
                     {QStringLiteral("model"), response.model},
                     {QStringLiteral("choices"), QJsonArray{choice}}};
    if (response.usage.present)
        body.insert(QStringLiteral("usage"), writeUsage(response.usage));
    return body;
}

ChatUsage OpenAiChatCodec::parseUsage(const QJsonObject &usage)
{
    ChatUsage out;
    out.present = true;
    out.input = usage.value(QLatin1String("prompt_tokens")).toInteger();
    out.output = usage.value(QLatin1String("completion_tokens")).toInteger();
    out.cachedInput = usage.value(QLatin1String("prompt_tokens_details"))
                          .toObject()
                          .value(QLatin1String("cached_tokens"))
                          .toInteger();
    out.reasoning = usage.value(QLatin1String("completion_tokens_details"))
                        .toObject()
                        .value(QLatin1String("reasoning_tokens"))
                        .toInteger();
    out.cacheCreationInput = usage.value(QLatin1String("cache_creation_input_tokens")).toInteger();
    return out;
}

QJsonObject OpenAiChatCodec::writeUsage(const ChatUsage &usage)
{
    QJsonObject out{{QStringLiteral("prompt_tokens"), usage.input},
                    {QStringLiteral("completion_tokens"), usage.output},
                    {QStringLiteral("total_tokens"), usage.total()},
                    {QStringLiteral("prompt_tokens_details"),
                     QJsonObject{{QStringLiteral("cached_tokens"), usage.cachedInput}}},
                    {QStringLiteral("completion_tokens_details"),
                     QJsonObject{{QStringLiteral("reasoning_tokens"), usage.reasoning}}}};
    if (usage.cacheCreationInput)
        out.insert(QStringLiteral("cache_creation_input_tokens"), usage.cacheCreationInput);
    return out;
}

FinishReason OpenAiChatCodec::parseFinishReason(const QString &reason)
{
    if (reason == QLatin1String("stop"))
        return FinishReason::Stop;
    if (reason == QLatin1String("length"))
        return FinishReason::Length;
    if (reason == QLatin1String("tool_calls") || reason == QLatin1String("function_call"))
        return FinishReason::ToolCalls;
    if (reason == QLatin1String("content_filter"))
        return FinishReason::ContentFilter;
    if (reason.isEmpty())
        return FinishReason::None;
    return FinishReason::Stop;
}

QString OpenAiChatCodec::finishReasonName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::Length:
        return QStringLiteral("length");
    case FinishReason::ToolCalls:
        return QStringLiteral("tool_calls");
    case FinishReason::ContentFilter:
        return QStringLiteral("content_filter");
    case FinishReason::None:
    case FinishReason::Stop:
    case FinishReason::Error:
        break;
    }
    return QStringLiteral("stop");
}

QJsonObject OpenAiChatCodec::errorBody(const ChatError &error)
{
    QString type;
    QJsonValue code = QJsonValue::Null;
    switch (error.kind) {
    case ChatError::Kind::InvalidRequest:
        type = QStringLiteral("invalid_request_error");
        if (!error.param.isEmpty())
            code = QStringLiteral("invalid_parameter");
        break;
    case ChatError::Kind::Authentication:
        type = QStringLiteral("authentication_error");
        code = QStringLiteral("invalid_api_key");
        break;
    case ChatError::Kind::Permission:
        type = QStringLiteral("permission_error");
        break;
    case ChatError::Kind::NotFound:
        type = QStringLiteral("invalid_request_error");
        code = QStringLiteral("not_found");
        break;
    case ChatError::Kind::RequestTooLarge:
        type = QStringLiteral("invalid_request_error");
        code = QStringLiteral("request_too_large");
        break;
    case ChatError::Kind::RateLimit:
        type = QStringLiteral("rate_limit_error");
        code = QStringLiteral("rate_limit_exceeded");
        break;
    case ChatError::Kind::Api:
        type = QStringLiteral("server_error");
        break;
    case ChatError::Kind::BadGateway:
        type = QStringLiteral("server_error");
        code = QStringLiteral("bad_gateway");
        break;
    case ChatError::Kind::Overloaded:
        type = QStringLiteral("server_error");
        code = QStringLiteral("overloaded");
        break;
    case ChatError::Kind::Timeout:
        type = QStringLiteral("server_error");
        code = QStringLiteral("timeout");
        break;
    }
    return QJsonObject{
        {QStringLiteral("error"),
         QJsonObject{{QStringLiteral("message"), error.message},
                     {QStringLiteral("type"), type},
                     {QStringLiteral("param"), error.param.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                     : QJsonValue(error.param)},
                     {QStringLiteral("code"), code}}}};
}

int OpenAiChatCodec::httpStatus(const ChatError &error)
{
    return error.httpStatus(503); // 529 is Anthropic's own; OpenAI clients know 503
}

ChatError OpenAiChatCodec::parseError(int status, const QByteArray &body)
{
    ChatError error;
    error.kind = ChatError::kindForStatus(status);
    const QJsonObject inner =
        QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toObject();
    error.message = inner.value(QLatin1String("message")).toString();
    error.param = inner.value(QLatin1String("param")).toString();
    if (error.message.isEmpty())
        error.message = QStringLiteral("upstream answered HTTP %1").arg(status);
    return error;
}

} // namespace gh
