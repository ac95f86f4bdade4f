#include "HealthChecker.h"

#include "ConfigSnapshot.h"
#include "TargetHealth.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>

#include <set>

namespace gh {

HealthChecker::HealthChecker(QObject *parent)
    : QObject(parent)
{
    // For setSnapshot() invoked by name or queued across threads.
    qRegisterMetaType<std::shared_ptr<const gh::ConfigSnapshot>>();
}

HealthChecker::~HealthChecker()
{
    for (auto &[key, check] : m_checks)
        stopCheck(*check);
}

QNetworkAccessManager *HealthChecker::network()
{
    // Created on first use, so it belongs to the thread the checker was moved to.
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        m_network->setProxy(QNetworkProxy::NoProxy); // targets are reached directly
    }
    return m_network;
}

void HealthChecker::setSnapshot(std::shared_ptr<const ConfigSnapshot> snapshot)
{
    std::set<QString> wanted;
    if (snapshot) {
        for (const CompiledService &service : snapshot->services()) {
            if (!service.healthCheck)
                continue;
            for (const ServiceTarget &target : service.targets) {
                const QString key =
                    service.name + QLatin1Char('\n') + target.url + QLatin1Char('\n') +
                    QString::fromUtf8(service.healthCheck->path) + QLatin1Char('\n') +
                    QString::number(service.healthCheck->intervalMs) + QLatin1Char('\n') +
                    service.caFile;
                wanted.insert(key);
                if (m_checks.count(key))
                    continue;

                auto check = std::make_unique<Check>();
                check->key = key;
                check->service = service.name;
                check->url = target.url;
                QUrl url;
                url.setScheme(QString::fromLatin1(target.scheme));
                url.setHost(target.host);
                url.setPort(target.port);
                url.setPath(QString::fromUtf8(target.basePath + service.healthCheck->path),
                            QUrl::TolerantMode);
                check->checkUrl = url;
                check->intervalMs = service.healthCheck->intervalMs;
                check->health = target.health;
                check->caFile = service.caFile;
                check->timer = new QTimer(this);
                check->timer->setInterval(check->intervalMs);
                check->timer->start();
                m_checks.emplace(key, std::move(check));
                // By key, not pointer: the check may be gone when a queued call runs.
                const auto runCheck = [this, key] {
                    const auto it = m_checks.find(key);
                    if (it != m_checks.end())
                        startCheck(*it->second);
                };
                connect(m_checks[key]->timer, &QTimer::timeout, this, runCheck);
                // First check right away, so a new target's state is known quickly.
                QTimer::singleShot(0, this, runCheck);
            }
        }
    }
    for (auto it = m_checks.begin(); it != m_checks.end();) {
        if (wanted.count(it->first)) {
            ++it;
            continue;
        }
        stopCheck(*it->second);
        it = m_checks.erase(it);
    }
}

void HealthChecker::startCheck(Check &check)
{
    if (check.reply)
        return; // the previous one is still running

    QNetworkRequest request(check.checkUrl);
    request.setTransferTimeout(qMin(check.intervalMs, MaxTimeoutMs));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy); // 3xx counts as up
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("gatehouse-health-check"));
    if (!check.caFile.isEmpty() && check.checkUrl.scheme() == QLatin1String("https")) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(check.caFile);
        request.setSslConfiguration(ssl);
    }

    QNetworkReply *reply = network()->get(request);
    check.reply = reply;
    ++m_checksSent;
    // Look the check up by key on completion: it may have been removed meanwhile.
    connect(reply, &QNetworkReply::finished, this,
            [this, key = check.key, reply] { finishCheck(key, reply); });
}

void HealthChecker::finishCheck(const QString &key, QNetworkReply *reply)
{
    reply->deleteLater();
    const auto it = m_checks.find(key);
    if (it == m_checks.end() || it->second->reply != reply)
        return;
    Check &check = *it->second;
    check.reply = nullptr;

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const bool up = status >= 200 && status < 400;
    if (check.health->setActiveResult(up))
        Q_EMIT targetHealthChanged(check.service, check.url, up);
}

void HealthChecker::stopCheck(Check &check)
{
    if (check.timer) {
        check.timer->stop();
        check.timer->deleteLater();
        check.timer = nullptr;
    }
    if (QNetworkReply *reply = check.reply) {
        check.reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

} // namespace gh
