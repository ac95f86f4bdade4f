#include "ai/AnthropicMessagesCodec.h"
#include "ai/OllamaChatCodec.h"
#include "ai/OllamaStreamDecoder.h"
#include "ai/OpenAiChatCodec.h"
#include "ai/OpenAiEmbeddingsCodec.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace gh;

namespace {

QByteArray readData(const QString &name)
{
    QFile file(QStringLiteral(GATEHOUSE_SOURCE_DIR "/tests/unit/data/ai/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(name));
    return file.readAll();
}

QJsonObject readObject(const QString &name)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(readData(name), &error);
    if (!document.isObject())
        qFatal("%s: %s", qPrintable(name), qPrintable(error.errorString()));
    return document.object();
}

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (!document.isObject())
        qFatal("test JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

QByteArray dump(const QJsonValue &value)
{
    return value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)
                            : QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented);
}

#define COMPARE_JSON(actual, expected)                                                             \
    do {                                                                                           \
        const QJsonValue actualValue_(actual);                                                     \
        const QJsonValue expectedValue_(expected);                                                 \
        if (actualValue_ != expectedValue_) {                                                      \
            qWarning().noquote() << "actual:\n"                                                    \
                                 << dump(actualValue_) << "\nexpected:\n"                          \
                                 << dump(expectedValue_);                                          \
            QFAIL("JSON differs");                                                                 \
        }                                                                                          \
    } while (false)

ChatRequest openAiRequest(const QJsonObject &body)
{
    ChatResult<ChatRequest> result = OpenAiChatCodec::parseRequest(body);
    if (!result.isOk())
        qFatal("parse failed: %s", qPrintable(result.error().message));
    return result.value();
}

ChatRequest anthropicRequest(const QJsonObject &body)
{
    ChatResult<ChatRequest> result = AnthropicMessagesCodec::parseRequest(body);
    if (!result.isOk())
        qFatal("parse failed: %s", qPrintable(result.error().message));
    return result.value();
}

// Feeds an NDJSON body line by line, the way the gateway frames it.
QList<ChatStreamEvent> decodeLines(const QByteArray &ndjson)
{
    OllamaStreamDecoder decoder;
    QList<ChatStreamEvent> events;
    const QList<QByteArray> lines = ndjson.split('\n');
    for (const QByteArray &line : lines)
        events += decoder.decode(SseEvent{{}, line, {}});
    return events;
}

QString typeName(ChatStreamEvent::Type type)
{
    switch (type) {
    case ChatStreamEvent::Type::Start:
        return QStringLiteral("start");
    case ChatStreamEvent::Type::TextDelta:
        return QStringLiteral("text");
    case ChatStreamEvent::Type::ToolCallStart:
        return QStringLiteral("tool_start");
    case ChatStreamEvent::Type::ToolCallDelta:
        return QStringLiteral("tool_delta");
    case ChatStreamEvent::Type::Finish:
        return QStringLiteral("finish");
    case ChatStreamEvent::Type::Usage:
        return QStringLiteral("usage");
    case ChatStreamEvent::Type::Done:
        return QStringLiteral("done");
    case ChatStreamEvent::Type::Error:
        return QStringLiteral("error");
    }
    return {};
}

// "type:payload" per event; made-up ids are checked separately.
QStringList summary(const QList<ChatStreamEvent> &events)
{
    QStringList out;
    for (const ChatStreamEvent &event : events) {
        QString line = typeName(event.type);
        switch (event.type) {
        case ChatStreamEvent::Type::Start:
            line += QStringLiteral(":%1@%2").arg(event.model).arg(event.created);
            break;
        case ChatStreamEvent::Type::TextDelta:
            line += QLatin1Char(':') + event.text;
            break;
        case ChatStreamEvent::Type::ToolCallStart:
            line += QStringLiteral(":%1:%2").arg(event.toolIndex).arg(event.toolName);
            break;
        case ChatStreamEvent::Type::ToolCallDelta:
            line += QStringLiteral(":%1:%2").arg(event.toolIndex).arg(event.text);
            break;
        case ChatStreamEvent::Type::Finish:
            line += QLatin1Char(':') + OpenAiChatCodec::finishReasonName(event.finishReason);
            break;
        case ChatStreamEvent::Type::Usage:
            line += QStringLiteral(":%1/%2/%3")
                        .arg(event.usage.input)
                        .arg(event.usage.output)
                        .arg(event.usage.present);
            break;
        case ChatStreamEvent::Type::Error:
            line += QStringLiteral(":%1:%2")
                        .arg(static_cast<int>(event.error.kind))
                        .arg(event.error.message);
            break;
        case ChatStreamEvent::Type::Done:
            break;
        }
        out.append(line);
    }
    return out;
}

qint64 utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toSecsSinceEpoch();
}

