#pragma once

#include "SseEvent.h"

#include <QByteArrayView>
#include <QList>

namespace gh {

// Incremental text/event-stream parser following the WHATWG HTML "interpreting an event
// stream" algorithm (html.spec.whatwg.org/multipage/server-sent-events.html): feed bytes
// in pieces of any size (a CRLF split across two feeds included) and get the events
// completed by them.
//   - a UTF-8 BOM at the very start is skipped; lines end in CRLF, LF or a lone CR
//   - ":" lines are comments; "name: value" fields lose one space after the colon; a line
//     without a colon is a field with an empty value; unknown fields are ignored
//   - data lines are joined with "\n"; a blank line dispatches the event, unless no data
//     field was seen (then the event name is reset and nothing is dispatched)
//   - id sets the last event ID (persistent across events) unless it contains NUL;
//     retry sets retryMs() when its value is all ASCII digits
// Text stays as bytes (UTF-8 is the JSON reader's business). An event larger than
// maxEventBytes puts the parser in an error state: a runaway upstream must not grow memory
// without bound.
class SseParser
{
public:
    explicit SseParser(qsizetype maxEventBytes = 16 * 1024 * 1024);

    QList<SseEvent> feed(QByteArrayView data);
    // End of stream: an event without its closing blank line is discarded (as the spec
    // says); returns true if there was one, i.e. the stream was cut mid-event.
    bool finish();
    void reset();

    bool hasError() const { return m_error; }
    qint64 retryMs() const { return m_retryMs; } // -1 until a valid retry field arrives
    const QByteArray &lastEventId() const { return m_lastEventId; }

private:
    void processLine(QByteArrayView line, QList<SseEvent> &out);

    qsizetype m_maxEventBytes;
    QByteArray m_line; // a line split across feeds
    QByteArray m_eventName;
    QByteArray m_data;
    QByteArray m_lastEventId;
    qint64 m_retryMs = -1;
    qsizetype m_bomBytesChecked = 0; // how many leading bytes were compared with the BOM
    bool m_hasData = false;
    bool m_pendingFields = false; // a field of an undispatched event was seen
    bool m_skipLf = false;        // the last feed ended in CR: a leading LF belongs to it
    bool m_error = false;
};

} // namespace gh
