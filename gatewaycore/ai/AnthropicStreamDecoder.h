#pragma once

#include "ChatStreamDecoder.h"

#include <QHash>

namespace gh {

// Anthropic Messages stream events → neutral events (Anthropic "Streaming Messages":
// message_start, content_block_start/delta/stop, message_delta, message_stop, ping,
// error). Content-block indexes count text and tool_use blocks alike; neutral tool indexes
// count tool calls only, so tool_use blocks are renumbered 0, 1, ... in order. Usage is
// cumulative: message_start brings the input counts, message_delta the output count (and
// sometimes final input counts); each Usage event carries the merged total. thinking
// blocks and unknown events are skipped, as the documentation asks of readers.
class AnthropicStreamDecoder : public ChatStreamDecoder
{
public:
    QList<ChatStreamEvent> decode(const SseEvent &event) override;

private:
    ChatStreamEvent usageEvent() const;

    QHash<int, int> m_toolForBlock; // content-block index → neutral tool index
    int m_toolCount = 0;
    // Anthropic's own counters, merged as they arrive.
    qint64 m_inputTokens = 0;
    qint64 m_cacheReadTokens = 0;
    qint64 m_cacheCreationTokens = 0;
    qint64 m_outputTokens = 0;
    bool m_done = false;
};

} // namespace gh
