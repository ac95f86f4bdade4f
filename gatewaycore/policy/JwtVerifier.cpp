#include "JwtVerifier.h"

#include "secrets/SecretResolver.h"
#include "secrets/SecretResult.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>

namespace gh {

namespace {

const QList<JwtVerifier::Algorithm> kHmacAlgorithms{
    JwtVerifier::Algorithm::HS256, JwtVerifier::Algorithm::HS384, JwtVerifier::Algorithm::HS512};

bool isHmac(JwtVerifier::Algorithm algorithm)
{
    return kHmacAlgorithms.contains(algorithm);
}

const EVP_MD *digestFor(JwtVerifier::Algorithm algorithm)
{
    switch (algorithm) {
    case JwtVerifier::Algorithm::HS384:
        return EVP_sha384();
    case JwtVerifier::Algorithm::HS512:
        return EVP_sha512();
    case JwtVerifier::Algorithm::HS256:
    case JwtVerifier::Algorithm::RS256:
    case JwtVerifier::Algorithm::ES256:
        break;
    }
    return EVP_sha256();
}

// RFC 7518 §3.2: an HMAC key at least as long as the hash output MUST be used.
qsizetype minimumSecretBytes(JwtVerifier::Algorithm algorithm)
{
    return EVP_MD_get_size(digestFor(algorithm));
}

struct BioDeleter
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct MdCtxDeleter
{
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};
struct EcdsaSigDeleter
{
    void operator()(ECDSA_SIG *sig) const { ECDSA_SIG_free(sig); }
};

std::unique_ptr<BIO, BioDeleter> memoryBio(const QByteArray &bytes)
{
    return std::unique_ptr<BIO, BioDeleter>(BIO_new_mem_buf(bytes.constData(), int(bytes.size())));
}

// A PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or the key of a PEM "CERTIFICATE".
std::shared_ptr<EVP_PKEY> parsePublicKey(const QByteArray &pem)
{
    EVP_PKEY *key = nullptr;
    if (auto bio = memoryBio(pem))
        key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (!key) {
        if (auto bio = memoryBio(pem)) {
            if (X509 *certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
                key = X509_get_pubkey(certificate); // its own reference
                X509_free(certificate);
            }
        }
    }
    ERR_clear_error(); // the failed attempt leaves errors in this thread's queue
    if (!key)
        return {};
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

bool isP256(EVP_PKEY *key)
{
    std::array<char, 64> group{};
    size_t length = 0;
    if (EVP_PKEY_get_group_name(key, group.data(), group.size(), &length) != 1)
        return false;
    const int nid = OBJ_sn2nid(group.data());
    return nid == NID_X9_62_prime256v1 || EC_curve_nist2nid(group.data()) == NID_X9_62_prime256v1;
}

JwtVerifier::Result failure(JwtVerifier::Failure kind, const QString &message)
{
    JwtVerifier::Result result;
    result.failure = kind;
    result.message = message;
    return result;
}

std::optional<QJsonObject> decodeJsonObject(QByteArrayView segment)
{
    const std::optional<QByteArray> bytes = JwtVerifier::decodeBase64Url(segment);
    if (!bytes)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace

JwtVerifier::JwtVerifier()
    : m_setupError(QStringLiteral("no JWT keys configured"))
{}

JwtVerifier::~JwtVerifier() = default;
JwtVerifier::JwtVerifier(const JwtVerifier &) = default;
JwtVerifier &JwtVerifier::operator=(const JwtVerifier &) = default;

QString JwtVerifier::algorithmName(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::HS256:
        return QStringLiteral("HS256");
    case Algorithm::HS384:
        return QStringLiteral("HS384");
    case Algorithm::HS512:
        return QStringLiteral("HS512");
    case Algorithm::RS256:
        return QStringLiteral("RS256");
    case Algorithm::ES256:
        return QStringLiteral("ES256");
    }
    return {};
}

std::optional<JwtVerifier::Algorithm> JwtVerifier::algorithmFromName(QByteArrayView name)
{
    for (Algorithm algorithm : {Algorithm::HS256, Algorithm::HS384, Algorithm::HS512,
                                Algorithm::RS256, Algorithm::ES256}) {
        if (name == algorithmName(algorithm).toLatin1())
            return algorithm;
    }
    return std::nullopt;
}

QStringList JwtVerifier::algorithmNames() const
{
    QStringList names;
    for (Algorithm algorithm : m_algorithms)
        names.append(algorithmName(algorithm));
    return names;
}

std::optional<QByteArray> JwtVerifier::decodeBase64Url(QByteArrayView text)
{
    // Our own decoder: Qt's is lenient (padding, skipped characters), and a JWS segment has
    // exactly one valid spelling.
    if (text.size() % 4 == 1)
        return std::nullopt;
    QByteArray out;
    out.reserve(text.size() * 3 / 4);
    quint32 buffer = 0;
    int bits = 0;
    for (char c : text) {
        int value;
        if (c >= 'A' && c <= 'Z')
            value = c - 'A';
        else if (c >= 'a' && c <= 'z')
            value = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            value = c - '0' + 52;
        else if (c == '-')
            value = 62;
        else if (c == '_')
            value = 63;
        else
            return std::nullopt;
        buffer = (buffer << 6) | quint32(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(char((buffer >> bits) & 0xff));
        }
    }
    if ((buffer & ((1u << bits) - 1)) != 0)
        return std::nullopt; // unused trailing bits set: not the canonical encoding
    return out;
}

JwtVerifier JwtVerifier::create(const Options &options)
{
    JwtVerifier verifier;
    verifier.m_setupError.clear();
    verifier.m_issuer = options.issuer;
    verifier.m_audiences = options.audiences;
    verifier.m_leewaySeconds = qMax<qint64>(0, options.leewaySeconds);
    verifier.m_forwardToken = options.forwardToken;
    const auto fail = [&verifier](const QString &message) {
        verifier.m_setupError = message;
        verifier.m_algorithms.clear();
        verifier.m_secret.clear();
        verifier.m_publicKey.reset();
        return verifier;
    };

    // Which algorithms the keys can verify at all: the key's type decides, never the token.
    QList<Algorithm> possible;
    if (!options.secret.isEmpty()) {
        // A public key as the HMAC secret is the classic confusion setup: refuse it outright.
        if (options.secret.trimmed().startsWith("-----BEGIN"))
            return fail(QStringLiteral("jwt.secret is a PEM key; an HMAC secret must be a "
                                       "random byte string (put public keys in jwt.public_key)"));
        if (options.secret.size() < minimumSecretBytes(Algorithm::HS256))
            return fail(QStringLiteral("jwt.secret has %1 bytes; HS256 needs at least 32 (RFC "
                                       "7518 §3.2)")
                            .arg(options.secret.size()));
        verifier.m_secret = options.secret;
        for (Algorithm algorithm : kHmacAlgorithms) {
            if (options.secret.size() >= minimumSecretBytes(algorithm))
                possible.append(algorithm);
        }
    }
    QString keyKind;
    if (!options.publicKeyPem.isEmpty()) {
        verifier.m_publicKey = parsePublicKey(options.publicKeyPem);
        EVP_PKEY *key = verifier.m_publicKey.get();
        if (!key)
            return fail(QStringLiteral(
                "jwt.public_key holds no PEM public key (BEGIN PUBLIC KEY) or certificate"));
        if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
            // RFC 7518 §3.3: 2048 bits or larger MUST be used.
            if (EVP_PKEY_get_bits(key) < 2048)
                return fail(QStringLiteral("jwt.public_key is a %1-bit RSA key; RS256 needs at "
                                           "least 2048 bits")
                                .arg(EVP_PKEY_get_bits(key)));
            possible.append(Algorithm::RS256);
            keyKind = QStringLiteral("an RSA key");
        } else if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC && isP256(key)) {
            possible.append(Algorithm::ES256);
            keyKind = QStringLiteral("an EC P-256 key");
        } else {
            return fail(QStringLiteral("jwt.public_key must be an RSA (RS256) or EC P-256 "
                                       "(ES256) key"));
        }
    }

