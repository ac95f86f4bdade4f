// gatehoused: the gateway core without a GUI (SPEC §1). Exit codes: 0 clean stop,
// 1 config problems, 2 bad flags or data dir, 3 port in use.
#include "CommandLine.h"
#include "Gateway.h"
#include "SignalWatcher.h"
#include "config/ConfigLoader.h"
#include "config/ConfigValidator.h"
#include "tls/LocalCertificateAuthority.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

namespace {

void printLine(FILE *stream, const QString &line)
{
    std::fputs(qPrintable(line), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

int checkConfig(const QString &file)
{
    gh::ConfigDocument doc = gh::ConfigLoader::loadFile(file);
    if (doc.problems.isEmpty())
        doc.problems = gh::ConfigValidator::validate(doc.root);
    for (const gh::ConfigProblem &p : std::as_const(doc.problems))
        printLine(stderr, QStringLiteral("%1: %2").arg(file, p.toString()));
    if (!doc.problems.isEmpty()) {
        printLine(stderr, QStringLiteral("%1: %2 problem(s)").arg(file).arg(doc.problems.size()));
        return 1;
    }
    printLine(stdout, QStringLiteral("%1: OK").arg(file));
    return 0;
}

// --print-ca: the certificate to trust on stdout, where it lives on stderr.
int printCa(const QString &dataDir)
{
    gh::LocalCertificateAuthority ca(gh::LocalCertificateAuthority::directoryFor(dataDir));
    QString error;
    if (!ca.ensure(&error)) {
        printLine(stderr, QStringLiteral("gatehoused: %1").arg(error));
        return 2;
    }
    std::fputs(ca.caCertificate().toPem().constData(), stdout);
    std::fflush(stdout);
    printLine(stderr, QStringLiteral("gatehoused: local CA %1 (trust it for --tls; see docs/https.md)").arg(ca.caPath()));
    return 0;
}

int exitCodeFor(gh::Gateway::Error error)
{
    switch (error) {
    case gh::Gateway::Error::BadConfig: return 1;
    case gh::Gateway::Error::BadDataDir: return 2;
    case gh::Gateway::Error::PortInUse: return 3;
    case gh::Gateway::Error::None:
    case gh::Gateway::Error::Other: break;
    }
    return 4;
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt's own poll-based event dispatcher: measurably less CPU per request than the GLib
    // one (no GLib sources to add and remove per socket notifier), and the daemon needs no
    // GLib integration. Applies to the worker threads too.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehoused"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GATEHOUSE_VERSION));

    const gh::CommandLine cli = gh::CommandLine::parse(app.arguments(), QStringLiteral("gatehoused"));
    switch (cli.action) {
    case gh::CommandLine::Action::ExitSuccess:
        printLine(stdout, cli.output);
        return 0;
    case gh::CommandLine::Action::ExitUsageError:
        printLine(stderr, cli.output);
        return 2;
    case gh::CommandLine::Action::CheckConfig:
        return checkConfig(cli.checkConfigFile);
    case gh::CommandLine::Action::PrintCa:
        return printCa(cli.options.dataDir);
    case gh::CommandLine::Action::Run:
        break;
    }

    gh::SignalWatcher signalWatcher;
    gh::Gateway gateway;
    if (!gateway.open(cli.options) || !gateway.start()) {
        for (const QString &line : gateway.lastProblems())
            printLine(stderr, line);
        printLine(stderr, QStringLiteral("gatehoused: %1").arg(gateway.lastError()));
        return exitCodeFor(gateway.lastErrorKind());
    }
    for (const QString &line : gateway.lastProblems())
        printLine(stderr, line); // warnings from the config apply
    QObject::connect(&signalWatcher, &gh::SignalWatcher::terminationRequested, &gateway, [&](int signalNumber) {
        if (gateway.state() != gh::Gateway::State::Running)
            return;
        printLine(stderr, QStringLiteral("gatehoused: signal %1, finishing in-flight requests").arg(signalNumber));
        gateway.stop(10000);
    });
    QObject::connect(&gateway, &gh::Gateway::stopped, &app, [] {
        printLine(stderr, QStringLiteral("gatehoused: stopped"));
        QCoreApplication::exit(0);
    });
    printLine(stdout, QStringLiteral("gatehoused ready gateway=%1 admin=%2").arg(gateway.gatewayUrl(), gateway.adminUrl()));
    return app.exec();
}
