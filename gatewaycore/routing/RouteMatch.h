#pragma once

#include "MethodSet.h"
#include "http/HttpHeaders.h"

#include <QByteArray>

namespace gh {

struct CompiledRoute;

// What RouteTable::match() found for one request.
struct RouteMatch
{
    enum class Outcome {
        Matched,          // proxy to route->serviceIndex
        NotFound,         // 404 (also draft routes)
        Gone,             // 410: the route is retired
        MethodNotAllowed, // 405 with Allow: allowHeader()
    };

    Outcome outcome = Outcome::NotFound;
    const CompiledRoute *route = nullptr; // Matched and Gone
    // Matched: the path to send upstream after strip_path (ServiceTarget::upstreamPath()
    // adds the target's base path; the caller appends "?" + query).
    QByteArray upstreamPath;
    // How many leading segments strip_path removed, to strip the same from a raw
    // (still percent-encoded) path with stripSegments().
    int strippedSegments = 0;
    MethodSet allowedMethods; // MethodNotAllowed: the union of the matching routes'

    bool isMatched() const { return outcome == Outcome::Matched; }
    // Deprecation/Sunset for a deprecated route, else empty. Shared, never copied.
    const HttpHeaders &extraHeaders() const;
    QByteArray allowHeader() const { return allowedMethods.toAllowHeader(); }
    // 0 for Matched, else the status to answer with.
    int errorStatus() const;

    // "/billing/x/y" minus 1 segment -> "/x/y"; everything -> "/".
    static QByteArray stripSegments(const QByteArray &path, int segments);
};

} // namespace gh
