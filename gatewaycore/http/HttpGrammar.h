#pragma once

#include <QByteArrayView>

#include <cstring>
#include <limits>

// The RFC 9110/9112 character classes the parsers and the upstream client share.
namespace gh::http {

inline bool isTchar(uchar c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// token = 1*tchar (field names, methods, transfer codings).
inline bool isToken(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (const char c : v) {
        if (!isTchar(uchar(c)))
            return false;
    }
    return true;
}

inline int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

inline bool isCtl(uchar c)
{
    return c < 0x20 || c == 0x7f;
}

// Strips optional whitespace (SP / HTAB) at both ends.
inline QByteArrayView trimmedOws(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

// chunk = chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1), the line without its CRLF.
// Extensions are accepted and ignored, but nothing else may follow the size. Returns the
// size, or -1 with *error saying what is wrong.
inline qint64 parseChunkSizeLine(QByteArrayView line, const char **error)
{
    qsizetype i = 0;
    qint64 size = 0;
    for (; i < line.size(); ++i) {
        const int digit = hexValue(line.at(i));
        if (digit < 0)
            break;
        if (size > (std::numeric_limits<qint64>::max() >> 4)) {
            *error = "Chunk size overflow";
            return -1;
        }
        size = (size << 4) | digit;
    }
    if (i == 0) {
        *error = "Invalid chunk size";
        return -1;
    }
    QByteArrayView rest = line.sliced(i);
    while (!rest.isEmpty() && (rest.front() == ' ' || rest.front() == '\t'))
        rest = rest.sliced(1);
    if (rest.isEmpty())
        return size;
    if (rest.front() != ';') {
        *error = "Invalid chunk size";
        return -1;
    }
    for (const char c : rest) {
        if (isCtl(uchar(c)) && c != '\t') {
            *error = "Invalid chunk extension";
            return -1;
        }
    }
    return size;
}

} // namespace gh::http