bool isMadeUpCallId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^call_[A-Za-z0-9]{24}$"));
    return pattern.match(id).hasMatch();
}

} // namespace

class TestOllamaCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- requests ---------------------------------------------------------------------
    void openAiRequestToOllama();
    void anthropicRequestToOllama();
    void streamFlagIsAlwaysWritten();
    void jsonFormats();
    void toolChoiceNoneSendsNoTools();
    void defaultsAndHintsAreDropped();
    void refusalsNameTheParameter_data();
    void refusalsNameTheParameter();
    // --- responses --------------------------------------------------------------------
    void responseWithToolCalls();
    void parallelToolCallsGetTheirOwnIds();
    void textResponseLengthAndMissingUsage();
    void createdAtTimestamps();
    // --- streams ----------------------------------------------------------------------
    void textStream();
    void toolCallStream();
    void errorLineEndsTheStream();
    void unreadableLineIsABadGateway();
    // --- errors, embeddings, models ---------------------------------------------------
    void errorParsing();
    void embedRequest();
    void embedRequestRefusals();
    void embedResponse();
    void embedResponseMalformed();
    void tagsList();
};

#ifndef Q_MOC_RUN

void TestOllamaCodec::openAiRequestToOllama()
{
    const ChatRequest request =
        openAiRequest(readObject(QStringLiteral("ollama_request_openai.json")));
    ChatResult<QJsonObject> out =
        OllamaChatCodec::writeRequest(request, QStringLiteral("llama3.2"));
    QVERIFY2(out.isOk(), qPrintable(out.isOk() ? QString() : out.error().message));
    COMPARE_JSON(out.value(),
                 readObject(QStringLiteral("ollama_request_openai.expected.ollama.json")));
}

void TestOllamaCodec::anthropicRequestToOllama()
{
    const ChatRequest request =
        anthropicRequest(readObject(QStringLiteral("ollama_request_anthropic.json")));
    ChatResult<QJsonObject> out =
        OllamaChatCodec::writeRequest(request, QStringLiteral("llama3.2:3b"));
    QVERIFY2(out.isOk(), qPrintable(out.isOk() ? QString() : out.error().message));
    COMPARE_JSON(out.value(),
                 readObject(QStringLiteral("ollama_request_anthropic.expected.ollama.json")));
}

void TestOllamaCodec::streamFlagIsAlwaysWritten()
{
    // Ollama streams when "stream" is absent: a non-streaming caller must say false.
    const QJsonObject body = parse(R"({"model":"m","messages":[{"role":"user","content":"Hi"}]})");
    ChatResult<QJsonObject> out =
        OllamaChatCodec::writeRequest(openAiRequest(body), QStringLiteral("x"));
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(), parse(R"({"model":"x","stream":false,
        "messages":[{"role":"user","content":"Hi"}]})"));
}

void TestOllamaCodec::jsonFormats()
{
    QJsonObject body = parse(R"({"model":"m","messages":[{"role":"user","content":"Colors?"}],
        "response_format":{"type":"json_object"}})");
    ChatResult<QJsonObject> out =
        OllamaChatCodec::writeRequest(openAiRequest(body), QStringLiteral("x"));
    QVERIFY(out.isOk());
    QCOMPARE(out.value().value(QLatin1String("format")), QJsonValue(QStringLiteral("json")));

    // The structured-outputs example of docs/api.md, reached from an OpenAI caller.
    body = parse(
        R"({"model":"m","messages":[{"role":"user","content":"Ollama is 22 years old and busy saving the world. Return a JSON object with the age and availability."}],
        "stream":false,"temperature":0,
        "response_format":{"type":"json_schema","json_schema":{"name":"status","strict":true,
          "schema":{"type":"object","properties":{"age":{"type":"integer"},"available":{"type":"boolean"}},
                    "required":["age","available"]}}}})");
    out = OllamaChatCodec::writeRequest(openAiRequest(body), QStringLiteral("llama3.1"));
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(), parse(R"({"model":"llama3.1",
        "messages":[{"role":"user","content":"Ollama is 22 years old and busy saving the world. Return a JSON object with the age and availability."}],
        "stream":false,
        "format":{"type":"object","properties":{"age":{"type":"integer"},"available":{"type":"boolean"}},
                  "required":["age","available"]},
        "options":{"temperature":0}})"));
}