    if (options.algorithms.isEmpty()) {
        verifier.m_algorithms = possible;
    } else {
        for (const QString &name : options.algorithms) {
            const std::optional<Algorithm> algorithm = algorithmFromName(name.toLatin1());
            if (!algorithm)
                return fail(QStringLiteral("unsupported JWT algorithm %1").arg(name));
            if (!possible.contains(*algorithm)) {
                if (isHmac(*algorithm) && !options.secret.isEmpty())
                    return fail(QStringLiteral("jwt.secret has %1 bytes; %2 needs at least %3 "
                                               "(RFC 7518 §3.2)")
                                    .arg(options.secret.size())
                                    .arg(name)
                                    .arg(minimumSecretBytes(*algorithm)));
                if (isHmac(*algorithm))
                    return fail(QStringLiteral("%1 needs jwt.secret").arg(name));
                if (keyKind.isEmpty())
                    return fail(QStringLiteral("%1 needs jwt.public_key").arg(name));
                return fail(QStringLiteral("%1 cannot be verified with jwt.public_key, which is %2")
                                .arg(name, keyKind));
            }
            if (!verifier.m_algorithms.contains(*algorithm))
                verifier.m_algorithms.append(*algorithm);
        }
    }
    if (verifier.m_algorithms.isEmpty())
        return fail(QStringLiteral("no JWT keys configured"));
    return verifier;
}

JwtVerifier JwtVerifier::fromRouteJson(const QJsonObject &jwt, const SecretResolver &resolver)
{
    Options options;
    for (const QJsonValue &value : jwt.value(QLatin1String("algorithms")).toArray())
        options.algorithms.append(value.toString());
    const auto resolve = [&resolver, &jwt](const QString &field, QByteArray *out) {
        const QString text = jwt.value(field).toString();
        if (text.isEmpty())
            return QString();
        const SecretResult resolved = resolver.resolve(text);
        if (!resolved.ok)
            return QStringLiteral("jwt.%1: %2").arg(field, resolved.message);
        *out = resolved.value.toUtf8();
        return QString();
    };
    for (const QString &field : {QStringLiteral("secret"), QStringLiteral("public_key")}) {
        const QString error = resolve(
            field, field == QLatin1String("secret") ? &options.secret : &options.publicKeyPem);
        if (!error.isEmpty()) {
            JwtVerifier verifier;
            verifier.m_setupError = error;
            return verifier;
        }
    }
    options.issuer = jwt.value(QLatin1String("issuer")).toString();
    const QJsonValue audience = jwt.value(QLatin1String("audience"));
    if (audience.isString()) {
        options.audiences.append(audience.toString());
    } else {
        for (const QJsonValue &value : audience.toArray())
            options.audiences.append(value.toString());
    }
    options.leewaySeconds = jwt.value(QLatin1String("leeway_s")).toInteger(DefaultLeewaySeconds);
    options.forwardToken = jwt.value(QLatin1String("forward_token")).toBool(false);
    return create(options);
}

bool JwtVerifier::verifySignature(Algorithm algorithm, QByteArrayView signingInput,
                                  const QByteArray &signature) const
{
    const auto *data = reinterpret_cast<const unsigned char *>(signingInput.data());
    const auto size = size_t(signingInput.size());
    if (isHmac(algorithm)) {
        if (m_secret.isEmpty())
            return false;
        std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
        unsigned int macLength = 0;
        if (!HMAC(digestFor(algorithm), m_secret.constData(), int(m_secret.size()), data, size,
                  mac.data(), &macLength))
            return false;
        return signature.size() == qsizetype(macLength) &&
               CRYPTO_memcmp(mac.data(), signature.constData(), macLength) == 0;
    }

    EVP_PKEY *key = m_publicKey.get();
    if (!key)
        return false;
    QByteArray der;
    if (algorithm == Algorithm::ES256) {
        // JWS carries ECDSA as raw R || S, 32 bytes each (RFC 7518 §3.4); OpenSSL wants DER.
        // A DER signature here is a different encoding and is refused.
        if (signature.size() != 64 || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
            return false;
        std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(ECDSA_SIG_new());
        const auto *raw = reinterpret_cast<const unsigned char *>(signature.constData());
        BIGNUM *r = BN_bin2bn(raw, 32, nullptr);
        BIGNUM *s = BN_bin2bn(raw + 32, 32, nullptr);
        if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
            BN_free(r);
            BN_free(s);
            return false;
        }
        unsigned char *encoded = nullptr;
        const int length = i2d_ECDSA_SIG(sig.get(), &encoded);
        if (length <= 0)
            return false;
        der = QByteArray(reinterpret_cast<const char *>(encoded), length);
        OPENSSL_free(encoded);
    } else if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        return false;
    }
    const QByteArray &bytes = algorithm == Algorithm::ES256 ? der : signature;

    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    bool valid =
        ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(bytes.constData()),
                         size_t(bytes.size()), data, size) == 1;
    if (!valid)
        ERR_clear_error(); // keep this worker thread's error queue empty
    return valid;
}

