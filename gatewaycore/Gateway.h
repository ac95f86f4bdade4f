#pragma once

#include "GatewayOptions.h"
#include "config/ConfigService.h"
#include "config/EntityKind.h"
#include "policy/ConsumerKeyService.h"
#include "policy/SpendLedger.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace gh {

struct ChatUsage;
class ResponseCache;
class RateLimiter;
class RequestLog;
class MetricsRegistry;
class AdminEvents;
class RequestLogReader;

class AdminApi;
class HealthChecker;
class HttpServer;
class SnapshotHolder;
class TargetHealthRegistry;
class SecretResolver;
class SecretStore;
class Store;

// The one door into the gateway core for both programs: the daemon drives it from
// main(), the desktop app through signals and slots. Lives on the main thread; the
// HTTP workers it starts have their own threads.
class Gateway : public QObject
{
    Q_OBJECT

public:
    enum class State { Closed, Stopped, Running, Stopping };
    Q_ENUM(State)
    // Maps onto the daemon's exit codes: BadConfig 1, BadDataDir 2, PortInUse 3.
    enum class Error { None, BadConfig, BadDataDir, PortInUse, Other };
    Q_ENUM(Error)

    explicit Gateway(QObject *parent = nullptr);
    ~Gateway() override;

    // Opens the data dir and store and applies options.configFile. No sockets yet.
    bool open(const GatewayOptions &options);
    // Starts both listeners; port 0 picks a free one.
    bool start();
    // Graceful: stop accepting, let in-flight requests finish (up to graceMs), then emit
    // stopped(). The store stays open so start() can follow.
    void stop(int graceMs = 10000);

    State state() const { return m_state; }
    Error lastErrorKind() const { return m_errorKind; }
    QString lastError() const { return m_error; }
    QStringList lastProblems() const { return m_problems; }
    const GatewayOptions &options() const { return m_options; }

    QString gatewayUrl() const; // http://127.0.0.1:4141 with the actual port
    QString adminUrl() const;
    QDateTime startedAt() const { return m_startedAt; }
    quint64 requestsServed() const;
    int openConnections() const;
    QString adminToken() const { return m_adminToken; }
    // The desktop app's own consumer key ("gatehouse-desktop", all models): generated per
    // process, never stored, so the Playground can call the gateway's AI endpoints.
    QByteArray desktopKey() const { return m_desktopKey; }