void TestOllamaCodec::toolChoiceNoneSendsNoTools()
{
    const QJsonObject body = parse(R"({"model":"m","messages":[{"role":"user","content":"Hi"}],
        "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],
        "tool_choice":"none","parallel_tool_calls":false})");
    ChatResult<QJsonObject> out =
        OllamaChatCodec::writeRequest(openAiRequest(body), QStringLiteral("x"));
    QVERIFY2(out.isOk(), qPrintable(out.isOk() ? QString() : out.error().message));
    QVERIFY(!out.value().contains(QLatin1String("tools")));
    QVERIFY(!out.value().contains(QLatin1String("tool_choice")));
}

void TestOllamaCodec::defaultsAndHintsAreDropped()
{
    const QJsonObject body = parse(R"({"model":"m","messages":[{"role":"user","content":"Hi"}],
        "n":1,"logprobs":false,"logit_bias":{},"modalities":["text"],"store":true,
        "service_tier":"auto","prompt_cache_key":"k","safety_identifier":"s",
        "prediction":{"type":"content","content":"Hello"},"metadata":{"team":"a"},"user":"u",
        "stream":true,"stream_options":{"include_usage":false}})");
    ChatResult<QJsonObject> out =
        OllamaChatCodec::writeRequest(openAiRequest(body), QStringLiteral("x"));
    QVERIFY2(out.isOk(), qPrintable(out.isOk() ? QString() : out.error().message));
    COMPARE_JSON(out.value(), parse(R"({"model":"x","stream":true,
        "messages":[{"role":"user","content":"Hi"}]})"));
}

void TestOllamaCodec::refusalsNameTheParameter_data()
{
    QTest::addColumn<bool>("anthropic");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");

    const auto openAi = [](const char *name, const char *extra, const char *param) {
        QTest::newRow(name) << false
                            << (QByteArray(
                                    R"({"model":"m","messages":[{"role":"user","content":"Hi"}])") +
                                extra + "}")
                            << QString::fromLatin1(param);
    };
    openAi("tool_choice required",
           R"(,"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"required")",
           "tool_choice");
    openAi(
        "tool_choice named",
        R"(,"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"f"}})",
        "tool_choice");
    openAi("parallel_tool_calls false",
           R"(,"tools":[{"type":"function","function":{"name":"f"}}],"parallel_tool_calls":false)",
           "parallel_tool_calls");
    openAi("n 2", R"(,"n":2)", "n");
    openAi("logprobs", R"(,"logprobs":true)", "logprobs");
    openAi("top_logprobs", R"(,"top_logprobs":3)", "top_logprobs");
    openAi("logit_bias", R"(,"logit_bias":{"50256":-100})", "logit_bias");
    openAi("reasoning_effort", R"(,"reasoning_effort":"low")", "reasoning_effort");
    openAi("legacy functions", R"(,"functions":[{"name":"f"}])", "functions");
    openAi("audio", R"(,"modalities":["text","audio"],"audio":{"voice":"alloy","format":"wav"})",
           "audio");
    openAi("modalities", R"(,"modalities":["text","audio"])", "modalities");
    openAi("web_search_options", R"(,"web_search_options":{})", "web_search_options");
    openAi("seed not a number", R"(,"seed":"7")", "seed");

    QTest::newRow("image url") << false << QByteArray(R"({"model":"m","messages":[{"role":"user",
        "content":[{"type":"text","text":"What is this?"},
                   {"type":"image_url","image_url":{"url":"https://example.com/ant.jpg"}}]}]})")
                               << QStringLiteral("messages[0].content[1]");
    QTest::newRow("tool arguments not an object")
        << false << QByteArray(R"({"model":"m","messages":[
        {"role":"user","content":"Hi"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
          "function":{"name":"f","arguments":"[1,2]"}}]},
        {"role":"tool","tool_call_id":"c1","content":"ok"}]})")
        << QStringLiteral("messages[1].content[0]");

    const auto anthropic = [](const char *name, const QByteArray &body, const char *param) {
        QTest::newRow(name) << true << body << QString::fromLatin1(param);
    };
    anthropic("anthropic tool_choice any", readData(QStringLiteral("anthropic_request_tools.json")),
              "tool_choice");
    anthropic("anthropic thinking",
              R"({"model":"m","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}],
                  "thinking":{"type":"enabled","budget_tokens":1024}})",
              "thinking");
    anthropic("anthropic document block",
              R"({"model":"m","max_tokens":100,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}},
                  {"type":"text","text":"Summarize"}]}]})",
              "messages[0].content[0]");
    anthropic("anthropic server tool",
              R"({"model":"m","max_tokens":100,"messages":[{"role":"user","content":"Hi"}],
                  "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":5}]})",
              "tools[0] (type 'web_search_20250305')");
    anthropic("anthropic image url",
              R"({"model":"m","max_tokens":100,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}}]}]})",
              "messages[0].content[0]");
}

