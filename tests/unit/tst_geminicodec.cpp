#include "ai/AnthropicMessagesCodec.h"
#include "ai/GeminiCodec.h"
#include "ai/GeminiStreamDecoder.h"
#include "ai/OpenAiChatCodec.h"
#include "ai/SseParser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
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

QJsonDocument readDocument(const QString &name)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(readData(name), &error);
    if (document.isNull())
        qFatal("%s: %s", qPrintable(name), qPrintable(error.errorString()));
    return document;
}

QJsonObject readObject(const QString &name)
{
    return readDocument(name).object();
}

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (!document.isObject())
        qFatal("bad test JSON (%s): %s", qPrintable(error.errorString()), json.constData());
    return document.object();
}

QByteArray dump(const QJsonValue &value)
{
    return value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)
                            : QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented);
}

// JSON equality with a readable diff on failure.
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

QString finishName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::None:
        return QStringLiteral("None");
    case FinishReason::Stop:
        return QStringLiteral("Stop");
    case FinishReason::Length:
        return QStringLiteral("Length");
    case FinishReason::ToolCalls:
        return QStringLiteral("ToolCalls");
    case FinishReason::ContentFilter:
        return QStringLiteral("ContentFilter");
    case FinishReason::Error:
        return QStringLiteral("Error");
    }
    return {};
}

QString kindName(ChatError::Kind kind)
{
    switch (kind) {
    case ChatError::Kind::InvalidRequest:
        return QStringLiteral("InvalidRequest");
    case ChatError::Kind::Authentication:
        return QStringLiteral("Authentication");
    case ChatError::Kind::Permission:
        return QStringLiteral("Permission");
    case ChatError::Kind::NotFound:
        return QStringLiteral("NotFound");
    case ChatError::Kind::RequestTooLarge:
        return QStringLiteral("RequestTooLarge");
    case ChatError::Kind::RateLimit:
        return QStringLiteral("RateLimit");
    case ChatError::Kind::Api:
        return QStringLiteral("Api");
    case ChatError::Kind::BadGateway:
        return QStringLiteral("BadGateway");
    case ChatError::Kind::Overloaded:
        return QStringLiteral("Overloaded");
    case ChatError::Kind::Timeout:
        return QStringLiteral("Timeout");
    }
    return {};
}

// Neutral events as JSON for comparison with the *.expected.json files. Ids the decoder
// made up are checked for their shape and shown as "<synthesized>".
QJsonArray eventsToJson(const QList<ChatStreamEvent> &events)
{
    QJsonArray out;
    for (const ChatStreamEvent &event : events) {
        switch (event.type) {
        case ChatStreamEvent::Type::Start: {
            QString id = event.id;
            if (id.startsWith(QLatin1String("gemini-")))
                id = QStringLiteral("<synthesized>");
            out.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("Start")},
                                   {QStringLiteral("id"), id},
                                   {QStringLiteral("model"), event.model}});
            break;
        }
        case ChatStreamEvent::Type::TextDelta:
            out.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("TextDelta")},
                                   {QStringLiteral("text"), event.text}});
            break;
        case ChatStreamEvent::Type::ToolCallStart:
            out.append(
                QJsonObject{{QStringLiteral("type"), QStringLiteral("ToolCallStart")},
                            {QStringLiteral("index"), event.toolIndex},
                            {QStringLiteral("id"), GeminiCodec::isSyntheticCallId(event.toolCallId)
                                                       ? QStringLiteral("<synthesized>")
                                                       : event.toolCallId},
                            {QStringLiteral("name"), event.toolName}});
            break;
        case ChatStreamEvent::Type::ToolCallDelta:
            out.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("ToolCallDelta")},
                                   {QStringLiteral("index"), event.toolIndex},
                                   {QStringLiteral("text"), event.text}});
            break;
        case ChatStreamEvent::Type::Finish:
            out.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("Finish")},
                                   {QStringLiteral("reason"), finishName(event.finishReason)}});
            break;
        case ChatStreamEvent::Type::Usage:
            out.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("Usage")},
                                   {QStringLiteral("input"), event.usage.input},
                                   {QStringLiteral("output"), event.usage.output},
                                   {QStringLiteral("cachedInput"), event.usage.cachedInput},
                                   {QStringLiteral("reasoning"), event.usage.reasoning}});
            break;
        case ChatStreamEvent::Type::Done:
            out.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("Done")}});
            break;
        case ChatStreamEvent::Type::Error:
            out.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("Error")},
                                   {QStringLiteral("kind"), kindName(event.error.kind)},
                                   {QStringLiteral("message"), event.error.message}});
            break;
        }
    }
    return out;
}

