#include "Gateway.h"

#include "CommandLine.h"
#include "admin/AdminApi.h"
#include "admin/AdminEvents.h"
#include "admin/AdminHandler.h"
#include "ai/AiCatalog.h"
#include "cache/ResponseCache.h"
#include "config/ConfigApplier.h"
#include "config/ConfigExporter.h"
#include "config/ConfigLoader.h"
#include "config/ConfigService.h"
#include "config/ConfigValidator.h"
#include "http/HttpServer.h"
#include "log/RequestLog.h"
#include "metrics/MetricsRegistry.h"
#include "policy/ApiKey.h"
#include "policy/ConsumerDirectory.h"
#include "policy/RateLimiter.h"
#include "policy/SpendLedger.h"
#include "proxy/GatewayHandler.h"
#include "routing/ConfigSnapshot.h"
#include "routing/HealthChecker.h"
#include "routing/SnapshotHolder.h"
#include "routing/TargetHealthRegistry.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretResolver.h"
#include "store/RequestLogReader.h"
#include "store/RequestLogWriter.h"
#include "store/Store.h"
#include "tls/LocalCertificateAuthority.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTimer>

#include <limits>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gh {

namespace {

const char kTokenFile[] = "admin.token";
// When this process started (for process_start_time_seconds).
const qint64 s_processStart = QDateTime::currentMSecsSinceEpoch();

ConfigContext contextFrom(Store &store)
{
    return ConfigService::contextOf(store);
}

} // namespace

Gateway::Gateway(QObject *parent)
    : QObject(parent)
    , m_snapshots(std::make_unique<SnapshotHolder>())
    , m_healthRegistry(std::make_unique<TargetHealthRegistry>())
    , m_healthChecker(std::make_unique<HealthChecker>())
    , m_desktopKey(ApiKey::generate().toLatin1())
    , m_cache(std::make_shared<ResponseCache>())
    , m_rateLimiter(std::make_shared<RateLimiter>())
    , m_requestLog(std::make_unique<RequestLog>())
    , m_metrics(std::make_shared<MetricsRegistry>())
    , m_events(std::make_unique<AdminEvents>(m_requestLog.get()))
    , m_logReader(std::make_unique<RequestLogReader>())
{
    connect(m_requestLog.get(), &RequestLog::recordsDropped, this, [this](quint64 total) {
        m_events->publish("log_dropped", QJsonObject{{"dropped_total", double(total)}});
    });
    connect(this, &Gateway::budgetWarning, this,
            [this](const QJsonObject &warning) { m_events->publish("budget", warning); });
    connect(this, &Gateway::configChanged, this, [this] {
        m_events->publish("config", QJsonObject{{"generation", double(m_generation)}});
    });
    // AI spend reaches the store once a second, off the workers' path.
    auto *spendTimer = new QTimer(this);
    spendTimer->setInterval(1000);
    connect(spendTimer, &QTimer::timeout, this, &Gateway::flushSpend);
    spendTimer->start();
}

Gateway::~Gateway()
{
    m_events->closeAll();
    // Servers own threads; tear them down before the store and snapshots they reach.
    m_gatewayServer.reset();
    m_adminServer.reset();
    m_healthChecker.reset();
    flushSpend();
    m_requestLog->close(); // everything the workers logged, written
}

void Gateway::flushSpend()
{
    if (!m_store || !m_ledger)
        return;
    for (const SpendLedger::Warning &warning : m_ledger->takeWarnings()) {
        Q_EMIT budgetWarning(QJsonObject{
            {"scope", warning.scope == SpendLedger::Warning::Scope::Consumer ? "consumer" : "provider"},
            {"name", warning.name},
            {"spent_usd", warning.spent},
            {"budget_usd", warning.budget.usd},
            {"period", Budget::periodName(warning.budget.period)}});
    }
    const QList<SpendLedger::DayRow> rows = m_ledger->takePending();
    if (rows.isEmpty())
        return;
    if (!m_store->spend().add(rows)) {
        // Kept in memory for the next flush: budgets still see it, nothing is lost.
        m_ledger->returnPending(rows);
        qWarning("gatehouse: cannot record AI spend: %s", qPrintable(m_store->spend().lastError()));
    }
}

