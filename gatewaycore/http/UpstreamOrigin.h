#pragma once

#include <QList>
#include <QSslCertificate>
#include <QString>

namespace gh {

// TLS settings of an https upstream. Certificate verification is always on.
struct UpstreamTlsOptions
{
    // Trust anchors instead of the system CAs (a private CA); empty: the system CAs.
    QList<QSslCertificate> caCertificates;
    QString caFile; // where caCertificates came from; part of the pool key
    // Name for SNI and certificate verification; empty: the origin's host.
    QString serverName;

    // Loads a PEM file of CA certificates. File I/O: call it when building the config
    // snapshot, never per request on a worker.
    bool loadCaFile(const QString &path, QString *error = nullptr);
};

// Where an upstream connection goes. Connections are interchangeable (poolable) only
// between equal origins.
struct UpstreamOrigin
{
    bool tls = false;
    QString host; // name or IP literal (IP literals skip the DNS lookup)
    quint16 port = 80;
    UpstreamTlsOptions tlsOptions;

    static UpstreamOrigin http(const QString &host, quint16 port);
    static UpstreamOrigin https(const QString &host, quint16 port,
                                UpstreamTlsOptions options = UpstreamTlsOptions());

    QString key() const;
    // The Host field value: the TLS server name or the host, with ":port" when not the
    // scheme's default.
    QByteArray hostHeader() const;
};

} // namespace gh
