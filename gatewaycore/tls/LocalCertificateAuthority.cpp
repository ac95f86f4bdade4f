#include "LocalCertificateAuthority.h"

#include <QDir>
#include <QFile>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gh {

namespace {

struct X509Free
{
    void operator()(X509 *p) const { X509_free(p); }
};
struct PkeyFree
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
struct BioFree
{
    void operator()(BIO *p) const { BIO_free(p); }
};
struct BnFree
{
    void operator()(BIGNUM *p) const { BN_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

const char *const CaFile = "ca.pem";
const char *const CaKeyFile = "ca-key.pem";
const char *const ServerFile = "server.pem";
const char *const ServerKeyFile = "server-key.pem";

// Everything the server certificate is valid for: what --listen accepts by default.
const char *const ServerAltNames = "DNS:localhost,IP:127.0.0.1,IP:::1";
// What the CA may vouch for (RFC 5280 §4.2.1.10): loopback only.
const char *const CaNameConstraints =
    "critical,permitted;DNS:localhost,permitted;IP:127.0.0.0/255.0.0.0,"
    "permitted;IP:::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";

QString opensslError(const char *what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    char text[256] = {};
    if (code)
        ERR_error_string_n(code, text, sizeof text);
    return code ? QStringLiteral("%1: %2").arg(QLatin1String(what), QLatin1String(text))
                : QLatin1String(what);
}

PkeyPtr generateKey()
{
    // EC P-256: small, fast handshakes, accepted by every TLS client.
    return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

X509Ptr readCertificate(const QString &path)
{
    BioPtr bio(BIO_new_file(QFile::encodeName(path).constData(), "r"));
    if (!bio) {
        ERR_clear_error();
        return {};
    }
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    return cert;
}

PkeyPtr readKey(const QString &path)
{
    BioPtr bio(BIO_new_file(QFile::encodeName(path).constData(), "r"));
    if (!bio) {
        ERR_clear_error();
        return {};
    }
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    return key;
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(size));
}

QByteArray certificatePem(X509 *cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    return bioContents(bio.get());
}

QByteArray keyPem(EVP_PKEY *key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return bioContents(bio.get());
}

// Written next to the target and renamed over it: a crash never leaves half a key, and
// a key file is 0600 from its first byte.
bool writeFileAtomically(const QString &path, const QByteArray &bytes, mode_t mode, QString *error)
{
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temporary = target + ".tmp";
    ::unlink(temporary.constData());
    const int fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        *error = QStringLiteral("cannot create %1: %2")
                     .arg(path, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    ::fchmod(fd, mode); // whatever the umask
    const bool written =
        ::write(fd, bytes.constData(), size_t(bytes.size())) == bytes.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(temporary.constData(), target.constData()) != 0) {
        *error = QStringLiteral("cannot write %1: %2")
                     .arg(path, QString::fromLocal8Bit(strerror(errno)));
        ::unlink(temporary.constData());
        return false;
    }
    return true;
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    if (!extension)
        return false;
    const bool added = X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

bool setName(X509_NAME *name, const char *commonName)
{
    const auto text = [](const char *s) {
        return reinterpret_cast<const unsigned char *>(s);
    };
    return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, text("Gatehouse"), -1, -1, 0) ==
               1 &&
           X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, text(commonName), -1, -1, 0) == 1;
}

// Version 3, random positive 127-bit serial, valid from an hour ago (clock skew) for
// `days`, the subject's public key set.
X509Ptr newCertificate(EVP_PKEY *subjectKey, const char *commonName, time_t now, int days)
{
    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        return {};
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return {};
    serial[0] &= 0x7f;
    serial[0] |= 0x01; // never zero
    std::unique_ptr<BIGNUM, BnFree> number(BN_bin2bn(serial, sizeof serial, nullptr));
    if (!number || !BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert.get())))
        return {};
    time_t from = now;
    if (!X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, -3600, &from) ||
        !X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, &from))
        return {};
    if (X509_set_pubkey(cert.get(), subjectKey) != 1 ||
        !setName(X509_get_subject_name(cert.get()), commonName))
        return {};
    return cert;
}

// Still good at now + RenewBeforeDays?
bool validLongEnough(X509 *cert, time_t now)
{
    time_t threshold = now + time_t(LocalCertificateAuthority::RenewBeforeDays) * 24 * 3600;
    time_t at = now;
    return X509_cmp_time(X509_get0_notAfter(cert), &threshold) > 0 &&
           X509_cmp_time(X509_get0_notBefore(cert), &at) < 0;
}

} // namespace

LocalCertificateAuthority::LocalCertificateAuthority(QString directory)
    : m_directory(std::move(directory))
{}

QString LocalCertificateAuthority::directoryFor(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("tls"));
}

QString LocalCertificateAuthority::caPath() const
{
    return QDir(m_directory).filePath(QLatin1String(CaFile));
}

