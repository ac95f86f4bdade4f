#include "ChatTypes.h"

namespace gh {

ChatPart ChatPart::makeText(const QString &text)
{
    ChatPart part;
    part.kind = Kind::Text;
    part.text = text;
    return part;
}

ChatPart ChatPart::makeImageData(const QString &mediaType, const QString &base64)
{
    ChatPart part;
    part.kind = Kind::Image;
    part.mediaType = mediaType;
    part.imageData = base64;
    return part;
}

ChatPart ChatPart::makeImageUrl(const QString &url)
{
    ChatPart part;
    part.kind = Kind::Image;
    part.imageUrl = url;
    return part;
}

ChatPart ChatPart::makeToolCall(const QString &id, const QString &name, const QString &arguments)
{
    ChatPart part;
    part.kind = Kind::ToolCall;
    part.toolCallId = id;
    part.toolName = name;
    part.arguments = arguments;
    return part;
}

ChatPart ChatPart::makeToolResult(const QString &toolCallId, const QString &content, bool isError)
{
    ChatPart part;
    part.kind = Kind::ToolResult;
    part.toolCallId = toolCallId;
    part.text = content;
    part.isError = isError;
    return part;
}

} // namespace gh