bool Gateway::fail(Error kind, const QString &message)
{
    m_errorKind = kind;
    m_error = message;
    return false;
}

bool Gateway::open(const GatewayOptions &options)
{
    if (m_state == State::Running || m_state == State::Stopping)
        return fail(Error::Other, QStringLiteral("stop the gateway before reopening it"));
    m_options = options;
    if (m_options.dataDir.isEmpty())
        m_options.dataDir = GatewayOptions::defaultDataDir();
    if (m_options.workers <= 0)
        m_options.workers = GatewayOptions::defaultWorkers();
    m_errorKind = Error::None;
    m_error.clear();
    m_problems.clear();
    // Whatever happens next, nothing may keep serving from the store being replaced.
    flushSpend();
    m_adminApi.reset();
    m_resolver.reset();
    m_requestLog->close();
    m_logReader->setDatabasePath({});
    m_store.reset();
    setState(State::Closed);

    const QString dir = QDir::cleanPath(m_options.dataDir);
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir())
        return fail(Error::BadDataDir, QStringLiteral("data dir %1 is not a directory").arg(dir));
    if (!QDir().mkpath(dir))
        return fail(Error::BadDataDir, QStringLiteral("cannot create data dir %1").arg(dir));
    if (::access(QFile::encodeName(dir).constData(), R_OK | W_OK | X_OK) != 0)
        return fail(Error::BadDataDir, QStringLiteral("data dir %1 is not readable and writable: %2")
                                           .arg(dir, QString::fromLocal8Bit(strerror(errno))));
    m_options.dataDir = dir;

    auto store = std::make_unique<Store>();
    QString error;
    if (!store->open(dir, &error))
        return fail(Error::BadDataDir, error);
    m_store = std::move(store);
    // After the Store: its migrations made the request_log table the writer prepares for.
    if (!m_requestLog->open(QDir(dir).filePath(Store::fileName()), &error))
        return fail(Error::BadDataDir, error);
    m_logReader->setDatabasePath(QDir(dir).filePath(Store::fileName()));
    // Budgets count what was spent before a restart: a month back covers every period.
    m_ledger = std::make_shared<SpendLedger>();
    m_ledger->load(m_store->spend().since(QDateTime::currentDateTimeUtc().date().addDays(-62)));
    if (!loadAdminToken())
        return false;

    if (!m_secretStore)
        m_secretStore = std::make_unique<KeychainSecretStore>();
    m_resolver = std::make_unique<SecretResolver>(m_secretStore.get());

    if (!m_options.configFile.isEmpty()) {
        ConfigDocument doc = ConfigLoader::loadFile(m_options.configFile);
        if (doc.problems.isEmpty())
            doc.problems = ConfigValidator::validate(doc.root, contextFrom(*m_store));
        if (doc.problems.isEmpty()) {
            const ConfigApplier::Result applied = ConfigApplier(*m_store, *m_resolver).apply(doc.root);
            doc.problems = applied.problems;
            for (const QString &warning : applied.warnings)
                m_problems.append(QStringLiteral("warning: %1: %2").arg(m_options.configFile, warning));
        }
        if (!doc.problems.isEmpty()) {
            for (const ConfigProblem &p : std::as_const(doc.problems))
                m_problems.append(QStringLiteral("%1: %2").arg(m_options.configFile, p.toString()));
            return fail(Error::BadConfig,
                        QStringLiteral("%1 has %2 problem(s)").arg(m_options.configFile).arg(doc.problems.size()));
        }
    }

    m_adminApi = std::make_unique<AdminApi>(*m_store, *m_resolver, m_adminToken);
    m_adminApi->setResponseCache(m_cache.get());
    m_adminApi->setRequestLog(m_requestLog.get(), m_logReader.get());
    m_adminApi->setMetricsSource([this] { return metricsText(); });
    m_adminApi->setChangeCallback([this] {
        publishSnapshot(); // applies to new requests at once
        Q_EMIT configChanged();
    });
    publishSnapshot();
    setState(State::Stopped);
    Q_EMIT configChanged();
    return true;
}

