#include "AnthropicMessagesCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace gh {

namespace {

const QString Target = QStringLiteral("Anthropic");

const QSet<QString> &modeledFields()
{
    static const QSet<QString> fields{
        QStringLiteral("model"),          QStringLiteral("messages"),
        QStringLiteral("system"),         QStringLiteral("max_tokens"),
        QStringLiteral("tools"),          QStringLiteral("tool_choice"),
        QStringLiteral("stop_sequences"), QStringLiteral("temperature"),
        QStringLiteral("top_p"),          QStringLiteral("stream"),
        QStringLiteral("metadata")};
    return fields;
}

QString at(const QString &path, int index)
{
    return QStringLiteral("%1[%2]").arg(path).arg(index);
}

QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

ChatPart textPart(const QJsonObject &block)
{
    ChatPart part = ChatPart::makeText(block.value(QLatin1String("text")).toString());
    part.cacheControl = block.value(QLatin1String("cache_control")).toObject();
    return part;
}

ChatResult<ChatPart> parseImage(const QJsonObject &block, const QString &path)
{
    const QJsonObject source = block.value(QLatin1String("source")).toObject();
    const QString type = source.value(QLatin1String("type")).toString();
    ChatPart part;
    if (type == QLatin1String("base64")) {
        part = ChatPart::makeImageData(source.value(QLatin1String("media_type")).toString(),
                                       source.value(QLatin1String("data")).toString());
    } else if (type == QLatin1String("url")) {
        part = ChatPart::makeImageUrl(source.value(QLatin1String("url")).toString());
    } else {
        const QString where = path + QStringLiteral(".source.type");
        return ChatError::invalid(
            where, QStringLiteral("%1: image source type '%2' is not supported").arg(where, type));
    }
    part.cacheControl = block.value(QLatin1String("cache_control")).toObject();
    return part;
}

// tool_result content: a string or text blocks (images in tool results have no neutral
// form yet and are refused by name).
ChatResult<QString> toolResultText(const QJsonValue &content, const QString &path)
{
    if (content.isString() || content.isUndefined() || content.isNull())
        return content.toString();
    QStringList texts;
    const QJsonArray blocks = content.toArray();
    for (int i = 0; i < blocks.size(); ++i) {
        const QJsonObject block = blocks.at(i).toObject();
        const QString type = block.value(QLatin1String("type")).toString();
        if (type != QLatin1String("text")) {
            const QString where = at(path, i) + QStringLiteral(".type");
            return ChatError::invalid(
                where, QStringLiteral("%1: '%2' blocks inside tool_result are not supported")
                           .arg(where, type));
        }
        texts.append(block.value(QLatin1String("text")).toString());
    }
    return texts.join(QLatin1Char('\n'));
}

QJsonObject textBlock(const ChatPart &part)
{
    QJsonObject block{{QStringLiteral("type"), QStringLiteral("text")},
                      {QStringLiteral("text"), part.text}};
    if (!part.cacheControl.isEmpty())
        block.insert(QStringLiteral("cache_control"), part.cacheControl);
    return block;
}

// Content as Anthropic's shorthand string when it is one plain text block.
QJsonValue contentValue(const QJsonArray &blocks)
{
    if (blocks.size() == 1) {
        const QJsonObject only = blocks.first().toObject();
        if (only.size() == 2 &&
            only.value(QLatin1String("type")).toString() == QLatin1String("text"))
            return only.value(QLatin1String("text"));
    }
    return blocks;
}

// OpenAI-sourced extras: what happens to each when the upstream speaks Anthropic.
ChatResult<bool> checkOpenAiExtras(const QJsonObject &extra)
{
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == QLatin1String("seed") || key == QLatin1String("store") ||
            key == QLatin1String("service_tier"))
            continue;
        if (key == QLatin1String("n") && value.toInteger(1) == 1)
            continue;
        if (key == QLatin1String("logprobs") && !value.toBool())
            continue;
        if ((key == QLatin1String("presence_penalty") ||
             key == QLatin1String("frequency_penalty")) &&
            value.toDouble() == 0.0)
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

} // namespace

