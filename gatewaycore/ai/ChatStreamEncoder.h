#pragma once

#include "ChatTypes.h"

#include <QByteArray>

namespace gh {

// Turns neutral stream events into one dialect's text/event-stream bytes. Stateful: one
// instance per streamed answer. After Done or Error it writes nothing more.
class ChatStreamEncoder
{
public:
    virtual ~ChatStreamEncoder() = default;
    virtual QByteArray encode(const ChatStreamEvent &event) = 0;
    virtual bool isFinished() const = 0;
    // The stream ended in an error the encoder decided on itself (a prompt API's answer that
    // failed its output schema), not one it was handed.
    virtual bool hasFailed() const { return false; }
};

} // namespace gh
