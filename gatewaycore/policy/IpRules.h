#pragma once

#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace gh {

// IP allow and deny lists (SPEC §3 `ip: {allow, deny}` on a route and in settings),
// compiled once per config snapshot. Entries are addresses ("10.1.2.3", "::1") or CIDR
// ranges ("10.0.0.0/8", "fd00::/8"). Deny wins over allow; an empty allow list allows
// every address the deny list does not name. IPv4-mapped IPv6 peers (::ffff:a.b.c.d,
// what a dual-stack socket reports for an IPv4 client) are matched as IPv4.
class IpRules
{
public:
    using Range = std::pair<QHostAddress, int>; // network, prefix length

    // One allow/deny entry, or nullopt when text is not an address or CIDR range.
    // Abbreviated IPv4 ("10/8") is refused: the address part must be a whole address.
    static std::optional<Range> parseRange(const QString &text);
    // From a validated `ip` mapping; entries that do not parse are skipped.
    static IpRules fromJson(const QJsonObject &ip);

    bool isEmpty() const { return m_allow.isEmpty() && m_deny.isEmpty(); }
    bool allows(const QHostAddress &peer) const;

    // ::ffff:a.b.c.d -> a.b.c.d; anything else unchanged.
    static QHostAddress unmapped(const QHostAddress &address);

private:
    static bool inAny(const QHostAddress &peer, const QList<Range> &ranges);

    QList<Range> m_allow;
    QList<Range> m_deny;
};

} // namespace gh