std::optional<QJsonObject> AnthropicMessagesCodec::toolInput(const QString &arguments)
{
    if (arguments.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(arguments.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

ChatResult<ChatRequest> AnthropicMessagesCodec::parseRequest(const QJsonObject &body)
{
    ChatRequest request;
    request.sourceDialect = ChatDialect::Anthropic;
    request.model = body.value(QLatin1String("model")).toString();
    if (request.model.isEmpty())
        return ChatError::invalid(QStringLiteral("model"), QStringLiteral("model: Field required"));
    if (!body.value(QLatin1String("max_tokens")).isDouble())
        return ChatError::invalid(QStringLiteral("max_tokens"),
                                  QStringLiteral("max_tokens: Field required"));
    request.maxTokens = body.value(QLatin1String("max_tokens")).toInteger();
    const QJsonValue messagesValue = body.value(QLatin1String("messages"));
    if (!messagesValue.isArray() || messagesValue.toArray().isEmpty())
        return ChatError::invalid(QStringLiteral("messages"),
                                  QStringLiteral("messages: a non-empty array is required"));

    const QJsonValue system = body.value(QLatin1String("system"));
    if (system.isString()) {
        request.system.append(ChatPart::makeText(system.toString()));
    } else if (system.isArray()) {
        const QJsonArray blocks = system.toArray();
        for (int i = 0; i < blocks.size(); ++i) {
            const QJsonObject block = blocks.at(i).toObject();
            if (block.value(QLatin1String("type")).toString() != QLatin1String("text")) {
                const QString where = at(QStringLiteral("system"), i) + QStringLiteral(".type");
                return ChatError::invalid(where,
                                          where + QStringLiteral(": system blocks must be text"));
            }
            request.system.append(textPart(block));
        }
    }

    const QJsonArray messages = messagesValue.toArray();
    for (int i = 0; i < messages.size(); ++i) {
        const QString path = at(QStringLiteral("messages"), i);
        const QJsonObject message = messages.at(i).toObject();
        const QString role = message.value(QLatin1String("role")).toString();
        if (role != QLatin1String("user") && role != QLatin1String("assistant")) {
            const QString where = path + QStringLiteral(".role");
            return ChatError::invalid(
                where, QStringLiteral("%1: role '%2' is not supported").arg(where, role));
        }
        const bool user = role == QLatin1String("user");
        ChatMessage results{ChatRole::Tool, {}, {}};
        ChatMessage out{user ? ChatRole::User : ChatRole::Assistant, {}, {}};
        const QJsonValue content = message.value(QLatin1String("content"));
        if (content.isString()) {
            out.parts.append(ChatPart::makeText(content.toString()));
        } else {
            const QJsonArray blocks = content.toArray();
            for (int b = 0; b < blocks.size(); ++b) {
                const QString blockPath = at(path + QStringLiteral(".content"), b);
                const QJsonObject block = blocks.at(b).toObject();
                const QString type = block.value(QLatin1String("type")).toString();
                if (type == QLatin1String("text")) {
                    out.parts.append(textPart(block));
                } else if (type == QLatin1String("image") && user) {
                    ChatResult<ChatPart> image = parseImage(block, blockPath);
                    if (!image.isOk())
                        return image.error();
                    out.parts.append(image.value());
                } else if (type == QLatin1String("tool_use") && !user) {
                    ChatPart call = ChatPart::makeToolCall(
                        block.value(QLatin1String("id")).toString(),
                        block.value(QLatin1String("name")).toString(),
                        compactJson(block.value(QLatin1String("input")).toObject()));
                    call.cacheControl = block.value(QLatin1String("cache_control")).toObject();
                    out.parts.append(call);
                } else if (type == QLatin1String("tool_result") && user) {
                    ChatResult<QString> text =
                        toolResultText(block.value(QLatin1String("content")),
                                       blockPath + QStringLiteral(".content"));
                    if (!text.isOk())
                        return text.error();
                    ChatPart result = ChatPart::makeToolResult(
                        block.value(QLatin1String("tool_use_id")).toString(), text.value(),
                        block.value(QLatin1String("is_error")).toBool());
                    result.cacheControl = block.value(QLatin1String("cache_control")).toObject();
                    results.parts.append(result);
                } else {
                    ChatPart opaque;
                    opaque.kind = ChatPart::Kind::Opaque;
                    opaque.raw = block;
                    out.parts.append(opaque);
                }
            }
        }
        if (!results.parts.isEmpty())
            request.messages.append(results);
        if (!out.parts.isEmpty() || results.parts.isEmpty())
            request.messages.append(out);
    }

    const QJsonArray tools = body.value(QLatin1String("tools")).toArray();
    for (const QJsonValue &value : tools) {
        const QJsonObject tool = value.toObject();
        const QString type = tool.value(QLatin1String("type")).toString(QStringLiteral("custom"));
        ChatTool neutral;
        if (type == QLatin1String("custom")) {
            neutral.name = tool.value(QLatin1String("name")).toString();
            neutral.description = tool.value(QLatin1String("description")).toString();
            neutral.parameters = tool.value(QLatin1String("input_schema")).toObject();
            neutral.cacheControl = tool.value(QLatin1String("cache_control")).toObject();
        } else {
            neutral.name = tool.value(QLatin1String("name")).toString();
            neutral.raw = tool;
        }
        request.tools.append(neutral);
    }

    const QJsonObject toolChoice = body.value(QLatin1String("tool_choice")).toObject();
    if (!toolChoice.isEmpty()) {
        const QString type = toolChoice.value(QLatin1String("type")).toString();
        if (type == QLatin1String("auto"))
            request.toolChoice.mode = ChatToolChoice::Mode::Auto;
        else if (type == QLatin1String("any"))
            request.toolChoice.mode = ChatToolChoice::Mode::Required;
        else if (type == QLatin1String("none"))
            request.toolChoice.mode = ChatToolChoice::Mode::None;
        else if (type == QLatin1String("tool"))
            request.toolChoice = {ChatToolChoice::Mode::Specific,
                                  toolChoice.value(QLatin1String("name")).toString()};
        else
            return ChatError::invalid(
                QStringLiteral("tool_choice.type"),
                QStringLiteral("tool_choice.type: unknown value '%1'").arg(type));
        if (toolChoice.value(QLatin1String("disable_parallel_tool_use")).isBool())
            request.parallelToolCalls =
                !toolChoice.value(QLatin1String("disable_parallel_tool_use")).toBool();
    }

    const QJsonArray stops = body.value(QLatin1String("stop_sequences")).toArray();
    for (const QJsonValue &value : stops)
        request.stop.append(value.toString());
    if (body.value(QLatin1String("temperature")).isDouble())
        request.temperature = body.value(QLatin1String("temperature")).toDouble();
    if (body.value(QLatin1String("top_p")).isDouble())
        request.topP = body.value(QLatin1String("top_p")).toDouble();
    request.stream = body.value(QLatin1String("stream")).toBool();
    // Anthropic streams always carry usage (message_start / message_delta).
    request.includeUsage = request.stream;
    request.user =
        body.value(QLatin1String("metadata")).toObject().value(QLatin1String("user_id")).toString();

    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!modeledFields().contains(it.key()))
            request.extra.insert(it.key(), it.value());
    }
    return request;
}

ChatResult<QJsonObject> AnthropicMessagesCodec::writeRequest(const ChatRequest &request,
                                                             const WriteOptions &options)
{
    const bool sameDialect = request.sourceDialect == ChatDialect::Anthropic;
    QJsonObject body;
    if (sameDialect) {
        body = request.extra;
    } else {
        ChatResult<bool> checked = checkOpenAiExtras(request.extra);
        if (!checked.isOk())
            return checked.error();
    }
    if (request.responseFormat.type != ChatResponseFormat::Type::Text) {
        return ChatError::invalid(
            QStringLiteral("response_format"),
            QStringLiteral("response_format: JSON mode is not supported when the model is served "
                           "by an Anthropic provider; describe the JSON in a tool and force it "
                           "with tool_choice instead"));
    }
    if (request.temperature && *request.temperature > 1.0) {
        return ChatError::invalid(
            QStringLiteral("temperature"),
            QStringLiteral("temperature: must be between 0 and 1 when the model is served by an "
                           "Anthropic provider"));
    }

    body.insert(QStringLiteral("model"), request.model);
    body.insert(QStringLiteral("max_tokens"), request.maxTokens.value_or(options.defaultMaxTokens));

    if (!request.system.isEmpty()) {
        QJsonArray blocks;
        for (const ChatPart &part : request.system)
            blocks.append(textBlock(part));
        body.insert(QStringLiteral("system"), contentValue(blocks));
    }

    QJsonArray messages;
    QJsonArray pendingResults; // tool_result blocks waiting for their user message
    for (int i = 0; i < request.messages.size(); ++i) {
        const ChatMessage &message = request.messages.at(i);
        const QString path = at(QStringLiteral("messages"), i);
        QJsonArray blocks;
        for (int p = 0; p < message.parts.size(); ++p) {
            const ChatPart &part = message.parts.at(p);
            const QString partPath = at(path + QStringLiteral(".content"), p);
            switch (part.kind) {
            case ChatPart::Kind::Text:
                if (!part.text.isEmpty()) // Anthropic refuses empty text blocks
                    blocks.append(textBlock(part));
                break;
            case ChatPart::Kind::Image: {
                const QJsonObject source =
                    part.imageUrl.isEmpty()
                        ? QJsonObject{{QStringLiteral("type"), QStringLiteral("base64")},
                                      {QStringLiteral("media_type"), part.mediaType},
                                      {QStringLiteral("data"), part.imageData}}
                        : QJsonObject{{QStringLiteral("type"), QStringLiteral("url")},
                                      {QStringLiteral("url"), part.imageUrl}};
                QJsonObject block{{QStringLiteral("type"), QStringLiteral("image")},
                                  {QStringLiteral("source"), source}};
                if (!part.cacheControl.isEmpty())
                    block.insert(QStringLiteral("cache_control"), part.cacheControl);
                blocks.append(block);
                break;
            }
            case ChatPart::Kind::ToolCall: {
                const std::optional<QJsonObject> input = toolInput(part.arguments);
                if (!input)
                    return ChatError::invalid(
                        partPath, QStringLiteral("%1: the arguments of tool call '%2' are not a "
                                                 "JSON object")
                                      .arg(partPath, part.toolCallId));
                QJsonObject block{{QStringLiteral("type"), QStringLiteral("tool_use")},
                                  {QStringLiteral("id"), part.toolCallId},
                                  {QStringLiteral("name"), part.toolName},
                                  {QStringLiteral("input"), *input}};
                if (!part.cacheControl.isEmpty())
                    block.insert(QStringLiteral("cache_control"), part.cacheControl);
                blocks.append(block);
                break;
            }
            case ChatPart::Kind::ToolResult: {
                QJsonObject block{{QStringLiteral("type"), QStringLiteral("tool_result")},
                                  {QStringLiteral("tool_use_id"), part.toolCallId},
                                  {QStringLiteral("content"), part.text}};
                if (part.isError)
                    block.insert(QStringLiteral("is_error"), true);
                if (!part.cacheControl.isEmpty())
                    block.insert(QStringLiteral("cache_control"), part.cacheControl);
                pendingResults.append(block);
                break;
            }
            case ChatPart::Kind::Opaque:
                if (!sameDialect) {
                    const QString type = part.raw.value(QLatin1String("type")).toString();
                    return ChatError::invalid(
                        partPath, QStringLiteral("%1: '%2' content is not supported when the "
                                                 "model is served by an Anthropic provider")
                                      .arg(partPath, type));
                }
                blocks.append(part.raw);
                break;
            }
        }
        if (message.role == ChatRole::Tool)
            continue; // its results join the next user message (or stand alone)
        if (message.role == ChatRole::User) {
            QJsonArray merged = pendingResults;
            for (const QJsonValue &block : std::as_const(blocks))
                merged.append(block);
            pendingResults = QJsonArray();
            if (merged.isEmpty())
                continue;
            messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), contentValue(merged)}});
            continue;
        }
        if (!pendingResults.isEmpty()) {
            messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), pendingResults}});
            pendingResults = QJsonArray();
        }
        if (blocks.isEmpty())
            continue; // an assistant turn with nothing in it: Anthropic refuses empty content
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                    {QStringLiteral("content"), contentValue(blocks)}});
    }
    if (!pendingResults.isEmpty()) {
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"), pendingResults}});
    }
    body.insert(QStringLiteral("messages"), messages);

    if (!request.tools.isEmpty()) {
        QJsonArray tools;
        for (int i = 0; i < request.tools.size(); ++i) {
            const ChatTool &tool = request.tools.at(i);
            if (!tool.raw.isEmpty()) {
                if (!sameDialect)
                    return ChatError::unsupported(at(QStringLiteral("tools"), i), Target);
                tools.append(tool.raw);
                continue;
            }
            QJsonObject out{{QStringLiteral("name"), tool.name},
                            {QStringLiteral("input_schema"),
                             tool.parameters.isEmpty()
                                 ? QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}
                                 : tool.parameters}};
            if (!tool.description.isEmpty())
                out.insert(QStringLiteral("description"), tool.description);
            if (!tool.cacheControl.isEmpty())
                out.insert(QStringLiteral("cache_control"), tool.cacheControl);
            tools.append(out);
        }
        body.insert(QStringLiteral("tools"), tools);

        QJsonObject choice;
        switch (request.toolChoice.mode) {
        case ChatToolChoice::Mode::Unset:
            if (request.parallelToolCalls && !*request.parallelToolCalls)
                choice.insert(QStringLiteral("type"), QStringLiteral("auto"));
            break;
        case ChatToolChoice::Mode::Auto:
            choice.insert(QStringLiteral("type"), QStringLiteral("auto"));
            break;
        case ChatToolChoice::Mode::None:
            choice.insert(QStringLiteral("type"), QStringLiteral("none"));
            break;
        case ChatToolChoice::Mode::Required:
            choice.insert(QStringLiteral("type"), QStringLiteral("any"));
            break;
        case ChatToolChoice::Mode::Specific:
            choice.insert(QStringLiteral("type"), QStringLiteral("tool"));
            choice.insert(QStringLiteral("name"), request.toolChoice.name);
            break;
        }
        if (!choice.isEmpty() && request.parallelToolCalls &&
            request.toolChoice.mode != ChatToolChoice::Mode::None)
            choice.insert(QStringLiteral("disable_parallel_tool_use"), !*request.parallelToolCalls);
        if (!choice.isEmpty())
            body.insert(QStringLiteral("tool_choice"), choice);
    }

    if (!request.stop.isEmpty())
        body.insert(QStringLiteral("stop_sequences"), QJsonArray::fromStringList(request.stop));
    if (request.temperature)
        body.insert(QStringLiteral("temperature"), *request.temperature);
    if (request.topP)
        body.insert(QStringLiteral("top_p"), *request.topP);
    if (request.stream)
        body.insert(QStringLiteral("stream"), true);
    if (!request.user.isEmpty())
        body.insert(QStringLiteral("metadata"),
                    QJsonObject{{QStringLiteral("user_id"), request.user}});
    return body;
}

