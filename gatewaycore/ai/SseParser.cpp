#include "SseParser.h"

namespace gh {

namespace {
constexpr char Bom[] = "\xEF\xBB\xBF";
}

SseParser::SseParser(qsizetype maxEventBytes)
    : m_maxEventBytes(maxEventBytes)
{}

void SseParser::reset()
{
    *this = SseParser(m_maxEventBytes);
}

QList<SseEvent> SseParser::feed(QByteArrayView data)
{
    QList<SseEvent> out;
    if (m_error)
        return out;
    qsizetype pos = 0;
    // The BOM may itself arrive split; only bytes that turn out not to be one are data.
    while (m_bomBytesChecked < 3 && pos < data.size()) {
        if (data[pos] != Bom[m_bomBytesChecked]) {
            m_line.append(Bom, m_bomBytesChecked); // a partial match was data after all
            m_bomBytesChecked = 3;
            break;
        }
        ++m_bomBytesChecked;
        ++pos;
    }
    if (m_skipLf && pos < data.size()) {
        m_skipLf = false;
        if (data[pos] == '\n')
            ++pos;
    }
    while (pos < data.size()) {
        qsizetype end = pos;
        while (end < data.size() && data[end] != '\n' && data[end] != '\r')
            ++end;
        if (end == data.size()) {
            m_line.append(data.sliced(pos));
            if (m_line.size() + m_data.size() > m_maxEventBytes)
                m_error = true;
            break;
        }
        if (m_line.isEmpty()) {
            processLine(data.sliced(pos, end - pos), out);
        } else {
            m_line.append(data.sliced(pos, end - pos));
            processLine(m_line, out);
            m_line.clear();
        }
        if (m_error)
            break;
        pos = end + 1;
        if (data[end] == '\r') {
            if (pos < data.size()) {
                if (data[pos] == '\n')
                    ++pos;
            } else {
                m_skipLf = true;
            }
        }
    }
    return out;
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &out)
{
    if (line.isEmpty()) {
        if (m_hasData) {
            out.append(SseEvent{m_eventName, m_data, m_lastEventId});
        }
        m_eventName.clear();
        m_data.clear();
        m_hasData = false;
        m_pendingFields = false;
        return;
    }
    if (line.front() == ':')
        return;
    m_pendingFields = true;
    const qsizetype colon = line.indexOf(':');
    QByteArrayView name = line;
    QByteArrayView value;
    if (colon >= 0) {
        name = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    if (name == "data") {
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
        if (m_data.size() > m_maxEventBytes)
            m_error = true;
    } else if (name == "event") {
        m_eventName = value.toByteArray();
    } else if (name == "id") {
        if (!value.contains('\0'))
            m_lastEventId = value.toByteArray();
    } else if (name == "retry") {
        bool digits = !value.isEmpty() && value.size() <= 15;
        for (char c : value)
            digits = digits && c >= '0' && c <= '9';
        if (digits)
            m_retryMs = value.toLongLong();
    }
}

bool SseParser::finish()
{
    const bool truncated = !m_line.isEmpty() || m_pendingFields;
    m_line.clear();
    m_eventName.clear();
    m_data.clear();
    m_hasData = false;
    m_pendingFields = false;
    m_skipLf = false;
    return truncated;
}

} // namespace gh