void TestOllamaCodec::refusalsNameTheParameter()
{
    QFETCH(bool, anthropic);
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    const ChatRequest request =
        anthropic ? anthropicRequest(parse(body)) : openAiRequest(parse(body));
    ChatResult<QJsonObject> out = OllamaChatCodec::writeRequest(request, QStringLiteral("x"));
    QVERIFY(!out.isOk());
    QCOMPARE(out.error().kind, ChatError::Kind::InvalidRequest);
    QCOMPARE(out.error().param, param);
    QVERIFY2(out.error().message.startsWith(param), qPrintable(out.error().message));
    QCOMPARE(OpenAiChatCodec::httpStatus(out.error()), 400);
}

void TestOllamaCodec::responseWithToolCalls()
{
    // "Chat request (No streaming, with tools)" of docs/api.md.
    ChatResult<ChatResponse> parsed =
        OllamaChatCodec::parseResponse(readObject(QStringLiteral("ollama_response_tools.json")));
    QVERIFY(parsed.isOk());
    const ChatResponse &response = parsed.value();
    QCOMPARE(response.model, QStringLiteral("llama3.2"));
    QCOMPARE(response.created, utc("2025-07-07T20:32:53Z"));
    QVERIFY(response.id.startsWith(QLatin1String("ollama-")));
    QCOMPARE(response.content.size(), 1);
    const ChatPart &call = response.content.first();
    QCOMPARE(call.kind, ChatPart::Kind::ToolCall);
    QVERIFY2(isMadeUpCallId(call.toolCallId), qPrintable(call.toolCallId));
    QCOMPARE(call.toolName, QStringLiteral("get_weather"));
    QCOMPARE(call.arguments, QStringLiteral("{\"city\":\"Tokyo\"}"));
    QCOMPARE(response.finishReason, FinishReason::ToolCalls);
    QVERIFY(response.usage.present);
    QCOMPARE(response.usage.input, 169);
    QCOMPARE(response.usage.output, 18);

    // What an OpenAI caller then gets.
    const QJsonObject openAi = OpenAiChatCodec::writeResponse(response);
    const QJsonObject choice = openAi.value(QLatin1String("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QLatin1String("finish_reason")).toString(), QStringLiteral("tool_calls"));
    const QJsonObject function = choice.value(QLatin1String("message"))
                                     .toObject()
                                     .value(QLatin1String("tool_calls"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QLatin1String("function"))
                                     .toObject();
    QCOMPARE(function.value(QLatin1String("arguments")).toString(),
             QStringLiteral("{\"city\":\"Tokyo\"}"));
    COMPARE_JSON(
        openAi.value(QLatin1String("usage")).toObject().value(QLatin1String("total_tokens")), 187);
}

void TestOllamaCodec::parallelToolCallsGetTheirOwnIds()
{
    ChatResult<ChatResponse> parsed = OllamaChatCodec::parseResponse(
        readObject(QStringLiteral("ollama_response_parallel_tools.json")));
    QVERIFY(parsed.isOk());
    const ChatResponse &response = parsed.value();
    // thinking is not answer text.
    QCOMPARE(response.content.size(), 3);
    QCOMPARE(response.content.at(0).kind, ChatPart::Kind::Text);
    QCOMPARE(response.content.at(0).text, QStringLiteral("Checking both cities."));
    QCOMPARE(response.content.at(1).arguments, QStringLiteral("{\"city\":\"Tokyo\"}"));
    QCOMPARE(response.content.at(2).arguments,
             QStringLiteral("{\"city\":\"Paris\",\"units\":{\"temp\":\"celsius\"}}"));
    QVERIFY(isMadeUpCallId(response.content.at(1).toolCallId));
    QVERIFY(isMadeUpCallId(response.content.at(2).toolCallId));
    QVERIFY(response.content.at(1).toolCallId != response.content.at(2).toolCallId);
    QCOMPARE(response.created, utc("2025-08-04T15:52:19Z"));

    // An id Ollama does send is kept.
    ChatResult<ChatResponse> withId = OllamaChatCodec::parseResponse(parse(R"({"model":"m",
        "message":{"role":"assistant","content":"","tool_calls":[{"id":"call_upstream1",
          "function":{"name":"f","arguments":{}}}]},"done":true,"done_reason":"stop"})"));
    QVERIFY(withId.isOk());
    QCOMPARE(withId.value().content.first().toolCallId, QStringLiteral("call_upstream1"));
    QCOMPARE(withId.value().content.first().arguments, QStringLiteral("{}"));
}

void TestOllamaCodec::textResponseLengthAndMissingUsage()
{
    ChatResult<ChatResponse> parsed = OllamaChatCodec::parseResponse(parse(R"({"model":"llama3.2",
        "created_at":"2023-12-12T14:13:43.416799Z",
        "message":{"role":"assistant","content":"Hello! How are"},"done_reason":"length","done":true})"));
    QVERIFY(parsed.isOk());
    QCOMPARE(parsed.value().content.size(), 1);
    QCOMPARE(parsed.value().content.first().text, QStringLiteral("Hello! How are"));
    QCOMPARE(parsed.value().finishReason, FinishReason::Length);
    QVERIFY(!parsed.value().usage.present);
    QVERIFY(parsed.value().id !=
            OllamaChatCodec::parseResponse(parse(R"({"message":{}})")).value().id);

    QVERIFY(!OllamaChatCodec::parseResponse(parse(R"({"model":"m","done":true})")).isOk());
    ChatResult<ChatResponse> error =
        OllamaChatCodec::parseResponse(parse(R"({"error":"model is loading"})"));
    QVERIFY(!error.isOk());
    QCOMPARE(error.error().message, QStringLiteral("model is loading"));
}

void TestOllamaCodec::createdAtTimestamps()
{
    QCOMPARE(OllamaChatCodec::parseCreatedAt(QStringLiteral("2023-08-04T19:22:45.499127Z")),
             utc("2023-08-04T19:22:45Z"));
    QCOMPARE(OllamaChatCodec::parseCreatedAt(QStringLiteral("2023-08-04T08:52:19.385406455-07:00")),
             utc("2023-08-04T15:52:19Z"));
    QCOMPARE(OllamaChatCodec::parseCreatedAt(QStringLiteral("2024-09-12T21:17:29+02:00")),
             utc("2024-09-12T19:17:29Z"));
    QCOMPARE(OllamaChatCodec::parseCreatedAt(QString()), 0);
    QCOMPARE(OllamaChatCodec::parseCreatedAt(QStringLiteral("yesterday")), 0);
}

void TestOllamaCodec::textStream()
{
    const QList<ChatStreamEvent> events =
        decodeLines(readData(QStringLiteral("ollama_stream_text.ndjson")));
    const QStringList expected{QStringLiteral("start:llama3.2@%1").arg(utc("2023-08-04T15:52:19Z")),
                               QStringLiteral("text:The"),
                               QStringLiteral("text: sky"),
                               QStringLiteral("text: is blue."),
                               QStringLiteral("finish:length"),
                               QStringLiteral("usage:26/282/1"),
                               QStringLiteral("done")};
    QCOMPARE(summary(events), expected);
    QVERIFY(events.first().id.startsWith(QLatin1String("ollama-")));
}

void TestOllamaCodec::toolCallStream()
{
    // "Chat request (Streaming with tools)" of docs/api.md, plus a second line with two
    // calls: tool indexes keep counting across lines.
    QByteArray ndjson = readData(QStringLiteral("ollama_stream_tool_calls.ndjson"));
    const qsizetype firstLineEnd = ndjson.indexOf('\n') + 1;
    ndjson.insert(
        firstLineEnd,
        R"({"model":"llama3.2","created_at":"2025-07-07T20:22:19.19Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_time","arguments":{}}},{"function":{"name":"get_weather","arguments":{"city":"Kyoto"}}}]},"done":false})"
        "\n");
    const QList<ChatStreamEvent> events = decodeLines(ndjson);
    const QStringList expected{QStringLiteral("start:llama3.2@%1").arg(utc("2025-07-07T20:22:19Z")),
                               QStringLiteral("tool_start:0:get_weather"),
                               QStringLiteral("tool_delta:0:{\"city\":\"Tokyo\"}"),
                               QStringLiteral("tool_start:1:get_time"),
                               QStringLiteral("tool_delta:1:{}"),
                               QStringLiteral("tool_start:2:get_weather"),
                               QStringLiteral("tool_delta:2:{\"city\":\"Kyoto\"}"),
                               QStringLiteral("finish:tool_calls"),
                               QStringLiteral("usage:169/15/1"),
                               QStringLiteral("done")};
    QCOMPARE(summary(events), expected);
    QSet<QString> ids;
    for (const ChatStreamEvent &event : events) {
        if (event.type == ChatStreamEvent::Type::ToolCallStart) {
            QVERIFY(isMadeUpCallId(event.toolCallId));
            ids.insert(event.toolCallId);
        }
    }
    QCOMPARE(ids.size(), 3);
}

void TestOllamaCodec::errorLineEndsTheStream()
{
    const QList<ChatStreamEvent> events =
        decodeLines(readData(QStringLiteral("ollama_stream_error.ndjson")));
    const QStringList expected{
        QStringLiteral("start:gemma3@%1").arg(utc("2025-10-26T17:21:21Z")),
        QStringLiteral("text: Yes"), QStringLiteral("text:."),
        QStringLiteral("error:%1:an error was encountered while running the model")
            .arg(static_cast<int>(ChatError::Kind::Api))};
    QCOMPARE(summary(events), expected);
}

void TestOllamaCodec::unreadableLineIsABadGateway()
{
    const QList<ChatStreamEvent> events = decodeLines(
        "{\"model\":\"m\",\"message\":{\"content\":\"Hi\"},\"done\":false}\n<html>oops</html>\n"
        "{\"model\":\"m\",\"message\":{\"content\":\"again\"},\"done\":false}\n");
    QCOMPARE(events.size(), 3);
    QCOMPARE(events.at(2).type, ChatStreamEvent::Type::Error);
    QCOMPARE(events.at(2).error.kind, ChatError::Kind::BadGateway);
}

void TestOllamaCodec::errorParsing()
{
    ChatError error = OllamaChatCodec::parseError(
        404, R"({"error":"model \"llama3.3\" not found, try pulling it first"})");
    QCOMPARE(error.kind, ChatError::Kind::NotFound);
    QCOMPARE(error.message, QStringLiteral("model \"llama3.3\" not found, try pulling it first"));

    error = OllamaChatCodec::parseError(
        400, R"({"error":"invalid character '}' looking for beginning of value"})");
    QCOMPARE(error.kind, ChatError::Kind::InvalidRequest);
    QCOMPARE(error.message, QStringLiteral("invalid character '}' looking for beginning of value"));

    error = OllamaChatCodec::parseError(500, "upstream connect error");
    QCOMPARE(error.kind, ChatError::Kind::Api);
    QCOMPARE(error.message, QStringLiteral("upstream answered HTTP 500"));

    error = OllamaChatCodec::parseError(429,
                                        R"({"error":{"message":"slow down","type":"rate_limit"}})");
    QCOMPARE(error.kind, ChatError::Kind::RateLimit);
    QCOMPARE(error.message, QStringLiteral("slow down"));
}

void TestOllamaCodec::embedRequest()
{
    ChatResult<EmbeddingRequest> parsed = OpenAiEmbeddingsCodec::parseRequest(parse(
        R"({"model":"embed","input":"Why is the sky blue?","dimensions":256,"encoding_format":"base64","user":"u"})"));
    QVERIFY(parsed.isOk());
    ChatResult<QJsonObject> out =
        OllamaChatCodec::writeEmbeddingRequest(parsed.value(), QStringLiteral("all-minilm"));
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(), parse(R"({"model":"all-minilm","input":["Why is the sky blue?"],
        "truncate":false,"dimensions":256})"));

    parsed = OpenAiEmbeddingsCodec::parseRequest(
        parse(R"({"model":"embed","input":["Why is the sky blue?","Why is the grass green?"]})"));
    QVERIFY(parsed.isOk());
    out = OllamaChatCodec::writeEmbeddingRequest(parsed.value(), QStringLiteral("all-minilm"));
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(), parse(R"({"model":"all-minilm",
        "input":["Why is the sky blue?","Why is the grass green?"],"truncate":false})"));
}

