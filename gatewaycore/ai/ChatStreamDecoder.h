#pragma once

#include "ChatTypes.h"
#include "SseEvent.h"

#include <QList>

namespace gh {

// Turns one dialect's server-sent events into neutral stream events. Stateful: one
// instance per streamed answer.
class ChatStreamDecoder
{
public:
    virtual ~ChatStreamDecoder() = default;
    virtual QList<ChatStreamEvent> decode(const SseEvent &event) = 0;
};

} // namespace gh
