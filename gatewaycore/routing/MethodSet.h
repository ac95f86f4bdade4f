#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonArray>

namespace gh {

// The HTTP methods a route can name (SPEC §3) as bits, so matching tests membership
// with one AND instead of comparing strings per route.
class MethodSet
{
public:
    enum Method : quint8 {
        Get = 1 << 0,
        Head = 1 << 1,
        Post = 1 << 2,
        Put = 1 << 3,
        Patch = 1 << 4,
        Delete = 1 << 5,
        Options = 1 << 6,
    };

    constexpr MethodSet() = default;
    constexpr explicit MethodSet(quint8 bits)
        : m_bits(bits)
    {}

    // The bit for a request method (case-sensitive, RFC 9110 §9.1), 0 for any other.
    static quint8 bitFor(QByteArrayView method);
    // From a normalized `match.methods` array; unknown names are ignored.
    static MethodSet fromJson(const QJsonArray &methods);

    constexpr bool isEmpty() const { return m_bits == 0; }
    constexpr quint8 bits() const { return m_bits; }
    constexpr bool intersects(quint8 bits) const { return (m_bits & bits) != 0; }
    // What a request with this method may match: HEAD is served by GET routes too.
    static constexpr quint8 acceptedBits(quint8 requestBit)
    {
        return requestBit == Head ? quint8(Head | Get) : requestBit;
    }
    constexpr MethodSet &operator|=(MethodSet other)
    {
        m_bits |= other.m_bits;
        return *this;
    }
    constexpr bool operator==(const MethodSet &) const = default;

    // "GET, HEAD, POST" for an Allow header; HEAD is listed whenever GET is.
    QByteArray toAllowHeader() const;

private:
    quint8 m_bits = 0;
};

} // namespace gh