bool Gateway::loadAdminToken()
{
    m_adminToken = qEnvironmentVariable("GATEHOUSE_ADMIN_TOKEN");
    if (!m_adminToken.isEmpty())
        return true;
    const QString path = QDir(m_options.dataDir).filePath(QLatin1String(kTokenFile));
    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly))
            return fail(Error::BadDataDir, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        m_adminToken = QString::fromUtf8(file.readAll()).trimmed();
        if (!m_adminToken.isEmpty())
            return true;
    }
    // Created 0600 from the start, never widened then narrowed.
    const QByteArray encoded = QFile::encodeName(path);
    const int fd = ::open(encoded.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(Error::BadDataDir, QStringLiteral("cannot create %1: %2")
                                           .arg(path, QString::fromLocal8Bit(strerror(errno))));
    ::fchmod(fd, 0600);
    m_adminToken = ApiKey::generate().replace(0, 3, QStringLiteral("gha-"));
    const QByteArray bytes = m_adminToken.toUtf8() + '\n';
    const bool written = ::write(fd, bytes.constData(), size_t(bytes.size())) == bytes.size();
    ::close(fd);
    if (!written)
        return fail(Error::BadDataDir, QStringLiteral("cannot write %1").arg(path));
    return true;
}

bool Gateway::start()
{
    if (m_state == State::Running)
        return true;
    if (m_state != State::Stopped)
        return fail(Error::Other, m_state == State::Closed ? QStringLiteral("the gateway is not open")
                                                           : QStringLiteral("the gateway is stopping"));
    m_errorKind = Error::None;
    m_error.clear();
    // The command line refuses this already; the desktop settings and embedders too.
    if (const QString problem = CommandLine::adminBindProblem(m_options); !problem.isEmpty())
        return fail(Error::Other, problem);
    QSslConfiguration tls; // null: plain HTTP
    if (m_options.tls) {
        LocalCertificateAuthority ca(LocalCertificateAuthority::directoryFor(m_options.dataDir));
        QString error;
        if (!QSslSocket::supportsSsl())
            return fail(Error::Other, QStringLiteral("--tls: no TLS backend (OpenSSL 3) available to Qt"));
        if (!ca.ensure(&error))
            return fail(Error::BadDataDir, QStringLiteral("--tls: %1").arg(error));
        tls = ca.serverConfiguration();
    }

    HttpServer::Options gatewayOptions;
    gatewayOptions.workers = m_options.workers;
    gatewayOptions.tls = tls;
    // Each route sets its own body limit (max_body_bytes, 10 MiB by default) once it is
    // matched; the listener itself must not cap what a route allows.
    gatewayOptions.maxBodyBytes = std::numeric_limits<qint64>::max();
    const SnapshotHolder *snapshots = m_snapshots.get();
    std::shared_ptr<ResponseCache> cache = m_cache;
    std::shared_ptr<RateLimiter> limiter = m_rateLimiter;
    std::shared_ptr<RequestLogWriter> log = m_requestLog->sharedWriter();
    std::shared_ptr<MetricsRegistry> metrics = m_metrics;
    auto gatewayServer = std::make_unique<HttpServer>(
        [snapshots, cache, limiter, log, metrics]() -> std::unique_ptr<HttpExchangeHandler> {
            // One log buffer and one set of counters per worker, asked for once on the
            // worker's thread.
            return std::make_unique<GatewayHandler>(*snapshots, 0, cache, limiter,
                                                    log ? log->addBuffer() : nullptr,
                                                    metrics->addWorker());
        },
        gatewayOptions);
    if (!gatewayServer->listen(m_options.listenAddress, m_options.listenPort)) {
        return fail(gatewayServer->listenError() == HttpServer::ListenError::AddressInUse ? Error::PortInUse
                                                                                          : Error::Other,
                    QStringLiteral("gateway listener: %1").arg(gatewayServer->errorString()));
    }
    HttpServer::Options adminOptions; // workers = 0: the admin API shares the store's thread
    adminOptions.tls = tls;
    AdminApi *api = m_adminApi.get();
    AdminEvents *events = m_events.get();
    auto adminServer = std::make_unique<HttpServer>(
        [api, events]() -> std::unique_ptr<HttpExchangeHandler> {
            return std::make_unique<AdminHandler>(api, events);
        },
        adminOptions);
    if (!adminServer->listen(m_options.adminAddress, m_options.adminPort)) {
        return fail(adminServer->listenError() == HttpServer::ListenError::AddressInUse ? Error::PortInUse
                                                                                        : Error::Other,
                    QStringLiteral("admin listener: %1").arg(adminServer->errorString()));
    }
    m_gatewayServer = std::move(gatewayServer);
    m_adminServer = std::move(adminServer);
    m_startedAt = QDateTime::currentDateTimeUtc();
    setState(State::Running);
    return true;
}

