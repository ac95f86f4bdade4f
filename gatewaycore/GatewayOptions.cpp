#include "GatewayOptions.h"

#include <QDir>
#include <QStandardPaths>
#include <QThread>

namespace gh {

QString GatewayOptions::defaultDataDir()
{
    const QString fromEnv = qEnvironmentVariable("GATEHOUSE_DATA_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    // Not QStandardPaths::AppDataLocation: that depends on the organisation name and the
    // binary, and both programs must share one data dir.
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("gatehouse"));
}

int GatewayOptions::defaultWorkers()
{
    return qMax(1, QThread::idealThreadCount());
}

bool GatewayOptions::parseHostPort(const QString &text, QHostAddress *address, quint16 *port,
                                   QString *error)
{
    QString host;
    QString portText;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QStringLiteral("]:"));
        if (close < 0) {
            *error = QStringLiteral("\"%1\" is not HOST:PORT (IPv6 needs [ADDR]:PORT)").arg(text);
            return false;
        }
        host = text.mid(1, close - 1);
        portText = text.mid(close + 2);
    } else {
        const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0 || text.count(QLatin1Char(':')) != 1) {
            *error = QStringLiteral("\"%1\" is not HOST:PORT (for example 127.0.0.1:4141)").arg(text);
            return false;
        }
        host = text.left(colon);
        portText = text.mid(colon + 1);
    }
    bool ok = false;
    const uint value = portText.toUInt(&ok);
    if (!ok || value > 65535) {
        *error = QStringLiteral("\"%1\": port must be a number from 0 to 65535").arg(text);
        return false;
    }
    QHostAddress parsed;
    if (host == QLatin1String("localhost"))
        parsed = QHostAddress(QHostAddress::LocalHost);
    else if (!parsed.setAddress(host)) {
        *error = QStringLiteral("\"%1\": \"%2\" is not an IP address").arg(text, host);
        return false;
    }
    *address = parsed;
    *port = quint16(value);
    return true;
}

QString GatewayOptions::formatHostPort(const QHostAddress &address, quint16 port)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

} // namespace gh
