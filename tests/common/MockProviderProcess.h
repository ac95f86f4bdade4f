#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QProcess>
#include <QString>

namespace gh::test {

// tests/mocks/mock-providers.mjs as a child process: every AI provider type's wire format on
// one free 127.0.0.1 port (contract in tests/mocks/README.md). Stopped when destroyed.
class MockProviderProcess
{
public:
    MockProviderProcess() = default;
    ~MockProviderProcess();
    MockProviderProcess(const MockProviderProcess &) = delete;
    MockProviderProcess &operator=(const MockProviderProcess &) = delete;

    // Node.js on PATH (or $GATEHOUSE_NODE); tests skip without it.
    static bool isAvailable();
    static QString scriptPath();

    // Starts the mock and waits for its ready line; false if it exited or timed out
    // (errorString() says why).
    bool start(int timeoutMs = 10000);
    void stop();
    bool isRunning() const
    {
        return m_process.state() == QProcess::Running && !m_baseUrl.isEmpty();
    }

    // "http://127.0.0.1:PORT"; provider base URLs are this plus a prefix ("/openai/v1", ...).
    QString baseUrl() const { return m_baseUrl; }
    quint16 port() const { return m_port; }
    // Every provider request received so far (GET /_mock/requests): objects with method,
    // path, query, headers and body. Empty on failure.
    QJsonArray requests(int timeoutMs = 5000) const;
    bool clearRequests(int timeoutMs = 5000) const;
    QString errorString() const { return m_error; }
    // What the mock wrote to stderr so far (crash reports).
    QByteArray standardError();

private:
    QProcess m_process;
    QString m_baseUrl;
    quint16 m_port = 0;
    QString m_error;
    QByteArray m_stderr;
};

} // namespace gh::test
