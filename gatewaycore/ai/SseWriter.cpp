#include "SseWriter.h"

namespace gh {

namespace {

// Names, ids and comments are one line: a CR or LF in them would end the field early and
// let the rest be read as fields of its own.
void appendSingleLine(QByteArray &out, QByteArrayView text)
{
    for (char c : text) {
        if (c != '\r' && c != '\n')
            out.append(c);
    }
}

} // namespace

QByteArray SseWriter::event(QByteArrayView name, QByteArrayView data, QByteArrayView id)
{
    QByteArray out;
    out.reserve(data.size() + name.size() + 24);
    if (!name.isEmpty()) {
        out.append("event: ");
        appendSingleLine(out, name);
        out.append('\n');
    }
    if (!id.isEmpty()) {
        out.append("id: ");
        appendSingleLine(out, id);
        out.append('\n');
    }
    qsizetype pos = 0;
    while (true) {
        qsizetype end = pos;
        while (end < data.size() && data[end] != '\n' && data[end] != '\r')
            ++end;
        out.append("data: ");
        out.append(data.sliced(pos, end - pos));
        out.append('\n');
        if (end == data.size())
            break;
        pos = end + 1;
        if (data[end] == '\r' && pos < data.size() && data[pos] == '\n')
            ++pos;
    }
    out.append('\n');
    return out;
}

QByteArray SseWriter::comment(QByteArrayView text)
{
    QByteArray out(": ");
    appendSingleLine(out, text);
    out.append("\n\n");
    return out;
}

QByteArray SseWriter::retry(qint64 milliseconds)
{
    return "retry: " + QByteArray::number(milliseconds) + "\n\n";
}

} // namespace gh
