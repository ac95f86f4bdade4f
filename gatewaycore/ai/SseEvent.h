#pragma once

#include <QByteArray>

namespace gh {

// One dispatched server-sent event. event is empty when the stream named none (the
// WHATWG "message" default is left to the reader); id is the last event ID in effect.
struct SseEvent
{
    QByteArray event;
    QByteArray data;
    QByteArray id;

    bool operator==(const SseEvent &other) const = default;
};

} // namespace gh
