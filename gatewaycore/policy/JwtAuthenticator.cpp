#include "JwtAuthenticator.h"

#include "JwtVerifier.h"

namespace gh {

QByteArray JwtAuthenticator::challenge(const QString &description)
{
    QByteArray value = "Bearer realm=\"gatehouse\"";
    if (description.isEmpty())
        return value; // RFC 6750 §3.1: no error code when no credentials were sent
    // error_description = 1*( %x20-21 / %x23-5B / %x5D-7E ): no quote, no backslash.
    QByteArray text = description.toUtf8();
    for (char &c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7e || c == '"' || c == '\\')
            c = '\'';
    }
    return value + ", error=\"invalid_token\", error_description=\"" + text + '"';
}

JwtAuthenticator::Outcome JwtAuthenticator::authenticate(const JwtVerifier *verifier,
                                                         const QString &routeName,
                                                         const HttpHeaders &headers, qint64 nowSecs)
{
    Outcome outcome;
    if (!verifier || !verifier->isUsable()) {
        // Fail closed, without telling the caller which reference or file is wrong.
        outcome.response = HttpResponse::error(
            500,
            QStringLiteral("route %1 cannot check tokens: its JWT keys are not available (the "
                           "gateway log says why)")
                .arg(routeName),
            "jwt_keys_unavailable", "server_error");
        return outcome;
    }

    const QByteArray authorization = headers.value("authorization");
    const bool bearer = authorization.size() > 7 &&
                        authorization.first(7).compare("bearer ", Qt::CaseInsensitive) == 0;
    const QByteArray token = bearer ? authorization.mid(7).trimmed() : QByteArray();
    if (token.isEmpty()) {
        outcome.response = HttpResponse::error(
            401,
            QStringLiteral("route %1 needs a JWT: send Authorization: Bearer <token>")
                .arg(routeName),
            "missing_token", "authentication_error");
        outcome.response.headers.set("WWW-Authenticate", challenge());
        return outcome;
    }
    // Two Authorization fields: which one would an upstream believe? Refuse to guess.
    if (headers.count("authorization") > 1) {
        const QString message = QStringLiteral("send exactly one Authorization header");
        outcome.response =
            HttpResponse::error(401, message, "invalid_token", "authentication_error");
        outcome.response.headers.set("WWW-Authenticate", challenge(message));
        return outcome;
    }

    const JwtVerifier::Result result = verifier->verify(token, nowSecs);
    if (!result.ok()) {
        outcome.response =
            HttpResponse::error(401, QStringLiteral("invalid token: %1").arg(result.message),
                                "invalid_token", "authentication_error");
        outcome.response.headers.set("WWW-Authenticate", challenge(result.message));
        return outcome;
    }
    outcome.ok = true;
    outcome.subject = result.subject;
    if (!verifier->forwardToken())
        outcome.credentialHeader = QByteArrayLiteral("authorization");
    return outcome;
}

HttpResponse JwtAuthenticator::forbidden(const QString &subject, const QString &routeName)
{
    const QString message =
        subject.isEmpty()
            ? QStringLiteral("route %1 only admits listed consumers; the token has no sub")
                  .arg(routeName)
            : QStringLiteral("consumer %1 may not call route %2").arg(subject, routeName);
    return HttpResponse::error(403, message, "forbidden", "permission_error");
}

} // namespace gh
