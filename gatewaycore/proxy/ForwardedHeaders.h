#pragma once

#include "http/HttpHeaders.h"

#include <QHostAddress>

namespace gh {

// The header rewriting of a reverse proxy (RFC 9110 §7.6): hop-by-hop fields never cross
// the gateway, the upstream learns who asked (X-Forwarded-*, Via), and the client learns
// nothing about the upstream's connection handling. Pure functions, used per request.
class ForwardedHeaders
{
public:
    // Request fields for the upstream. `clientHost` is the Host the client sent;
    // `dropHeader` (may be empty) names a credential the gateway consumed itself; `secure`:
    // the client came over TLS (X-Forwarded-Proto: https).
    static HttpHeaders forUpstream(const HttpHeaders &request, const QHostAddress &peer,
                                   const QByteArray &clientHost, const QByteArray &dropHeader,
                                   const QByteArray &requestId, bool secure = false);
    // Response fields for the client: hop-by-hop removed, Via added.
    static HttpHeaders forClient(const HttpHeaders &upstream);
    // Removes the fixed hop-by-hop fields and every field the Connection field names.
    static void removeHopByHop(HttpHeaders &headers);
    static QByteArray viaValue() { return QByteArrayLiteral("1.1 gatehouse"); }
};

} // namespace gh
