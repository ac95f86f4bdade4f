#pragma once

#include "MethodSet.h"
#include "http/HttpHeaders.h"
#include "policy/CorsPolicy.h"
#include "policy/IpRules.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace gh {

// A SPEC §3 route ready for matching and for the proxy. Immutable once compiled;
// requests see it through `const CompiledRoute *` for as long as they hold the snapshot.
struct CompiledRoute
{
    enum class State { Draft, Published, Deprecated, Retired };
    enum class Auth { None, Key, Jwt };
    static constexpr qint64 DefaultMaxBodyBytes = 10 * 1024 * 1024;

    QString name;
    QString serviceName;
    int serviceIndex = -1;   // in ConfigSnapshot::services()
    int index = -1;          // in RouteTable::routes()
    QList<QByteArray> paths; // prefixes without a trailing "/" (except "/" itself)
    QStringList hosts;       // lower-case patterns; empty = any host
    MethodSet methods;       // empty = any method
    bool stripPath = false;
    Auth auth = Auth::Key;
    State state = State::Published;
    QDate sunset; // invalid when not set
    QString version;
    qint64 maxBodyBytes = DefaultMaxBodyBytes; // "max_body_bytes" when present
    qint64 deprecatedSince = 0;                // unix seconds, for deprecated routes
    HttpHeaders extraHeaders;                  // Deprecation + Sunset for deprecated routes
    QJsonObject json;                          // the normalized entity, for later policies
    IpRules ipRules;                           // "ip": checked after the match
    CorsPolicy cors;                           // "cors": off when absent

    bool isDeprecated() const { return state == State::Deprecated; }

    // From a normalized `routes[]` entity. deprecatedSince (unix seconds) dates the
    // Deprecation header of a deprecated route.
    static CompiledRoute compile(const QJsonObject &json, int serviceIndex, qint64 deprecatedSince);
    static State stateFromString(const QString &name);
    static Auth authFromString(const QString &name);
    // "/billing/" -> "/billing"; "/" stays "/".
    static QByteArray normalizePrefix(const QString &prefix);
    // RFC 9110 IMF-fixdate: "Wed, 30 Jun 2027 00:00:00 GMT".
    static QByteArray httpDate(const QDateTime &time);
};

} // namespace gh
