#pragma once

#include "http/HttpHeaders.h"

#include <QtGlobal>

#include <optional>

namespace gh {

// What a route cache may do with a request and its response (RFC 9111 for a shared
// cache, narrowed to what Gatehouse supports): when a request skips the lookup, whether
// an upstream response may be stored, and for how long. Pure logic, no state.
class CachePolicy
{
public:
    // The Cache-Control directives Gatehouse acts on (RFC 9111 §5.2). Unknown ones are
    // ignored, as the RFC asks.
    struct Directives
    {
        bool noStore = false;
        bool noCache = false;
        bool isPrivate = false;
        bool isPublic = false;
        std::optional<qint64> maxAge;
        std::optional<qint64> sMaxAge;

        // Every Cache-Control field of headers, combined; a malformed delta-seconds value
        // counts as 0 (RFC 9111 §1.2.2: treat invalid ages as stale).
        static Directives parse(const HttpHeaders &headers);
    };

    // Response statuses stored: 200, and 301 and 404, which RFC 9110 §15.1 calls
    // heuristically cacheable and whose answers do not depend on who asks.
    static bool isStorableStatus(int status);
    // Request Cache-Control: no-cache / no-store (or Pragma: no-cache) asks for a fresh
    // answer: the lookup is skipped.
    static bool bypassesLookup(const HttpHeaders &request);
    // Request Cache-Control: no-store: the answer must not be kept either.
    static bool forbidsStore(const HttpHeaders &request);
    // A request carrying Authorization may be answered from the shared cache (and its
    // response stored) only when the stored response says public or s-maxage (RFC 9111 §3.5).
    static bool isAuthorized(const HttpHeaders &request);
    static bool authorizedMayUse(const HttpHeaders &response);
    // Seconds a response may be served from the cache, 0 when it must not be stored:
    // routeTtlS capped by s-maxage (wins) or max-age minus the upstream's Age; never for
    // no-store, private, no-cache (would need revalidation, which Gatehouse does not do),
    // Vary: *, Set-Cookie, or an authorized request without public/s-maxage.
    static qint64 storableTtl(qint64 routeTtlS, int status, const HttpHeaders &request,
                              const HttpHeaders &response);
};

} // namespace gh
