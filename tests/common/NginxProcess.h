#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace gh::test {

// A real nginx for tests, on a free 127.0.0.1 port with its own prefix dir: serves
// files from www/ and whatever `extraServerConfig` adds inside its server block
// (locations, returns). Stopped when destroyed.
class NginxProcess
{
public:
    NginxProcess();
    ~NginxProcess();

    static bool isAvailable();
    // Writes a file under www/ (readable by nginx's unprivileged workers).
    bool addFile(const QString &relativePath, const QByteArray &content);
    // `httpConfig` goes into the http block (e.g. upstreams for a reverse proxy).
    bool start(const QString &extraServerConfig = {}, const QString &httpConfig = {}, int timeoutMs = 10000);
    void stop();

    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString wwwDir() const;
    qint64 pid() const { return m_process.processId(); }

private:
    QTemporaryDir m_prefix;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace gh::test
