#pragma once

#include <QByteArrayView>

#include <cstring>

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

} // namespace gh::http