    // Read access to what the store holds, for the desktop pages (main thread only).
    QList<QJsonObject> entities(EntityKind kind) const;
    // Changes from the desktop editors: validated like the admin API's, applied to new
    // requests at once. A closed gateway answers StoreError.
    ConfigService::Result putEntity(EntityKind kind, const QString &key, const QJsonObject &entity);
    ConfigService::Result deleteEntity(EntityKind kind, const QString &key);
    QJsonObject settings() const;
    // Bundles (docs/bundles.md) for the desktop's export and import dialogs: the admin API's
    // logic; an applied bundle reaches new requests at once, like any change. Closed: the
    // export and the plan carry a problem saying so, the apply answers StoreError.
    ConfigBundle::Export exportBundle(const ConfigBundle::Selection &selection) const;
    ConfigBundle::Plan planBundle(const QJsonObject &bundle, ConfigBundle::Mode mode) const;
    ConfigService::Result applyBundle(const QJsonObject &bundle, ConfigBundle::Mode mode,
                                      ConfigBundle::Plan *plan = nullptr);
    // What an AI call with this usage cost at the prices the gateway serves with (built-in
    // table under the config's prices), as the gateway itself computes it; nullopt when the
    // provider is unknown or the model has no price.
    std::optional<double> aiCost(const QString &provider, const QString &upstreamModel,
                                 const ChatUsage &usage) const;
    // Consumer keys for the desktop Consumers page: the admin API's logic, each change
    // published to new requests at once. A closed gateway answers StoreError.
    ConsumerKeyService::Result consumerKeys(const QString &consumer) const;
    ConsumerKeyService::Result createConsumerKey(const QString &consumer,
                                                 const ConsumerKeyService::Options &options = {});
    ConsumerKeyService::Result revokeConsumerKey(const QString &consumer, const QString &prefix);
    ConsumerKeyService::Result rotateConsumerKey(const QString &consumer, const QString &prefix,
                                                 int graceSeconds = 0,
                                                 const ConsumerKeyService::Options &options = {});
    // What the consumer's AI calls cost in the current period of its stored budget (the
    // calendar month without one), as the budget check sees it: spend recorded a moment
    // ago included. day: the UTC day to look at (default today). Closed: nothing spent.
    BudgetStatus consumerSpend(const QString &consumer, const QDate &day = {}) const;
    // Empties the response cache (route and AI entries); returns how many were removed.
    int purgeCache();
    // The response cache shared by the gateway workers (settings.cache.max_mb).
    const ResponseCache &responseCache() const { return *m_cache; }
    // The request log (SPEC §6, docs/logging.md): its writer, counters and the coalesced
    // recordsWritten() batches for live views. Open while the data dir is.
    RequestLog *requestLog() const { return m_requestLog.get(); }
    // Read-only queries of the request log for the desktop pages, off the main thread on
    // connections of their own (history, one request's bodies, usage, series). Queries
    // made while the data dir is closed fail with a message.
    const RequestLogReader *logReader() const { return m_logReader.get(); }
    // The secret store the desktop app and the config use (may report "no keychain").
    SecretStore *secretStore() const { return m_secretStore.get(); }
    // GET /metrics: the Prometheus text of everything counted so far (docs/metrics.md).
    QByteArray metricsText() const;
    // The config the gateway workers serve from; bumps with every change.
    quint64 configGeneration() const { return m_generation; }

Q_SIGNALS:
    void stateChanged(gh::Gateway::State state);
    // Something in the store changed (admin API, config apply): views should reload.
    void configChanged();
    void stopped();
    // A consumer or provider budget passed 80 % (once per budget and period): scope
    // "consumer"/"provider", name, spent_usd, budget_usd, period. Also an /events event.
    void budgetWarning(const QJsonObject &warning);

private:
    bool fail(Error kind, const QString &message);
    bool loadAdminToken();
    void setState(State state);
    void finishStop();
    // Compiles the store into a new immutable snapshot and publishes it to the workers.
    void publishSnapshot();
    // Hands recorded AI spend to the store (every second, at stop and close).
    void flushSpend();
    ConfigService::Result change(const std::function<ConfigService::Result(ConfigService &)> &operation);
    ConsumerKeyService::Result
    keyChange(const std::function<ConsumerKeyService::Result(ConsumerKeyService &)> &operation);

    GatewayOptions m_options;
    State m_state = State::Closed;
    Error m_errorKind = Error::None;
    QString m_error;
    QStringList m_problems;
    QString m_adminToken;
    QDateTime m_startedAt;
    quint64 m_servedBefore = 0; // requests of earlier runs, so the counter survives stop/start
    int m_pendingDrains = 0;

    quint64 m_generation = 0;
    std::unique_ptr<SnapshotHolder> m_snapshots;       // outlives the servers reading it
    std::unique_ptr<TargetHealthRegistry> m_healthRegistry;
    std::unique_ptr<HealthChecker> m_healthChecker;
    QByteArray m_desktopKey;
    std::shared_ptr<SpendLedger> m_ledger;
    std::shared_ptr<ResponseCache> m_cache; // survives reloads, stop and start
    std::shared_ptr<RateLimiter> m_rateLimiter; // shared by the workers, survives reloads
    std::unique_ptr<Store> m_store;
    // Its writer thread has its own connection to the store's file.
    std::unique_ptr<RequestLog> m_requestLog;
    std::shared_ptr<MetricsRegistry> m_metrics; // counters survive stop and start
    std::unique_ptr<AdminEvents> m_events;      // GET /events subscribers
    std::unique_ptr<RequestLogReader> m_logReader; // its queries hold no pointer to us
    std::unique_ptr<SecretStore> m_secretStore;
    std::unique_ptr<SecretResolver> m_resolver;
    std::unique_ptr<AdminApi> m_adminApi;
    std::unique_ptr<HttpServer> m_gatewayServer;
    std::unique_ptr<HttpServer> m_adminServer;
};

} // namespace gh
