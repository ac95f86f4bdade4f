#include "CompiledRoute.h"

#include <QJsonArray>
#include <QLocale>
#include <QTimeZone>

namespace gh {

CompiledRoute::State CompiledRoute::stateFromString(const QString &name)
{
    if (name == QLatin1String("draft"))
        return State::Draft;
    if (name == QLatin1String("deprecated"))
        return State::Deprecated;
    if (name == QLatin1String("retired"))
        return State::Retired;
    return State::Published;
}

CompiledRoute::Auth CompiledRoute::authFromString(const QString &name)
{
    if (name == QLatin1String("none"))
        return Auth::None;
    if (name == QLatin1String("jwt"))
        return Auth::Jwt;
    return Auth::Key;
}

QByteArray CompiledRoute::normalizePrefix(const QString &prefix)
{
    QByteArray normalized = prefix.toUtf8();
    while (normalized.size() > 1 && normalized.endsWith('/'))
        normalized.chop(1);
    if (normalized.isEmpty())
        normalized = "/";
    return normalized;
}

QByteArray CompiledRoute::httpDate(const QDateTime &time)
{
    // The C locale gives English day and month names whatever the user's locale is.
    return QLocale::c()
        .toString(time.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

CompiledRoute CompiledRoute::compile(const QJsonObject &json, int serviceIndex,
                                     qint64 deprecatedSince)
{
    CompiledRoute route;
    route.name = json.value(QLatin1String("name")).toString();
    route.serviceName = json.value(QLatin1String("service")).toString();
    route.serviceIndex = serviceIndex;
    route.json = json;

    const QJsonObject match = json.value(QLatin1String("match")).toObject();
    const QJsonArray paths = match.value(QLatin1String("paths")).toArray();
    for (const QJsonValue &path : paths) {
        const QByteArray prefix = normalizePrefix(path.toString());
        if (prefix.startsWith('/') && !route.paths.contains(prefix))
            route.paths.append(prefix);
    }
    if (route.paths.isEmpty())
        route.paths.append("/"); // hosts only: the whole host
    const QJsonArray hosts = match.value(QLatin1String("hosts")).toArray();
    for (const QJsonValue &host : hosts) {
        const QString pattern = host.toString().toLower();
        if (!pattern.isEmpty() && !route.hosts.contains(pattern))
            route.hosts.append(pattern);
    }
    route.methods = MethodSet::fromJson(match.value(QLatin1String("methods")).toArray());

    route.stripPath = json.value(QLatin1String("strip_path")).toBool(false);
    route.auth = authFromString(json.value(QLatin1String("auth")).toString());
    route.state = stateFromString(json.value(QLatin1String("state")).toString());
    route.sunset = QDate::fromString(json.value(QLatin1String("sunset")).toString(), Qt::ISODate);
    route.version = json.value(QLatin1String("version")).toString();
    const qint64 maxBody = json.value(QLatin1String("max_body_bytes")).toInteger(-1);
    if (maxBody >= 0)
        route.maxBodyBytes = maxBody;
    route.ipRules = IpRules::fromJson(json.value(QLatin1String("ip")).toObject());
    route.cors = CorsPolicy::fromJson(json.value(QLatin1String("cors")).toObject());

    if (route.state == State::Deprecated) {
        // RFC 9745: Deprecation is a structured-field Date ("@" + unix seconds), the
        // moment the route was (or will be) deprecated; Sunset (RFC 8594) an HTTP-date.
        route.deprecatedSince = deprecatedSince;
        route.extraHeaders.add("Deprecation", '@' + QByteArray::number(deprecatedSince));
        if (route.sunset.isValid())
            route.extraHeaders.add(
                "Sunset", httpDate(QDateTime(route.sunset, QTime(0, 0), QTimeZone::utc())));
    }
    return route;
}

} // namespace gh
