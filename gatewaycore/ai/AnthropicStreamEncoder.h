#pragma once

#include "ChatStreamEncoder.h"

#include <QHash>

namespace gh {

// Neutral events → Anthropic Messages SSE ("event: NAME\ndata: {json}\n\n"), in the order
// Anthropic's "Streaming Messages" documentation gives: message_start (a Message with
// empty content), then per content block content_block_start, content_block_delta
// (text_delta or input_json_delta) and content_block_stop, then message_delta (stop_reason,
// stop_sequence and the cumulative usage) and message_stop.
//   - message_start is held back until the first content, finish or end, so usage that
//     arrives right after Start (Anthropic's own message_start) is in it; usage first
//     known at the end (OpenAI's include_usage chunk) goes into message_delta, which the
//     documentation declares cumulative (input and cache counts included)
//   - a text block opens on the first text after a non-text block; each tool call is a
//     tool_use block whose argument fragments are input_json_delta partial_json as they
//     came (no re-chunking); a fragment for an earlier tool call (interleaved upstream
//     deltas) is sent with that call's block index
//   - Finish is held until Done, because message_delta carries stop reason and usage
//   - Error → "event: error" with {"type":"error","error":{type,message}}; nothing after it
class AnthropicStreamEncoder : public ChatStreamEncoder
{
public:
    QByteArray encode(const ChatStreamEvent &event) override;
    bool isFinished() const override { return m_finished; }

private:
    enum class BlockKind { None, Text, Tool };

    QByteArray ensureStarted();
    QByteArray closeBlock();
    QByteArray openBlock(BlockKind kind, const QJsonObject &contentBlock);

    QString m_id;
    QString m_model;
    ChatUsage m_usage;
    FinishReason m_finishReason = FinishReason::None;
    QString m_stopSequence;
    QHash<int, int> m_blockForTool; // neutral tool index → content-block index
    BlockKind m_openKind = BlockKind::None;
    int m_openBlock = -1;
    int m_nextBlock = 0;
    bool m_started = false;
    bool m_finished = false;
};

} // namespace gh