// A whole recorded SSE body through SseParser and a fresh decoder.
QList<ChatStreamEvent> decodeStream(const QByteArray &bytes)
{
    SseParser parser;
    GeminiStreamDecoder decoder;
    QList<ChatStreamEvent> events;
    const QList<SseEvent> sse = parser.feed(bytes);
    for (const SseEvent &event : sse)
        events += decoder.decode(event);
    if (parser.finish())
        qWarning("recorded stream ends mid-event");
    return events;
}

} // namespace

class TestGeminiCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestTranslation_data();
    void requestTranslation();
    void cleanSchema();
    void cleanSchemaRefusesRefs_data();
    void cleanSchemaRefusesRefs();
    void refusals_data();
    void refusals();
    void anthropicExtras();
    void responseWithFunctionCall();
    void responseSafetyFinish();
    void responseBlockedPrompt();
    void responseWithoutCandidates();
    void usageWithCachedAndThoughtTokens();
    void usageWithToolUseTokens();
    void toolCallRoundTrip();
    void finishReasons_data();
    void finishReasons();
    void streams_data();
    void streams();
    void streamParallelCallsKeepTheirIds();
    void streamRejectsNonJson();
    void errors_data();
    void errors();
    void embeddingRequest();
    void embeddingRequestRefusesExtras();
    void embeddingResponse();
    void modelList();
    void syntheticIds();
};

void TestGeminiCodec::requestTranslation_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("anthropic");
    QTest::addColumn<QString>("expected");
    QTest::newRow("system, multi-turn, images, JSON schema, OpenAI extras")
        << "gemini_request_chat.json" << false << "gemini_request_chat.expected.json";
    QTest::newRow("tools with a cleaned schema, results, synthetic ids")
        << "gemini_request_tools.json" << false << "gemini_request_tools.expected.json";
    QTest::newRow("OpenAI parallel tool calls and results")
        << "openai_request_tools.json" << false << "gemini_request_from_openai_tools.expected.json";
    QTest::newRow("Anthropic tool use, URL image, system blocks")
        << "anthropic_request_tools.json" << true
        << "gemini_request_from_anthropic_tools.expected.json";
}

void TestGeminiCodec::requestTranslation()
{
    QFETCH(QString, input);
    QFETCH(bool, anthropic);
    QFETCH(QString, expected);
    const ChatRequest request =
        anthropic ? anthropicRequest(readObject(input)) : openAiRequest(readObject(input));
    const ChatResult<QJsonObject> body = GeminiCodec::writeRequest(request);
    QVERIFY2(body.isOk(), qPrintable(body.isOk() ? QString() : body.error().message));
    COMPARE_JSON(body.value(), readObject(expected));
}

void TestGeminiCodec::cleanSchema()
{
    const ChatResult<QJsonObject> cleaned =
        GeminiCodec::cleanSchema(readObject(QStringLiteral("gemini_schema.json")), "p");
    QVERIFY2(cleaned.isOk(), qPrintable(cleaned.isOk() ? QString() : cleaned.error().message));
    COMPARE_JSON(cleaned.value(), readObject(QStringLiteral("gemini_schema.expected.json")));
}

void TestGeminiCodec::cleanSchemaRefusesRefs_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unresolvable") << QByteArray(
                                         "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":"
                                         "\"#/$defs/Missing\"}}}")
                                  << "#/$defs/Missing";
    QTest::newRow("remote") << QByteArray("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":"
                                          "\"https://example.com/a.json\"}}}")
                            << "https://example.com/a.json";
    QTest::newRow("recursive")
        << QByteArray("{\"type\":\"object\",\"$defs\":{\"Node\":{\"type\":\"object\","
                      "\"properties\":{\"next\":{\"$ref\":\"#/$defs/Node\"}}}},"
                      "\"properties\":{\"head\":{\"$ref\":\"#/$defs/Node\"}}}")
        << "recursive";
}