JwtVerifier::Result JwtVerifier::verify(QByteArrayView token, qint64 nowSecs) const
{
    if (!isUsable())
        return failure(Failure::Unavailable, m_setupError);
    if (token.size() > MaxTokenBytes)
        return failure(Failure::Malformed,
                       QStringLiteral("the token is larger than %1 bytes").arg(MaxTokenBytes));
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (firstDot <= 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0 ||
        secondDot == firstDot + 1)
        return failure(Failure::Malformed,
                       QStringLiteral("a JWT has three base64url segments separated by dots"));
    const QByteArrayView headerSegment = token.first(firstDot);
    const QByteArrayView payloadSegment = token.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signatureSegment = token.sliced(secondDot + 1);

    const std::optional<QJsonObject> header = decodeJsonObject(headerSegment);
    if (!header)
        return failure(Failure::Malformed,
                       QStringLiteral("the JOSE header is not base64url-encoded JSON object"));
    const QJsonValue alg = header->value(QLatin1String("alg"));
    if (!alg.isString())
        return failure(Failure::Malformed, QStringLiteral("the JOSE header has no alg"));
    const QString algName = alg.toString();
    if (algName.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return failure(Failure::Algorithm,
                       QStringLiteral("unsigned tokens (alg none) are refused"));
    const std::optional<Algorithm> algorithm = algorithmFromName(algName.toUtf8());
    if (!algorithm || !m_algorithms.contains(*algorithm))
        return failure(Failure::Algorithm, QStringLiteral("the token's alg is not allowed here "
                                                          "(allowed: %1)")
                                               .arg(algorithmNames().join(QLatin1String(", "))));
    // RFC 7515 §4.1.11: extensions we do not understand must make the token invalid.
    if (header->contains(QLatin1String("crit")))
        return failure(Failure::Malformed,
                       QStringLiteral("critical header extensions are not supported"));

    // Syntax first (a padded or mangled payload is malformed whatever its signature), the
    // JSON only once the signature held.
    const std::optional<QByteArray> payload = decodeBase64Url(payloadSegment);
    if (!payload)
        return failure(Failure::Malformed, QStringLiteral("the claims are not base64url"));
    if (signatureSegment.isEmpty())
        return failure(Failure::Signature, QStringLiteral("the token has no signature"));
    const std::optional<QByteArray> signature = decodeBase64Url(signatureSegment);
    if (!signature)
        return failure(Failure::Malformed, QStringLiteral("the signature is not base64url"));
    if (!verifySignature(*algorithm, token.first(secondDot), *signature))
        return failure(Failure::Signature, QStringLiteral("the signature does not verify"));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(*payload, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return failure(Failure::Malformed, QStringLiteral("the claims are not a JSON object"));
    const QJsonObject claimsObject = document.object();
    const QJsonObject *claims = &claimsObject;

    // Only after the signature held: claims from an unverified token mean nothing.
    const double now = double(nowSecs);
    const double leeway = double(m_leewaySeconds);
    const QJsonValue exp = claims->value(QLatin1String("exp"));
    if (!exp.isUndefined()) {
        if (!exp.isDouble())
            return failure(Failure::Malformed, QStringLiteral("exp must be a number"));
        if (now >= exp.toDouble() + leeway)
            return failure(Failure::Expired, QStringLiteral("the token has expired"));
    }
    const QJsonValue nbf = claims->value(QLatin1String("nbf"));
    if (!nbf.isUndefined()) {
        if (!nbf.isDouble())
            return failure(Failure::Malformed, QStringLiteral("nbf must be a number"));
        if (now + leeway < nbf.toDouble())
            return failure(Failure::NotYetValid, QStringLiteral("the token is not valid yet"));
    }
    if (!m_issuer.isEmpty() && claims->value(QLatin1String("iss")).toString() != m_issuer)
        return failure(Failure::Issuer, QStringLiteral("the token's issuer is not accepted here"));
    if (!m_audiences.isEmpty()) {
        const QJsonValue aud = claims->value(QLatin1String("aud"));
        QStringList audiences;
        if (aud.isString()) {
            audiences.append(aud.toString());
        } else if (aud.isArray()) {
            for (const QJsonValue &value : aud.toArray())
                audiences.append(value.toString());
        }
        bool matched = false;
        for (const QString &audience : std::as_const(audiences))
            matched = matched || (!audience.isEmpty() && m_audiences.contains(audience));
        if (!matched)
            return failure(Failure::Audience,
                           QStringLiteral("the token is not meant for this audience"));
    }
    const QJsonValue sub = claims->value(QLatin1String("sub"));
    if (!sub.isUndefined() && !sub.isString())
        return failure(Failure::Malformed, QStringLiteral("sub must be a string"));

    Result result;
    result.claims = *claims;
    result.subject = sub.toString();
    return result;
}

} // namespace gh
