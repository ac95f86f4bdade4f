#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace gh {

// Formats text/event-stream output, the counterpart of SseParser. Framing is LF-only:
// "event: NAME\n" (when named), "id: ID\n" (when given), one "data: LINE\n" per line of
// data (CR, LF and CRLF inside data all start a new data line, so the reader gets the
// same text back with LF), then the blank line that dispatches it.
class SseWriter
{
public:
    static QByteArray event(QByteArrayView name, QByteArrayView data, QByteArrayView id = {});
    static QByteArray data(QByteArrayView data) { return event({}, data); }
    // ": text\n\n" — ignored by readers; keeps idle connections alive.
    static QByteArray comment(QByteArrayView text);
    static QByteArray retry(qint64 milliseconds);
};

} // namespace gh
