// The AI endpoints (SPEC §4) end to end through a real gatehoused: scripted providers
// answering in OpenAI's and Anthropic's exact shapes, so routing, fallbacks, auth,
// translation and every rejection path can be checked byte for byte. The official SDKs
// against every provider type's mock are tests/clients/ai_e2e.test.mjs.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "ScriptedUpstream.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace gh::test;

namespace {

const QByteArray kMeKey = "gh-testkey-ai-me-0123456789abcdef";
const QByteArray kLimitedKey = "gh-testkey-ai-limited-0123456789";
const QByteArray kThriftyKey = "gh-testkey-ai-thrifty-0123456789";

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject bodyOf(const SeenRequest &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

QJsonObject openAiUsage()
{
    return {{"prompt_tokens", 100},
            {"completion_tokens", 50},
            {"total_tokens", 150},
            {"prompt_tokens_details", QJsonObject{{"cached_tokens", 20}}},
            {"completion_tokens_details", QJsonObject{{"reasoning_tokens", 7}}}};
}

QByteArray openAiCompletion(const QString &model)
{
    return json(
        {{"id", "chatcmpl-test1"},
         {"object", "chat.completion"},
         {"created", 1700000000},
         {"model", model},
         {"choices", QJsonArray{QJsonObject{
                         {"index", 0},
                         {"message", QJsonObject{{"role", "assistant"}, {"content", "Hi there"}}},
                         {"finish_reason", "stop"}}}},
         {"usage", openAiUsage()},
         {"system_fingerprint", "fp_test"},
         {"service_tier", "default"}});
}

QByteArray sseData(const QJsonObject &object)
{
    return "data: " + json(object) + "\n\n";
}

QJsonObject chunk(const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null)
{
    return {{"id", "chatcmpl-test2"},
            {"object", "chat.completion.chunk"},
            {"created", 1700000000},
            {"model", "gpt-4o-mini"},
            {"choices",
             QJsonArray{QJsonObject{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}};
}

QByteArray openAiStream(bool complete = true)
{
    QByteArray out = sseData(chunk({{"role", "assistant"}, {"content", ""}}));
    out += sseData(chunk({{"content", "Hi"}}));
    if (!complete)
        return out;
    out += sseData(chunk({{"content", " there"}}));
    out += sseData(chunk({}, "stop"));
    QJsonObject usage = chunk({});
    usage.insert("choices", QJsonArray());
    usage.insert("usage", openAiUsage());
    out += sseData(usage);
    out += "data: [DONE]\n\n";
    return out;
}

QByteArray anthropicMessage(const QString &model)
{
    return json({{"id", "msg_test1"},
                 {"type", "message"},
                 {"role", "assistant"},
                 {"model", model},
                 {"content", QJsonArray{QJsonObject{{"type", "text"}, {"text", "Bonjour"}}}},
                 {"stop_reason", "end_turn"},
                 {"stop_sequence", QJsonValue::Null},
                 {"usage", QJsonObject{{"input_tokens", 30},
                                       {"output_tokens", 5},
                                       {"cache_read_input_tokens", 10},
                                       {"cache_creation_input_tokens", 0}}}});
}

QByteArray anthropicEvent(const QByteArray &name, const QJsonObject &data)
{
    return "event: " + name + "\ndata: " + json(data) + "\n\n";
}

// The event sequence of Anthropic's streaming docs, text only.
QByteArray anthropicStream(const QString &model)
{
    QJsonObject message{{"id", "msg_test2"},
                        {"type", "message"},
                        {"role", "assistant"},
                        {"model", model},
                        {"content", QJsonArray()},
                        {"stop_reason", QJsonValue::Null},
                        {"stop_sequence", QJsonValue::Null},
                        {"usage", QJsonObject{{"input_tokens", 30}, {"output_tokens", 1}}}};
    QByteArray out =
        anthropicEvent("message_start", {{"type", "message_start"}, {"message", message}});
    out += anthropicEvent("content_block_start",
                          {{"type", "content_block_start"},
                           {"index", 0},
                           {"content_block", QJsonObject{{"type", "text"}, {"text", ""}}}});
    out += anthropicEvent("ping", {{"type", "ping"}});
    for (const char *piece : {"Bon", "jour"})
        out += anthropicEvent("content_block_delta",
                              {{"type", "content_block_delta"},
                               {"index", 0},
                               {"delta", QJsonObject{{"type", "text_delta"}, {"text", piece}}}});
    out += anthropicEvent("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}});
    out += anthropicEvent(
        "message_delta",
        {{"type", "message_delta"},
         {"delta", QJsonObject{{"stop_reason", "end_turn"}, {"stop_sequence", QJsonValue::Null}}},
         {"usage", QJsonObject{{"output_tokens", 5}}}});
    out += anthropicEvent("message_stop", {{"type", "message_stop"}});
    return out;
}

} // namespace

class TestAiGateway : public QObject
{
    Q_OBJECT

private:
    HttpResult post(const QString &path, const QJsonObject &body, const QByteArray &key = kMeKey,
                    QList<std::pair<QByteArray, QByteArray>> headers = {}, int timeoutMs = 10000)
    {
        headers.append(std::pair<QByteArray, QByteArray>("content-type", "application/json"));
        if (!key.isEmpty())
            headers.append(std::pair<QByteArray, QByteArray>("authorization", "Bearer " + key));
        return HttpClient::request("POST", m_daemon->gatewayUrl() + path, json(body), headers,
                                   timeoutMs);
    }

    static QJsonObject chat(const QString &model, bool stream = false)
    {
        QJsonObject body{
            {"model", model},
            {"messages", QJsonArray{QJsonObject{{"role", "system"}, {"content", "Be brief."}},
                                    QJsonObject{{"role", "user"}, {"content", "Hello"}}}}};
        if (stream) {
            body.insert("stream", true);
            body.insert("stream_options", QJsonObject{{"include_usage", true}});
        }
        return body;
    }

    static QJsonObject message(const QString &model, bool stream = false)
    {
        QJsonObject body{
            {"model", model},
            {"max_tokens", 64},
            {"system", "Be brief."},
            {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", "Hello"}}}}};
        if (stream)
            body.insert("stream", true);
        return body;
    }

    std::unique_ptr<DaemonProcess> m_daemon;
    std::vector<std::unique_ptr<DaemonProcess>> m_stoppedDaemons;
    std::unique_ptr<ScriptedUpstream> m_openAi;    // OpenAI dialect: completions and streams
    std::unique_ptr<ScriptedUpstream> m_anthropic; // Anthropic Messages
    std::unique_ptr<ScriptedUpstream> m_down;      // always 503
    std::unique_ptr<ScriptedUpstream> m_hang;      // never answers
    std::unique_ptr<ScriptedUpstream> m_badKey;    // 401: the gateway's provider key is wrong
    std::unique_ptr<ScriptedUpstream> m_partial;   // a stream that dies after its first delta
    std::unique_ptr<ScriptedUpstream> m_invalid;   // 400: the provider refuses the request
    std::unique_ptr<ScriptedUpstream> m_busy; // Anthropic stream opening with an overloaded error
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase()
    {
        m_openAi = std::make_unique<ScriptedUpstream>([](const SeenRequest &request) {
            if (!request.complete)
                return UpstreamReply();
            const QJsonObject body = bodyOf(request);
            if (body.value("stream").toBool())
                return UpstreamReply::respond(200, openAiStream(),
                                              {{"content-type", "text/event-stream"}});
            return UpstreamReply::respond(200, openAiCompletion(body.value("model").toString()),
                                          {{"content-type", "application/json"}});
        });
        m_anthropic = std::make_unique<ScriptedUpstream>([](const SeenRequest &request) {
            if (!request.complete)
                return UpstreamReply();
            const QJsonObject body = bodyOf(request);
            if (body.value("stream").toBool())
                return UpstreamReply::respond(200, anthropicStream(body.value("model").toString()),
                                              {{"content-type", "text/event-stream"}});
            return UpstreamReply::respond(200, anthropicMessage(body.value("model").toString()),
                                          {{"content-type", "application/json"}});
        });
        m_down = std::make_unique<ScriptedUpstream>([](const SeenRequest &request) {
            if (!request.complete)
                return UpstreamReply();
            return UpstreamReply::respond(
                503,
                json({{"error", QJsonObject{{"message", "The server is overloaded"},
                                            {"type", "server_error"}}}}),
                {{"content-type", "application/json"}});
        });
        m_hang = std::make_unique<ScriptedUpstream>([](const SeenRequest &request) {
            UpstreamReply reply;
            reply.hang = request.complete;
            return reply;
        });
        m_badKey = std::make_unique<ScriptedUpstream>([](const SeenRequest &request) {
            if (!request.complete)
                return UpstreamReply();
            return UpstreamReply::respond(
                401,
                json({{"error", QJsonObject{{"message", "Incorrect API key provided"},
                                            {"type", "invalid_request_error"},
                                            {"code", "invalid_api_key"}}}}),
                {{"content-type", "application/json"}});
        });
        m_partial = std::make_unique<ScriptedUpstream>([](const SeenRequest &request) {
            if (!request.complete)
                return UpstreamReply();
            const QByteArray part = openAiStream(false);
            UpstreamReply reply;
            reply.bytes = "HTTP/1.1 200 OK\r\ncontent-type: "
                          "text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" +
                          QByteArray::number(part.size(), 16) + "\r\n" + part + "\r\n";
            reply.closeAfter = true;
            return reply;
        });
        m_invalid = std::make_unique<ScriptedUpstream>([](const SeenRequest &request) {
            if (!request.complete)
                return UpstreamReply();
            return UpstreamReply::respond(
                400,
                json({{"error", QJsonObject{{"message", "Invalid value for 'temperature'"},
                                            {"type", "invalid_request_error"},
                                            {"param", "temperature"}}}}),
                {{"content-type", "application/json"}});
        });
        m_busy = std::make_unique<ScriptedUpstream>([](const SeenRequest &request) {
            if (!request.complete)
                return UpstreamReply();
            // Anthropic's docs: errors can arrive inside a 200 event stream.
            return UpstreamReply::respond(
                200,
                anthropicEvent("error", {{"type", "error"},
                                         {"error", QJsonObject{{"type", "overloaded_error"},
                                                               {"message", "Overloaded"}}}}),
                {{"content-type", "text/event-stream"}});
        });
        for (ScriptedUpstream *upstream :
             {m_openAi.get(), m_anthropic.get(), m_down.get(), m_hang.get(), m_badKey.get(),
              m_partial.get(), m_invalid.get(), m_busy.get()}) {
            upstream->setKeepBodies(true);
            QVERIFY(upstream->start());
        }
        QTcpServer unused;
        QVERIFY(unused.listen(QHostAddress::LocalHost));
        const QString deadPort = QString::number(unused.serverPort());
        unused.close();

        qputenv("GH_AI_TEST_OPENAI_KEY", "sk-test-openai");
        qputenv("GH_AI_TEST_ANTHROPIC_KEY", "sk-ant-test");
        qputenv("GH_AI_TEST_ME_KEY", kMeKey);
        qputenv("GH_AI_TEST_LIMITED_KEY", kLimitedKey);
        qputenv("GH_AI_TEST_THRIFTY_KEY", kThriftyKey);
        qunsetenv("GH_AI_TEST_UNSET");

        QString yaml = QStringLiteral(
            "providers:\n"
            "  - {name: oa, type: openai, base_url: \"%OPENAI%/v1\", api_key: "
            "\"${env:GH_AI_TEST_OPENAI_KEY}\"}\n"
            "  - {name: an, type: anthropic, base_url: \"%ANTHROPIC%\", api_key: "
            "\"${env:GH_AI_TEST_ANTHROPIC_KEY}\"}\n"
            "  - {name: down, type: openai, base_url: \"%DOWN%/v1\", api_key: "
            "\"${env:GH_AI_TEST_OPENAI_KEY}\"}\n"
            "  - {name: refused, type: openai-compatible, base_url: "
            "\"http://127.0.0.1:%DEADPORT%/v1\"}\n"
            "  - {name: hang, type: openai-compatible, base_url: \"%HANG%/v1\", timeout_ms: 700}\n"
            "  - {name: badkey, type: openai, base_url: \"%BADKEY%/v1\", api_key: "
            "\"${env:GH_AI_TEST_OPENAI_KEY}\"}\n"
            "  - {name: nokey, type: openai, base_url: \"%OPENAI%/v1\", api_key: "
            "\"${env:GH_AI_TEST_UNSET}\"}\n"
            "  - {name: partial, type: openai-compatible, base_url: \"%PARTIAL%/v1\"}\n"
            "  - {name: strict, type: openai-compatible, base_url: \"%INVALID%/v1\"}\n"
            "  - {name: capped, type: openai, base_url: \"%OPENAI%/v1\", api_key: \"${env:GH_AI_TEST_OPENAI_KEY}\", "
            "budget: {usd: 0.0001, period: month}}\n"
            "  - {name: busy, type: anthropic, base_url: \"%BUSY%\", api_key: "
            "\"${env:GH_AI_TEST_ANTHROPIC_KEY}\"}\n"
            "models:\n"
            "  - {name: gpt, targets: [{provider: oa, model: gpt-4o-mini}]}\n"
            "  - {name: claude, targets: [{provider: an, model: claude-3-5-haiku-20241022}]}\n"
            "  - {name: flaky, targets: [{provider: down, model: m1}], retries: 1, fallbacks: "
            "[claude]}\n"
            "  - {name: only-down, targets: [{provider: down, model: m2}], retries: 2}\n"
            "  - {name: unreachable, targets: [{provider: refused, model: m3}], fallbacks: [gpt]}\n"
            "  - {name: slow, targets: [{provider: hang, model: m4}]}\n"
            "  - {name: badkey, targets: [{provider: badkey, model: m5}], fallbacks: [claude]}\n"
            "  - {name: nokey, targets: [{provider: nokey, model: m6}]}\n"
            "  - {name: broken, targets: [{provider: partial, model: m7}]}\n"
            "  - {name: strict, targets: [{provider: strict, model: m8}], fallbacks: [gpt]}\n"
            "  - {name: busy, targets: [{provider: busy, model: claude-3-5-haiku-latest}], "
            "fallbacks: [gpt]}\n"
            "  - {name: capped, targets: [{provider: capped, model: gpt-4o-mini}], fallbacks: [claude]}\n"
            "  - {name: busy-only, targets: [{provider: busy, model: claude-3-5-haiku-latest}]}\n"
            "  - {name: split, targets: [{provider: oa, model: split-a, weight: 3}, {provider: oa, "
            "model: split-b, "
            "weight: 1}]}\n"
            "prices:\n"
            "  - {provider: oa, model: gpt-4o-mini, input: 1.0, output: 2.0, cached_input: 0.5}\n"
            "  - {provider: capped, model: gpt-4o-mini, input: 1.0, output: 2.0, cached_input: 0.5}\n"
            "consumers:\n"
            "  - {name: me, keys: [\"${env:GH_AI_TEST_ME_KEY}\"]}\n"
            "  - {name: limited, keys: [\"${env:GH_AI_TEST_LIMITED_KEY}\"], allow_models: "
            "[gpt]}\n"
            "  - {name: thrifty, keys: [\"${env:GH_AI_TEST_THRIFTY_KEY}\"], budget: {usd: 0.0003, period: day}}\n");
        yaml.replace(QStringLiteral("%OPENAI%"), m_openAi->url())
            .replace(QStringLiteral("%ANTHROPIC%"), m_anthropic->url())
            .replace(QStringLiteral("%DOWN%"), m_down->url())
            .replace(QStringLiteral("%HANG%"), m_hang->url())
            .replace(QStringLiteral("%BADKEY%"), m_badKey->url())
            .replace(QStringLiteral("%PARTIAL%"), m_partial->url())
            .replace(QStringLiteral("%INVALID%"), m_invalid->url())
            .replace(QStringLiteral("%BUSY%"), m_busy->url())
            .replace(QStringLiteral("%DEADPORT%"), deadPort);
        QFile config(m_tmp.filePath(QStringLiteral("ai.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(yaml.toUtf8());
        config.close();

        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start({QStringLiteral("--config"), config.fileName()}),
                 m_daemon->standardError().constData());
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->terminate(), 0);
    }

    // --- translation and headers ----------------------------------------------------------

    void openAiCallerToOpenAiProvider()
    {
        QJsonObject request = chat("gpt");
        request.insert("seed", 7);
        request.insert("logit_bias", QJsonObject{{"50256", -100}});
        const HttpResult result = post("/v1/chat/completions", request);
        QCOMPARE(result.status, 200);
        const QJsonObject body = result.json().object();
        QCOMPARE(body["object"].toString(), QStringLiteral("chat.completion"));
        // Same dialect both ways: fields the gateway does not model pass through untouched.
        QCOMPARE(body["system_fingerprint"].toString(), QStringLiteral("fp_test"));
        QCOMPARE(body["service_tier"].toString(), QStringLiteral("default"));
        QCOMPARE(body["choices"][0]["message"]["content"].toString(), QStringLiteral("Hi there"));
        QCOMPARE(body["choices"][0]["finish_reason"].toString(), QStringLiteral("stop"));
        QCOMPARE(body["usage"]["prompt_tokens"].toInt(), 100);
        QCOMPARE(body["usage"]["prompt_tokens_details"]["cached_tokens"].toInt(), 20);
        QCOMPARE(body["usage"]["completion_tokens_details"]["reasoning_tokens"].toInt(), 7);
        QCOMPARE(result.header("x-gatehouse-provider"), QByteArray("oa"));
        QCOMPARE(result.header("x-gatehouse-model"), QByteArray("gpt-4o-mini"));
        QVERIFY(!result.header("x-gatehouse-request-id").isEmpty());
        bool ok = false;
        result.header("x-gatehouse-overhead-us").toLongLong(&ok);
        QVERIFY(ok);
        // (100 - 20) × 1.0 + 20 × 0.5 + 50 × 2.0 per 1M tokens.
        QCOMPARE(result.header("x-gatehouse-cost-usd").toDouble(), 190e-6);

        const SeenRequest seen = m_openAi->last();
        QCOMPARE(seen.target, QByteArray("/v1/chat/completions"));
        // The provider key replaces the consumer's: the caller's key never leaves the gateway.
        QCOMPARE(seen.header("authorization"), QByteArray("Bearer sk-test-openai"));
        QCOMPARE(bodyOf(seen)["model"].toString(), QStringLiteral("gpt-4o-mini"));
        QCOMPARE(bodyOf(seen)["messages"][1]["content"].toString(), QStringLiteral("Hello"));
        QCOMPARE(bodyOf(seen)["seed"].toInt(), 7);
        QCOMPARE(bodyOf(seen)[QStringLiteral("logit_bias")][QStringLiteral("50256")].toInt(), -100);
    }

    void openAiCallerToAnthropicProvider()
    {
        const HttpResult result = post("/v1/chat/completions", chat("claude"));
        QCOMPARE(result.status, 200);
        const QJsonObject body = result.json().object();
        QCOMPARE(body["choices"][0]["message"]["content"].toString(), QStringLiteral("Bonjour"));
        QCOMPARE(body["choices"][0]["finish_reason"].toString(), QStringLiteral("stop"));
        // Anthropic's input_tokens exclude cache reads; OpenAI's prompt_tokens include them.
        QCOMPARE(body["usage"]["prompt_tokens"].toInt(), 40);
        QCOMPARE(body["usage"]["prompt_tokens_details"]["cached_tokens"].toInt(), 10);
        QCOMPARE(result.header("x-gatehouse-provider"), QByteArray("an"));

        const SeenRequest seen = m_anthropic->last();
        QCOMPARE(seen.target, QByteArray("/v1/messages"));
        QCOMPARE(seen.header("x-api-key"), QByteArray("sk-ant-test"));
        QCOMPARE(seen.header("anthropic-version"), QByteArray("2023-06-01"));
        QVERIFY(!seen.hasHeader("authorization"));
        const QJsonObject sent = bodyOf(seen);
        QCOMPARE(sent["system"].toString(), QStringLiteral("Be brief."));
        // Required by Anthropic, absent from the OpenAI request: the model family's limit.
        QCOMPARE(sent["max_tokens"].toInt(), 8192);
        QCOMPARE(sent["messages"].toArray().size(), 1);
    }

    void anthropicCallerToOpenAiProvider()
    {
        const HttpResult result = post("/v1/messages", message("gpt"), {}, {{"x-api-key", kMeKey}});
        QCOMPARE(result.status, 200);
        const QJsonObject body = result.json().object();
        QCOMPARE(body["type"].toString(), QStringLiteral("message"));
        QCOMPARE(body["content"][0]["text"].toString(), QStringLiteral("Hi there"));
        QCOMPARE(body["stop_reason"].toString(), QStringLiteral("end_turn"));
        QCOMPARE(body["usage"]["input_tokens"].toInt(), 80);
        QCOMPARE(body["usage"]["cache_read_input_tokens"].toInt(), 20);
        QCOMPARE(body["usage"]["output_tokens"].toInt(), 50);
        const QJsonObject sent = bodyOf(m_openAi->last());
        QCOMPARE(sent["messages"][0]["role"].toString(), QStringLiteral("system"));
        QCOMPARE(sent["max_completion_tokens"].toInt(), 64);
    }

    void streamTranslatedForAnthropicCaller()
    {
        const HttpResult result =
            post("/v1/messages", message("gpt", true), {}, {{"x-api-key", kMeKey}});
        QCOMPARE(result.status, 200);
        QVERIFY(result.header("content-type").startsWith("text/event-stream"));
        QCOMPARE(result.header("x-gatehouse-provider"), QByteArray("oa"));
        const QByteArray body = result.body;
        const QList<QByteArray> order{"event: message_start",       "event: content_block_start",
                                      "event: content_block_delta", "event: content_block_stop",
                                      "event: message_delta",       "event: message_stop"};
        qsizetype at = 0;
        for (const QByteArray &event : order) {
            const qsizetype found = body.indexOf(event, at);
            QVERIFY2(found >= 0, event.constData());
            at = found;
        }
        QVERIFY(body.contains("\"text\":\"Hi\""));
        QVERIFY(body.contains("\"text\":\" there\""));
        QVERIFY(body.contains("\"output_tokens\":50"));
        // The provider was asked for usage even though an Anthropic caller cannot say so.
        QVERIFY(
            bodyOf(
                m_openAi->last())[QStringLiteral("stream_options")][QStringLiteral("include_usage")]
                .toBool());
    }

    void streamToOpenAiCallerHonoursIncludeUsage()
    {
        HttpResult result = post("/v1/chat/completions", chat("gpt", true));
        QCOMPARE(result.status, 200);
        QVERIFY(result.body.contains("\"content\":\"Hi\""));
        QVERIFY(result.body.contains("\"prompt_tokens\":100"));
        QVERIFY(result.body.endsWith("data: [DONE]\n\n"));

        QJsonObject noUsage = chat("gpt", true);
        noUsage.remove("stream_options");
        result = post("/v1/chat/completions", noUsage);
        QCOMPARE(result.status, 200);
        QVERIFY(result.body.contains("\"content\":\" there\""));
        QVERIFY(!result.body.contains("prompt_tokens"));
    }

    // --- auth and rejections -----------------------------------------------------------------

    void missingOrWrongKeyIs401InTheCallersDialect()
    {
        HttpResult result = post("/v1/chat/completions", chat("gpt"), QByteArray());
        QCOMPARE(result.status, 401);
        QCOMPARE(result.json()["error"]["type"].toString(), QStringLiteral("authentication_error"));
        QVERIFY(!result.header("www-authenticate").isEmpty());

        result = post("/v1/messages", message("gpt"), QByteArray());
        QCOMPARE(result.status, 401);
        QCOMPARE(result.json()["type"].toString(), QStringLiteral("error"));
        QCOMPARE(result.json()["error"]["type"].toString(), QStringLiteral("authentication_error"));

        result = post("/v1/chat/completions", chat("gpt"), "gh-not-a-key");
        QCOMPARE(result.status, 401);
        QVERIFY(result.json()["error"]["message"].toString().contains(QStringLiteral("invalid")));
    }

    void allowModelsLimitsAConsumer()
    {
        HttpResult result = post("/v1/chat/completions", chat("claude"), kLimitedKey);
        QCOMPARE(result.status, 403);
        QVERIFY(result.json()["error"]["message"].toString().contains(QStringLiteral("claude")));
        result = post("/v1/chat/completions", chat("gpt"), kLimitedKey);
        QCOMPARE(result.status, 200);

        result = HttpClient::request("GET", m_daemon->gatewayUrl() + "/v1/models", {},
                                     {{"authorization", "Bearer " + kLimitedKey}});
        QCOMPARE(result.status, 200);
        const QJsonArray data = result.json()["data"].toArray();
        QCOMPARE(data.size(), 1);
        QCOMPARE(data[0]["id"].toString(), QStringLiteral("gpt"));
    }

    void modelsListInBothDialects()
    {
        HttpResult result = HttpClient::request("GET", m_daemon->gatewayUrl() + "/v1/models", {},
                                                {{"authorization", "Bearer " + kMeKey}});
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json()["object"].toString(), QStringLiteral("list"));
        QStringList ids;
        for (const QJsonValue &model : result.json()["data"].toArray()) {
            QCOMPARE(model["object"].toString(), QStringLiteral("model"));
            ids.append(model["id"].toString());
        }
        QVERIFY(ids.contains(QStringLiteral("gpt")));
        QVERIFY(ids.contains(QStringLiteral("split")));

        result = HttpClient::request("GET", m_daemon->gatewayUrl() + "/v1/models", {},
                                     {{"x-api-key", kMeKey}, {"anthropic-version", "2023-06-01"}});
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json()["data"][0]["type"].toString(), QStringLiteral("model"));
        QCOMPARE(result.json()["has_more"].toBool(true), false);
    }

    void unknownModelIs404()
    {
        HttpResult result = post("/v1/chat/completions", chat("no-such-model"));
        QCOMPARE(result.status, 404);
        QVERIFY(
            result.json()["error"]["message"].toString().contains(QStringLiteral("no-such-model")));
        result = post("/v1/messages", message("no-such-model"));
        QCOMPARE(result.status, 404);
        QCOMPARE(result.json()["error"]["type"].toString(), QStringLiteral("not_found_error"));
    }

    void wrongMethodIs405()
    {
        const HttpResult result =
            HttpClient::request("GET", m_daemon->gatewayUrl() + "/v1/chat/completions", {},
                                {{"authorization", "Bearer " + kMeKey}});
        QCOMPARE(result.status, 405);
        QCOMPARE(result.header("allow"), QByteArray("POST"));
    }

    void malformedBodiesAre400()
    {
        HttpResult result =
            HttpClient::request("POST", m_daemon->gatewayUrl() + "/v1/chat/completions", "{nope",
                                {{"authorization", "Bearer " + kMeKey}});
        QCOMPARE(result.status, 400);
        QVERIFY(result.json()["error"]["message"].toString().contains(QStringLiteral("JSON")));

        result = post("/v1/chat/completions", QJsonObject{{"messages", QJsonArray()}});
        QCOMPARE(result.status, 400);
        QVERIFY(result.json()["error"]["message"].toString().contains(QStringLiteral("model")));

        result = post("/v1/messages", QJsonObject{{"model", "gpt"}, {"messages", QJsonArray()}});
        QCOMPARE(result.status, 400);
        QCOMPARE(result.json()["error"]["type"].toString(),
                 QStringLiteral("invalid_request_error"));
    }

    void parameterTheProviderCannotHonourIs400()
    {
        QJsonObject body = chat("claude");
        body.insert("n", 2);
        const int before = m_anthropic->requests();
        const HttpResult result = post("/v1/chat/completions", body);
        QCOMPARE(result.status, 400);
        QCOMPARE(result.json()["error"]["param"].toString(), QStringLiteral("n"));
        QVERIFY(result.json()["error"]["message"].toString().contains(QStringLiteral("an")));
        QCOMPARE(m_anthropic->requests(), before); // refused before reaching the provider
    }

    // --- fallbacks and failures ---------------------------------------------------------------

    void fallbackAfterRetriesOn5xx()
    {
        const int downBefore = m_down->requests();
        HttpResult result = post("/v1/chat/completions", chat("flaky"));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json()["choices"][0]["message"]["content"].toString(),
                 QStringLiteral("Bonjour"));
        QCOMPARE(result.header("x-gatehouse-provider"), QByteArray("an"));
        QCOMPARE(m_down->requests() - downBefore, 2); // the first try and one retry

        result = post("/v1/chat/completions", chat("flaky", true));
        QCOMPARE(result.status, 200);
        QVERIFY(result.body.contains("\"content\":\"Bon\""));
        QVERIFY(result.body.contains("\"content\":\"jour\""));
        QCOMPARE(result.header("x-gatehouse-provider"), QByteArray("an"));
    }

    void exhaustedAttemptsAnswerTheLastError()
    {
        const int before = m_down->requests();
        const HttpResult result = post("/v1/chat/completions", chat("only-down"));
        QCOMPARE(result.status, 503);
        QVERIFY(
            result.json()["error"]["message"].toString().contains(QStringLiteral("overloaded")));
        QCOMPARE(m_down->requests() - before, 3);
    }

    void connectionRefusedFallsBack()
    {
        const HttpResult result = post("/v1/chat/completions", chat("unreachable"));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.header("x-gatehouse-provider"), QByteArray("oa"));
    }

    void providerTimeoutIs504()
    {
        QElapsedTimer timer;
        timer.start();
        const HttpResult result = post("/v1/chat/completions", chat("slow"));
        QCOMPARE(result.status, 504);
        QVERIFY(timer.elapsed() < 8000);
        QVERIFY(result.json()["error"]["message"].toString().contains(QStringLiteral("hang")));
    }

    void providerRejectingOurKeyIsNotTheCallersFault()
    {
        // Not retriable (a config problem), so no fallback either: 502 naming the provider.
        const HttpResult result = post("/v1/chat/completions", chat("badkey"));
        QCOMPARE(result.status, 502);
        QVERIFY(result.json()["error"]["message"].toString().contains(
            QStringLiteral("badkey refused its API key")));
    }

    void unresolvedProviderKeyIs502()
    {
        const HttpResult result = post("/v1/chat/completions", chat("nokey"));
        QCOMPARE(result.status, 502);
        QVERIFY(result.json()["error"]["message"].toString().contains(
            QStringLiteral("GH_AI_TEST_UNSET")));
    }

    void providerRefusalIsPassedOnNotRetried()
    {
        const int before = m_openAi->requests();
        const HttpResult result = post("/v1/chat/completions", chat("strict"));
        QCOMPARE(result.status, 400);
        QCOMPARE(result.json()["error"]["param"].toString(), QStringLiteral("temperature"));
        QCOMPARE(m_openAi->requests(), before); // a 400 is not a reason to fall back
    }

    void streamDyingMidwayEndsWithAnErrorEvent()
    {
        HttpResult result = post("/v1/chat/completions", chat("broken", true));
        QCOMPARE(result.status, 200);
        QVERIFY(result.body.contains("\"content\":\"Hi\""));
        const qsizetype error = result.body.lastIndexOf("\"error\"");
        QVERIFY2(error > result.body.indexOf("\"content\":\"Hi\""), result.body.constData());
        QVERIFY(!result.body.contains("[DONE]"));

        result = post("/v1/messages", message("broken", true));
        QCOMPARE(result.status, 200);
        QVERIFY(result.body.contains("event: error"));
        QVERIFY(!result.body.contains("event: message_stop"));
    }

    void streamFailingAtItsStartFallsBack()
    {
        HttpResult result = post("/v1/chat/completions", chat("busy", true));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.header("x-gatehouse-provider"), QByteArray("oa"));
        QVERIFY(result.body.contains("\"content\":\"Hi\""));
        QVERIFY(!result.body.contains("Overloaded"));

        // Nothing to fall back to: the provider's own error, in the caller's dialect.
        result = post("/v1/chat/completions", chat("busy-only", true));
        QVERIFY2(result.body.contains("\"error\"") && result.body.contains("Overloaded"),
                 result.body.constData());
        result = post("/v1/messages", message("busy-only", true));
        QVERIFY(result.body.contains("event: error"));
        QVERIFY(result.body.contains("overloaded_error"));
    }

    void consumerBudgetRefusesOnceSpentAndSurvivesRestart()
    {
        // 190 µUSD per call against a USD 0.0003 daily budget: two calls, then refused.
        QCOMPARE(post("/v1/chat/completions", chat("gpt"), kThriftyKey).status, 200);
        QCOMPARE(post("/v1/chat/completions", chat("gpt"), kThriftyKey).status, 200);
        HttpResult result = post("/v1/chat/completions", chat("gpt"), kThriftyKey);
        QCOMPARE(result.status, 429);
        const QString text = result.json()["error"]["message"].toString();
        QVERIFY2(text.contains(QStringLiteral("budget of consumer thrifty is spent: USD 0.0004 of USD 0.0003 this day")),
                 qPrintable(text));
        result = post("/v1/messages", message("gpt"), kThriftyKey);
        QCOMPARE(result.status, 429);
        QCOMPARE(result.json()["error"]["type"].toString(), QStringLiteral("rate_limit_error"));
        // Other consumers are not affected.
        QCOMPARE(post("/v1/chat/completions", chat("gpt")).status, 200);

        // The spend is in the store: a restarted gateway still refuses.
        const QString dataDir = m_daemon->dataDir();
        QCOMPARE(m_daemon->terminate(), 0);
        m_stoppedDaemons.push_back(std::move(m_daemon)); // owns the data dir
        m_daemon = std::make_unique<DaemonProcess>();
        m_daemon->setDataDir(dataDir);
        QVERIFY2(m_daemon->start(), m_daemon->standardError().constData());
        QCOMPARE(post("/v1/chat/completions", chat("gpt"), kThriftyKey).status, 429);
        QCOMPARE(post("/v1/chat/completions", chat("gpt")).status, 200);
    }

    void providerBudgetSkipsToFallbacks()
    {
        // The first call spends the provider's USD 0.0001; after it, its targets are skipped.
        HttpResult result = post("/v1/chat/completions", chat("capped"));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.header("x-gatehouse-provider"), QByteArray("capped"));
        result = post("/v1/chat/completions", chat("capped"));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.header("x-gatehouse-provider"), QByteArray("an"));
    }

    void weightedTargets()
    {
        const int total = 80;
        int a = 0;
        int b = 0;
        for (int i = 0; i < total; ++i) {
            const HttpResult result = post("/v1/chat/completions", chat("split"));
            QCOMPARE(result.status, 200);
            const QByteArray model = result.header("x-gatehouse-model");
            a += model == "split-a";
            b += model == "split-b";
        }
        QCOMPARE(a + b, total);
        // 3:1 — expected 60/20; the bounds are four standard deviations wide.
        QVERIFY2(a >= 44 && a <= 76, QByteArray::number(a).constData());
    }
};

QTEST_GUILESS_MAIN(TestAiGateway)
#include "tst_aigateway.moc"