void TestOllamaCodec::embedRequestRefusals()
{
    ChatResult<EmbeddingRequest> parsed =
        OpenAiEmbeddingsCodec::parseRequest(parse(R"({"model":"embed","input":[[1,2,3],[4,5]]})"));
    QVERIFY(parsed.isOk());
    ChatResult<QJsonObject> out =
        OllamaChatCodec::writeEmbeddingRequest(parsed.value(), QStringLiteral("all-minilm"));
    QVERIFY(!out.isOk());
    QCOMPARE(out.error().param, QStringLiteral("input"));

    parsed = OpenAiEmbeddingsCodec::parseRequest(
        parse(R"({"model":"embed","input":"x","input_type":"query"})"));
    QVERIFY(parsed.isOk());
    out = OllamaChatCodec::writeEmbeddingRequest(parsed.value(), QStringLiteral("all-minilm"));
    QVERIFY(!out.isOk());
    QCOMPARE(out.error().param, QStringLiteral("input_type"));
    QCOMPARE(out.error().kind, ChatError::Kind::InvalidRequest);
}

void TestOllamaCodec::embedResponse()
{
    ChatResult<EmbeddingResponse> parsed = OllamaChatCodec::parseEmbeddingResponse(
        readObject(QStringLiteral("ollama_embed_response.json")));
    QVERIFY(parsed.isOk());
    const EmbeddingResponse &response = parsed.value();
    QCOMPARE(response.model, QStringLiteral("all-minilm"));
    QCOMPARE(response.vectors.size(), 2);
    QCOMPARE(response.vectors.at(0).size(), 10);
    QCOMPARE(response.vectors.at(0).first(), 0.010071029f);
    QCOMPARE(response.vectors.at(1).last(), 0.09072481f);
    QVERIFY(response.usage.present);
    QCOMPARE(response.usage.input, 16);

    // Through to an OpenAI caller.
    const QJsonObject openAi =
        OpenAiEmbeddingsCodec::writeResponse(response, QStringLiteral("float"));
    QCOMPARE(openAi.value(QLatin1String("data"))
                 .toArray()
                 .at(1)
                 .toObject()
                 .value(QLatin1String("index"))
                 .toInt(),
             1);
    QCOMPARE(openAi.value(QLatin1String("usage"))
                 .toObject()
                 .value(QLatin1String("prompt_tokens"))
                 .toInt(),
             16);
}