void TestGeminiCodec::cleanSchemaRefusesRefs()
{
    QFETCH(QByteArray, schema);
    QFETCH(QString, mentions);
    const ChatResult<QJsonObject> cleaned =
        GeminiCodec::cleanSchema(parse(schema), QStringLiteral("tools[0].function.parameters"));
    QVERIFY(!cleaned.isOk());
    QCOMPARE(cleaned.error().kind, ChatError::Kind::InvalidRequest);
    QCOMPARE(cleaned.error().param, QStringLiteral("tools[0].function.parameters"));
    QVERIFY2(cleaned.error().message.contains(mentions), qPrintable(cleaned.error().message));
}

// Each row: a caller request (OpenAI or Anthropic dialect) the Gemini writer must refuse,
// naming the parameter at fault.
void TestGeminiCodec::refusals_data()
{
    QTest::addColumn<bool>("anthropic");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");

    const QByteArray hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    QTest::newRow("six stop sequences")
        << false
        << QByteArray("{\"model\":\"m\"," + hi + ",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}")
        << "stop";
    QTest::newRow("http image URL")
        << false
        << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                      "{\"type\":\"text\",\"text\":\"look\"},{\"type\":\"image_url\",\"image_url\":"
                      "{\"url\":\"http://example.com/cat.png\"}}]}]}")
        << "messages[0].content[1].image_url";
    QTest::newRow("image URL of unknown type")
        << false
        << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                      "{\"type\":\"image_url\",\"image_url\":{\"url\":"
                      "\"https://example.com/picture?id=7\"}}]}]}")
        << "messages[0].content[0].image_url";
    QTest::newRow("GIF image URL")
        << false
        << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                      "{\"type\":\"image_url\",\"image_url\":{\"url\":"
                      "\"https://example.com/cat.gif\"}}]}]}")
        << "messages[0].content[0].image_url";
    QTest::newRow("tool result without its call")
        << false
        << QByteArray("{\"model\":\"m\",\"messages\":[" +
                      QByteArray("{\"role\":\"user\","
                                 "\"content\":\"hi\"},") +
                      "{\"role\":\"tool\",\"tool_call_id\":\"call_x\",\"content\":\"42\"}]}")
        << "messages[1].tool_call_id";
    QTest::newRow("tool call arguments not an object")
        << false
        << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                      "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":"
                      "\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1]\"}}]}]}")
        << "messages[1].content[0]";
    QTest::newRow("tool_choice naming no tool")
        << false
        << QByteArray("{\"model\":\"m\"," + hi +
                      ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                      "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}}")
        << "tool_choice";
    QTest::newRow("recursive tool schema")
        << false
        << QByteArray("{\"model\":\"m\"," + hi +
                      ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                      "\"parameters\":{\"type\":\"object\",\"$defs\":{\"N\":{\"type\":\"object\","
                      "\"properties\":{\"n\":{\"$ref\":\"#/$defs/N\"}}}},\"properties\":{\"n\":"
                      "{\"$ref\":\"#/$defs/N\"}}}}}]}")
        << "tools[0].function.parameters";
    QTest::newRow("n > 1") << false << QByteArray("{\"model\":\"m\"," + hi + ",\"n\":2}") << "n";
    QTest::newRow("logprobs") << false
                              << QByteArray("{\"model\":\"m\"," + hi + ",\"logprobs\":true}")
                              << "logprobs";
    QTest::newRow("top_logprobs") << false
                                  << QByteArray("{\"model\":\"m\"," + hi + ",\"top_logprobs\":3}")
                                  << "top_logprobs";
    QTest::newRow("logit_bias") << false
                                << QByteArray("{\"model\":\"m\"," + hi +
                                              ",\"logit_bias\":{\"50256\":-100}}")
                                << "logit_bias";
    QTest::newRow("unknown reasoning_effort")
        << false << QByteArray("{\"model\":\"m\"," + hi + ",\"reasoning_effort\":\"extreme\"}")
        << "reasoning_effort";
    QTest::newRow("audio modality")
        << false << QByteArray("{\"model\":\"m\"," + hi + ",\"modalities\":[\"text\",\"audio\"]}")
        << "modalities";
    QTest::newRow("unknown OpenAI field")
        << false
        << QByteArray("{\"model\":\"m\"," + hi +
                      ",\"prediction\":{\"type\":\"content\",\"content\":\"x\"}}")
        << "prediction";
    QTest::newRow("Anthropic document block")
        << true
        << QByteArray("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                      "\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"text\","
                      "\"media_type\":\"text/plain\",\"data\":\"x\"}}]}]}")
        << "messages[0].content[0]";
    QTest::newRow("Anthropic server tool")
        << true
        << QByteArray("{\"model\":\"m\",\"max_tokens\":10," + hi +
                      ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}")
        << "tools[0]";
    QTest::newRow("unknown Anthropic field")
        << true << QByteArray("{\"model\":\"m\",\"max_tokens\":10," + hi + ",\"container\":\"c\"}")
        << "container";
}

