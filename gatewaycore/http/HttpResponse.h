#pragma once

#include "HttpHeaders.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace gh {

// A whole response as a handler returns it. The server adds Content-Length, Connection,
// Date and Server itself; a handler's own Content-Length/Transfer-Encoding are ignored.
// A handler may set "Connection: close" to have the connection closed afterwards.
struct HttpResponse
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;

    static HttpResponse json(int status,
                             const QJsonDocument &doc); // Content-Type: application/json
    static HttpResponse json(int status, const QJsonObject &obj);
    static HttpResponse json(int status, const QJsonArray &arr);
    static HttpResponse text(int status, QByteArray body,
                             QByteArray contentType = "text/plain; charset=utf-8");
    // OpenAI-style error body {"error":{"message","type","code"}}. An empty code or type
    // is derived from the status ("bad_request", "invalid_request_error"/"server_error").
    static HttpResponse error(int status, const QString &message, QByteArray code = {},
                              QByteArray type = {});
};

// "OK", "Not Found", ...; "Unknown" for codes without a registered phrase.
QByteArray reasonPhrase(int status);
// Snake-case error code for a status: "bad_request", "payload_too_large", ...
QByteArray errorCodeForStatus(int status);

} // namespace gh