ChatResult<ChatResponse> AnthropicMessagesCodec::parseResponse(const QJsonObject &body)
{
    ChatResponse response;
    response.id = body.value(QLatin1String("id")).toString();
    response.model = body.value(QLatin1String("model")).toString();
    const QJsonArray content = body.value(QLatin1String("content")).toArray();
    for (const QJsonValue &value : content) {
        const QJsonObject block = value.toObject();
        const QString type = block.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text")) {
            response.content.append(
                ChatPart::makeText(block.value(QLatin1String("text")).toString()));
        } else if (type == QLatin1String("tool_use")) {
            response.content.append(ChatPart::makeToolCall(
                block.value(QLatin1String("id")).toString(),
                block.value(QLatin1String("name")).toString(),
                compactJson(block.value(QLatin1String("input")).toObject())));
        }
    }
    response.finishReason = parseStopReason(body.value(QLatin1String("stop_reason")).toString());
    response.stopSequence = body.value(QLatin1String("stop_sequence")).toString();
    if (body.value(QLatin1String("usage")).isObject())
        response.usage = parseUsage(body.value(QLatin1String("usage")).toObject());
    return response;
}

ChatResult<QJsonObject> AnthropicMessagesCodec::writeResponse(const ChatResponse &response)
{
    QJsonArray content;
    for (const ChatPart &part : response.content) {
        if (part.kind == ChatPart::Kind::Text && !part.text.isEmpty()) {
            content.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                       {QStringLiteral("text"), part.text}});
        } else if (part.kind == ChatPart::Kind::ToolCall) {
            const std::optional<QJsonObject> input = toolInput(part.arguments);
            if (!input)
                return ChatError::badGateway(
                    QStringLiteral("the upstream model returned arguments for tool '%1' that "
                                   "are not a JSON object")
                        .arg(part.toolName));
            content.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_use")},
                                       {QStringLiteral("id"), part.toolCallId},
                                       {QStringLiteral("name"), part.toolName},
                                       {QStringLiteral("input"), *input}});
        }
    }
    const QString stopReason = stopReasonName(response.finishReason, response.stopSequence);
    return QJsonObject{
        {QStringLiteral("id"), response.id},
        {QStringLiteral("type"), QStringLiteral("message")},
        {QStringLiteral("role"), QStringLiteral("assistant")},
        {QStringLiteral("model"), response.model},
        {QStringLiteral("content"), content},
        {QStringLiteral("stop_reason"), stopReason},
        {QStringLiteral("stop_sequence"), stopReason == QLatin1String("stop_sequence")
                                              ? QJsonValue(response.stopSequence)
                                              : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("usage"), writeUsage(response.usage)}};
}

