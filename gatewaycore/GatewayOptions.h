#pragma once

#include <QHostAddress>
#include <QString>

namespace gh {

// What both programs take on the command line (SPEC §1).
struct GatewayOptions
{
    QString dataDir;
    QString configFile; // empty: none
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = 4141;
    QHostAddress adminAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 adminPort = 4142;
    int workers = 0; // 0: one per CPU core
    // --tls: both listeners serve HTTPS (TLS 1.2+) with the local CA's certificate.
    bool tls = false;
    // --allow-remote-admin: the admin API may bind a non-loopback address (with tls only).
    bool allowRemoteAdmin = false;

    // $GATEHOUSE_DATA_DIR, else ~/.local/share/gatehouse (XDG_DATA_HOME honoured).
    static QString defaultDataDir();
    static int defaultWorkers();
    // "HOST:PORT" or "[v6]:PORT"; PORT 0 picks a free port.
    static bool parseHostPort(const QString &text, QHostAddress *address, quint16 *port,
                              QString *error);
    static QString formatHostPort(const QHostAddress &address, quint16 port);
};

} // namespace gh
