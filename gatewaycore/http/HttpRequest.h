#pragma once

#include "HttpHeaders.h"

#include <QByteArray>
#include <QHostAddress>
#include <QUrlQuery>

namespace gh {

// One parsed HTTP/1.x request with its whole body (see HttpRequestParser).
struct HttpRequest
{
    QByteArray method; // "GET"
    QByteArray target; // raw request-target "/a/b?x=1"
    // Percent-decoded path "/a/b". "%2F" and "%25" stay encoded (as "%2F", "%25") so a
    // decoded "/" always separates segments and the result can be split unambiguously.
    QByteArray path;
    QByteArray query;     // "x=1" (raw, not decoded)
    int versionMinor = 1; // HTTP/1.x
    HttpHeaders headers;
    HttpHeaders trailers; // chunked trailer fields, kept apart so they never override headers
    QByteArray body;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    bool secure = false; // arrived over TLS

    QUrlQuery queryItems() const;
};

} // namespace gh