ChatUsage AnthropicMessagesCodec::parseUsage(const QJsonObject &usage)
{
    ChatUsage out;
    out.present = true;
    out.cachedInput = usage.value(QLatin1String("cache_read_input_tokens")).toInteger();
    out.cacheCreationInput = usage.value(QLatin1String("cache_creation_input_tokens")).toInteger();
    out.input = usage.value(QLatin1String("input_tokens")).toInteger() + out.cachedInput +
                out.cacheCreationInput;
    out.output = usage.value(QLatin1String("output_tokens")).toInteger();
    return out;
}

QJsonObject AnthropicMessagesCodec::writeUsage(const ChatUsage &usage)
{
    return QJsonObject{
        {QStringLiteral("input_tokens"),
         std::max<qint64>(0, usage.input - usage.cachedInput - usage.cacheCreationInput)},
        {QStringLiteral("cache_creation_input_tokens"), usage.cacheCreationInput},
        {QStringLiteral("cache_read_input_tokens"), usage.cachedInput},
        {QStringLiteral("output_tokens"), usage.output}};
}

FinishReason AnthropicMessagesCodec::parseStopReason(const QString &reason)
{
    if (reason.isEmpty())
        return FinishReason::None;
    if (reason == QLatin1String("max_tokens") ||
        reason == QLatin1String("model_context_window_exceeded"))
        return FinishReason::Length;
    if (reason == QLatin1String("tool_use"))
        return FinishReason::ToolCalls;
    if (reason == QLatin1String("refusal"))
        return FinishReason::ContentFilter;
    return FinishReason::Stop; // end_turn, stop_sequence, pause_turn
}

