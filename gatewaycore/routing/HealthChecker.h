#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <map>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace gh {

class ConfigSnapshot;
class TargetHealth;

// Active health checks (SPEC §3 services[].health_check): every interval_ms, for each
// target of each service that has one, `GET <target URL><path>` with a timeout of
// min(interval, 5 s); a 2xx or 3xx answer means up, anything else (or no answer)
// down. Results go to the targets' shared TargetHealth, which the workers' balancers
// read. Lives on the main thread or its own thread, never on a worker; at most one
// check per target is in flight.
class HealthChecker : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxTimeoutMs = 5000;

    explicit HealthChecker(QObject *parent = nullptr);
    ~HealthChecker() override;

    // For status views and tests.
    int targetCount() const { return int(m_checks.size()); }
    quint64 checksSent() const { return m_checksSent; }

public Q_SLOTS:
    // Starts checks for the snapshot's targets, keeps those that are unchanged (same
    // service, URL, path and interval; their timer and state continue) and stops those
    // the snapshot no longer has. A null snapshot stops everything.
    void setSnapshot(std::shared_ptr<const gh::ConfigSnapshot> snapshot);

Q_SIGNALS:
    // The active state of a target changed (including its first result).
    void targetHealthChanged(const QString &service, const QString &url, bool healthy);

private:
    struct Check
    {
        QString key;
        QString service;
        QString url;
        QUrl checkUrl;
        int intervalMs = 0;
        std::shared_ptr<TargetHealth> health;
        QTimer *timer = nullptr;
        QNetworkReply *reply = nullptr;
        QString caFile;
    };

    void startCheck(Check &check);
    void finishCheck(const QString &key, QNetworkReply *reply);
    void stopCheck(Check &check);
    QNetworkAccessManager *network();

    std::map<QString, std::unique_ptr<Check>> m_checks; // key: service, url, path, interval
    QNetworkAccessManager *m_network = nullptr;
    quint64 m_checksSent = 0;
};

} // namespace gh
