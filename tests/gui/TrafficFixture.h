#pragma once

// A real gateway with traffic of known shape for the Traffic, Costs and Overview tests:
// route "api" (/api, no key) and route "secure" (/secure, key) on one scripted upstream,
// which also plays an OpenAI provider whose usage depends on the upstream model:
//   gpt-4o-mini: 1000 tokens in, 500 out at USD 1000/2000 per 1M  → USD 2.00 a call
//   gpt-4o:      2000 tokens in, 1000 out at USD 100/200 per 1M   → USD 0.40 a call
// Public models "fast" → gpt-4o-mini and "smart" → gpt-4o; consumers alice (budget USD 10
// a month) and bob (no budget), each with a key. settings.log_bodies is on.
#include "Gateway.h"
#include "HttpClient.h"
#include "ScriptedUpstream.h"
#include "log/RequestLog.h"
#include "store/RequestLogReader.h"

#include <QJsonDocument>
#include <QElapsedTimer>
#include <QTest>

#include "TestGateway.h"

namespace gh::test {

struct TrafficFixture
{
    TrafficFixture()
        : upstream([](const SeenRequest &request) {
            if (request.target.startsWith("/api/fail"))
                return UpstreamReply::respond(500, "{\"error\":\"boom\"}",
                                              {{"Content-Type", "application/json"}});
            if (request.target.startsWith("/v1/chat/completions")) {
                const bool mini = request.body.contains("gpt-4o-mini");
                const QByteArray model = mini ? "gpt-4o-mini" : "gpt-4o";
                const QByteArray usage = mini ? "{\"prompt_tokens\":1000,\"completion_tokens\":500}"
                                              : "{\"prompt_tokens\":2000,\"completion_tokens\":1000}";
                return UpstreamReply::respond(
                    200,
                    "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" +
                        model +
                        "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        "\"content\":\"hi\"},\"finish_reason\":\"stop\"}],\"usage\":" +
                        usage + "}",
                    {{"Content-Type", "application/json"}});
            }
            return UpstreamReply::respond(200, "{\"pong\":true,\"items\":[1,2,3]}",
                                          {{"Content-Type", "application/json"}});
        })
    {
        upstream.setKeepBodies(true);
        ok = upstream.start() && g.start() &&
             g.put(EntityKind::Service, QStringLiteral("up"),
                   QStringLiteral("{\"targets\":[{\"url\":\"%1\"}]}").arg(upstream.url()).toUtf8()) &&
             g.put(EntityKind::Route, QStringLiteral("api"),
                   "{\"match\":{\"paths\":[\"/api\"]},\"service\":\"up\",\"auth\":\"none\"}") &&
             g.put(EntityKind::Route, QStringLiteral("secure"),
                   "{\"match\":{\"paths\":[\"/secure\"]},\"service\":\"up\",\"auth\":\"key\"}") &&
             g.put(EntityKind::Provider, QStringLiteral("oai"),
                   QStringLiteral("{\"type\":\"openai\",\"base_url\":\"%1\"}")
                       .arg(upstream.url(QStringLiteral("/v1")))
                       .toUtf8()) &&
             g.put(EntityKind::Model, QStringLiteral("fast"),
                   "{\"targets\":[{\"provider\":\"oai\",\"model\":\"gpt-4o-mini\"}]}") &&
             g.put(EntityKind::Model, QStringLiteral("smart"),
                   "{\"targets\":[{\"provider\":\"oai\",\"model\":\"gpt-4o\"}]}") &&
             g.put(EntityKind::Price, QStringLiteral("oai/gpt-4o-mini"),
                   "{\"input\":1000,\"output\":2000}") &&
             g.put(EntityKind::Price, QStringLiteral("oai/gpt-4o"),
                   "{\"input\":100,\"output\":200}") &&
             g.put(EntityKind::Consumer, QStringLiteral("alice"),
                   "{\"budget\":{\"usd\":10,\"period\":\"month\"}}") &&
             g.put(EntityKind::Consumer, QStringLiteral("bob"), "{}") && setLogBodies(true);
        aliceKey = g.gateway.createConsumerKey(QStringLiteral("alice")).rawKey.toLatin1();
        bobKey = g.gateway.createConsumerKey(QStringLiteral("bob")).rawKey.toLatin1();
        ok = ok && !aliceKey.isEmpty() && !bobKey.isEmpty();
    }

    bool setLogBodies(bool on)
    {
        const HttpResult r = HttpClient::request(
            "PUT", g.gateway.adminUrl() + QStringLiteral("/config"),
            QStringLiteral("{\"settings\":{\"log_bodies\":%1}}").arg(on ? "true" : "false").toUtf8(),
            {{"Authorization", "Bearer " + g.gateway.adminToken().toLatin1()},
             {"Content-Type", "application/json"}});
        if (r.status != 200)
            qWarning() << "PUT /config:" << r.status << r.body;
        return r.status == 200;
    }

    HttpResult send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                    QList<std::pair<QByteArray, QByteArray>> headers = {})
    {
        ++sent;
        return HttpClient::request(method, g.gateway.gatewayUrl() + path, body, headers);
    }

    HttpResult chat(const QByteArray &key, const QString &model)
    {
        return send("POST", QStringLiteral("/v1/chat/completions"),
                    QStringLiteral("{\"model\":\"%1\",\"messages\":[{\"role\":\"user\","
                                   "\"content\":\"hi\"}]}")
                        .arg(model)
                        .toUtf8(),
                    {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + key}});
    }

    // The known mix (11 requests): 4 × GET /api/ping (200), 1 × GET /nowhere (404),
    // alice: 3 × fast + 1 × smart, bob: 2 × smart (all 200).
    //   by model:    (none) 5 requests, 1 error; gpt-4o-mini 3, 3000/1500 tokens, USD 6.00;
    //                gpt-4o 3, 6000/3000 tokens, USD 1.20
    //   by consumer: (none) 5; alice 4, USD 6.40; bob 2, USD 0.80. Total USD 7.20.
    bool sendKnownMix()
    {
        bool good = true;
        for (int i = 0; i < 4; ++i)
            good = send("GET", QStringLiteral("/api/ping")).status == 200 && good;
        good = send("GET", QStringLiteral("/nowhere")).status == 404 && good;
        for (int i = 0; i < 3; ++i)
            good = chat(aliceKey, QStringLiteral("fast")).status == 200 && good;
        good = chat(aliceKey, QStringLiteral("smart")).status == 200 && good;
        for (int i = 0; i < 2; ++i)
            good = chat(bobKey, QStringLiteral("smart")).status == 200 && good;
        return good && flush();
    }

    // Everything answered is in the database. A record is pushed when its exchange ends on
    // the worker, which can be just after the client read the answer: wait (bounded) until
    // as many rows were written as requests were sent.
    bool flush()
    {
        QElapsedTimer waited;
        waited.start();
        while (true) {
            if (!g.gateway.requestLog()->flush())
                return false;
            if (g.gateway.requestLog()->written() >= sent)
                return true;
            if (waited.elapsed() > 10000)
                return false;
            QTest::qWait(10);
        }
    }

    ScriptedUpstream upstream;
    TestGateway g;
    bool ok = false;
    quint64 sent = 0; // requests sent through send()
    QByteArray aliceKey;
    QByteArray bobKey;
};

} // namespace gh::test