QString AnthropicMessagesCodec::stopReasonName(FinishReason reason, const QString &stopSequence)
{
    switch (reason) {
    case FinishReason::Length:
        return QStringLiteral("max_tokens");
    case FinishReason::ToolCalls:
        return QStringLiteral("tool_use");
    case FinishReason::ContentFilter:
        return QStringLiteral("refusal");
    case FinishReason::Stop:
        if (!stopSequence.isEmpty())
            return QStringLiteral("stop_sequence");
        break;
    case FinishReason::None:
    case FinishReason::Error:
        break;
    }
    return QStringLiteral("end_turn");
}

QString AnthropicMessagesCodec::errorTypeName(ChatError::Kind kind)
{
    switch (kind) {
    case ChatError::Kind::InvalidRequest:
        return QStringLiteral("invalid_request_error");
    case ChatError::Kind::Authentication:
        return QStringLiteral("authentication_error");
    case ChatError::Kind::Permission:
        return QStringLiteral("permission_error");
    case ChatError::Kind::NotFound:
        return QStringLiteral("not_found_error");
    case ChatError::Kind::RequestTooLarge:
        return QStringLiteral("request_too_large");
    case ChatError::Kind::RateLimit:
        return QStringLiteral("rate_limit_error");
    case ChatError::Kind::Overloaded:
        return QStringLiteral("overloaded_error");
    case ChatError::Kind::Api:
    case ChatError::Kind::BadGateway:
    case ChatError::Kind::Timeout:
        break;
    }
    return QStringLiteral("api_error");
}