void Gateway::stop(int graceMs)
{
    if (m_state != State::Running)
        return;
    setState(State::Stopping);
    m_events->closeAll(); // open /events streams would hold the admin listener's drain
    m_pendingDrains = 0;
    for (HttpServer *server : {m_gatewayServer.get(), m_adminServer.get()}) {
        ++m_pendingDrains;
        connect(server, &HttpServer::drained, this, [this] {
            if (--m_pendingDrains == 0)
                finishStop();
        }, Qt::QueuedConnection);
        server->shutdown(graceMs);
    }
}

void Gateway::finishStop()
{
    m_servedBefore += m_gatewayServer ? m_gatewayServer->requestsServed() : 0;
    m_gatewayServer.reset();
    m_adminServer.reset();
    m_startedAt = {};
    flushSpend(); // what the drained requests spent
    m_requestLog->flush(); // and what they logged (SPEC §1: flush logs on stop)
    setState(State::Stopped);
    Q_EMIT stopped();
}

void Gateway::publishSnapshot()
{
    ConfigExporter exporter(*m_store);
    const QJsonObject config = exporter.exportAll();
    QStringList warnings;
    // From the key rows, not the export: expiry and revocation times come along.
    ConsumerDirectory consumers =
        ConsumerDirectory::fromKeys(m_store->consumerKeys().listAll(), *m_resolver, &warnings);
    consumers.addKey(m_desktopKey, QStringLiteral("gatehouse-desktop"));
    auto ai = std::make_shared<const AiCatalog>(AiCatalog::build(config, *m_resolver, &warnings, m_ledger));
    // JWT keys are resolved and parsed here, once per config change, never per request.
    JwtDirectory jwt = JwtDirectory::build(config.value(QLatin1String("routes")).toArray(),
                                           *m_resolver, &warnings);
    for (const QString &warning : std::as_const(warnings))
        qWarning("gatehouse: %s", qPrintable(warning));
    const std::shared_ptr<const ConfigSnapshot> previous = m_snapshots->current();
    auto snapshot = ConfigSnapshot::build(config, *m_healthRegistry, ++m_generation, previous.get(),
                                          std::move(consumers), std::move(ai), std::move(jwt));
    m_snapshots->publish(snapshot);
    m_healthChecker->setSnapshot(snapshot);
    m_requestLog->setRetentionDays(config.value(QLatin1String("settings"))
                                       .toObject()
                                       .value(QLatin1String("log_retention_days"))
                                       .toInt(30));
    // settings.cache.max_mb (0: off); entries survive the reload, a smaller size evicts.
    m_cache->setCapacity(
        config.value(QLatin1String("settings")).toObject().value(QLatin1String("cache")).toObject()
            .value(QLatin1String("max_mb")).toInteger(256) * 1024 * 1024);
}

