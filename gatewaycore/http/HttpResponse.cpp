#include "HttpResponse.h"

namespace gh {

HttpResponse HttpResponse::json(int status, const QJsonDocument &doc)
{
    return text(status, doc.toJson(QJsonDocument::Compact), "application/json");
}

HttpResponse HttpResponse::json(int status, const QJsonObject &obj)
{
    return json(status, QJsonDocument(obj));
}

HttpResponse HttpResponse::json(int status, const QJsonArray &arr)
{
    return json(status, QJsonDocument(arr));
}

HttpResponse HttpResponse::text(int status, QByteArray body, QByteArray contentType)
{
    HttpResponse response;
    response.status = status;
    response.headers.add("Content-Type", std::move(contentType));
    response.body = std::move(body);
    return response;
}

HttpResponse HttpResponse::error(int status, const QString &message, QByteArray code,
                                 QByteArray type)
{
    if (code.isEmpty())
        code = errorCodeForStatus(status);
    if (type.isEmpty())
        type = status >= 500 && status != 501 && status != 505 ? "server_error"
                                                               : "invalid_request_error";
    const QJsonObject error{{QStringLiteral("message"), message},
                            {QStringLiteral("type"), QString::fromLatin1(type)},
                            {QStringLiteral("code"), QString::fromLatin1(code)}};
    return json(status, QJsonObject{{QStringLiteral("error"), error}});
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 203:
        return "Non-Authoritative Information";
    case 204:
        return "No Content";
    case 205:
        return "Reset Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 416:
        return "Range Not Satisfiable";
    case 417:
        return "Expectation Failed";
    case 421:
        return "Misdirected Request";
    case 422:
        return "Unprocessable Content";
    case 426:
        return "Upgrade Required";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

QByteArray errorCodeForStatus(int status)
{
    switch (status) {
    case 400:
        return "bad_request";
    case 401:
        return "unauthorized";
    case 403:
        return "forbidden";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 408:
        return "request_timeout";
    case 409:
        return "conflict";
    case 410:
        return "gone";
    case 411:
        return "length_required";
    case 413:
        return "payload_too_large";
    case 414:
        return "uri_too_long";
    case 415:
        return "unsupported_media_type";
    case 417:
        return "expectation_failed";
    case 422:
        return "unprocessable_entity";
    case 429:
        return "rate_limit_exceeded";
    case 431:
        return "request_header_fields_too_large";
    case 500:
        return "internal_error";
    case 501:
        return "not_implemented";
    case 502:
        return "bad_gateway";
    case 503:
        return "service_unavailable";
    case 504:
        return "gateway_timeout";
    case 505:
        return "http_version_not_supported";
    default:
        return status >= 500 ? "server_error" : "error";
    }
}

} // namespace gh
