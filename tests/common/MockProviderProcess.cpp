#include "MockProviderProcess.h"

#include "HttpClient.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStandardPaths>

namespace gh::test {

namespace {

QString nodePath()
{
    const QString fromEnv = qEnvironmentVariable("GATEHOUSE_NODE");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::findExecutable(QStringLiteral("node"));
}

} // namespace

MockProviderProcess::~MockProviderProcess()
{
    stop();
}

bool MockProviderProcess::isAvailable()
{
    return !nodePath().isEmpty() && QFileInfo::exists(scriptPath());
}

QString MockProviderProcess::scriptPath()
{
    return QStringLiteral(GATEHOUSE_SOURCE_DIR "/tests/mocks/mock-providers.mjs");
}

bool MockProviderProcess::start(int timeoutMs)
{
    m_baseUrl.clear();
    m_port = 0;
    m_error.clear();
    if (!isAvailable()) {
        m_error = QStringLiteral("node or %1 not found").arg(scriptPath());
        return false;
    }
    m_process.start(nodePath(), {scriptPath()});
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = m_process.errorString();
        return false;
    }
    static const QRegularExpression ready(
        QStringLiteral("^mock-providers ready (http://127\\.0\\.0\\.1:(\\d+))$"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        while (m_process.canReadLine()) {
            const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
            const auto match = ready.match(line);
            if (match.hasMatch()) {
                m_baseUrl = match.captured(1);
                m_port = quint16(match.captured(2).toUInt());
                return true;
            }
        }
        if (m_process.state() == QProcess::NotRunning) {
            m_error =
                QStringLiteral("mock-providers exited: %1").arg(QString::fromUtf8(standardError()));
            return false;
        }
        m_process.waitForReadyRead(100);
    }
    m_error = QStringLiteral("mock-providers did not print its ready line in %1 ms").arg(timeoutMs);
    stop();
    return false;
}

void MockProviderProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

QJsonArray MockProviderProcess::requests(int timeoutMs) const
{
    if (m_baseUrl.isEmpty())
        return {};
    const HttpResult result = HttpClient::request(
        "GET", m_baseUrl + QStringLiteral("/_mock/requests"), {}, {}, timeoutMs);
    if (result.status != 200)
        return {};
    return result.json().array();
}

bool MockProviderProcess::clearRequests(int timeoutMs) const
{
    if (m_baseUrl.isEmpty())
        return false;
    return HttpClient::request("DELETE", m_baseUrl + QStringLiteral("/_mock/requests"), {}, {},
                               timeoutMs)
               .status == 200;
}

QByteArray MockProviderProcess::standardError()
{
    m_stderr += m_process.readAllStandardError();
    return m_stderr;
}

} // namespace gh::test