QJsonObject AnthropicMessagesCodec::errorBody(const ChatError &error)
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("error")},
        {QStringLiteral("error"), QJsonObject{{QStringLiteral("type"), errorTypeName(error.kind)},
                                              {QStringLiteral("message"), error.message}}}};
}

int AnthropicMessagesCodec::httpStatus(const ChatError &error)
{
    return error.httpStatus(529); // Anthropic's "overloaded_error"
}

ChatError AnthropicMessagesCodec::parseError(int status, const QByteArray &body)
{
    ChatError error;
    error.kind = ChatError::kindForStatus(status);
    const QJsonObject inner =
        QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toObject();
    const QString type = inner.value(QLatin1String("type")).toString();
    static const ChatError::Kind kinds[] = {
        ChatError::Kind::InvalidRequest,  ChatError::Kind::Authentication,
        ChatError::Kind::Permission,      ChatError::Kind::NotFound,
        ChatError::Kind::RequestTooLarge, ChatError::Kind::RateLimit,
        ChatError::Kind::Overloaded};
    for (ChatError::Kind kind : kinds) {
        if (type == errorTypeName(kind))
            error.kind = kind;
    }
    if (type == QLatin1String("api_error"))
        error.kind = ChatError::Kind::Api;
    error.message = inner.value(QLatin1String("message")).toString();
    if (error.message.isEmpty())
        error.message = QStringLiteral("upstream answered HTTP %1").arg(status);
    return error;
}

} // namespace gh
