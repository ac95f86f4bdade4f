#pragma once

#include <QDateTime>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QString>

namespace gh {

// The local certificate authority behind the HTTPS listener (--tls). Keeps, in one
// directory (DATA_DIR/tls):
//   ca.pem          the CA certificate: the one file the user trusts (public)
//   ca-key.pem      its EC P-256 key, mode 0600
//   server.pem      the server certificate for localhost, 127.0.0.1 and ::1
//   server-key.pem  its EC P-256 key, mode 0600
// ensure() loads them and (re)creates whatever is missing, unreadable, mismatched or
// close to expiry; a new CA means a new server certificate. The CA is name-constrained
// to loopback names and addresses, so trusting it cannot vouch for any other site even
// if its key leaks.
class LocalCertificateAuthority
{
public:
    static constexpr int CaValidityDays = 3650;
    static constexpr int ServerValidityDays = 365;
    static constexpr int RenewBeforeDays = 30;

    explicit LocalCertificateAuthority(QString directory);

    // DATA_DIR/tls
    static QString directoryFor(const QString &dataDir);

    // Loads, creating or renewing as needed. False with *error on an I/O or crypto failure.
    bool ensure(QString *error);

    // What ensure() did last time; for the log ("created", "renewed").
    bool createdCa() const { return m_createdCa; }
    bool createdServer() const { return m_createdServer; }

    QString directory() const { return m_directory; }
    QString caPath() const;
    QString caKeyPath() const;
    QString serverPath() const;
    QString serverKeyPath() const;

    QSslCertificate caCertificate() const { return m_ca; }
    QSslCertificate serverCertificate() const { return m_server; }
    QSslKey serverKey() const { return m_serverKey; }

    // A server-side configuration: the server certificate and key, TLS 1.2 or later,
    // no client certificates, HTTP/1.1 offered through ALPN. Null before ensure().
    QSslConfiguration serverConfiguration() const;

    // Tests: the clock that issuing and expiry checks use (default: now).
    void setCurrentTime(const QDateTime &now) { m_now = now; }

private:
    QDateTime now() const;

    QString m_directory;
    QDateTime m_now;
    QSslCertificate m_ca;
    QSslCertificate m_server;
    QSslKey m_serverKey;
    bool m_createdCa = false;
    bool m_createdServer = false;
};

} // namespace gh
