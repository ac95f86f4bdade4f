#include "AdminApi.h"

#include <algorithm>

#include "cache/ResponseCache.h"
#include "config/ConfigExporter.h"
#include "config/ConfigLoader.h"
#include "config/YamlWriter.h"
#include "log/RequestLog.h"
#include "policy/ApiKey.h"
#include "store/RequestLogQuery.h"
#include "store/RequestLogReader.h"
#include "store/Store.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

namespace gh {

namespace {

QJsonArray problemsJson(const ConfigProblems &problems)
{
    QJsonArray result;
    for (const ConfigProblem &p : problems)
        result.append(QJsonObject{{"path", p.path}, {"message", p.message}});
    return result;
}

// 400 (or `status`) naming every field that is wrong, in the OpenAI error shape plus the
// list of problems so a client can show each next to its field.
HttpResponse problemsResponse(const ConfigProblems &problems, int status = 400,
                              const QByteArray &code = "invalid_config")
{
    QStringList lines;
    for (const ConfigProblem &p : problems)
        lines.append(p.toString());
    QJsonObject error{{"message", lines.join(QStringLiteral("; "))},
                      {"type", "invalid_request_error"},
                      {"code", QString::fromLatin1(code)},
                      {"problems", problemsJson(problems)}};
    return HttpResponse::json(status, QJsonObject{{"error", error}});
}

bool wantsYaml(const HttpRequest &request)
{
    const QString format = request.queryItems().queryItemValue(QStringLiteral("format"));
    if (!format.isEmpty())
        return format == QLatin1String("yaml");
    const QByteArray accept = request.headers.value("accept");
    return accept.contains("yaml") && !accept.contains("json");
}

// Parses a request body as a config document or entity: JSON, or YAML when the
// Content-Type says so.
ConfigDocument parseBody(const HttpRequest &request)
{
    const QByteArray type = request.headers.value("content-type").toLower();
    const ConfigFormat format = type.contains("yaml") ? ConfigFormat::Yaml : ConfigFormat::Json;
    if (request.body.trimmed().isEmpty())
        return {{}, {{QString(), QStringLiteral("request body is empty; expected a JSON object")}}};
    return ConfigLoader::parse(request.body, format);
}

HttpResponse methodNotAllowed(const char *path)
{
    HttpResponse r =
        HttpResponse::error(405, QStringLiteral("use GET %1").arg(QLatin1String(path)));
    r.headers.set("Allow", "GET, HEAD");
    return r;
}

HttpResponse logsResponse(const std::optional<RequestLogQuery::Page> &page, const QString &error,
                          quint64 written, quint64 dropped)
{
    if (!page)
        return HttpResponse::error(500,
                                   QStringLiteral("cannot read the request log: %1").arg(error));
    QJsonArray rows;
    for (const RequestRecord &record : page->rows)
        rows.append(RequestLogQuery::toJson(record));
    QJsonObject body{{"logs", rows}, {"has_more", page->hasMore}};
    // The next (older) page: the same filters with before_id.
    body.insert(QStringLiteral("next_before_id"),
                page->hasMore ? QJsonValue(page->rows.last().id) : QJsonValue());
    body.insert(QStringLiteral("written"), qint64(written));
    body.insert(QStringLiteral("dropped"), qint64(dropped));
    return HttpResponse::json(200, body);
}

HttpResponse usageResponse(const RequestLogQuery::UsageFilter &filter,
                           const std::optional<RequestLogReader::Usage> &usage,
                           const QString &error)
{
    if (!usage)
        return HttpResponse::error(500,
                                   QStringLiteral("cannot read the request log: %1").arg(error));
    const QString key = RequestLogQuery::groupByName(filter.groupBy);
    QJsonObject body{
        {"from",
         filter.fromMs ? QJsonValue(RequestLogQuery::formatTime(*filter.fromMs)) : QJsonValue()},
        {"to", filter.toMs ? QJsonValue(RequestLogQuery::formatTime(*filter.toMs)) : QJsonValue()},
        {"group_by", key.isEmpty() ? QJsonValue() : QJsonValue(key)},
        {"total", RequestLogQuery::toJson(usage->total)}};
    if (!key.isEmpty()) {
        QJsonArray rows;
        for (const RequestLogQuery::UsageRow &row : usage->groups) {
            QJsonObject o = RequestLogQuery::toJson(row);
            o.insert(key, row.key.isNull() ? QJsonValue() : QJsonValue(row.key));
            rows.append(o);
        }
        body.insert(QStringLiteral("groups"), rows);
    }
    return HttpResponse::json(200, body);
}

} // namespace

AdminApi::AdminApi(Store &store, const SecretResolver &resolver, QString token)
    : m_store(store)
    , m_service(store, resolver)
    , m_keys(store)
    , m_token(std::move(token))
{}

bool AdminApi::authorized(const HttpRequest &request) const
{
    const QByteArray header = request.headers.value("authorization");
    if (!header.startsWith("Bearer "))
        return false;
    // Compare digests so the comparison takes the same time whatever the input.
    return ApiKey::digestsEqual(ApiKey::hash(QString::fromUtf8(header.mid(7).trimmed())),
                                ApiKey::hash(m_token));
}

HttpResponse AdminApi::handle(const HttpRequest &request)
{
    const QString path = QString::fromUtf8(request.path);
    if (path == QLatin1String("/health")) {
        if (request.method != "GET" && request.method != "HEAD")
            return HttpResponse::error(405, QStringLiteral("use GET /health"));
        return health();
    }
    // Prometheus scrapes from this machine need no token (SPEC §5); from elsewhere
    // (--allow-remote-admin) they do.
    if (path == QLatin1String("/metrics") && m_metrics &&
        (request.peerAddress.isLoopback() || authorized(request))) {
        if (request.method != "GET" && request.method != "HEAD") {
            HttpResponse r = HttpResponse::error(405, QStringLiteral("use GET /metrics"));
            r.headers.set("Allow", "GET, HEAD");
            return r;
        }
        return HttpResponse::text(200, m_metrics(), "text/plain; version=0.0.4; charset=utf-8");
    }
    if (!authorized(request)) {
        HttpResponse r = HttpResponse::error(
            401,
            QStringLiteral("missing or wrong admin token: send Authorization: Bearer <token> "
                           "(the token is in DATA_DIR/admin.token or $GATEHOUSE_ADMIN_TOKEN)"),
            "unauthorized", "authentication_error");
        r.headers.set("WWW-Authenticate", "Bearer realm=\"gatehouse-admin\"");
        return r;
    }
    if (path == QLatin1String("/config")) {
        if (request.method == "GET")
            return getConfig(request);
        if (request.method == "PUT")
            return putConfig(request);
        HttpResponse r = HttpResponse::error(405, QStringLiteral("use GET or PUT /config"));
        r.headers.set("Allow", "GET, PUT");
        return r;
    }
    if (path == QLatin1String("/cache") && m_cache)
        return cache(request);
    if (path == QLatin1String("/events")) {
        // An authorized GET never gets here: AdminHandler streams it.
        HttpResponse r =
            HttpResponse::error(405, QStringLiteral("use GET /events (server-sent events)"));
        r.headers.set("Allow", "GET");
        return r;
    }
    if (path.startsWith(QLatin1String("/bundles/")))
        return bundles(request, path.mid(9));
    const QStringList segments = path.mid(1).split(QLatin1Char('/'));
    if (const auto kind = kindFromCollectionPath(segments.first())) {
        // Model and price names may contain "/" (openrouter's "anthropic/claude-3.5-sonnet"),
        // so the key is everything after the collection.
        QString key = segments.mid(1).join(QLatin1Char('/'));
        key.replace(QStringLiteral("%2F"), QStringLiteral("/"), Qt::CaseInsensitive);
        key.replace(QStringLiteral("%25"), QStringLiteral("%"));
        if (*kind == EntityKind::Consumer && segments.size() >= 3 &&
            segments.at(2) == QLatin1String("keys"))
            return consumerKeys(request, segments);
        return collection(request, *kind, key);
    }
    return HttpResponse::error(
        404,
        QStringLiteral("no admin endpoint %1 %2").arg(QString::fromLatin1(request.method), path),
        "not_found");
}

HttpResponse AdminApi::cache(const HttpRequest &request)
{
    if (request.method == "GET" || request.method == "HEAD") {
        return HttpResponse::json(200, QJsonObject{{"entries", m_cache->count()},
                                                   {"bytes", m_cache->bytes()},
                                                   {"capacity_bytes", m_cache->capacity()}});
    }
    if (request.method == "DELETE") {
        const QUrlQuery query = request.queryItems();
        const int removed = query.hasQueryItem(QStringLiteral("route"))
                                ? m_cache->purgeScope(query.queryItemValue(QStringLiteral("route"),
                                                                           QUrl::FullyDecoded))
                                : m_cache->purge();
        return HttpResponse::json(200, QJsonObject{{"removed", removed}});
    }
    HttpResponse r = HttpResponse::error(405, QStringLiteral("use GET or DELETE /cache"));
    r.headers.set("Allow", "GET, DELETE");
    return r;
}

namespace {

QJsonObject planJson(const ConfigBundle::Plan &plan, ConfigBundle::Mode mode)
{
    QJsonObject out{{"mode", mode == ConfigBundle::Mode::Merge ? "merge" : "replace"}};
    for (const auto type :
         {ConfigBundle::ChangeType::Add, ConfigBundle::ChangeType::Change,
          ConfigBundle::ChangeType::Remove, ConfigBundle::ChangeType::Unchanged}) {
        QJsonArray items;
        for (const ConfigBundle::Change &change : plan.ofType(type)) {
            QJsonObject item{{"kind", sectionName(change.kind)}, {"name", change.key}};
            if (type == ConfigBundle::ChangeType::Change)
                item.insert("fields", QJsonArray::fromStringList(change.fields));
            items.append(item);
        }
        out.insert(ConfigBundle::changeTypeName(type), items);
    }
    out.insert("warnings", QJsonArray::fromStringList(plan.warnings));
    return out;
}

} // namespace

HttpResponse AdminApi::bundles(const HttpRequest &request, const QString &action)
{
    static const QStringList actions{QStringLiteral("export"), QStringLiteral("preview"),
                                     QStringLiteral("apply")};
    if (!actions.contains(action))
        return HttpResponse::error(
            404,
            QStringLiteral("no admin endpoint /bundles/%1; use /bundles/export, "
                           "/bundles/preview or /bundles/apply")
                .arg(action),
            "not_found");
    if (request.method != "POST") {
        HttpResponse r =
            HttpResponse::error(405, QStringLiteral("use POST /bundles/%1").arg(action));
        r.headers.set("Allow", "POST");
        return r;
    }
    const ConfigDocument doc = parseBody(request);
    if (!doc.problems.isEmpty())
        return problemsResponse(doc.problems);
    const QUrlQuery query = request.queryItems();

    if (action == QLatin1String("export")) {
        // Body: {"routes": ["a"], "prompt_apis": ["b"], ..., "dependencies": true}
        ConfigBundle::Selection selection;
        ConfigProblems problems;
        for (auto it = doc.root.begin(); it != doc.root.end(); ++it) {
            if (it.key() == QLatin1String("dependencies")) {
                if (!it.value().isBool())
                    problems.append({it.key(), QStringLiteral("must be true or false")});
                selection.withDependencies = it.value().toBool(true);
                continue;
            }
            const auto kind = kindFromSection(it.key());
            if (!kind) {
                problems.append(
                    {it.key(),
                     QStringLiteral("unknown section; expected providers, models, prices, "
                                    "services, routes or prompt_apis")});
                continue;
            }
            if (!it.value().isArray()) {
                problems.append({it.key(), QStringLiteral("must be a list of names")});
                continue;
            }
            for (const QJsonValue &name : it.value().toArray()) {
                if (!name.isString())
                    problems.append({it.key(), QStringLiteral("must be a list of names")});
                else
                    selection.names[*kind].append(name.toString());
            }
        }
        if (selection.names.isEmpty() && problems.isEmpty())
            problems.append(
                {QString(),
                 QStringLiteral("select at least one entity, e.g. {\"routes\": [\"name\"]}")});
        if (!problems.isEmpty())
            return problemsResponse(problems);
        const ConfigBundle::Export exported = m_service.exportBundle(selection);
        if (!exported.problems.isEmpty()) {
            const bool unknown =
                std::all_of(exported.problems.begin(), exported.problems.end(),
                            [](const ConfigProblem &p) { return p.message.startsWith("no "); });
            return problemsResponse(exported.problems, unknown ? 404 : 400,
                                    unknown ? "not_found" : "invalid_config");
        }
        if (query.queryItemValue(QStringLiteral("format")) == QLatin1String("json"))
            return HttpResponse::json(200, exported.document);
        HttpResponse r = HttpResponse::text(200, YamlWriter::write(exported.document),
                                            "application/yaml; charset=utf-8");
        r.headers.set("Content-Disposition", "attachment; filename=\"gatehouse-bundle.yaml\"");
        return r;
    }

    const QString modeText = query.queryItemValue(QStringLiteral("mode"));
    if (!modeText.isEmpty() && modeText != QLatin1String("merge") &&
        modeText != QLatin1String("replace"))
        return problemsResponse(
            {{QStringLiteral("mode"), QStringLiteral("must be merge or replace")}});
    const auto mode = modeText == QLatin1String("replace") ? ConfigBundle::Mode::Replace
                                                           : ConfigBundle::Mode::Merge;
    if (action == QLatin1String("preview")) {
        const ConfigBundle::Plan plan = m_service.planBundle(doc.root, mode);
        if (!plan.ok())
            return problemsResponse(plan.problems);
        return HttpResponse::json(200, planJson(plan, mode));
    }
    ConfigBundle::Plan plan;
    const ConfigService::Result result = m_service.applyBundle(doc.root, mode, &plan);
    if (!result.ok())
        return serviceResponse(result, 200);
    changed();
    QJsonObject body = planJson(plan, mode);
    body.insert("applied", true);
    return HttpResponse::json(200, body);
}

std::optional<QFuture<HttpResponse>> AdminApi::handleDeferred(const HttpRequest &request)
{
    // Unauthorized ones get handle()'s 401 like every other admin path.
    if (!m_log || !authorized(request))
        return std::nullopt;
    if (request.path == "/logs")
        return logs(request);
    if (request.path == "/stats/usage")
        return usage(request);
    return std::nullopt;
}

QFuture<HttpResponse> AdminApi::logs(const HttpRequest &request)
{
    if (request.method != "GET" && request.method != "HEAD")
        return QtFuture::makeReadyFuture(methodNotAllowed("/logs"));
    QString problem;
    const std::optional<RequestLogQuery::LogFilter> filter =
        RequestLogQuery::parseLogFilter(request.queryItems(), &problem);
    if (!filter)
        return QtFuture::makeReadyFuture(HttpResponse::error(400, problem, "invalid_parameter"));
    const quint64 written = m_log->written(), dropped = m_log->dropped();
    // The answer is built on the pool thread too: only values are captured.
    return m_reader->logs(*filter).then(
        [written, dropped](const RequestLogReader::Result<RequestLogQuery::Page> &result) {
            return logsResponse(result.value, result.error, written, dropped);
        });
}

QFuture<HttpResponse> AdminApi::usage(const HttpRequest &request)
{
    if (request.method != "GET" && request.method != "HEAD")
        return QtFuture::makeReadyFuture(methodNotAllowed("/stats/usage"));
    QString problem;
    const std::optional<RequestLogQuery::UsageFilter> filter =
        RequestLogQuery::parseUsageFilter(request.queryItems(), &problem);
    if (!filter)
        return QtFuture::makeReadyFuture(HttpResponse::error(400, problem, "invalid_parameter"));
    return m_reader->usage(*filter).then(
        [filter = *filter](const RequestLogReader::Result<RequestLogReader::Usage> &result) {
            return usageResponse(filter, result.value, result.error);
        });
}

HttpResponse AdminApi::health() const
{
    return HttpResponse::json(
        200, QJsonObject{{"status", "ok"}, {"version", QStringLiteral(GATEHOUSE_VERSION)}});
}

HttpResponse AdminApi::getConfig(const HttpRequest &request)
{
    const QJsonObject root = ConfigExporter(m_store).exportAll();
    if (wantsYaml(request))
        return HttpResponse::text(200, YamlWriter::write(root), "application/yaml; charset=utf-8");
    return HttpResponse::json(200, root);
}

HttpResponse AdminApi::putConfig(const HttpRequest &request)
{
    const ConfigDocument doc = parseBody(request);
    if (!doc.problems.isEmpty())
        return problemsResponse(doc.problems);
    const bool dryRun =
        request.queryItems().queryItemValue(QStringLiteral("dry_run")) == QLatin1String("true");
    const ConfigService::Result result = m_service.applyDocument(doc.root, dryRun);
    if (!result.ok())
        return serviceResponse(result, 200);
    if (dryRun)
        return HttpResponse::json(200, QJsonObject{{"valid", true}, {"applied", false}});
    changed();
    return HttpResponse::json(
        200, QJsonObject{{"applied", true},
                         {"sections", QJsonArray::fromStringList(result.sections)},
                         {"warnings", QJsonArray::fromStringList(result.warnings)}});
}

HttpResponse AdminApi::collection(const HttpRequest &request, EntityKind kind, const QString &key)
{
    const QByteArray &m = request.method;
    if (key.isEmpty()) {
        if (m == "GET" || m == "HEAD")
            return listEntities(kind);
        HttpResponse r = HttpResponse::error(
            405, QStringLiteral("use GET /%1, or PUT /%1/{name} to create or replace one")
                     .arg(collectionPath(kind)));
        r.headers.set("Allow", "GET");
        return r;
    }
    if (m == "GET" || m == "HEAD")
        return getEntity(kind, key);
    if (m == "PUT")
        return putEntity(request, kind, key);
    if (m == "DELETE")
        return deleteEntity(kind, key);
    HttpResponse r = HttpResponse::error(405, QStringLiteral("use GET, PUT or DELETE"));
    r.headers.set("Allow", "GET, PUT, DELETE");
    return r;
}

HttpResponse AdminApi::listEntities(EntityKind kind)
{
    QJsonArray data;
    const QList<QJsonObject> entities = ConfigExporter(m_store).list(kind);
    for (const QJsonObject &entity : entities)
        data.append(entity);
    return HttpResponse::json(200, QJsonObject{{"data", data}});
}

HttpResponse AdminApi::getEntity(EntityKind kind, const QString &key)
{
    const std::optional<QJsonObject> stored = m_store.entities(kind).get(key);
    if (!stored)
        return HttpResponse::error(
            404, QStringLiteral("no %1 named \"%2\"").arg(displayName(kind), key), "not_found");
    return HttpResponse::json(200, ConfigExporter(m_store).exportEntity(kind, *stored));
}

HttpResponse AdminApi::serviceResponse(const ConfigService::Result &result, int okStatus)
{
    switch (result.status) {
    case ConfigService::Status::Ok:
    case ConfigService::Status::Created: {
        changed();
        if (okStatus == 204)
            return HttpResponse{204, {}, {}};
        HttpResponse r = HttpResponse::json(
            result.status == ConfigService::Status::Created ? 201 : okStatus, result.entity);
        if (!result.warnings.isEmpty())
            r.headers.set(
                "Warning",
                ("199 gatehouse \"" + result.warnings.join(QStringLiteral("; ")) + "\"").toUtf8());
        return r;
    }
    case ConfigService::Status::Invalid:
        return problemsResponse(result.problems);
    case ConfigService::Status::NotFound:
        return HttpResponse::error(404, result.problems.value(0).message, "not_found");
    case ConfigService::Status::Conflict:
        return problemsResponse(result.problems, 409, "in_use");
    case ConfigService::Status::StoreError:
        return problemsResponse(result.problems, 500, "store_error");
    }
    return HttpResponse::error(500, QStringLiteral("unexpected result"));
}

HttpResponse AdminApi::putEntity(const HttpRequest &request, EntityKind kind, const QString &key)
{
    const ConfigDocument doc = parseBody(request);
    if (!doc.problems.isEmpty())
        return problemsResponse(doc.problems);
    return serviceResponse(m_service.putEntity(kind, key, doc.root), 200);
}

HttpResponse AdminApi::deleteEntity(EntityKind kind, const QString &key)
{
    return serviceResponse(m_service.deleteEntity(kind, key), 204);
}

HttpResponse AdminApi::consumerKeys(const HttpRequest &request, const QStringList &segments)
{
    const QString consumer = QUrl::fromPercentEncoding(segments.at(1).toUtf8());
    const QString prefix =
        segments.size() > 3 ? QUrl::fromPercentEncoding(segments.at(3).toUtf8()) : QString();
    const QByteArray &m = request.method;
    auto notAllowed = [](const char *allow, const QString &hint) {
        HttpResponse r = HttpResponse::error(405, hint);
        r.headers.set("Allow", allow);
        return r;
    };
    // An absent or empty body means "no options".
    auto options = [&request](QJsonObject *body, QString *error) {
        if (request.body.trimmed().isEmpty())
            return true;
        const ConfigDocument doc = parseBody(request);
        if (!doc.problems.isEmpty()) {
            *error = doc.problems.first().toString();
            return false;
        }
        *body = doc.root;
        return true;
    };
    QJsonObject body;
    QString error;
    const qint64 now = m_keys.now();
    if (segments.size() == 3) {
        if (m == "GET" || m == "HEAD") {
            const ConsumerKeyService::Result listed = m_keys.list(consumer);
            if (!listed.ok())
                return keyResponse(listed, 200);
            QJsonArray keys;
            for (const ConsumerKey &key : listed.keys)
                keys.append(ConsumerKeyService::toJson(key, now));
            return HttpResponse::json(200, keys);
        }
        if (m != "POST")
            return notAllowed("GET, POST",
                              QStringLiteral("use GET to list keys or POST to create one"));
        ConsumerKeyService::Options keyOptions;
        if (!options(&body, &error) ||
            !ConsumerKeyService::parseOptions(body, now, &keyOptions, &error))
            return HttpResponse::error(400, error, "invalid_request");
        return keyResponse(m_keys.create(consumer, keyOptions), 201);
    }
    if (segments.size() == 4) {
        if (m != "DELETE")
            return notAllowed("DELETE", QStringLiteral("use DELETE to revoke a key"));
        return keyResponse(m_keys.revoke(consumer, prefix), 200);
    }
    if (segments.size() == 5 && segments.at(4) == QLatin1String("rotate")) {
        if (m != "POST")
            return notAllowed("POST", QStringLiteral("use POST to rotate a key"));
        ConsumerKeyService::Options keyOptions;
        int grace = 0;
        if (!options(&body, &error) ||
            !ConsumerKeyService::parseRotation(body, now, &keyOptions, &grace, &error))
            return HttpResponse::error(400, error, "invalid_request");
        return keyResponse(m_keys.rotate(consumer, prefix, grace, keyOptions), 201);
    }
    return HttpResponse::error(404,
                               QStringLiteral("no admin endpoint %1 %2")
                                   .arg(QString::fromLatin1(m), QString::fromUtf8(request.path)),
                               "not_found");
}

// A changed key (created, revoked, rotated) or why not; a success publishes the change.
HttpResponse AdminApi::keyResponse(const ConsumerKeyService::Result &result, int okStatus)
{
    using Status = ConsumerKeyService::Status;
    switch (result.status) {
    case Status::NotFound:
        return HttpResponse::error(404, result.message, "not_found");
    case Status::Conflict:
        return HttpResponse::error(409, result.message, "conflict");
    case Status::Invalid:
        return HttpResponse::error(400, result.message, "invalid_request");
    case Status::StoreError:
        return HttpResponse::error(500, result.message, "store_error");
    case Status::Ok:
    case Status::Created:
        break;
    }
    const qint64 now = m_keys.now();
    QJsonObject body = ConsumerKeyService::toJson(result.key, now);
    body.insert(QStringLiteral("consumer"), result.key.consumer);
    if (!result.rawKey.isEmpty()) {
        body.insert(QStringLiteral("key"), result.rawKey);
        body.insert(QStringLiteral("note"),
                    QStringLiteral("This key is shown once. Gatehouse stores only its SHA-256."));
    }
    if (result.previous.id)
        body.insert(QStringLiteral("previous"), ConsumerKeyService::toJson(result.previous, now));
    changed(); // the new snapshot serves the next request
    HttpResponse r = HttpResponse::json(okStatus, body);
    r.headers.set("Cache-Control", "no-store");
    return r;
}

void AdminApi::changed()
{
    if (m_onChange)
        m_onChange();
}

} // namespace gh
