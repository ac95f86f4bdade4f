#pragma once

#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QByteArrayView>

namespace gh {

struct RequestRecord;

// SPEC §2: the one place that decides what never reaches the request log or an export:
// Authorization, Proxy-Authorization, x-api-key, api-key, x-goog-api-key, Cookie and
// Set-Cookie values; query (and form) parameters named key or ending in key, token,
// secret or password (key=, api_key=, access_token=); in bodies, the values of JSON
// members with such names, bearer tokens and strings shaped like API keys (gh-, sk-).
// Secrets are replaced by Mask, so a reader still sees that something was there.
namespace Redaction {

inline constexpr char Mask[] = "[REDACTED]";

bool isSecretHeader(QByteArrayView name);
bool isSecretParameter(QByteArrayView name);
// A request target or a query/form string: secret parameter values masked.
QByteArray target(const QByteArray &target);
QByteArray query(const QByteArray &query);
HttpHeaders headers(const HttpHeaders &headers);
// A captured (possibly truncated) body of any content type.
QByteArray body(const QByteArray &body);
// Everything of a record that may carry a secret: path, headers, bodies, error text.
void apply(RequestRecord &record);

} // namespace Redaction

} // namespace gh
