#include "SettingsValidator.h"

#include "CommandLine.h"

#include <QDir>
#include <QFileInfo>

namespace gh {

SettingsValidator::Result SettingsValidator::validate(const QString &listen,
                                                      const QString &adminListen,
                                                      const QString &dataDir,
                                                      const GatewayOptions &base)
{
    Result result;
    result.options = base;
    GatewayOptions &o = result.options;
    const bool listenOk = GatewayOptions::parseHostPort(listen.trimmed(), &o.listenAddress,
                                                        &o.listenPort, &result.listenError);
    const bool adminOk = GatewayOptions::parseHostPort(adminListen.trimmed(), &o.adminAddress,
                                                       &o.adminPort, &result.adminError);
    // Port 0 means "any free port", so two zeros never clash.
    if (listenOk && adminOk && o.listenPort != 0 && o.listenPort == o.adminPort)
        result.adminError = tr("The admin API needs a port of its own; %1 is already the "
                               "gateway's port.")
                                .arg(o.adminPort);

    // Same rule as the command line: it would not start otherwise.
    if (adminOk && result.adminError.isEmpty() && !CommandLine::adminBindProblem(o).isEmpty())
        result.adminError = tr("The admin API controls the whole gateway and stays on this machine "
                               "(127.0.0.1 or ::1) unless Gatehouse runs with --tls "
                               "--allow-remote-admin.");

    QStringList exposed;
    if (listenOk && !o.listenAddress.isLoopback())
        exposed.append(tr("the gateway (%1)").arg(listen.trimmed()));
    if (adminOk && !o.adminAddress.isLoopback())
        exposed.append(tr("the admin API (%1)").arg(adminListen.trimmed()));
    if (!exposed.isEmpty())
        result.warning = tr("Reachable from other machines: %1. Anyone on your network can try "
                            "to connect; keep consumer keys required.")
                             .arg(exposed.join(tr(" and ")));

    o.dataDir = QDir::cleanPath(dataDir.trimmed());
    result.dataDirError = checkDataDir(dataDir.trimmed());
    return result;
}

QString SettingsValidator::checkDataDir(const QString &dir)
{
    if (dir.isEmpty())
        return tr("Choose a data directory.");
    if (QDir::isRelativePath(dir))
        return tr("Use an absolute path.");
    QFileInfo info(QDir::cleanPath(dir));
    if (info.exists()) {
        if (!info.isDir())
            return tr("%1 is a file, not a directory.").arg(info.filePath());
        if (!info.isWritable())
            return tr("%1 is not writable.").arg(info.filePath());
        return {};
    }
    // Not there yet: the gateway creates it, so the nearest existing parent must allow that.
    QString parent = info.absolutePath();
    while (!QFileInfo::exists(parent) && parent != QDir::rootPath())
        parent = QFileInfo(parent).absolutePath();
    const QFileInfo parentInfo(parent);
    if (!parentInfo.isDir() || !parentInfo.isWritable())
        return tr("%1 cannot be created: %2 is not writable.").arg(info.filePath(), parent);
    return {};
}

} // namespace gh
