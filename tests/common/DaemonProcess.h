#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace gh::test {

// A real gatehoused child process on 127.0.0.1 with free ports and a temporary data dir.
class DaemonProcess
{
public:
    DaemonProcess();
    ~DaemonProcess();

    // Extra arguments go after --data-dir/--listen/--admin-listen; returns once the
    // ready line arrived (true) or the process exited or timed out (false).
    bool start(const QStringList &extraArgs = {}, int timeoutMs = 15000);
    // Sends SIGTERM and waits; returns the exit code (-1 on timeout or crash).
    int terminate(int timeoutMs = 15000);
    // Runs gatehoused to completion with exactly `args`.
    static int run(const QStringList &args, QByteArray *out, QByteArray *err, int timeoutMs = 15000,
                   const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

    QString dataDir() const { return m_dataDir; }
    void setDataDir(const QString &dir) { m_dataDir = dir; }
    QString gatewayUrl() const { return m_gatewayUrl; }
    QString adminUrl() const { return m_adminUrl; }
    QString adminToken() const;
    QByteArray readyLine() const { return m_readyLine; }
    QByteArray standardError();
    QProcess &process() { return m_process; }

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_dataDir;
    QProcess m_process;
    QByteArray m_readyLine;
    QByteArray m_stderr;
    QString m_gatewayUrl;
    QString m_adminUrl;
};

} // namespace gh::test
