#include "NginxProcess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace gh::test {

namespace {

QString nginxPath()
{
    QString path = QStandardPaths::findExecutable(QStringLiteral("nginx"));
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
    return path;
}

// nginx workers run as nobody when started by root: everything must be world-readable.
void makeReadable(const QString &path)
{
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
                                    | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

NginxProcess::NginxProcess()
{
    makeReadable(m_prefix.path());
    QDir(m_prefix.path()).mkpath(QStringLiteral("www"));
    QDir(m_prefix.path()).mkpath(QStringLiteral("logs"));
    makeReadable(wwwDir());
}

NginxProcess::~NginxProcess()
{
    stop();
}

bool NginxProcess::isAvailable()
{
    return !nginxPath().isEmpty();
}

QString NginxProcess::wwwDir() const
{
    return m_prefix.filePath(QStringLiteral("www"));
}

bool NginxProcess::addFile(const QString &relativePath, const QByteArray &content)
{
    const QString path = QDir(wwwDir()).filePath(relativePath);
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(content);
    file.close();
    makeReadable(QFileInfo(path).path());
    return true;
}

bool NginxProcess::start(const QString &extraServerConfig, const QString &httpConfig, int timeoutMs)
{
    const QString dir = m_prefix.path();
    m_port = freePort();
    QFile conf(dir + QStringLiteral("/nginx.conf"));
    if (!conf.open(QIODevice::WriteOnly))
        return false;
    conf.write(QStringLiteral("worker_processes 1;\nerror_log %1/logs/error.log;\npid %1/nginx.pid;\n"
                              "events { worker_connections 4096; }\n"
                              "http {\n access_log off;\n client_body_temp_path %1/tmp_body;\n"
                              " proxy_temp_path %1/tmp_proxy;\n fastcgi_temp_path %1/tmp_fcgi;\n"
                              " uwsgi_temp_path %1/tmp_uwsgi;\n scgi_temp_path %1/tmp_scgi;\n"
                              " keepalive_requests 1000000;\n client_max_body_size 0;\n%3\n"
                              " server {\n  listen 127.0.0.1:%2;\n  root %1/www;\n%4\n }\n}\n")
                   .arg(dir)
                   .arg(m_port)
                   .arg(httpConfig, extraServerConfig)
                   .toUtf8());
    conf.close();
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(nginxPath(), {QStringLiteral("-p"), dir, QStringLiteral("-e"), dir + QStringLiteral("/logs/error.log"),
                                  QStringLiteral("-c"), conf.fileName(), QStringLiteral("-g"), QStringLiteral("daemon off;")});
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        if (probe.waitForConnected(100))
            return true;
        if (m_process.state() == QProcess::NotRunning)
            return false;
        QThread::msleep(20);
    }
    return false;
}

void NginxProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

} // namespace gh::test
