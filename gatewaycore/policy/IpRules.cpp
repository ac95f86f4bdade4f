#include "IpRules.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace gh {

namespace {

bool isMappedIpv4(const QHostAddress &address)
{
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return false;
    // Checked by hand: QHostAddress::toIPv4Address() also converts "::" to 0.0.0.0.
    const Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 0; i < 10; ++i) {
        if (bytes[i] != 0)
            return false;
    }
    return bytes[10] == 0xff && bytes[11] == 0xff;
}

QList<IpRules::Range> rangesFrom(const QJsonArray &entries)
{
    QList<IpRules::Range> ranges;
    for (const QJsonValue &entry : entries) {
        if (const auto range = IpRules::parseRange(entry.toString()))
            ranges.append(*range);
    }
    return ranges;
}

} // namespace

QHostAddress IpRules::unmapped(const QHostAddress &address)
{
    if (!isMappedIpv4(address))
        return address;
    const Q_IPV6ADDR bytes = address.toIPv6Address();
    return QHostAddress(quint32(bytes[12]) << 24 | quint32(bytes[13]) << 16 |
                        quint32(bytes[14]) << 8 | quint32(bytes[15]));
}

std::optional<IpRules::Range> IpRules::parseRange(const QString &text)
{
    const qsizetype slash = text.indexOf(u'/');
    const QString address = slash < 0 ? text : text.left(slash);
    // QHostAddress::parseSubnet is lenient ("/8" is 0.0.0.0/8, "192.168/16" expands, spaces
    // are trimmed); a rule that means something else than it reads is worse than an error.
    // QHostAddress also takes inet_aton forms ("192.168" is 192.0.0.168, "010.0.0.1" may be
    // octal): IPv4 must be four plain decimal octets.
    static const QRegularExpression dottedQuad(
        QStringLiteral("^(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}$"));
    if (address.isEmpty() || text.trimmed() != text || QHostAddress(address).isNull() ||
        (!address.contains(u':') && !dottedQuad.match(address).hasMatch()))
        return std::nullopt;
    Range range = QHostAddress::parseSubnet(text);
    if (range.first.isNull() || range.second < 0)
        return std::nullopt;
    // "::ffff:10.0.0.0/104" is the IPv4 range 10.0.0.0/8; peers are unmapped the same way.
    if (isMappedIpv4(range.first) && range.second >= 96)
        range = {unmapped(range.first), range.second - 96};
    return range;
}

IpRules IpRules::fromJson(const QJsonObject &ip)
{
    IpRules rules;
    rules.m_allow = rangesFrom(ip.value(QLatin1String("allow")).toArray());
    rules.m_deny = rangesFrom(ip.value(QLatin1String("deny")).toArray());
    return rules;
}

bool IpRules::inAny(const QHostAddress &peer, const QList<Range> &ranges)
{
    for (const Range &range : ranges) {
        if (peer.isInSubnet(range))
            return true;
    }
    return false;
}

bool IpRules::allows(const QHostAddress &peer) const
{
    if (isEmpty())
        return true;
    const QHostAddress address = unmapped(peer);
    if (inAny(address, m_deny))
        return false;
    return m_allow.isEmpty() || inAny(address, m_allow);
}

} // namespace gh
