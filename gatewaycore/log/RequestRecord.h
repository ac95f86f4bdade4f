#pragma once

#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <optional>

namespace gh {

// One row of the request log (SPEC §6), as a worker fills it while serving the request.
// Plain data: moved into the worker's RequestLogBuffer when the exchange ends, then
// redacted (Redaction::apply) and written by the RequestLogWriter thread. Empty strings
// and nullopt are stored as NULL.
struct RequestRecord
{
    qint64 id = 0;   // set when read back from the database
    qint64 tsMs = 0; // wall clock (UTC ms) when the request head was complete
    QByteArray requestId;
    QString consumer;
    QString route;
    QString promptApi;
    QString provider;
    QString model; // the upstream model of an AI call (the requested one before an attempt)
    QByteArray method;
    QByteArray path;      // request target (path + query) as received; redacted before storage
    int status = 0;       // 499: the client went away before the response was complete
    double latencyMs = 0; // head complete → response end
    std::optional<double> upstreamMs; // upstream attempts: sent → answered or failed
    std::optional<double> ttfbMs;     // head complete → response head written
    std::optional<qint64> tokensIn;
    std::optional<qint64> tokensOut;
    std::optional<double> costUsd;
    QByteArray cache;    // "HIT", "MISS" or empty
    qint64 bytesIn = 0;  // request body bytes received
    qint64 bytesOut = 0; // response body bytes sent
    QString error;
    // settings.log_bodies: headers and the first bytes of each body (capped by the worker).
    HttpHeaders requestHeaders;
    HttpHeaders responseHeaders;
    QByteArray requestBody;
    QByteArray responseBody;
    bool bodiesTruncated = false;
};

} // namespace gh

Q_DECLARE_METATYPE(gh::RequestRecord)
