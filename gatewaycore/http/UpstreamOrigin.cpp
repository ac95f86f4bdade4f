#include "UpstreamOrigin.h"

#include <QFile>

namespace gh {

bool UpstreamTlsOptions::loadCaFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("Cannot read CA file %1: %2").arg(path, file.errorString());
        return false;
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll());
    if (certificates.isEmpty()) {
        if (error)
            *error = QStringLiteral("No PEM certificate in CA file %1").arg(path);
        return false;
    }
    caCertificates = certificates;
    caFile = path;
    return true;
}

UpstreamOrigin UpstreamOrigin::http(const QString &host, quint16 port)
{
    UpstreamOrigin origin;
    origin.host = host;
    origin.port = port;
    return origin;
}

UpstreamOrigin UpstreamOrigin::https(const QString &host, quint16 port, UpstreamTlsOptions options)
{
    UpstreamOrigin origin;
    origin.tls = true;
    origin.host = host;
    origin.port = port;
    origin.tlsOptions = std::move(options);
    return origin;
}

QString UpstreamOrigin::key() const
{
    QString key = tls ? QStringLiteral("https://") : QStringLiteral("http://");
    key += host.toLower();
    key += QLatin1Char(':');
    key += QString::number(port);
    if (tls) {
        // Different trust or names make connections not interchangeable.
        key += QLatin1Char('|');
        key += tlsOptions.caFile;
        if (tlsOptions.caFile.isEmpty() && !tlsOptions.caCertificates.isEmpty())
            key += QString::number(qHash(tlsOptions.caCertificates.front()));
        key += QLatin1Char('|');
        key += tlsOptions.serverName.toLower();
    }
    return key;
}

QByteArray UpstreamOrigin::hostHeader() const
{
    const QString &name = tls && !tlsOptions.serverName.isEmpty() ? tlsOptions.serverName : host;
    QByteArray out =
        name.contains(QLatin1Char(':')) ? '[' + name.toLatin1() + ']' : name.toLatin1();
    if (port != (tls ? 443 : 80))
        out += ':' + QByteArray::number(port);
    return out;
}

} // namespace gh