void Gateway::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

QString Gateway::gatewayUrl() const
{
    if (!m_gatewayServer)
        return QLatin1String(m_options.tls ? "https://" : "http://") + GatewayOptions::formatHostPort(m_options.listenAddress, m_options.listenPort);
    return QLatin1String(m_options.tls ? "https://" : "http://")
           + GatewayOptions::formatHostPort(m_gatewayServer->serverAddress(), m_gatewayServer->serverPort());
}

QString Gateway::adminUrl() const
{
    if (!m_adminServer)
        return QLatin1String(m_options.tls ? "https://" : "http://") + GatewayOptions::formatHostPort(m_options.adminAddress, m_options.adminPort);
    return QLatin1String(m_options.tls ? "https://" : "http://")
           + GatewayOptions::formatHostPort(m_adminServer->serverAddress(), m_adminServer->serverPort());
}

quint64 Gateway::requestsServed() const
{
    return m_servedBefore + (m_gatewayServer ? m_gatewayServer->requestsServed() : 0);
}

QByteArray Gateway::metricsText() const
{
    MetricsRegistry::Gauges gauges;
    gauges.openConnections = openConnections();
    gauges.logWritten = m_requestLog->written();
    gauges.logDropped = m_requestLog->dropped();
    gauges.residentBytes = MetricsRegistry::residentBytes();
    gauges.startTimeSeconds = double(s_processStart) / 1000.0;
    gauges.configGeneration = m_generation;
    gauges.cacheEntries = m_cache->count();
    gauges.cacheBytes = m_cache->bytes();
    if (const auto snapshot = m_snapshots->current()) {
        for (const CompiledService &service : snapshot->services()) {
            for (const ServiceTarget &target : service.targets) {
                const bool ejected = target.health && target.health->isEjected();
                const bool down = target.health && target.health->activeState() == TargetHealth::ActiveState::Down;
                gauges.upstreams.append({service.name, target.url, !ejected && !down, ejected});
            }
        }
    }
    return m_metrics->render(gauges);
}

int Gateway::openConnections() const
{
    return m_gatewayServer ? m_gatewayServer->openConnections() : 0;
}

QList<QJsonObject> Gateway::entities(EntityKind kind) const
{
    if (!m_store)
        return {};
    return ConfigExporter(*m_store).list(kind);
}

ConfigService::Result Gateway::change(const std::function<ConfigService::Result(ConfigService &)> &operation)
{
    if (!m_store || !m_resolver) {
        ConfigService::Result closed;
        closed.status = ConfigService::Status::StoreError;
        closed.problems.append({QString(), QStringLiteral("the gateway's data dir is not open")});
        return closed;
    }
    ConfigService service(*m_store, *m_resolver);
    ConfigService::Result result = operation(service);
    if (result.ok()) {
        publishSnapshot();
        Q_EMIT configChanged();
    }
    return result;
}

ConfigService::Result Gateway::putEntity(EntityKind kind, const QString &key, const QJsonObject &entity)
{
    return change([&](ConfigService &service) { return service.putEntity(kind, key, entity); });
}

ConfigService::Result Gateway::deleteEntity(EntityKind kind, const QString &key)
{
    return change([&](ConfigService &service) { return service.deleteEntity(kind, key); });
}

ConfigBundle::Export Gateway::exportBundle(const ConfigBundle::Selection &selection) const
{
    if (!m_store || !m_resolver)
        return {{}, {{QString(), QStringLiteral("the gateway's data dir is not open")}}};
    return ConfigService(*m_store, *m_resolver).exportBundle(selection);
}