void TestOllamaCodec::embedResponseMalformed()
{
    QCOMPARE(OllamaChatCodec::parseEmbeddingResponse(parse(R"({"model":"m"})")).error().kind,
             ChatError::Kind::BadGateway);
    QCOMPARE(OllamaChatCodec::parseEmbeddingResponse(parse(R"({"embeddings":[[0.1,"x"]]})"))
                 .error()
                 .kind,
             ChatError::Kind::BadGateway);
    QCOMPARE(OllamaChatCodec::parseEmbeddingResponse(parse(R"({"embeddings":[0.1]})")).error().kind,
             ChatError::Kind::BadGateway);
    ChatResult<EmbeddingResponse> noCount =
        OllamaChatCodec::parseEmbeddingResponse(parse(R"({"model":"m","embeddings":[[0.5]]})"));
    QVERIFY(noCount.isOk());
    QVERIFY(!noCount.value().usage.present);
}

void TestOllamaCodec::tagsList()
{
    QCOMPARE(
        OllamaChatCodec::parseModelList(readObject(QStringLiteral("ollama_tags.json"))),
        (QStringList{QStringLiteral("deepseek-r1:latest"), QStringLiteral("llama3.2:latest")}));
    QCOMPARE(OllamaChatCodec::parseModelList(parse(R"({"models":[]})")), QStringList());
    QCOMPARE(OllamaChatCodec::parseModelList(parse(R"({"models":[{"model":"phi3:mini"}]})")),
             QStringList{QStringLiteral("phi3:mini")});
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestOllamaCodec)
#include "tst_ollamacodec.moc"
