#include "AppSettings.h"

#include <QSettings>

namespace gh {

namespace {

// Organisation and application are both "Gatehouse"; named here rather than taken from
// QCoreApplication so tests and the app always read the same file.
const auto name = QStringLiteral("Gatehouse");

const auto listenKey = QStringLiteral("gateway/listen");
const auto adminListenKey = QStringLiteral("gateway/adminListen");
const auto dataDirKey = QStringLiteral("gateway/dataDir");
const auto tlsKey = QStringLiteral("gateway/tls");
const auto remoteAdminKey = QStringLiteral("gateway/allowRemoteAdmin");
const auto geometryKey = QStringLiteral("window/geometry");
const auto lastPageKey = QStringLiteral("window/lastPage");
const auto trayHintKey = QStringLiteral("window/trayHintShown");

} // namespace

QStringList AppSettings::savedFlags()
{
    const QSettings s(name, name);
    QStringList flags;
    QHostAddress address;
    quint16 port = 0;
    QString error;
    const QString listen = s.value(listenKey).toString();
    if (GatewayOptions::parseHostPort(listen, &address, &port, &error))
        flags << QStringLiteral("--listen") << listen;
    const QString adminListen = s.value(adminListenKey).toString();
    if (GatewayOptions::parseHostPort(adminListen, &address, &port, &error))
        flags << QStringLiteral("--admin-listen") << adminListen;
    const QString dataDir = s.value(dataDirKey).toString();
    if (!dataDir.isEmpty() && qEnvironmentVariableIsEmpty("GATEHOUSE_DATA_DIR"))
        flags << QStringLiteral("--data-dir") << dataDir;
    if (s.value(tlsKey, false).toBool()) {
        flags << QStringLiteral("--tls");
        if (s.value(remoteAdminKey, false).toBool())
            flags << QStringLiteral("--allow-remote-admin");
    }
    return flags;
}

void AppSettings::saveGatewayOptions(const GatewayOptions &options)
{
    QSettings s(name, name);
    s.setValue(listenKey,
               GatewayOptions::formatHostPort(options.listenAddress, options.listenPort));
    s.setValue(adminListenKey,
               GatewayOptions::formatHostPort(options.adminAddress, options.adminPort));
    s.setValue(dataDirKey, options.dataDir);
    s.setValue(tlsKey, options.tls);
    s.setValue(remoteAdminKey, options.tls && options.allowRemoteAdmin);
}

QByteArray AppSettings::headerState(const QString &view)
{
    return QSettings(name, name).value(QStringLiteral("headers/") + view).toByteArray();
}

void AppSettings::setHeaderState(const QString &view, const QByteArray &state)
{
    QSettings(name, name).setValue(QStringLiteral("headers/") + view, state);
}

QByteArray AppSettings::windowGeometry()
{
    return QSettings(name, name).value(geometryKey).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    QSettings(name, name).setValue(geometryKey, geometry);
}

QString AppSettings::lastPage()
{
    return QSettings(name, name).value(lastPageKey).toString();
}

void AppSettings::setLastPage(const QString &page)
{
    QSettings(name, name).setValue(lastPageKey, page);
}

bool AppSettings::trayHintShown()
{
    return QSettings(name, name).value(trayHintKey, false).toBool();
}

void AppSettings::setTrayHintShown(bool shown)
{
    QSettings(name, name).setValue(trayHintKey, shown);
}

} // namespace gh
