#include "DaemonProcess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <csignal>

namespace gh::test {

DaemonProcess::DaemonProcess()
    : m_tmp(std::make_unique<QTemporaryDir>())
    , m_dataDir(m_tmp->path())
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("GATEHOUSE_ADMIN_TOKEN"));
    env.remove(QStringLiteral("GATEHOUSE_DATA_DIR"));
    m_process.setProcessEnvironment(env);
}

DaemonProcess::~DaemonProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool DaemonProcess::start(const QStringList &extraArgs, int timeoutMs)
{
    m_readyLine.clear();
    QStringList args{QStringLiteral("--data-dir"), m_dataDir, QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:0"), QStringLiteral("--admin-listen"),
                     QStringLiteral("127.0.0.1:0"), QStringLiteral("--workers"), QStringLiteral("2")};
    args += extraArgs;
    m_process.start(QStringLiteral(GATEHOUSED_PATH), args);
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process.canReadLine()) {
            m_readyLine = m_process.readLine().trimmed();
            static const QRegularExpression re(
                QStringLiteral("^gatehoused ready gateway=(https?://\\S+) admin=(https?://\\S+)$"));
            const auto match = re.match(QString::fromUtf8(m_readyLine));
            if (!match.hasMatch())
                return false;
            m_gatewayUrl = match.captured(1);
            m_adminUrl = match.captured(2);
            return true;
        }
        if (m_process.state() == QProcess::NotRunning)
            return false;
        m_process.waitForReadyRead(100);
    }
    return false;
}

int DaemonProcess::terminate(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QByteArray DaemonProcess::standardError()
{
    m_stderr += m_process.readAllStandardError();
    return m_stderr;
}

QString DaemonProcess::adminToken() const
{
    QFile file(QDir(m_dataDir).filePath(QStringLiteral("admin.token")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

int DaemonProcess::run(const QStringList &args, QByteArray *out, QByteArray *err, int timeoutMs,
                       const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(GATEHOUSED_PATH), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        return -1;
    }
    if (out)
        *out = p.readAllStandardOutput();
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace gh::test