void TestGeminiCodec::refusals()
{
    QFETCH(bool, anthropic);
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    const ChatRequest request =
        anthropic ? anthropicRequest(parse(body)) : openAiRequest(parse(body));
    const ChatResult<QJsonObject> written = GeminiCodec::writeRequest(request);
    QVERIFY2(!written.isOk(), written.isOk() ? dump(written.value()).constData() : "");
    QCOMPARE(written.error().kind, ChatError::Kind::InvalidRequest);
    QCOMPARE(written.error().param, param);
    QVERIFY2(written.error().message.startsWith(param + QLatin1Char(':')),
             qPrintable(written.error().message));
}

void TestGeminiCodec::anthropicExtras()
{
    const ChatRequest request = anthropicRequest(
        parse("{\"model\":\"m\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":"
              "\"hi\"}],\"top_k\":40,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},"
              "\"service_tier\":\"auto\"}"));
    const ChatResult<QJsonObject> body = GeminiCodec::writeRequest(request);
    QVERIFY(body.isOk());
    COMPARE_JSON(body.value().value(QLatin1String("generationConfig")),
                 parse("{\"maxOutputTokens\":64,\"topK\":40,\"thinkingConfig\":"
                       "{\"thinkingBudget\":2048}}"));
}

void TestGeminiCodec::responseWithFunctionCall()
{
    const ChatResult<ChatResponse> parsed = GeminiCodec::parseResponse(
        readObject(QStringLiteral("gemini_response_function_call.json")));
    QVERIFY(parsed.isOk());
    const ChatResponse &response = parsed.value();
    QCOMPARE(response.id, QStringLiteral("38CHaLjMG6TujrEPtvTiuQk"));
    QCOMPARE(response.model, QStringLiteral("gemini-2.5-pro"));
    // The thought summary is not part of the answer; the call is.
    QCOMPARE(response.content.size(), 1);
    const ChatPart &call = response.content.first();
    QCOMPARE(call.kind, ChatPart::Kind::ToolCall);
    QCOMPARE(call.toolName, QStringLiteral("now"));
    QCOMPARE(call.arguments, QStringLiteral("{}"));
    QVERIFY2(GeminiCodec::isSyntheticCallId(call.toolCallId), qPrintable(call.toolCallId));
    QCOMPARE(response.finishReason, FinishReason::ToolCalls);
    QCOMPARE(response.usage.input, 38);
    QCOMPARE(response.usage.output, 8 + 501);
    QCOMPARE(response.usage.reasoning, 501);
}