QString LocalCertificateAuthority::caKeyPath() const
{
    return QDir(m_directory).filePath(QLatin1String(CaKeyFile));
}

QString LocalCertificateAuthority::serverPath() const
{
    return QDir(m_directory).filePath(QLatin1String(ServerFile));
}

QString LocalCertificateAuthority::serverKeyPath() const
{
    return QDir(m_directory).filePath(QLatin1String(ServerKeyFile));
}

QDateTime LocalCertificateAuthority::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

bool LocalCertificateAuthority::ensure(QString *error)
{
    m_createdCa = false;
    m_createdServer = false;
    if (!QDir().mkpath(m_directory)) {
        *error = QStringLiteral("cannot create %1").arg(m_directory);
        return false;
    }
    ::chmod(QFile::encodeName(m_directory).constData(), 0700);
    const time_t now = time_t(this->now().toSecsSinceEpoch());

    // The CA: kept as long as it is whole, matches its key and has a month left (a new
    // one has to be trusted again, so it is replaced only when it must be).
    X509Ptr ca = readCertificate(caPath());
    PkeyPtr caKey = readKey(caKeyPath());
    if (!ca || !caKey || X509_check_private_key(ca.get(), caKey.get()) != 1 ||
        !validLongEnough(ca.get(), now)) {
        ERR_clear_error();
        caKey = generateKey();
        if (!caKey) {
            *error = opensslError("cannot generate the CA key");
            return false;
        }
        ca = newCertificate(caKey.get(), "Gatehouse Local CA", now, CaValidityDays);
        // pathlen:0: it signs server certificates only, never another CA.
        if (!ca || X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) != 1 ||
            !addExtension(ca.get(), ca.get(), NID_basic_constraints,
                          "critical,CA:TRUE,pathlen:0") ||
            !addExtension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
            !addExtension(ca.get(), ca.get(), NID_subject_key_identifier, "hash") ||
            !addExtension(ca.get(), ca.get(), NID_name_constraints, CaNameConstraints) ||
            X509_sign(ca.get(), caKey.get(), EVP_sha256()) <= 0) {
            *error = opensslError("cannot issue the CA certificate");
            return false;
        }
        if (!writeFileAtomically(caKeyPath(), keyPem(caKey.get()), 0600, error) ||
            !writeFileAtomically(caPath(), certificatePem(ca.get()), 0644, error))
            return false;
        m_createdCa = true;
    }

    X509Ptr server = m_createdCa ? X509Ptr() : readCertificate(serverPath());
    PkeyPtr serverKey = m_createdCa ? PkeyPtr() : readKey(serverKeyPath());
    if (!server || !serverKey || X509_check_private_key(server.get(), serverKey.get()) != 1 ||
        X509_verify(server.get(), caKey.get()) != 1 || !validLongEnough(server.get(), now)) {
        ERR_clear_error();
        serverKey = generateKey();
        if (!serverKey) {
            *error = opensslError("cannot generate the server key");
            return false;
        }
        server = newCertificate(serverKey.get(), "localhost", now, ServerValidityDays);
        if (!server) {
            *error = opensslError("cannot issue the server certificate");
            return false;
        }
        // Never valid longer than its issuer.
        if (ASN1_TIME_compare(X509_get0_notAfter(server.get()), X509_get0_notAfter(ca.get())) > 0)
            X509_set1_notAfter(server.get(), X509_get0_notAfter(ca.get()));
        if (X509_set_issuer_name(server.get(), X509_get_subject_name(ca.get())) != 1 ||
            !addExtension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE") ||
            !addExtension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature") ||
            !addExtension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth") ||
            !addExtension(server.get(), ca.get(), NID_subject_alt_name, ServerAltNames) ||
            !addExtension(server.get(), ca.get(), NID_subject_key_identifier, "hash") ||
            !addExtension(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always") ||
            X509_sign(server.get(), caKey.get(), EVP_sha256()) <= 0) {
            *error = opensslError("cannot issue the server certificate");
            return false;
        }
        if (!writeFileAtomically(serverKeyPath(), keyPem(serverKey.get()), 0600, error) ||
            !writeFileAtomically(serverPath(), certificatePem(server.get()), 0644, error))
            return false;
        m_createdServer = true;
    }

    m_ca = QSslCertificate(certificatePem(ca.get()), QSsl::Pem);
    m_server = QSslCertificate(certificatePem(server.get()), QSsl::Pem);
    m_serverKey = QSslKey(keyPem(serverKey.get()), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (m_ca.isNull() || m_server.isNull() || m_serverKey.isNull()) {
        *error =
            QStringLiteral("the TLS backend cannot read the certificates in %1").arg(m_directory);
        return false;
    }
    return true;
}

QSslConfiguration LocalCertificateAuthority::serverConfiguration() const
{
    if (m_server.isNull())
        return {};
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(m_server);
    configuration.setPrivateKey(m_serverKey);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    return configuration;
}

} // namespace gh