ConfigBundle::Plan Gateway::planBundle(const QJsonObject &bundle, ConfigBundle::Mode mode) const
{
    if (!m_store || !m_resolver) {
        ConfigBundle::Plan closed;
        closed.problems.append({QString(), QStringLiteral("the gateway's data dir is not open")});
        return closed;
    }
    return ConfigService(*m_store, *m_resolver).planBundle(bundle, mode);
}

ConfigService::Result Gateway::applyBundle(const QJsonObject &bundle, ConfigBundle::Mode mode,
                                           ConfigBundle::Plan *plan)
{
    return change(
        [&](ConfigService &service) { return service.applyBundle(bundle, mode, plan); });
}

std::optional<double> Gateway::aiCost(const QString &provider, const QString &upstreamModel,
                                      const ChatUsage &usage) const
{
    const std::shared_ptr<const ConfigSnapshot> snapshot = m_snapshots->current();
    if (!snapshot)
        return std::nullopt;
    const CompiledProvider *compiled = snapshot->ai().provider(provider);
    if (!compiled)
        return std::nullopt;
    const std::optional<ModelPrice> price = snapshot->ai().price(*compiled, upstreamModel);
    if (!price)
        return std::nullopt;
    return PriceTable::cost(*price, usage);
}

BudgetStatus Gateway::consumerSpend(const QString &consumer, const QDate &day) const
{
    const QDate when = day.isValid() ? day : QDateTime::currentDateTimeUtc().date();
    std::optional<Budget> budget;
    if (m_store) {
        const std::optional<QJsonObject> stored =
            m_store->entities(EntityKind::Consumer).get(consumer);
        if (stored)
            budget = Budget::fromJson(stored->value(QLatin1String("budget")).toObject());
    }
    // Closed: a ledger with nothing in it answers the periods.
    return m_ledger ? m_ledger->consumerStatus(consumer, budget, when)
                    : SpendLedger().consumerStatus(consumer, budget, when);
}

int Gateway::purgeCache()
{
    return m_cache->purge();
}

ConsumerKeyService::Result
Gateway::keyChange(const std::function<ConsumerKeyService::Result(ConsumerKeyService &)> &operation)
{
    if (!m_store) {
        ConsumerKeyService::Result closed;
        closed.status = ConsumerKeyService::Status::StoreError;
        closed.message = QStringLiteral("the gateway's data dir is not open");
        return closed;
    }
    ConsumerKeyService service(*m_store);
    ConsumerKeyService::Result result = operation(service);
    if (result.ok() && result.key.id) {
        publishSnapshot();
        Q_EMIT configChanged();
    }
    return result;
}

ConsumerKeyService::Result Gateway::consumerKeys(const QString &consumer) const
{
    if (!m_store) {
        ConsumerKeyService::Result closed;
        closed.status = ConsumerKeyService::Status::StoreError;
        closed.message = QStringLiteral("the gateway's data dir is not open");
        return closed;
    }
    return ConsumerKeyService(*m_store).list(consumer);
}

ConsumerKeyService::Result Gateway::createConsumerKey(const QString &consumer,
                                                      const ConsumerKeyService::Options &options)
{
    return keyChange([&](ConsumerKeyService &service) { return service.create(consumer, options); });
}

ConsumerKeyService::Result Gateway::revokeConsumerKey(const QString &consumer, const QString &prefix)
{
    return keyChange([&](ConsumerKeyService &service) { return service.revoke(consumer, prefix); });
}

ConsumerKeyService::Result Gateway::rotateConsumerKey(const QString &consumer, const QString &prefix,
                                                      int graceSeconds,
                                                      const ConsumerKeyService::Options &options)
{
    return keyChange([&](ConsumerKeyService &service) {
        return service.rotate(consumer, prefix, graceSeconds, options);
    });
}

QJsonObject Gateway::settings() const
{
    if (!m_store)
        return {};
    QJsonObject settings = m_store->settings().load();
    ConfigValidator::validateSettings(settings);
    return settings;
}

} // namespace gh
