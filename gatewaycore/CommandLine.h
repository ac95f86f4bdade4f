#pragma once

#include "GatewayOptions.h"

#include <QStringList>

namespace gh {

// The flags both programs share (SPEC §1), parsed without QCommandLineParser::process()
// so that bad flags exit 2 with one clear line instead of Qt's default exit code 1.
struct CommandLine
{
    enum class Action { Run, CheckConfig, PrintCa, ExitSuccess, ExitUsageError };

    Action action = Action::Run;
    GatewayOptions options;
    QString checkConfigFile;
    QString output; // what to print: help or version text (stdout), or the error (stderr)

    // `program` is "gatehoused" or "gatehouse"; only the daemon knows --check-config.
    static CommandLine parse(const QStringList &arguments, const QString &program);
    // Why options.adminAddress may not be used, or empty: the admin API gives full control
    // of the gateway, so it leaves loopback only over TLS and when asked for explicitly.
    static QString adminBindProblem(const GatewayOptions &options);
};

} // namespace gh
