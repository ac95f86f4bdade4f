#include "MethodSet.h"

#include <array>

namespace gh {

namespace {

struct MethodName
{
    QByteArrayView name;
    quint8 bit;
};

constexpr std::array<MethodName, 7> methodNames{{
    {"GET", MethodSet::Get},
    {"HEAD", MethodSet::Head},
    {"POST", MethodSet::Post},
    {"PUT", MethodSet::Put},
    {"PATCH", MethodSet::Patch},
    {"DELETE", MethodSet::Delete},
    {"OPTIONS", MethodSet::Options},
}};

} // namespace

quint8 MethodSet::bitFor(QByteArrayView method)
{
    for (const MethodName &entry : methodNames) {
        if (entry.name == method)
            return entry.bit;
    }
    return 0;
}

MethodSet MethodSet::fromJson(const QJsonArray &methods)
{
    quint8 bits = 0;
    for (const QJsonValue &value : methods)
        bits |= bitFor(value.toString().toLatin1());
    return MethodSet(bits);
}

QByteArray MethodSet::toAllowHeader() const
{
    quint8 bits = m_bits;
    if (bits & Get)
        bits |= Head;
    QByteArray header;
    for (const MethodName &entry : methodNames) {
        if (!(bits & entry.bit))
            continue;
        if (!header.isEmpty())
            header += ", ";
        header += entry.name;
    }
    return header;
}

} // namespace gh
