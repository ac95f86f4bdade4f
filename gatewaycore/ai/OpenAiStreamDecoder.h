#pragma once

#include "ChatStreamDecoder.h"

#include <QSet>

namespace gh {

// OpenAI chat.completion.chunk events → neutral events (openai-python
// types/chat/chat_completion_chunk.py). The first chunk gives Start; delta.content (and
// delta.refusal) TextDelta; the first delta of a tool_calls[].index ToolCallStart (id,
// function.name), its function.arguments fragments ToolCallDelta; finish_reason Finish;
// a usage object Usage (the include_usage chunk, choices empty); "data: [DONE]" Done; a
// chunk with an "error" member Error. Only choice 0 is read (n > 1 is never asked of an
// upstream whose stream we translate).
class OpenAiStreamDecoder : public ChatStreamDecoder
{
public:
    QList<ChatStreamEvent> decode(const SseEvent &event) override;

private:
    QSet<int> m_toolIndexes;
    bool m_started = false;
    bool m_done = false;
};

} // namespace gh
