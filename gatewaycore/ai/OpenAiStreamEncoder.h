#pragma once

#include "ChatStreamEncoder.h"

namespace gh {

// Neutral events → OpenAI chat.completion.chunk SSE ("data: {json}\n\n" each), as the
// official SDKs read them: Start → a chunk with delta {"role":"assistant","content":""};
// TextDelta → delta.content; ToolCallStart → delta.tool_calls [{index, id,
// type "function", function {name, arguments ""}}]; ToolCallDelta → delta.tool_calls
// [{index, function {arguments}}]; Finish → an empty delta with finish_reason; Done →
// the usage chunk (choices [], only when the caller set stream_options.include_usage,
// and then every other chunk carries "usage": null) and "data: [DONE]". Error →
// "data: {"error":{...}}" and no [DONE]: the stream ends as failed, not as complete.
class OpenAiStreamEncoder : public ChatStreamEncoder
{
public:
    explicit OpenAiStreamEncoder(bool includeUsage);

    QByteArray encode(const ChatStreamEvent &event) override;
    bool isFinished() const override { return m_finished; }

    // Unix seconds for "created" when the source had none (Anthropic); default: now.
    void setCreated(qint64 created) { m_created = created; }

private:
    QByteArray chunk(const QJsonObject &delta, const QJsonValue &finishReason) const;

    QString m_id;
    QString m_model;
    qint64 m_created = 0;
    ChatUsage m_usage;
    bool m_includeUsage = false;
    bool m_finished = false;
};

} // namespace gh
