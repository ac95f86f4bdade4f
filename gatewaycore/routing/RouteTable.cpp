#include "RouteTable.h"

#include <QDateTime>

#include <algorithm>

namespace gh {

namespace {

bool prefixMatches(const QByteArray &prefix, const QByteArray &path)
{
    if (prefix.size() == 1) // "/" matches every origin-form path
        return path.startsWith('/');
    return path.startsWith(prefix) &&
           (path.size() == prefix.size() || path.at(prefix.size()) == '/');
}

// Splits a lower-cased host[:port] into the name ("[::1]" keeps its brackets).
QByteArrayView hostName(QByteArrayView host)
{
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        return close < 0 ? host : host.first(close + 1);
    }
    const qsizetype colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.first(colon);
}

// "/billing/x" -> "billing"; "/" -> "".
QByteArrayView firstSegment(QByteArrayView path)
{
    const QByteArrayView rest = path.sliced(1);
    const qsizetype slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.first(slash);
}

bool hasPort(const QByteArray &pattern)
{
    return hostName(pattern).size() != pattern.size();
}

} // namespace

RouteTable RouteTable::build(const QJsonArray &routes, const ServiceLookup &serviceIndex,
                             const DeprecationClock &deprecatedSince)
{
    RouteTable table;
    table.m_routes.reserve(routes.size());
    for (const QJsonValue &value : routes) {
        const QJsonObject json = value.toObject();
        const QString name = json.value(QLatin1String("name")).toString();
        const QString service = json.value(QLatin1String("service")).toString();
        const int index = serviceIndex ? serviceIndex(service) : -1;
        if (index < 0) {
            qWarning("Routing: route \"%s\" refers to unknown service \"%s\"; skipped",
                     qUtf8Printable(name), qUtf8Printable(service));
            continue;
        }
        const qint64 since =
            deprecatedSince ? deprecatedSince(name) : QDateTime::currentSecsSinceEpoch();
        table.m_routes.push_back(CompiledRoute::compile(json, index, since));
        table.m_routes.back().index = int(table.m_routes.size() - 1);
    }

    // m_routes no longer changes size, so entries may point into it.
    for (const CompiledRoute &route : table.m_routes) {
        if (route.state == CompiledRoute::State::Draft)
            continue;
        for (const QByteArray &prefix : route.paths) {
            const int segments = prefix == "/" ? 0 : int(prefix.count('/'));
            if (route.hosts.isEmpty())
                table.m_anyHost.add({prefix, &route, segments});
            for (const QString &host : route.hosts)
                table.bucketFor(host).add({prefix, &route, segments});
        }
    }

    std::sort(table.m_exactHosts.begin(), table.m_exactHosts.end(),
              [](const Bucket &a, const Bucket &b) {
                  return QByteArrayView(a.key) < QByteArrayView(b.key);
              });
    std::stable_sort(table.m_wildcardHosts.begin(), table.m_wildcardHosts.end(),
                     [](const Bucket &a, const Bucket &b) { return a.key.size() > b.key.size(); });
    for (Bucket &bucket : table.m_exactHosts)
        bucket.finish();
    for (Bucket &bucket : table.m_wildcardHosts)
        bucket.finish();
    table.m_anyHost.finish();
    return table;
}

RouteTable::Bucket &RouteTable::bucketFor(const QString &pattern)
{
    const bool wildcard = pattern.startsWith(QLatin1String("*."));
    const QByteArray key = (wildcard ? pattern.mid(1) : pattern).toUtf8();
    std::vector<Bucket> &buckets = wildcard ? m_wildcardHosts : m_exactHosts;
    for (Bucket &bucket : buckets) {
        if (bucket.key == key)
            return bucket;
    }
    Bucket created;
    created.key = key;
    created.withPort = hasPort(key);
    buckets.push_back(std::move(created));
    return buckets.back();
}

void RouteTable::Bucket::add(const Entry &entry)
{
    if (entry.segments == 0) {
        rootEntries.push_back(entry);
        return;
    }
    const QByteArrayView first = firstSegment(entry.prefix);
    for (Group &group : groups) {
        if (QByteArrayView(group.firstSegment) == first) {
            group.entries.push_back(entry);
            return;
        }
    }
    groups.push_back({first.toByteArray(), {entry}});
}

void RouteTable::Bucket::finish()
{
    // Longest prefix first; for equal prefixes, routes naming methods before method-less
    // ones; then config order (entries were added in route order, the sort is stable).
    const auto order = [](const Entry &a, const Entry &b) {
        if (a.prefix.size() != b.prefix.size())
            return a.prefix.size() > b.prefix.size();
        return !a.route->methods.isEmpty() && b.route->methods.isEmpty();
    };
    for (Group &group : groups)
        std::stable_sort(group.entries.begin(), group.entries.end(), order);
    std::stable_sort(rootEntries.begin(), rootEntries.end(), order);
    std::sort(groups.begin(), groups.end(), [](const Group &a, const Group &b) {
        return QByteArrayView(a.firstSegment) < QByteArrayView(b.firstSegment);
    });
}