void TestGeminiCodec::responseSafetyFinish()
{
    const ChatResult<ChatResponse> parsed =
        GeminiCodec::parseResponse(readObject(QStringLiteral("gemini_response_safety.json")));
    QVERIFY(parsed.isOk());
    QCOMPARE(parsed.value().finishReason, FinishReason::ContentFilter);
    QCOMPARE(parsed.value().content.size(), 1);
    QCOMPARE(parsed.value().content.first().text,
             QStringLiteral("Safety error incoming in 5, 4, 3, 2..."));
    QCOMPARE(parsed.value().model, QStringLiteral("gemini-2.0-flash"));
    // No responseId in this recording: one is made up (callers need an id).
    QVERIFY(parsed.value().id.startsWith(QLatin1String("gemini-")));
    QCOMPARE(parsed.value().usage.total(), 27);
}

void TestGeminiCodec::responseBlockedPrompt()
{
    const ChatResult<ChatResponse> parsed =
        GeminiCodec::parseResponse(readObject(QStringLiteral("gemini_response_blocked.json")));
    QVERIFY(parsed.isOk()); // a blocked prompt is an answer, not an error
    QCOMPARE(parsed.value().finishReason, FinishReason::ContentFilter);
    QVERIFY(parsed.value().content.isEmpty());
    QVERIFY(parsed.value().usage.present);
    QCOMPARE(parsed.value().usage.input, 7);
    QCOMPARE(parsed.value().usage.output, 0);
}

void TestGeminiCodec::responseWithoutCandidates()
{
    const ChatResult<ChatResponse> parsed =
        GeminiCodec::parseResponse(parse("{\"modelVersion\":\"gemini-2.0-flash\"}"));
    QVERIFY(!parsed.isOk());
    QCOMPARE(parsed.error().kind, ChatError::Kind::BadGateway);
}

void TestGeminiCodec::usageWithCachedAndThoughtTokens()
{
    const ChatResult<ChatResponse> parsed =
        GeminiCodec::parseResponse(readObject(QStringLiteral("gemini_response_cached.json")));
    QVERIFY(parsed.isOk());
    const ChatUsage &usage = parsed.value().usage;
    QVERIFY(usage.present);
    QCOMPARE(usage.input, 326); // promptTokenCount already counts the cached tokens
    QCOMPARE(usage.cachedInput, 173);
    QCOMPARE(usage.output, 63 + 154);
    QCOMPARE(usage.reasoning, 154);
    QCOMPARE(usage.cacheCreationInput, 0);
    QCOMPARE(usage.total(), 543); // Gemini's own totalTokenCount
    QCOMPARE(parsed.value().finishReason, FinishReason::Stop);
    QCOMPARE(parsed.value().id, QStringLiteral("VkH2aIbVB7_l1e8P4rrl0A4"));
}

void TestGeminiCodec::usageWithToolUseTokens()
{
    const ChatUsage usage =
        GeminiCodec::parseUsage(parse("{\"promptTokenCount\":1000,\"cachedContentTokenCount\":800,"
                                      "\"candidatesTokenCount\":120,\"thoughtsTokenCount\":75,"
                                      "\"toolUsePromptTokenCount\":5,\"totalTokenCount\":1200}"));
    QCOMPARE(usage.input, 1005);
    QCOMPARE(usage.cachedInput, 800);
    QCOMPARE(usage.output, 195);
    QCOMPARE(usage.reasoning, 75);
    QCOMPARE(usage.total(), 1200);
}

