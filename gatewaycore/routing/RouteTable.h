#pragma once

#include "CompiledRoute.h"
#include "RouteMatch.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QJsonArray>

#include <functional>
#include <vector>

namespace gh {

// The routes of one config snapshot, compiled for matching (SPEC §3 routes).
//
// Precedence: exact host ("host:port" before "host") > wildcard host ("*.example.com",
// one or more labels, never the apex; longer suffix first) > any host; within that,
// the longest path prefix (segment-aware: "/billing" matches "/billing", "/billing/"
// and "/billing/x", never "/billingx"); then routes naming methods before method-less
// ones; then config order. Only a route whose methods contain the request's method
// matches (HEAD also matches GET routes); when host and path matched only routes for
// other methods, the outcome is MethodNotAllowed with the union of their methods.
// Draft routes are invisible; retired ones answer Gone.
//
// Layout: one bucket per exact host (sorted, binary search), one per wildcard suffix,
// one for any host. In a bucket, (prefix, route) entries are grouped by the prefix's
// first segment (sorted, binary search), each group sorted by prefix length descending,
// with the "/" entries last: a request looks up its path's first segment and takes the
// first entry that matches, so the cost depends on how many routes share that first
// segment, not on the size of the table, and nothing is allocated.
class RouteTable
{
public:
    // Maps a route's service name to its index, -1 if the service does not exist.
    using ServiceLookup = std::function<int(const QString &serviceName)>;
    // When a deprecated route was deprecated (unix seconds), for its Deprecation header.
    using DeprecationClock = std::function<qint64(const QString &routeName)>;

    RouteTable() = default;
    RouteTable(RouteTable &&) noexcept = default;
    RouteTable &operator=(RouteTable &&) noexcept = default;
    RouteTable(const RouteTable &) = delete; // entries point into m_routes
    RouteTable &operator=(const RouteTable &) = delete;

    // From the normalized `routes` array. A route whose service does not exist (it
    // can't after validation) is skipped with a warning.
    static RouteTable build(const QJsonArray &routes, const ServiceLookup &serviceIndex,
                            const DeprecationClock &deprecatedSince = {});

    // method as sent ("GET"), host the Host header value (port, case and a trailing dot
    // don't matter), path the decoded path without query. Thread-safe (const); no
    // allocation unless strip_path produces a new path.
    RouteMatch match(QByteArrayView method, QByteArrayView host, const QByteArray &path) const;

    // Every compiled route in config order (drafts included, skipped ones not).
    const std::vector<CompiledRoute> &routes() const { return m_routes; }
    const CompiledRoute *find(const QString &name) const;

private:
    struct Entry
    {
        QByteArray prefix;
        const CompiledRoute *route = nullptr;
        int segments = 0; // "/" -> 0, "/a" -> 1, "/a/b" -> 2
    };
    // Entries whose prefixes share their first segment ("billing" for "/billing/x").
    struct Group
    {
        QByteArray firstSegment;
        std::vector<Entry> entries;
    };
    struct Bucket
    {
        QByteArray key; // exact host, or wildcard suffix ".example.com"
        bool withPort = false;
        std::vector<Group> groups;      // sorted by firstSegment
        std::vector<Entry> rootEntries; // prefix "/"

        void add(const Entry &entry);
        void finish();
    };

    Bucket &bucketFor(const QString &pattern);
    // The first entry of bucket accepting the request; collects the methods of
    // path-matching entries that don't accept it.
    static const Entry *scan(const Bucket &bucket, quint8 acceptedBits, const QByteArray &path,
                             MethodSet &otherMethods);
    static const Entry *scanEntries(const std::vector<Entry> &entries, quint8 acceptedBits,
                                    const QByteArray &path, MethodSet &otherMethods);

    std::vector<CompiledRoute> m_routes;
    std::vector<Bucket> m_exactHosts;    // sorted by key
    std::vector<Bucket> m_wildcardHosts; // longest suffix first
    Bucket m_anyHost;
};

} // namespace gh
