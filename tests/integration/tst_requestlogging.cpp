// The request log end to end (docs/logging.md) over a real gatehoused with two workers:
// every kind of record lands with its fields (proxied, cached, refused by the gateway,
// upstream failures, AI calls with provider, model, tokens, cost and cache), exact
// counts under concurrent load from all workers, GET /logs filters, paging and its 400s,
// GET /stats/usage exact for a known traffic mix for every group_by, no secret in any row
// or file, and a kill -9 during load: the database opens consistent and at most the
// last second of records is missing.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "RawHttp.h"
#include "ScriptedUpstream.h"

#include "store/Database.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <set>
#include <vector>

using namespace gh::test;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

const QByteArray kAliceKey = "gh-logtest-alice-0123456789abcdef";
const QByteArray kBobKey = "gh-logtest-bob-0123456789abcdefgh";

Headers bearer(const QByteArray &key)
{
    return {{"Authorization", "Bearer " + key}};
}

// An OpenAI chat completion using 100 input and 50 output tokens.
QByteArray completion()
{
    return QByteArrayLiteral(
        R"({"id":"chatcmpl-log","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",)"
        R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],)"
        R"("usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150}})");
}

QByteArray chat(const QByteArray &model = "gpt", const QByteArray &extra = {})
{
    return R"({"model":")" + model + R"(",)" + extra +
           R"("messages":[{"role":"user","content":"hello"}]})";
}

// Costs of the e2e prices below: input 1.0, output 2.0 USD per 1M tokens.
constexpr double kCallCost = (100 * 1.0 + 50 * 2.0) / 1e6;

// Nearest rank, as /stats/usage computes it.
double percentile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t rank = std::size_t(std::ceil(q * double(values.size())));
    return values[rank == 0 ? 0 : rank - 1];
}

QString nowRfc3339()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

} // namespace