// A Gemini answer's call goes to the caller and comes back with its result: the name is
// found again, and an id Gemini never issued is not sent to it.
void TestGeminiCodec::toolCallRoundTrip()
{
    for (const bool geminiId : {false, true}) {
        QJsonObject answer = readObject(QStringLiteral("gemini_response_function_call.json"));
        if (geminiId) {
            QJsonArray candidates = answer.value(QLatin1String("candidates")).toArray();
            QJsonObject candidate = candidates.first().toObject();
            QJsonObject content = candidate.value(QLatin1String("content")).toObject();
            QJsonArray parts = content.value(QLatin1String("parts")).toArray();
            QJsonObject part = parts.at(1).toObject();
            QJsonObject call = part.value(QLatin1String("functionCall")).toObject();
            call.insert(QStringLiteral("id"), QStringLiteral("fc-7"));
            part.insert(QStringLiteral("functionCall"), call);
            parts.replace(1, part);
            content.insert(QStringLiteral("parts"), parts);
            candidate.insert(QStringLiteral("content"), content);
            candidates.replace(0, candidate);
            answer.insert(QStringLiteral("candidates"), candidates);
        }
        const ChatResult<ChatResponse> parsed = GeminiCodec::parseResponse(answer);
        QVERIFY(parsed.isOk());
        const QString id = parsed.value().content.first().toolCallId;
        QCOMPARE(id == QLatin1String("fc-7"), geminiId);

        ChatRequest request;
        request.messages.append(
            {ChatRole::User, {ChatPart::makeText("Days until New Year's Eve?")}, {}});
        request.messages.append({ChatRole::Assistant, parsed.value().content, {}});
        request.messages.append(
            {ChatRole::Tool,
             {ChatPart::makeToolResult(id, "{\"now\":\"2025-12-01T10:00:00Z\"}")},
             {}});
        const ChatResult<QJsonObject> body = GeminiCodec::writeRequest(request);
        QVERIFY(body.isOk());

        QJsonObject call{{QStringLiteral("name"), QStringLiteral("now")},
                         {QStringLiteral("args"), QJsonObject()}};
        QJsonObject result{{QStringLiteral("name"), QStringLiteral("now")},
                           {QStringLiteral("response"),
                            QJsonObject{{QStringLiteral("content"),
                                         QJsonObject{{QStringLiteral("now"),
                                                      QStringLiteral("2025-12-01T10:00:00Z")}}}}}};
        if (geminiId) {
            call.insert(QStringLiteral("id"), QStringLiteral("fc-7"));
            result.insert(QStringLiteral("id"), QStringLiteral("fc-7"));
        }
        const QJsonArray contents = body.value().value(QLatin1String("contents")).toArray();
        QCOMPARE(contents.size(), 3);
        COMPARE_JSON(contents.at(1),
                     (QJsonObject{{QStringLiteral("role"), QStringLiteral("model")},
                                  {QStringLiteral("parts"),
                                   QJsonArray{QJsonObject{
                                       {QStringLiteral("functionCall"), call},
                                       {QStringLiteral("thoughtSignature"),
                                        QStringLiteral("skip_thought_signature_validator")}}}}}));
        COMPARE_JSON(
            contents.at(2),
            (QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                         {QStringLiteral("parts"),
                          QJsonArray{QJsonObject{{QStringLiteral("functionResponse"), result}}}}}));
    }
}

