#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

typedef struct evp_pkey_st EVP_PKEY;

namespace gh {

class SecretResolver;

// One route's JWT check: a compact JWS (RFC 7515) carrying JWT claims (RFC 7519), signed
// with HS256/384/512, RS256 or ES256 (RFC 7518). Keys are parsed once, when the config
// snapshot is built; verify() is const and only reads them (OpenSSL 3 allows sharing an
// EVP_PKEY across threads for verification), so every worker uses the same verifier.
//
// Algorithm confusion is impossible by construction: HS* tokens are checked only with the
// HMAC secret, RS256 only with an RSA key, ES256 only with a P-256 key, and the route's
// algorithms must be ones its keys can verify. "none" is never accepted.
class JwtVerifier
{
public:
    enum class Algorithm { HS256, HS384, HS512, RS256, ES256 };

    enum class Failure {
        None,
        Malformed,   // segments, base64url, JSON, size, claim types, crit
        Algorithm,   // none, unknown, or not allowed on this route
        Signature,   // missing or wrong
        Expired,     // exp (+ leeway) passed
        NotYetValid, // nbf (- leeway) not reached
        Issuer,      // iss missing or different
        Audience,    // aud missing or none of the configured ones
        Unavailable, // the route's keys could not be set up (config problem, not the caller)
    };

    struct Options
    {
        QStringList algorithms;  // JWA names; empty = every algorithm the keys can verify
        QByteArray secret;       // HMAC key bytes; empty = no HS*
        QByteArray publicKeyPem; // SubjectPublicKeyInfo or X.509 certificate; empty = none
        QString issuer;          // empty = iss not checked
        QStringList audiences;   // empty = aud not checked; else aud must hold one of them
        qint64 leewaySeconds = DefaultLeewaySeconds;
        bool forwardToken = false; // jwt.forward_token: pass Authorization upstream
    };

    struct Result
    {
        Failure failure = Failure::None;
        QString message; // why, for error_description; never quotes the token
        QJsonObject claims;
        QString subject; // "sub", empty when absent

        bool ok() const { return failure == Failure::None; }
    };

    static constexpr qsizetype MaxTokenBytes = 8 * 1024;
    static constexpr qint64 DefaultLeewaySeconds = 60;

    // Unusable (setupError() says why) until built by create() or fromRouteJson().
    JwtVerifier();
    ~JwtVerifier();
    JwtVerifier(const JwtVerifier &);
    JwtVerifier &operator=(const JwtVerifier &);

    static JwtVerifier create(const Options &options);
    // From a normalized routes[].jwt object; secret and public_key references are resolved
    // here (may block on the keychain: only where snapshots are built).
    static JwtVerifier fromRouteJson(const QJsonObject &jwt, const SecretResolver &resolver);

    bool isUsable() const { return m_setupError.isEmpty(); }
    QString setupError() const { return m_setupError; }
    QList<Algorithm> algorithms() const { return m_algorithms; }
    QStringList algorithmNames() const;
    bool forwardToken() const { return m_forwardToken; }

    // nowSecs: Unix time. Thread-safe.
    Result verify(QByteArrayView token, qint64 nowSecs) const;

    static QString algorithmName(Algorithm algorithm);
    // Exact JWA spelling only ("hs256" is not HS256).
    static std::optional<Algorithm> algorithmFromName(QByteArrayView name);
    // RFC 7515 §2 base64url without padding, strictly: only [A-Za-z0-9_-], no "=", no
    // impossible length, unused trailing bits zero. nullopt otherwise.
    static std::optional<QByteArray> decodeBase64Url(QByteArrayView text);

private:
    bool verifySignature(Algorithm algorithm, QByteArrayView signingInput,
                         const QByteArray &signature) const;

    QList<Algorithm> m_algorithms;
    QByteArray m_secret;
    std::shared_ptr<EVP_PKEY> m_publicKey; // read-only after create()
    QString m_issuer;
    QStringList m_audiences;
    qint64 m_leewaySeconds = DefaultLeewaySeconds;
    bool m_forwardToken = false;
    QString m_setupError;
};

} // namespace gh
