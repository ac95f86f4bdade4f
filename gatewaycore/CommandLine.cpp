#include "CommandLine.h"

#include <QCommandLineParser>

namespace gh {

CommandLine CommandLine::parse(const QStringList &arguments, const QString &program)
{
    CommandLine result;
    const bool daemon = program == QLatin1String("gatehoused");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        daemon ? QStringLiteral("Gatehouse gateway daemon: the AI & API gateway core, headless.")
               : QStringLiteral("Gatehouse: a personal AI & API gateway."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Print the version and exit."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
                                     QStringLiteral("Data directory (default: $GATEHOUSE_DATA_DIR, else %1).")
                                         .arg(GatewayOptions::defaultDataDir()),
                                     QStringLiteral("DIR"));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("Declarative config (YAML or JSON) applied at start."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Gateway listener (default 127.0.0.1:4141; port 0 picks one)."),
                                    QStringLiteral("HOST:PORT"));
    const QCommandLineOption adminListen(QStringLiteral("admin-listen"),
                                         QStringLiteral("Admin API listener (default 127.0.0.1:4142)."),
                                         QStringLiteral("HOST:PORT"));
    const QCommandLineOption workers(QStringLiteral("workers"),
                                     QStringLiteral("Gateway worker threads (default: CPU cores, %1).")
                                         .arg(GatewayOptions::defaultWorkers()),
                                     QStringLiteral("N"));
    const QCommandLineOption checkConfig(QStringLiteral("check-config"),
                                         QStringLiteral("Validate FILE, print every problem, exit 1 on any."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption tls(QStringLiteral("tls"),
                                 QStringLiteral("Serve both listeners over HTTPS (TLS 1.2+) with a certificate from "
                                                "the local CA in DATA_DIR/tls (created at first use)."));
    const QCommandLineOption allowRemoteAdmin(
        QStringLiteral("allow-remote-admin"),
        QStringLiteral("Let --admin-listen bind a non-loopback address (requires --tls)."));
    const QCommandLineOption printCa(QStringLiteral("print-ca"),
                                     QStringLiteral("Print the local CA certificate (PEM) to trust for --tls, "
                                                    "creating it if needed, and exit."));
    parser.addOptions({help, version, dataDir, config, listen, adminListen, workers, tls, allowRemoteAdmin, printCa});
    if (daemon)
        parser.addOption(checkConfig);

    auto usageError = [&](const QString &message) {
        result.action = Action::ExitUsageError;
        result.output = QStringLiteral("%1: %2 (see %1 --help)").arg(program, message);
        return result;
    };

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    if (parser.isSet(help)) {
        result.action = Action::ExitSuccess;
        result.output = parser.helpText();
        return result;
    }
    if (parser.isSet(version)) {
        result.action = Action::ExitSuccess;
        result.output = QStringLiteral("gatehouse %1").arg(QLatin1String(GATEHOUSE_VERSION));
        return result;
    }

    GatewayOptions &o = result.options;
    o.dataDir = parser.isSet(dataDir) ? parser.value(dataDir) : GatewayOptions::defaultDataDir();
    if (o.dataDir.isEmpty())
        return usageError(QStringLiteral("--data-dir must not be empty"));
    o.configFile = parser.value(config);
    if (parser.isSet(config) && o.configFile.isEmpty())
        return usageError(QStringLiteral("--config must not be empty"));
    QString error;
    if (parser.isSet(listen)
        && !GatewayOptions::parseHostPort(parser.value(listen), &o.listenAddress, &o.listenPort, &error))
        return usageError(QStringLiteral("--listen %1").arg(error));
    if (parser.isSet(adminListen)
        && !GatewayOptions::parseHostPort(parser.value(adminListen), &o.adminAddress, &o.adminPort, &error))
        return usageError(QStringLiteral("--admin-listen %1").arg(error));
    if (o.listenPort != 0 && o.listenPort == o.adminPort && o.listenAddress == o.adminAddress)
        return usageError(QStringLiteral("--listen and --admin-listen must differ"));
    o.workers = GatewayOptions::defaultWorkers();
    if (parser.isSet(workers)) {
        bool ok = false;
        o.workers = parser.value(workers).toInt(&ok);
        if (!ok || o.workers < 1 || o.workers > 256)
            return usageError(QStringLiteral("--workers must be a number from 1 to 256, not \"%1\"")
                                  .arg(parser.value(workers)));
    }
    o.tls = parser.isSet(tls);
    o.allowRemoteAdmin = parser.isSet(allowRemoteAdmin);
    if (o.allowRemoteAdmin && !o.tls)
        return usageError(QStringLiteral("--allow-remote-admin requires --tls"));
    if (const QString problem = adminBindProblem(o); !problem.isEmpty())
        return usageError(problem);
    if (parser.isSet(printCa)) {
        result.action = Action::PrintCa;
        return result;
    }
    if (daemon && parser.isSet(checkConfig)) {
        result.action = Action::CheckConfig;
        result.checkConfigFile = parser.value(checkConfig);
    }
    return result;
}

QString CommandLine::adminBindProblem(const GatewayOptions &options)
{
    if (options.adminAddress.isLoopback() || (options.tls && options.allowRemoteAdmin))
        return {};
    const QString where = GatewayOptions::formatHostPort(options.adminAddress, options.adminPort);
    return options.tls ? QStringLiteral("--admin-listen %1 is not a loopback address: the admin API controls "
                                        "the whole gateway; add --allow-remote-admin to serve it there")
                             .arg(where)
                       : QStringLiteral("--admin-listen %1 is not a loopback address: the admin API controls "
                                        "the whole gateway and would travel in clear text; serve it there "
                                        "with --tls --allow-remote-admin")
                             .arg(where);
}

} // namespace gh