void TestGeminiCodec::finishReasons_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<FinishReason>("expected");
    QTest::newRow("none") << "" << FinishReason::None;
    QTest::newRow("STOP") << "STOP" << FinishReason::Stop;
    QTest::newRow("MAX_TOKENS") << "MAX_TOKENS" << FinishReason::Length;
    for (const char *filtered :
         {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"})
        QTest::newRow(filtered) << filtered << FinishReason::ContentFilter;
    QTest::newRow("MALFORMED_FUNCTION_CALL") << "MALFORMED_FUNCTION_CALL" << FinishReason::Error;
    QTest::newRow("OTHER") << "OTHER" << FinishReason::Stop;
}

void TestGeminiCodec::finishReasons()
{
    QFETCH(QString, reason);
    QFETCH(FinishReason, expected);
    QCOMPARE(GeminiCodec::parseFinishReason(reason), expected);
}

void TestGeminiCodec::streams_data()
{
    QTest::addColumn<QString>("recording");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text") << "gemini_stream_text.sse"
                          << "gemini_stream_text.expected.json";
    QTest::newRow("thinking, then a function call") << "gemini_stream_function_call.sse"
                                                    << "gemini_stream_function_call.expected.json";
    QTest::newRow("prompt blocked mid-stream") << "gemini_stream_blocked.sse"
                                               << "gemini_stream_blocked.expected.json";
    QTest::newRow("error chunk") << "gemini_stream_error.sse"
                                 << "gemini_stream_error.expected.json";
}

void TestGeminiCodec::streams()
{
    QFETCH(QString, recording);
    QFETCH(QString, expected);
    COMPARE_JSON(eventsToJson(decodeStream(readData(recording))), readDocument(expected).array());
}

void TestGeminiCodec::streamParallelCallsKeepTheirIds()
{
    const QByteArray stream =
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
        "{\"functionCall\":{\"id\":\"a1\",\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}},"
        "{\"functionCall\":{\"id\":\"a2\",\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}}}"
        "]},\"finishReason\":\"STOP\"}],\"modelVersion\":\"gemini-3-flash\",\"responseId\":\"r1\"}"
        "\n\n"
        // Anything after the end is ignored.
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"late\"}]}}]}\n\n";
    const QJsonArray expected{
        QJsonObject{{"type", "Start"}, {"id", "r1"}, {"model", "gemini-3-flash"}},
        QJsonObject{{"type", "ToolCallStart"}, {"index", 0}, {"id", "a1"}, {"name", "get_weather"}},
        QJsonObject{{"type", "ToolCallDelta"}, {"index", 0}, {"text", "{\"city\":\"Paris\"}"}},
        QJsonObject{{"type", "ToolCallStart"}, {"index", 1}, {"id", "a2"}, {"name", "get_weather"}},
        QJsonObject{{"type", "ToolCallDelta"}, {"index", 1}, {"text", "{\"city\":\"Oslo\"}"}},
        QJsonObject{{"type", "Finish"}, {"reason", "ToolCalls"}},
        QJsonObject{{"type", "Done"}}};
    COMPARE_JSON(eventsToJson(decodeStream(stream)), expected);
}

void TestGeminiCodec::streamRejectsNonJson()
{
    GeminiStreamDecoder decoder;
    QList<ChatStreamEvent> events = decoder.decode(SseEvent{{}, "[{\"candidates\":[]}", {}});
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().type, ChatStreamEvent::Type::Error);
    QCOMPARE(events.first().error.kind, ChatError::Kind::BadGateway);
    // The stream is over.
    QVERIFY(decoder.decode(SseEvent{{}, "{\"candidates\":[]}", {}}).isEmpty());
}

void TestGeminiCodec::errors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ChatError::Kind>("kind");
    QTest::addColumn<QString>("message");

    QTest::newRow("bad API key (400)")
        << 400 << readData("gemini_error_api_key.json") << ChatError::Kind::Authentication
        << "API key not valid. Please pass a valid API key.";
    QTest::newRow("unknown model")
        << 404 << readData("gemini_error_not_found.json") << ChatError::Kind::NotFound
        << "models/gemini-5.0-flash is not found for API version v1, or is not supported for "
           "generateContent. Call ListModels to see the list of available models and their "
           "supported methods.";
    auto row = [](const char *name, int code, const char *status, ChatError::Kind kind) {
        const QByteArray body = "{\"error\":{\"code\":" + QByteArray::number(code) +
                                ",\"message\":\"m\",\"status\":\"" + status + "\"}}";
        QTest::newRow(name) << code << body << kind << "m";
    };
    row("INVALID_ARGUMENT", 400, "INVALID_ARGUMENT", ChatError::Kind::InvalidRequest);
    row("FAILED_PRECONDITION", 400, "FAILED_PRECONDITION", ChatError::Kind::InvalidRequest);
    row("PERMISSION_DENIED", 403, "PERMISSION_DENIED", ChatError::Kind::Permission);
    row("RESOURCE_EXHAUSTED", 429, "RESOURCE_EXHAUSTED", ChatError::Kind::RateLimit);
    row("INTERNAL", 500, "INTERNAL", ChatError::Kind::Api);
    row("UNAVAILABLE", 503, "UNAVAILABLE", ChatError::Kind::Overloaded);
    row("DEADLINE_EXCEEDED", 504, "DEADLINE_EXCEEDED", ChatError::Kind::Timeout);
    QTest::newRow("array-wrapped")
        << 429
        << QByteArray("[{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\","
                      "\"status\":\"RESOURCE_EXHAUSTED\"}}]")
        << ChatError::Kind::RateLimit << "Resource has been exhausted";
    QTest::newRow("not JSON") << 502 << QByteArray("<html>Bad Gateway</html>")
                              << ChatError::Kind::BadGateway << "upstream answered HTTP 502";
}

