#pragma once

#include "ChatStreamDecoder.h"

namespace gh {

// Ollama /api/chat streaming → neutral events. The stream is NDJSON, not SSE: the gateway
// hands each JSON line over as an SseEvent whose data is the line (event empty). The first
// line gives Start (Ollama has no response id: one is made up, see OllamaChatCodec);
// message.content TextDelta; message.tool_calls (Ollama sends each call whole, in one
// line) ToolCallStart plus one ToolCallDelta with all the arguments; the line with
// "done": true Finish, Usage (prompt_eval_count / eval_count) and Done; an {"error":"..."}
// line Error (docs.ollama.com/api/errors: a failure after the stream began). thinking is
// skipped; blank lines are ignored; nothing is read after Done or Error.
class OllamaStreamDecoder : public ChatStreamDecoder
{
public:
    QList<ChatStreamEvent> decode(const SseEvent &line) override;

private:
    int m_toolCount = 0;
    bool m_started = false;
    bool m_done = false;
};

} // namespace gh
