#pragma once

#include "http/HttpHeaders.h"
#include "http/HttpResponse.h"

#include <QByteArray>
#include <QString>

namespace gh {

class JwtVerifier;

// The HTTP side of `auth: jwt` on a route: takes the token from Authorization: Bearer,
// has the route's JwtVerifier check it, and builds the RFC 6750 answers. The 401s carry
// WWW-Authenticate: Bearer realm="gatehouse" (plus error="invalid_token" and an
// error_description when a token was presented) and an OpenAI-style error body.
class JwtAuthenticator
{
public:
    struct Outcome
    {
        bool ok = false;
        QString subject;             // the token's "sub" (the consumer for route ACLs)
        QByteArray credentialHeader; // "authorization" unless jwt.forward_token
        HttpResponse response;       // the 401 / 500 to send when !ok
    };

    // verifier null or unusable: 500 (a config problem; the gateway log names it).
    static Outcome authenticate(const JwtVerifier *verifier, const QString &routeName,
                                const HttpHeaders &headers, qint64 nowSecs);
    // 403 for a valid token whose subject the route's `consumers` does not list.
    static HttpResponse forbidden(const QString &subject, const QString &routeName);

    // `Bearer realm="gatehouse"[, error="invalid_token", error_description="…"]`; the
    // description is reduced to the characters RFC 6750 §3 allows.
    static QByteArray challenge(const QString &description = {});
};

} // namespace gh