const RouteTable::Entry *RouteTable::scanEntries(const std::vector<Entry> &entries,
                                                 quint8 acceptedBits, const QByteArray &path,
                                                 MethodSet &otherMethods)
{
    for (const Entry &entry : entries) {
        if (entry.prefix.size() > path.size() || !prefixMatches(entry.prefix, path))
            continue;
        const MethodSet methods = entry.route->methods;
        if (methods.isEmpty() || methods.intersects(acceptedBits))
            return &entry;
        otherMethods |= methods;
    }
    return nullptr;
}

const RouteTable::Entry *RouteTable::scan(const Bucket &bucket, quint8 acceptedBits,
                                          const QByteArray &path, MethodSet &otherMethods)
{
    // Every prefix longer than "/" that matches path starts with path's first segment.
    if (path.startsWith('/') && !bucket.groups.empty()) {
        const QByteArrayView first = firstSegment(path);
        const auto it = std::lower_bound(bucket.groups.begin(), bucket.groups.end(), first,
                                         [](const Group &group, QByteArrayView segment) {
                                             return QByteArrayView(group.firstSegment) < segment;
                                         });
        if (it != bucket.groups.end() && QByteArrayView(it->firstSegment) == first) {
            if (const Entry *entry = scanEntries(it->entries, acceptedBits, path, otherMethods))
                return entry;
        }
    }
    return scanEntries(bucket.rootEntries, acceptedBits, path, otherMethods);
}

RouteMatch RouteTable::match(QByteArrayView method, QByteArrayView host,
                             const QByteArray &path) const
{
    const quint8 accepted = MethodSet::acceptedBits(MethodSet::bitFor(method));
    MethodSet otherMethods;
    const Entry *found = nullptr;

    // Lower-case the Host into a stack buffer: no allocation. Longer than any DNS name:
    // only host-less routes can match.
    char buffer[256];
    QByteArrayView full;
    QByteArrayView name;
    if (!host.isEmpty() && host.size() < qsizetype(sizeof buffer)) {
        for (qsizetype i = 0; i < host.size(); ++i) {
            const char c = host[i];
            buffer[i] = (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
        }
        full = QByteArrayView(buffer, host.size());
        name = hostName(full);
        if (name.endsWith('.'))
            name.chop(1); // "example.com." is "example.com"
    }
    const bool requestHasPort = name.size() != full.size();

    if (!name.isEmpty()) {
        const auto findExact = [this](QByteArrayView key) -> const Bucket * {
            const auto it = std::lower_bound(m_exactHosts.begin(), m_exactHosts.end(), key,
                                             [](const Bucket &bucket, QByteArrayView k) {
                                                 return QByteArrayView(bucket.key) < k;
                                             });
            return it != m_exactHosts.end() && QByteArrayView(it->key) == key ? &*it : nullptr;
        };
        if (requestHasPort) {
            if (const Bucket *bucket = findExact(full))
                found = scan(*bucket, accepted, path, otherMethods);
        }
        if (!found) {
            if (const Bucket *bucket = findExact(name))
                found = scan(*bucket, accepted, path, otherMethods);
        }
        for (auto it = m_wildcardHosts.begin(); !found && it != m_wildcardHosts.end(); ++it) {
            if (it->withPort && !requestHasPort)
                continue;
            const QByteArrayView candidate = it->withPort ? full : name;
            if (candidate.size() > it->key.size() && candidate.endsWith(it->key))
                found = scan(*it, accepted, path, otherMethods);
        }
    }
    if (!found)
        found = scan(m_anyHost, accepted, path, otherMethods);

    RouteMatch result;
    if (!found) {
        if (!otherMethods.isEmpty()) {
            result.outcome = RouteMatch::Outcome::MethodNotAllowed;
            result.allowedMethods = otherMethods;
        }
        return result;
    }
    result.route = found->route;
    if (found->route->state == CompiledRoute::State::Retired) {
        result.outcome = RouteMatch::Outcome::Gone;
        return result;
    }
    result.outcome = RouteMatch::Outcome::Matched;
    if (found->route->stripPath && found->segments > 0) {
        result.strippedSegments = found->segments;
        result.upstreamPath = path.size() == found->prefix.size()
                                  ? QByteArrayLiteral("/")
                                  : path.sliced(found->prefix.size());
    } else {
        result.upstreamPath = path;
    }
    return result;
}

const CompiledRoute *RouteTable::find(const QString &name) const
{
    for (const CompiledRoute &route : m_routes) {
        if (route.name == name)
            return &route;
    }
    return nullptr;
}

} // namespace gh
