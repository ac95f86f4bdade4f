#include "CachePolicy.h"

#include <QList>

namespace gh {

namespace {

// delta-seconds (RFC 9111 §1.2.2), possibly quoted by lenient origins.
qint64 deltaSeconds(QByteArray value)
{
    value = value.trimmed();
    if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
        value = value.mid(1, value.size() - 2);
    bool ok = false;
    const qint64 seconds = value.toLongLong(&ok);
    return ok && seconds >= 0 ? seconds : 0;
}

} // namespace

CachePolicy::Directives CachePolicy::Directives::parse(const HttpHeaders &headers)
{
    Directives d;
    const QByteArray combined = headers.combinedValue("cache-control");
    if (combined.isEmpty())
        return d;
    const QList<QByteArray> parts = combined.split(',');
    for (const QByteArray &part : parts) {
        const qsizetype eq = part.indexOf('=');
        const QByteArray name = (eq < 0 ? part : part.left(eq)).trimmed().toLower();
        const QByteArray argument = eq < 0 ? QByteArray() : part.mid(eq + 1);
        // no-cache="field" and private="field" name fields only; Gatehouse treats them
        // like the bare directive, the safe reading for a cache that cannot strip fields.
        if (name == "no-store")
            d.noStore = true;
        else if (name == "no-cache")
            d.noCache = true;
        else if (name == "private")
            d.isPrivate = true;
        else if (name == "public")
            d.isPublic = true;
        else if (name == "max-age")
            d.maxAge = deltaSeconds(argument);
        else if (name == "s-maxage")
            d.sMaxAge = deltaSeconds(argument);
    }
    return d;
}

bool CachePolicy::isStorableStatus(int status)
{
    return status == 200 || status == 301 || status == 404;
}

bool CachePolicy::bypassesLookup(const HttpHeaders &request)
{
    const Directives d = Directives::parse(request);
    return d.noCache || d.noStore || request.hasToken("pragma", "no-cache");
}

bool CachePolicy::forbidsStore(const HttpHeaders &request)
{
    return Directives::parse(request).noStore;
}

bool CachePolicy::isAuthorized(const HttpHeaders &request)
{
    return request.contains("authorization");
}

bool CachePolicy::authorizedMayUse(const HttpHeaders &response)
{
    const Directives d = Directives::parse(response);
    return d.isPublic || d.sMaxAge.has_value();
}

qint64 CachePolicy::storableTtl(qint64 routeTtlS, int status, const HttpHeaders &request,
                                const HttpHeaders &response)
{
    if (routeTtlS <= 0 || !isStorableStatus(status) || forbidsStore(request))
        return 0;
    const Directives d = Directives::parse(response);
    if (d.noStore || d.isPrivate || d.noCache)
        return 0;
    if (response.hasToken("vary", "*") || response.contains("set-cookie"))
        return 0;
    if (isAuthorized(request) && !d.isPublic && !d.sMaxAge)
        return 0;
    qint64 ttl = routeTtlS;
    const std::optional<qint64> freshness = d.sMaxAge ? d.sMaxAge : d.maxAge;
    if (freshness) {
        const qint64 age = deltaSeconds(response.value("age"));
        ttl = qMin(ttl, *freshness - age);
    }
    return qMax<qint64>(ttl, 0);
}

} // namespace gh
