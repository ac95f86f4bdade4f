#pragma once

// Test-only JWT signing (header-only, so unit and integration tests share it without a
// library change): compact JWS tokens signed with the throwaway keys in
// tests/unit/data/jwt/, through OpenSSL like the verifier, but on the signing side.

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QString>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

namespace gh::test {

inline QByteArray jwtTestData(const QString &name)
{
    QFile file(QStringLiteral(GATEHOUSE_SOURCE_DIR "/tests/unit/data/jwt/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read JWT test data %s", qPrintable(file.fileName()));
    return file.readAll();
}

inline QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

inline QByteArray jwtSigningInput(const QJsonObject &header, const QJsonObject &claims)
{
    return base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
           base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
}

inline QByteArray hmacSignature(const QByteArray &alg, const QByteArray &secret,
                                const QByteArray &input)
{
    const QCryptographicHash::Algorithm hash = alg == "HS384"   ? QCryptographicHash::Sha384
                                               : alg == "HS512" ? QCryptographicHash::Sha512
                                                                : QCryptographicHash::Sha256;
    return QMessageAuthenticationCode::hash(input, secret, hash);
}

// SHA-256 signature with a PEM private key: PKCS#1 v1.5 for RSA, DER ECDSA for EC.
inline QByteArray pemSignature(const QByteArray &privatePem, const QByteArray &input)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(privatePem.constData(), int(privatePem.size())), BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    if (!key)
        qFatal("test private key does not parse");
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    size_t length = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(input.size())) != 1)
        qFatal("EVP_DigestSign failed");
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       data, size_t(input.size())) != 1)
        qFatal("EVP_DigestSign failed");
    signature.truncate(qsizetype(length));
    return signature;
}

// DER ECDSA-Sig-Value → JOSE R || S (32 bytes each, left-padded).
inline QByteArray ecdsaDerToRaw(const QByteArray &der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(
        d2i_ECDSA_SIG(nullptr, &p, long(der.size())), ECDSA_SIG_free);
    if (!sig)
        qFatal("not a DER ECDSA signature");
    QByteArray raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char *>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char *>(raw.data()) + 32,
                 32);
    return raw;
}

// A signed token. key: the HMAC secret for HS*, a PEM private key for RS256/ES256.
inline QByteArray signJwt(const QByteArray &alg, const QJsonObject &claims, const QByteArray &key,
                          QJsonObject header = {})
{
    header.insert(QStringLiteral("alg"), QString::fromLatin1(alg));
    if (!header.contains(QStringLiteral("typ")))
        header.insert(QStringLiteral("typ"), QStringLiteral("JWT"));
    const QByteArray input = jwtSigningInput(header, claims);
    QByteArray signature;
    if (alg.startsWith("HS"))
        signature = hmacSignature(alg, key, input);
    else if (alg == "ES256")
        signature = ecdsaDerToRaw(pemSignature(key, input));
    else
        signature = pemSignature(key, input);
    return input + '.' + base64Url(signature);
}

} // namespace gh::test
