#pragma once

#include "HttpHeaders.h"

#include <QByteArray>

namespace gh {

// What UpstreamConnection::start() sends. The body itself is streamed afterwards with
// writeBody()/endBody().
struct UpstreamRequest
{
    enum class BodyMode {
        None,    // no body (POST/PUT/PATCH get "Content-Length: 0")
        Length,  // exactly contentLength bytes follow
        Chunked, // streamed with Transfer-Encoding: chunked, length unknown
    };

    QByteArray method = "GET";
    QByteArray target = "/"; // origin-form: path and query
    // End-to-end fields, already filtered by the caller (no hop-by-hop fields, no
    // Expect). Host is added from the origin when missing; Content-Length,
    // Transfer-Encoding and Connection are always ours.
    HttpHeaders headers;
    BodyMode bodyMode = BodyMode::None;
    qint64 contentLength = 0;     // with BodyMode::Length
    bool keepAlive = true;        // false: "Connection: close", never pooled afterwards
    int connectTimeoutMs = 10000; // TCP connect + TLS handshake
    int readTimeoutMs = 60000;    // longest silence while the upstream owes us progress
};

} // namespace gh