void TestGeminiCodec::errors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(ChatError::Kind, kind);
    QFETCH(QString, message);
    const ChatError error = GeminiCodec::parseError(status, body);
    QCOMPARE(kindName(error.kind), kindName(kind));
    QCOMPARE(error.message, message);
}

void TestGeminiCodec::embeddingRequest()
{
    EmbeddingRequest request;
    request.model = QStringLiteral("embed");
    request.inputs = {QStringLiteral("What is the meaning of life?"),
                      QStringLiteral("How much wood would a woodchuck chuck?")};
    request.dimensions = 4;
    request.encodingFormat = QStringLiteral("base64");
    request.user = QStringLiteral("u1");
    const QJsonObject expected = readObject(QStringLiteral("gemini_embed_request.expected.json"));
    for (const QString &model :
         {QStringLiteral("gemini-embedding-001"), QStringLiteral("models/gemini-embedding-001")}) {
        const ChatResult<QJsonObject> body = GeminiCodec::writeEmbeddingRequest(request, model);
        QVERIFY(body.isOk());
        COMPARE_JSON(body.value(), expected);
    }
}

void TestGeminiCodec::embeddingRequestRefusesExtras()
{
    EmbeddingRequest request;
    request.inputs = {QStringLiteral("x")};
    request.extra.insert(QStringLiteral("input_tokens"), QJsonArray{1, 2, 3});
    ChatResult<QJsonObject> body = GeminiCodec::writeEmbeddingRequest(request, "m");
    QVERIFY(!body.isOk());
    QCOMPARE(body.error().param, QStringLiteral("input_tokens"));

    request.extra = {};
    request.encodingFormat = QStringLiteral("int8");
    body = GeminiCodec::writeEmbeddingRequest(request, "m");
    QVERIFY(!body.isOk());
    QCOMPARE(body.error().param, QStringLiteral("encoding_format"));
}

void TestGeminiCodec::embeddingResponse()
{
    const ChatResult<EmbeddingResponse> parsed = GeminiCodec::parseEmbeddingResponse(
        readObject(QStringLiteral("gemini_embed_response.json")));
    QVERIFY(parsed.isOk());
    QCOMPARE(parsed.value().vectors.size(), 2);
    QCOMPARE(parsed.value().vectors.at(0), (QList<float>{-0.0226f, 0.0117f, 0.0035f, -0.0697f}));
    QCOMPARE(parsed.value().vectors.at(1), (QList<float>{0.0051f, -0.0213f, 0.0482f, 0.0125f}));
    QVERIFY(!parsed.value().usage.present);

    const ChatResult<EmbeddingResponse> broken =
        GeminiCodec::parseEmbeddingResponse(parse("{\"embedding\":{\"values\":[1]}}"));
    QVERIFY(!broken.isOk());
    QCOMPARE(broken.error().kind, ChatError::Kind::BadGateway);
}

void TestGeminiCodec::modelList()
{
    QCOMPARE(GeminiCodec::parseModelList(readObject(QStringLiteral("gemini_models.json"))),
             (QStringList{"gemini-2.0-flash", "gemini-2.5-flash", "gemini-embedding-001"}));
    QVERIFY(GeminiCodec::parseModelList(QJsonObject()).isEmpty());
}

void TestGeminiCodec::syntheticIds()
{
    const QString nonce = GeminiCodec::newCallNonce();
    QCOMPARE(nonce.size(), 16);
    QVERIFY(nonce != GeminiCodec::newCallNonce());
    QCOMPARE(GeminiCodec::syntheticCallId(nonce, 3), QStringLiteral("call_%1_3").arg(nonce));
    QVERIFY(GeminiCodec::isSyntheticCallId(GeminiCodec::syntheticCallId(nonce, 12)));
    QVERIFY(!GeminiCodec::isSyntheticCallId(QStringLiteral("call_abc")));
    QVERIFY(!GeminiCodec::isSyntheticCallId(QStringLiteral("toolu_01A09q90qw90lq917835lq9")));
    QVERIFY(GeminiCodec::syntheticResponseId() != GeminiCodec::syntheticResponseId());
}

QTEST_GUILESS_MAIN(TestGeminiCodec)
#include "tst_geminicodec.moc"