class TestRequestLogging : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<ScriptedUpstream> m_echo;
    std::unique_ptr<ScriptedUpstream> m_openAi;
    std::unique_ptr<DaemonProcess> m_daemon;
    std::unique_ptr<DaemonProcess> m_stopped; // keeps its data dir for m_daemon
    QString m_config;

    HttpResult call(const QByteArray &method, const QString &path, const Headers &headers = {},
                    const QByteArray &body = {})
    {
        return HttpClient::request(method, m_daemon->gatewayUrl() + path, body, headers);
    }

    HttpResult admin(const QByteArray &method, const QString &pathAndQuery,
                     const QByteArray &body = {})
    {
        return HttpClient::request(method, m_daemon->adminUrl() + pathAndQuery, body,
                                   {{"Authorization", "Bearer " + m_daemon->adminToken().toUtf8()},
                                    {"Content-Type", "application/json"}});
    }

    // All rows of GET /logs (newest first), following the pages.
    QJsonArray allLogs(const QString &filter = {})
    {
        QJsonArray rows;
        QString query = QStringLiteral("limit=1000") +
                        (filter.isEmpty() ? QString() : QLatin1Char('&') + filter);
        for (int page = 0; page < 100; ++page) {
            const HttpResult r = admin("GET", QStringLiteral("/logs?") + query);
            if (r.status != 200) {
                qWarning() << "GET /logs" << r.status << r.body;
                return {};
            }
            const QJsonObject body = r.json().object();
            for (const QJsonValue &row : body.value(QLatin1String("logs")).toArray())
                rows.append(row);
            if (!body.value(QLatin1String("has_more")).toBool())
                break;
            query = QStringLiteral("limit=1000&before_id=%1")
                        .arg(body.value(QLatin1String("next_before_id")).toInteger()) +
                    (filter.isEmpty() ? QString() : QLatin1Char('&') + filter);
        }
        return rows;
    }

    // Polls (bounded) until every request id has its row; returns them by id.
    QHash<QByteArray, QJsonObject> waitForRows(const QList<QByteArray> &requestIds)
    {
        QHash<QByteArray, QJsonObject> found;
        for (int attempt = 0; attempt < 100 && found.size() < requestIds.size(); ++attempt) {
            if (attempt)
                QTest::qWait(50);
            found.clear();
            for (const QJsonValue &value : allLogs()) {
                const QJsonObject row = value.toObject();
                const QByteArray id = row.value(QLatin1String("request_id")).toString().toLatin1();
                if (requestIds.contains(id))
                    found.insert(id, row);
            }
        }
        return found;
    }

    QJsonObject usage(const QString &query)
    {
        const HttpResult r = admin("GET", QStringLiteral("/stats/usage?") + query);
        if (r.status != 200)
            qWarning() << "GET /stats/usage" << r.status << r.body;
        return r.json().object();
    }

    // Waits (bounded) until the log holds `count` rows since `from`.
    bool waitForCount(const QString &from, qint64 count)
    {
        for (int attempt = 0; attempt < 200; ++attempt) {
            const qint64 n =
                usage(QStringLiteral("from=") + QString::fromLatin1(QUrl::toPercentEncoding(from)))
                    .value(QLatin1String("total"))
                    .toObject()
                    .value(QLatin1String("requests"))
                    .toInteger();
            if (n >= count)
                return n == count;
            QTest::qWait(50);
        }
        return false;
    }

    QString writeConfig(const QString &name, const QString &extraSettings = {})
    {
        QString yaml =
            QStringLiteral(
                "providers:\n"
                "  - {name: oa, type: openai-compatible, base_url: \"%OPENAI%/v1\"}\n"
                "models:\n"
                "  - {name: gpt, targets: [{provider: oa, model: gpt-4o-mini}]}\n"
                "prices:\n"
                "  - {provider: oa, model: gpt-4o-mini, input: 1.0, output: 2.0}\n"
                "consumers:\n"
                "  - {name: alice, keys: [\"%ALICE%\"]}\n"
                "  - {name: bob, keys: [\"%BOB%\"]}\n"
                "services:\n"
                "  - {name: echo, targets: [{url: \"%ECHO%\"}]}\n"
                "  - {name: dead, targets: [{url: \"http://127.0.0.1:1\"}], retries: 0}\n"
                "routes:\n"
                "  - {name: open, match: {paths: [/open]}, service: echo, auth: none}\n"
                "  - {name: keyed, match: {paths: [/keyed]}, service: echo, consumers: [alice]}\n"
                "  - {name: limited, match: {paths: [/limited]}, service: echo, auth: none,\n"
                "     rate_limit: {requests_per_minute: 1}}\n"
                "  - {name: small, match: {paths: [/small]}, service: echo, auth: none, "
                "max_body_bytes: 10}\n"
                "  - {name: dead, match: {paths: [/dead]}, service: dead, auth: none}\n"
                "  - {name: cached, match: {paths: [/cached]}, service: echo, auth: none, cache: "
                "{ttl_s: 60}}\n"
                "settings:\n"
                "  ai_cache: {enabled: true}\n") +
            extraSettings;
        yaml.replace(QStringLiteral("%ECHO%"), m_echo->url())
            .replace(QStringLiteral("%OPENAI%"), m_openAi->url())
            .replace(QStringLiteral("%ALICE%"), QString::fromLatin1(kAliceKey))
            .replace(QStringLiteral("%BOB%"), QString::fromLatin1(kBobKey));
        QFile config(m_tmp.filePath(name));
        if (!config.open(QIODevice::WriteOnly))
            return {};
        config.write(yaml.toUtf8());
        return config.fileName();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_echo = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            QList<std::pair<QByteArray, QByteArray>> headers{{"cache-control", "max-age=60"}};
            if (r.target.contains("secret")) // a shared cache would not store this one
                headers.append(
                    std::pair<QByteArray, QByteArray>("set-cookie", "upstream-cookie-secret"));
            return UpstreamReply::respond(200, "ok " + r.target, headers);
        });
        m_openAi = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            return UpstreamReply::respond(200, completion(),
                                          {{"content-type", "application/json"}});
        });
        for (ScriptedUpstream *upstream : {m_echo.get(), m_openAi.get()}) {
            upstream->setHashBodies(false);
            QVERIFY(upstream->start());
        }
        m_config = writeConfig(QStringLiteral("log.yaml"));
        QVERIFY(!m_config.isEmpty());
        m_daemon = std::make_unique<DaemonProcess>();
        // DaemonProcess starts gatehoused with --workers 2.
        QVERIFY2(m_daemon->start({QStringLiteral("--config"), m_config}),
                 m_daemon->standardError().constData());
    }

    void everyRecordTypeLandsWithItsFields()
    {
        struct Expect
        {
            QByteArray id;
            int status;
            QJsonObject fields; // exact values
            QString errorContains;
        };
        QList<Expect> expects;
        const auto sent = [&](const HttpResult &r, int status, QJsonObject fields,
                              QString error = {}) {
            QCOMPARE(r.status, status);
            const QByteArray id = r.header("x-gatehouse-request-id");
            QVERIFY(!id.isEmpty());
            expects.append({id, status, fields, error});
        };
        const QJsonValue null;

        sent(call("GET", "/open/a?x=1"), 200,
             {{"route", "open"},
              {"consumer", null},
              {"method", "GET"},
              {"path", "/open/a?x=1"},
              {"bytes_in", 0},
              {"bytes_out", QByteArray("ok /open/a?x=1").size()},
              {"error", null},
              {"provider", null},
              {"model", null},
              {"tokens_in", null},
              {"cost_usd", null},
              {"cache", null}});
        sent(call("POST", "/open/b", {}, "hello"), 200,
             {{"route", "open"},
              {"method", "POST"},
              {"bytes_in", 5},
              {"bytes_out", QByteArray("ok /open/b").size()}});
        sent(call("GET", "/keyed"), 401, {{"route", "keyed"}, {"consumer", null}},
             QStringLiteral("this route needs a consumer key"));
        sent(call("GET", "/keyed", bearer("gh-not-a-key-0123456789")), 401,
             {{"route", "keyed"}, {"consumer", null}}, QStringLiteral("invalid consumer key"));
        sent(call("GET", "/keyed", bearer(kBobKey)), 403, {{"route", "keyed"}, {"consumer", "bob"}},
             QStringLiteral("consumer bob may not call route keyed"));
        sent(call("GET", "/keyed/x", bearer(kAliceKey)), 200,
             {{"route", "keyed"}, {"consumer", "alice"}});
        sent(call("GET", "/nowhere"), 404, {{"route", null}},
             QStringLiteral("no route matches GET /nowhere"));
        sent(call("GET", "/limited"), 200, {{"route", "limited"}});
        sent(call("GET", "/limited"), 429, {{"route", "limited"}}, QStringLiteral("rate limit"));
        // The connection itself answers a body over the route's limit (no request id): by route.
        QCOMPARE(call("POST", "/small", {}, QByteArray(100, 'x')).status, 413);
        sent(call("GET", "/dead"), 502, {{"route", "dead"}}, QStringLiteral("service dead"));
        sent(call("GET", "/cached/1"), 200, {{"route", "cached"}, {"cache", "MISS"}});
        sent(call("GET", "/cached/1"), 200,
             {{"route", "cached"}, {"cache", "HIT"}, {"upstream_ms", null}});
        sent(call("POST", "/v1/chat/completions", bearer(kAliceKey), chat()), 200,
             {{"route", null},
              {"consumer", "alice"},
              {"provider", "oa"},
              {"model", "gpt-4o-mini"},
              {"tokens_in", 100},
              {"tokens_out", 50},
              {"cache", null},
              {"error", null}});
        sent(call("POST", "/v1/chat/completions", bearer(kAliceKey),
                  chat("gpt", R"("temperature":0,)")),
             200,
             {{"provider", "oa"}, {"model", "gpt-4o-mini"}, {"tokens_in", 100}, {"cache", "MISS"}});
        sent(call("POST", "/v1/chat/completions", bearer(kAliceKey),
                  chat("gpt", R"("temperature":0,)")),
             200,
             {{"provider", "oa"},
              {"model", "gpt-4o-mini"},
              {"cache", "HIT"},
              {"cost_usd", 0.0},
              {"upstream_ms", null}});
        sent(call("POST", "/v1/chat/completions", bearer(kAliceKey), chat("nope")), 404,
             {{"consumer", "alice"}, {"model", "nope"}, {"provider", null}, {"tokens_in", null}},
             QStringLiteral("model nope is not configured"));
        sent(call("POST", "/v1/messages", {}, chat()), 401,
             {{"consumer", null}, {"path", "/v1/messages"}},
             QStringLiteral("the AI endpoints need a consumer key"));

        QList<QByteArray> ids;
        for (const Expect &e : std::as_const(expects))
            ids.append(e.id);
        const QHash<QByteArray, QJsonObject> rows = waitForRows(ids);
        QCOMPARE(rows.size(), expects.size());
        for (const Expect &e : std::as_const(expects)) {
            const QJsonObject row = rows.value(e.id);
            const QByteArray where = e.id + ' ' + QJsonDocument(row).toJson(QJsonDocument::Compact);
            QVERIFY2(row.value(QLatin1String("status")).toInt() == e.status, where.constData());
            for (auto it = e.fields.begin(); it != e.fields.end(); ++it) {
                QVERIFY2(row.value(it.key()) == it.value(),
                         (it.key().toUtf8() + " differs in " + where).constData());
            }
            if (!e.errorContains.isEmpty())
                QVERIFY2(row.value(QLatin1String("error")).toString().contains(e.errorContains),
                         where.constData());
            else if (e.status >= 400)
                QVERIFY2(!row.value(QLatin1String("error")).toString().isEmpty(),
                         where.constData());
            // Always there: time, latency; ttfb once an answer went out.
            QVERIFY(
                QDateTime::fromString(row.value(QLatin1String("ts")).toString(), Qt::ISODateWithMs)
                    .isValid());
            QVERIFY2(row.value(QLatin1String("latency_ms")).toDouble() >= 0, where.constData());
            QVERIFY2(row.value(QLatin1String("ttfb_ms")).isDouble(), where.constData());
            QVERIFY2(row.value(QLatin1String("ttfb_ms")).toDouble() <=
                         row.value(QLatin1String("latency_ms")).toDouble(),
                     where.constData());
            const bool upstreamAsked =
                e.status == 200 &&
                row.value(QLatin1String("cache")).toString() != QLatin1String("HIT");
            QVERIFY2(row.value(QLatin1String("upstream_ms")).isDouble() ==
                         (upstreamAsked || e.status == 502),
                     where.constData());
        }
        QJsonArray small;
        for (int attempt = 0; attempt < 100 && small.isEmpty(); ++attempt) {
            QTest::qWait(attempt ? 50 : 0);
            small = allLogs(QStringLiteral("route=small"));
        }
        QCOMPARE(small.size(), 1);
        QCOMPARE(small.first().toObject().value(QLatin1String("status")).toInt(), 413);
        QCOMPARE(small.first().toObject().value(QLatin1String("error")).toString(),
                 QStringLiteral("Request body exceeds 10 bytes"));
        // The AI call's cost is the configured price of its usage.
        const QJsonObject ai = rows.value(expects.at(12).id);
        QVERIFY(qAbs(ai.value(QLatin1String("cost_usd")).toDouble() - kCallCost) < 1e-12);
    }

    void concurrentLoadFromAllWorkersHasExactCounts()
    {
        const QString from = nowRfc3339();
        constexpr int Connections = 8; // spread over both workers
        constexpr int PerConnection = 150;
        const QString url = m_daemon->gatewayUrl();
        std::atomic<int> ok{0};
        std::vector<std::unique_ptr<QThread>> threads;
        for (int c = 0; c < Connections; ++c) {
            threads.emplace_back(QThread::create([&, c] {
                RawConnection connection;
                if (!connection.connectTo(url))
                    return;
                for (int i = 0; i < PerConnection; ++i) {
                    const QByteArray target =
                        "/open/load?c=" + QByteArray::number(c) + "&i=" + QByteArray::number(i);
                    if (!connection.send(rawRequest("GET", target, "127.0.0.1")))
                        return;
                    bool complete = false;
                    if (connection.read(10000, false, &complete).status == 200 && complete)
                        ++ok;
                }
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(QDeadlineTimer(120000)));
        QCOMPARE(ok.load(), Connections * PerConnection);
        QVERIFY(waitForCount(from, Connections * PerConnection));

        // Each request exactly once.
        gh::Database db;
        QVERIFY(db.open(QDir(m_daemon->dataDir()).filePath(QStringLiteral("gatehouse.db"))));
        gh::Statement s = db.prepare(QStringLiteral(
            "SELECT count(*), count(DISTINCT path), count(DISTINCT request_id) FROM request_log "
            "WHERE path LIKE '/open/load?%' AND status = 200"));
        QVERIFY(s.next());
        QCOMPARE(s.int64(0), qint64(Connections * PerConnection));
        QCOMPARE(s.int64(1), qint64(Connections * PerConnection));
        QCOMPARE(s.int64(2), qint64(Connections * PerConnection));
        const QJsonObject logs = admin("GET", "/logs?limit=1").json().object();
        QCOMPARE(logs.value(QLatin1String("dropped")).toInteger(), 0);
    }

    void statsAreExactForAKnownMix()
    {
        QTest::qWait(20); // the earlier tests' rows are all older than `from`
        const QString from = nowRfc3339();
        // alice: 3 chat calls, bob: 2; 4 proxied calls on route open, 2 unrouted (404),
        // 1 refused on route keyed without a key (401).
        for (int i = 0; i < 3; ++i)
            QCOMPARE(call("POST", "/v1/chat/completions", bearer(kAliceKey), chat()).status, 200);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(call("POST", "/v1/chat/completions", bearer(kBobKey), chat()).status, 200);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(call("GET", QStringLiteral("/open/mix%1").arg(i)).status, 200);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(call("GET", "/unrouted").status, 404);
        QCOMPARE(call("GET", "/keyed").status, 401);
        QVERIFY(waitForCount(from, 12));

        // The rows themselves give the latencies the percentiles must come from.
        const QString since =
            QStringLiteral("since=") + QString::fromLatin1(QUrl::toPercentEncoding(from));
        const QJsonArray rows = allLogs(since);
        QCOMPARE(rows.size(), 12);
        const QString fromParam =
            QStringLiteral("from=") + QString::fromLatin1(QUrl::toPercentEncoding(from));
        const QString today = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);

        struct Expected
        {
            qint64 requests, tokensIn, tokensOut, errors;
            double cost;
        };
        const Expected ai{5, 500, 250, 0, 5 * kCallCost};
        const Expected plain{7, 0, 0, 3, 0};
        const QMap<QString, QMap<QString, Expected>> expected{
            {QStringLiteral("model"), {{QStringLiteral("gpt-4o-mini"), ai}, {QString(), plain}}},
            {QStringLiteral("provider"), {{QStringLiteral("oa"), ai}, {QString(), plain}}},
            {QStringLiteral("consumer"),
             {{QStringLiteral("alice"), {3, 300, 150, 0, 3 * kCallCost}},
              {QStringLiteral("bob"), {2, 200, 100, 0, 2 * kCallCost}},
              {QString(), plain}}},
            {QStringLiteral("route"),
             {{QStringLiteral("open"), {4, 0, 0, 0, 0}},
              {QStringLiteral("keyed"), {1, 0, 0, 1, 0}},
              {QString(), {7, 500, 250, 2, 5 * kCallCost}}}},
            {QStringLiteral("day"), {{today, {12, 500, 250, 3, 5 * kCallCost}}}},
        };
        for (auto group = expected.begin(); group != expected.end(); ++group) {
            const QString key = group.key();
            const QJsonObject stats = usage(fromParam + QStringLiteral("&group_by=") + key);
            QCOMPARE(stats.value(QLatin1String("group_by")).toString(), key);
            const QJsonArray groups = stats.value(QLatin1String("groups")).toArray();
            QCOMPARE(groups.size(), group.value().size());
            for (const QJsonValue &value : groups) {
                const QJsonObject g = value.toObject();
                const QString name = g.value(key).toString(); // null → ""
                QVERIFY2(group.value().contains(name), qPrintable(key + QLatin1Char('=') + name));
                const Expected e = group.value().value(name);
                const QByteArray where = (key + QLatin1Char('=') + name).toUtf8();
                QVERIFY2(g.value(QLatin1String("requests")).toInteger() == e.requests,
                         where.constData());
                QVERIFY2(g.value(QLatin1String("tokens_in")).toInteger() == e.tokensIn,
                         where.constData());
                QVERIFY2(g.value(QLatin1String("tokens_out")).toInteger() == e.tokensOut,
                         where.constData());
                QVERIFY2(g.value(QLatin1String("errors")).toInteger() == e.errors,
                         where.constData());
                QVERIFY2(qAbs(g.value(QLatin1String("cost_usd")).toDouble() - e.cost) < 1e-12,
                         where.constData());
                // Percentiles: nearest rank over the group's latencies as /logs shows them.
                std::vector<double> latencies;
                for (const QJsonValue &r : rows) {
                    const QJsonObject row = r.toObject();
                    const QString rowKey = key == QLatin1String("day")
                                               ? row.value(QLatin1String("ts")).toString().left(10)
                                               : row.value(key).toString();
                    if (rowKey == name)
                        latencies.push_back(row.value(QLatin1String("latency_ms")).toDouble());
                }
                QCOMPARE(g.value(QLatin1String("p50_latency_ms")).toDouble(),
                         percentile(latencies, 0.5));
                QCOMPARE(g.value(QLatin1String("p95_latency_ms")).toDouble(),
                         percentile(latencies, 0.95));
            }
        }
        const QJsonObject total = usage(fromParam).value(QLatin1String("total")).toObject();
        QCOMPARE(total.value(QLatin1String("requests")).toInteger(), 12);
        QCOMPARE(total.value(QLatin1String("errors")).toInteger(), 3);
        // A window ending before the mix holds none of it.
        const QJsonObject before =
            usage(QStringLiteral("to=") + QString::fromLatin1(QUrl::toPercentEncoding(from)) +
                  QStringLiteral("&from=2000-01-01"));
        QVERIFY(before.value(QLatin1String("total"))
                    .toObject()
                    .value(QLatin1String("requests"))
                    .toInteger() > 0);
        const QJsonObject future = usage(QStringLiteral("from=2999-01-01&group_by=model"));
        QCOMPARE(future.value(QLatin1String("groups")).toArray().size(), 0);
    }

    void logsFilterPageNewestFirst()
    {
        // Route open has hundreds of rows by now: 3 per page, newest first, no overlap.
        QList<qint64> ids;
        QString query = QStringLiteral("/logs?route=open&limit=3");
        for (int page = 0; page < 3; ++page) {
            const HttpResult r = admin("GET", query);
            QCOMPARE(r.status, 200);
            const QJsonObject body = r.json().object();
            const QJsonArray rows = body.value(QLatin1String("logs")).toArray();
            QCOMPARE(rows.size(), 3);
            QVERIFY(body.value(QLatin1String("has_more")).toBool());
            for (const QJsonValue &row : rows) {
                QCOMPARE(row.toObject().value(QLatin1String("route")).toString(),
                         QStringLiteral("open"));
                ids.append(row.toObject().value(QLatin1String("id")).toInteger());
            }
            QCOMPARE(body.value(QLatin1String("next_before_id")).toInteger(), ids.last());
            query = QStringLiteral("/logs?route=open&limit=3&before_id=%1").arg(ids.last());
        }
        for (int i = 1; i < ids.size(); ++i)
            QVERIFY(ids.at(i) < ids.at(i - 1));

        for (const auto &[filter, field, value] :
             {std::tuple{QStringLiteral("consumer=bob"), QStringLiteral("consumer"),
                         QJsonValue("bob")},
              std::tuple{QStringLiteral("model=gpt-4o-mini"), QStringLiteral("model"),
                         QJsonValue("gpt-4o-mini")},
              std::tuple{QStringLiteral("status=404"), QStringLiteral("status"),
                         QJsonValue(404)}}) {
            const QJsonArray rows = allLogs(filter);
            QVERIFY2(!rows.isEmpty(), qPrintable(filter));
            for (const QJsonValue &row : rows)
                QVERIFY2(row.toObject().value(field) == value, qPrintable(filter));
        }
        const QJsonArray clientErrors = allLogs(QStringLiteral("status=4xx&route=keyed"));
        QCOMPARE(clientErrors.size(), 4); // 401 ×2 and 403 in the first test, 401 in the mix
        for (const QJsonValue &row : clientErrors) {
            const int status = row.toObject().value(QLatin1String("status")).toInt();
            QVERIFY(status >= 400 && status < 500);
        }
        QVERIFY(allLogs(QStringLiteral("since=2999-01-01")).isEmpty());
        QVERIFY(allLogs(QStringLiteral("consumer=nobody")).isEmpty());
    }

    void badParametersAnswer400WithAClearMessage_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("limit") << "/logs?limit=0"
                               << "limit must be a whole number from 1 to 1000, not \"0\"";
        QTest::newRow("limit text") << "/logs?limit=all"
                                    << "limit must be a whole number from 1 to 1000, not \"all\"";
        QTest::newRow("since") << "/logs?since=1700000000"
                               << "since must be an RFC 3339 time like 2025-01-31T12:00:00Z or a "
                                  "date like 2025-01-31, not \"1700000000\"";
        QTest::newRow("status")
            << "/logs?status=ok"
            << "status must be a status code like 404 or a class like 5xx, not \"ok\"";
        QTest::newRow("before_id")
            << "/logs?before_id=x"
            << "before_id must be a log row id (a positive whole number), not \"x\"";
        QTest::newRow("empty model") << "/logs?model="
                                     << "model must not be empty";
        QTest::newRow("unknown") << "/logs?user=me"
                                 << "unknown parameter user; use limit, since, before_id, route, "
                                    "model, consumer, status";
        QTest::newRow("group_by")
            << "/stats/usage?group_by=hour"
            << "group_by must be one of model, provider, consumer, route, day, not \"hour\"";
        QTest::newRow("from") << "/stats/usage?from=last-week"
                              << "from must be an RFC 3339 time like 2025-01-31T12:00:00Z or a "
                                 "date like 2025-01-31, not \"last-week\"";
        QTest::newRow("order") << "/stats/usage?from=2025-02-01&to=2025-01-01"
                               << "from must be before to";
        QTest::newRow("unknown stats") << "/stats/usage?model=x"
                                       << "unknown parameter model; use from, to, group_by";
    }

    void badParametersAnswer400WithAClearMessage()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        const HttpResult r = admin("GET", path);
        QCOMPARE(r.status, 400);
        const QJsonObject error = r.json().object().value(QLatin1String("error")).toObject();
        QCOMPARE(error.value(QLatin1String("message")).toString(), message);
        QCOMPARE(error.value(QLatin1String("code")).toString(),
                 QStringLiteral("invalid_parameter"));
    }

    void logEndpointsNeedTheTokenAndGet()
    {
        for (const char *path : {"/logs", "/stats/usage"}) {
            const HttpResult anonymous =
                HttpClient::request("GET", m_daemon->adminUrl() + QLatin1String(path));
            QCOMPARE(anonymous.status, 401);
            const HttpResult post = admin("POST", QLatin1String(path));
            QCOMPARE(post.status, 405);
            QCOMPARE(post.header("allow"), QByteArray("GET, HEAD"));
        }
    }

    void noSecretInAnyRowOrFile()
    {
        // Bodies and headers captured from now on: the redaction must cover them too.
        const HttpResult put = admin(
            "PUT", "/config", R"({"settings":{"log_bodies":true,"ai_cache":{"enabled":true}}})");
        QVERIFY2(put.status == 200, put.body.constData());
        const QList<QByteArray> secrets{"s3cretQ1", "s3cretQ2", "s3cretH3", "s3cretH4", "s3cretH5",
                                        "s3cretH6", "s3cretC7", "s3cretB8", "s3cretB9"};
        QList<QByteArray> ids;
        HttpResult r = call("POST", "/open/secret?key=s3cretQ1&api_key=s3cretQ2&keep=visible",
                            {{"Authorization", "Bearer s3cretH3"},
                             {"x-api-key", "s3cretH4"},
                             {"api-key", "s3cretH5"},
                             {"x-goog-api-key", "s3cretH6"},
                             {"Cookie", "session=s3cretC7"}},
                            R"({"api_key":"s3cretB8","note":"Bearer s3cretB9"})");
        QCOMPARE(r.status, 200);
        ids.append(r.header("x-gatehouse-request-id"));
        r = call("POST", "/v1/chat/completions", bearer(kAliceKey), chat());
        QCOMPARE(r.status, 200);
        ids.append(r.header("x-gatehouse-request-id"));
        r = call("GET", "/keyed", {{"x-api-key", kBobKey}});
        QCOMPARE(r.status, 403);
        ids.append(r.header("x-gatehouse-request-id"));
        const QHash<QByteArray, QJsonObject> rows = waitForRows(ids);
        QCOMPARE(rows.size(), ids.size());

        const QJsonObject proxied = rows.value(ids.at(0));
        QCOMPARE(proxied.value(QLatin1String("path")).toString(),
                 QStringLiteral("/open/secret?key=[REDACTED]&api_key=[REDACTED]&keep=visible"));
        QVERIFY(proxied.value(QLatin1String("request_body"))
                    .toString()
                    .contains(QLatin1String("[REDACTED]")));
        QVERIFY(proxied.value(QLatin1String("response_body"))
                    .toString()
                    .startsWith(QLatin1String("ok /open/secret?")));
        bool sawAuthorization = false;
        for (const QJsonValue &h : proxied.value(QLatin1String("request_headers")).toArray()) {
            if (h.toArray().at(0).toString().compare(QLatin1String("authorization"),
                                                     Qt::CaseInsensitive) == 0) {
                sawAuthorization = true;
                QCOMPARE(h.toArray().at(1).toString(), QStringLiteral("[REDACTED]"));
            }
        }
        QVERIFY(sawAuthorization);
        QVERIFY(!rows.value(ids.at(1)).value(QLatin1String("request_body")).toString().isEmpty());

        // Not in any row...
        const QByteArray all = QJsonDocument(allLogs()).toJson();
        for (const QByteArray &secret :
             secrets + QList<QByteArray>{kAliceKey, kBobKey, "upstream-cookie-secret"})
            QVERIFY2(!all.contains(secret), secret.constData());
        // ...nor anywhere in the database files (the WAL included).
        QVERIFY(admin("PUT", "/config", R"({"settings":{"ai_cache":{"enabled":true}}})").status ==
                200);
        for (const QString &file :
             QDir(m_daemon->dataDir()).entryList({QStringLiteral("gatehouse.db*")}, QDir::Files)) {
            QFile f(QDir(m_daemon->dataDir()).filePath(file));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            for (const QByteArray &secret : secrets + QList<QByteArray>{kAliceKey, kBobKey})
                QVERIFY2(!bytes.contains(secret),
                         qPrintable(file + QLatin1Char(' ') + QString::fromLatin1(secret)));
        }
    }

    void loggingCanBeTurnedOff()
    {
        QVERIFY(admin("PUT", "/config",
                      R"({"settings":{"log_requests":false,"ai_cache":{"enabled":true}}})")
                    .status == 200);
        const HttpResult off = call("GET", "/open/unlogged");
        QCOMPARE(off.status, 200);
        QVERIFY(admin("PUT", "/config", R"({"settings":{"ai_cache":{"enabled":true}}})").status ==
                200);
        const HttpResult on = call("GET", "/open/logged-again");
        QCOMPARE(on.status, 200);
        QVERIFY(waitForRows({on.header("x-gatehouse-request-id")}).size() == 1);
        QVERIFY(allLogs(QStringLiteral("route=open")).size() > 0);
        for (const QJsonValue &row : allLogs(QStringLiteral("route=open")))
            QVERIFY(row.toObject().value(QLatin1String("path")).toString() !=
                    QLatin1String("/open/unlogged"));
    }

    void stopFlushesEveryRecord()
    {
        // Requests answered right before SIGTERM are in the database after the exit.
        QList<QByteArray> targets;
        for (int i = 0; i < 20; ++i) {
            targets.append("/open/last" + QByteArray::number(i));
            QCOMPARE(call("GET", QString::fromLatin1(targets.last())).status, 200);
        }
        QCOMPARE(m_daemon->terminate(), 0);
        gh::Database db;
        QVERIFY(db.open(QDir(m_daemon->dataDir()).filePath(QStringLiteral("gatehouse.db"))));
        gh::Statement s = db.prepare(
            QStringLiteral("SELECT count(*) FROM request_log WHERE path LIKE '/open/last%'"));
        QVERIFY(s.next());
        QCOMPARE(s.int64(0), qint64(targets.size()));
        // Back for the tests after this one.
        const QString dataDir = m_daemon->dataDir();
        auto restarted = std::make_unique<DaemonProcess>();
        restarted->setDataDir(dataDir);
        QVERIFY2(restarted->start({QStringLiteral("--config"), m_config}),
                 restarted->standardError().constData());
        m_stopped = std::exchange(m_daemon, std::move(restarted));
    }

    // GET /stats/usage over a long log scans every row; it runs on the log reader's pool,
    // so the admin listener (in the desktop app, the UI thread) answers other requests
    // meanwhile: /health comes back while the scan is still running.
    void aLongLogScanDoesNotHoldUpTheAdminListener()
    {
        auto daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(daemon->start({QStringLiteral("--config"), m_config}),
                 daemon->standardError().constData());
        QCOMPARE(daemon->terminate(), 0); // migrated; now filled while stopped
        constexpr int Rows = 1500000;
        {
            gh::Database db;
            QVERIFY2(db.open(QDir(daemon->dataDir()).filePath(QStringLiteral("gatehouse.db"))),
                     qPrintable(db.lastError()));
            gh::Transaction tx(db);
            QVERIFY2(
                db.exec(QStringLiteral(
                            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE "
                            "i < %1) "
                            "INSERT INTO request_log (ts, route, model, method, path, status, "
                            "latency_ms, tokens_in, tokens_out, cost_usd, bytes_in, bytes_out) "
                            "SELECT 1700000000000 + i, 'r' || (i % 50), 'm' || (i % 7), 'POST', "
                            "'/v1/chat/completions', 200, (i % 997) * 0.5, i % 100, i % 50, "
                            "(i % 13) * 0.0001, 0, 0 FROM n")
                            .arg(Rows)),
                qPrintable(db.lastError()));
            QVERIFY(db.exec(
                QStringLiteral("INSERT INTO request_log_blocks (first_id, last_id, min_ts, max_ts) "
                               "SELECT min(id), max(id), min(ts), max(ts) FROM request_log")));
            QVERIFY(tx.commit());
        }
        auto again = std::make_unique<DaemonProcess>();
        again->setDataDir(daemon->dataDir());
        QVERIFY2(again->start({QStringLiteral("--config"), m_config}),
                 again->standardError().constData());
        const QString adminUrl = again->adminUrl();
        const QByteArray token = "Bearer " + again->adminToken().toUtf8();

        QElapsedTimer clock;
        clock.start();
        std::atomic<qint64> usageDoneAt{-1};
        HttpResult usage;
        std::vector<qint64> healthAnswers;
        std::unique_ptr<QThread> scan(QThread::create([&] {
            usage =
                HttpClient::request("GET", adminUrl + QLatin1String("/stats/usage?group_by=model"),
                                    {}, {{"Authorization", token}}, 60000);
            usageDoneAt.store(clock.elapsed());
        }));
        scan->start();
        // /health, again and again while the scan runs. Those answered from 100 ms on (the
        // usage request has arrived) until 50 ms before the scan's answer could only be
        // answered alongside it; a listener blocked by the scan answers them all after it.
        int answeredDuringScan = 0;
        while (usageDoneAt.load() < 0 && clock.elapsed() < 60000) {
            const HttpResult health =
                HttpClient::request("GET", adminUrl + QLatin1String("/health"));
            QCOMPARE(health.status, 200);
            const qint64 at = clock.elapsed();
            if (at >= 100 && usageDoneAt.load() < 0)
                healthAnswers.push_back(at);
            QTest::qWait(5);
        }
        QVERIFY(scan->wait(QDeadlineTimer(60000)));
        QCOMPARE(usage.status, 200);
        const QJsonObject total = usage.json().object().value(QLatin1String("total")).toObject();
        QCOMPARE(total.value(QLatin1String("requests")).toInteger(), qint64(Rows));
        QCOMPARE(usage.json().object().value(QLatin1String("groups")).toArray().size(), 7);
        for (qint64 at : healthAnswers)
            answeredDuringScan += at < usageDoneAt.load() - 50 ? 1 : 0;
        qInfo("usage over %d rows answered at %lld ms; /health answered %d time(s) meanwhile", Rows,
              usageDoneAt.load(), answeredDuringScan);
        if (usageDoneAt.load() < 300)
            QSKIP(
                "the scan took under 300 ms: too fast to tell a blocked listener from a free one");
        QVERIFY2(answeredDuringScan > 0, "/health waited for the /stats/usage scan");
        QCOMPARE(again->terminate(), 0);
    }

    void killDuringLoadLeavesAConsistentDatabase()
    {
        auto daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(daemon->start({QStringLiteral("--config"), m_config}),
                 daemon->standardError().constData());
        const QString url = daemon->gatewayUrl();
        QElapsedTimer clock;
        clock.start();
        std::atomic<bool> stop{false};
        QMutex mutex;
        std::vector<std::pair<QByteArray, qint64>> answered; // target, when (clock ms)
        std::vector<std::unique_ptr<QThread>> threads;
        for (int c = 0; c < 4; ++c) {
            threads.emplace_back(QThread::create([&, c] {
                RawConnection connection;
                if (!connection.connectTo(url))
                    return;
                for (int i = 0; !stop.load() && i < 1000000; ++i) {
                    const QByteArray target =
                        "/open/kill?c=" + QByteArray::number(c) + "&i=" + QByteArray::number(i);
                    if (!connection.send(rawRequest("GET", target, "127.0.0.1")))
                        return;
                    bool complete = false;
                    const RawResponse response = connection.read(5000, false, &complete);
                    if (!complete || response.status != 200)
                        return;
                    QMutexLocker lock(&mutex);
                    answered.emplace_back(target, clock.elapsed());
                }
            }));
            threads.back()->start();
        }
        // Load for a while (a second and a half's worth of answers), then SIGKILL.
        for (int i = 0; i < 300; ++i) {
            QTest::qWait(10);
            QMutexLocker lock(&mutex);
            if (!answered.empty() && answered.back().second >= 1500)
                break;
        }
        daemon->process().kill();
        const qint64 killedAt = clock.elapsed();
        QVERIFY(daemon->process().waitForFinished(10000));
        stop.store(true);
        for (auto &thread : threads)
            QVERIFY(thread->wait(QDeadlineTimer(30000)));
        QVERIFY(answered.size() > 100);

        const QString dbPath = QDir(daemon->dataDir()).filePath(QStringLiteral("gatehouse.db"));
        {
            gh::Database db;
            QVERIFY2(db.open(dbPath), qPrintable(db.lastError()));
            gh::Statement check = db.prepare(QStringLiteral("PRAGMA integrity_check"));
            QVERIFY(check.next());
            QCOMPARE(check.text(0), QStringLiteral("ok"));
            std::set<QByteArray> stored;
            gh::Statement rows = db.prepare(
                QStringLiteral("SELECT path FROM request_log WHERE path LIKE '/open/kill?%'"));
            while (rows.next())
                stored.insert(rows.text(0).toUtf8());
            int missingOld = 0;
            int missingRecent = 0;
            for (const auto &[target, at] : answered) {
                if (stored.count(target))
                    continue;
                (at < killedAt - 1000 ? missingOld : missingRecent) += 1;
            }
            // Everything answered more than a second before the kill is there.
            QCOMPARE(missingOld, 0);
            QVERIFY(stored.size() <= answered.size() + 4); // + the ones in flight
            qInfo("kill -9: %zu answered, %zu stored, %d of the last second missing",
                  answered.size(), stored.size(), missingRecent);
        }
        // And the gateway starts again on it.
        auto again = std::make_unique<DaemonProcess>();
        again->setDataDir(daemon->dataDir());
        QVERIFY2(again->start({QStringLiteral("--config"), m_config}),
                 again->standardError().constData());
        QCOMPARE(
            HttpClient::request("GET", again->gatewayUrl() + QLatin1String("/open/after")).status,
            200);
        QCOMPARE(again->terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRequestLogging)
#include "tst_requestlogging.moc"
