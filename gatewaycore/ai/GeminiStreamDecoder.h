#pragma once

#include "ChatStreamDecoder.h"

namespace gh {

// Gemini streamGenerateContent?alt=sse → neutral events. Each SSE data is a whole
// GenerateContentResponse chunk (GeminiCodec::parseResponse rules apply to each):
//   - the first chunk starts the answer: Start with responseId (synthesized when absent)
//     and modelVersion
//   - text parts → TextDelta (thought parts skipped); each functionCall part → ToolCallStart
//     (indexes 0, 1, ... in order; id from functionCall.id, else "call_<nonce>_<n>") and one
//     ToolCallDelta carrying the whole args object: Gemini sends calls whole, never in pieces
//   - usageMetadata rides on many chunks, always cumulative: the latest one is kept and
//     sent as one Usage event when the answer ends
//   - Gemini has no end-of-stream event: the chunk with a finishReason (or, with no
//     candidates, a promptFeedback.blockReason: the prompt was blocked) ends the answer
//     with Finish (STOP becomes ToolCalls when calls were made; a block is ContentFilter),
//     Usage (when any was reported) and Done. Anything after it is ignored.
//   - a data object {"error":{...}} (Gemini's error shape) → Error; data that is not a
//     JSON object → Error (bad gateway). Either ends the stream.
class GeminiStreamDecoder : public ChatStreamDecoder
{
public:
    GeminiStreamDecoder();
    QList<ChatStreamEvent> decode(const SseEvent &event) override;

private:
    void finish(QList<ChatStreamEvent> &out, FinishReason reason);

    QString m_nonce; // for call ids Gemini did not give
    ChatUsage m_usage;
    int m_toolCount = 0;
    bool m_started = false;
    bool m_done = false;
};

} // namespace gh
