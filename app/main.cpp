#include "AppSettings.h"
#include "CommandLine.h"
#include "tls/LocalCertificateAuthority.h"
#include "Gateway.h"
#include "GracefulQuit.h"
#include "MainWindow.h"
#include "SignalWatcher.h"
#include "TrayIcon.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>
#include <memory>

namespace {

void installTranslators(QApplication &app)
{
    auto *qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qtTranslator);
    auto *appTranslator = new QTranslator(&app);
    if (appTranslator->load(QLocale(), QStringLiteral("gatehouse"), QStringLiteral("_"),
                            QStringLiteral(":/i18n")))
        QApplication::installTranslator(appTranslator);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Gatehouse"));
    QApplication::setApplicationName(QStringLiteral("Gatehouse"));
    QApplication::setApplicationVersion(QStringLiteral(GATEHOUSE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.gatehouse.Gatehouse"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/gatehouse/icons/gatehouse.svg")));
    // The gateway outlives the window when it sits in the tray; quitting is explicit.
    QApplication::setQuitOnLastWindowClosed(false);
    installTranslators(app);

    // Saved settings go in as flags ahead of the real ones, so typed flags win for this run.
    QStringList arguments = app.arguments();
    const QStringList saved = gh::AppSettings::savedFlags();
    for (qsizetype i = 0; i < saved.size(); ++i)
        arguments.insert(1 + i, saved.at(i));
    const gh::CommandLine cli = gh::CommandLine::parse(arguments, QStringLiteral("gatehouse"));
    switch (cli.action) {
    case gh::CommandLine::Action::ExitSuccess:
        std::fputs(qPrintable(cli.output + QLatin1Char('\n')), stdout);
        return 0;
    case gh::CommandLine::Action::ExitUsageError:
        std::fputs(qPrintable(cli.output + QLatin1Char('\n')), stderr);
        return 2;
    case gh::CommandLine::Action::PrintCa: {
        gh::LocalCertificateAuthority ca(gh::LocalCertificateAuthority::directoryFor(cli.options.dataDir));
        QString error;
        if (!ca.ensure(&error)) {
            std::fprintf(stderr, "gatehouse: %s\n", qPrintable(error));
            return 2;
        }
        std::fputs(ca.caCertificate().toPem().constData(), stdout);
        std::fprintf(stderr, "gatehouse: local CA %s (trust it for --tls)\n", qPrintable(ca.caPath()));
        return 0;
    }
    case gh::CommandLine::Action::CheckConfig: // daemon only; parse() never returns it here
    case gh::CommandLine::Action::Run:
        break;
    }

    gh::Gateway gateway;
    // A failed start is not fatal in the desktop app: the window opens and the Overview
    // page shows what went wrong, with the way to Settings.
    if (!gateway.open(cli.options) || !gateway.start())
        std::fprintf(stderr, "gatehouse: %s\n", qPrintable(gateway.lastError()));

    gh::MainWindow window(&gateway);
    gh::GracefulQuit quit(&gateway);
    QObject::connect(&window, &gh::MainWindow::quitRequested, &quit, &gh::GracefulQuit::request);

    std::unique_ptr<gh::TrayIcon> tray;
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        tray = std::make_unique<gh::TrayIcon>(&gateway, &window);
        QObject::connect(tray.get(), &gh::TrayIcon::quitRequested, &quit,
                         &gh::GracefulQuit::request);
        tray->show();
        window.setTrayIcon(tray.get());
    }

    gh::SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &gh::SignalWatcher::terminationRequested, &quit,
                     &gh::GracefulQuit::request);

    window.show();
    return app.exec();
}
