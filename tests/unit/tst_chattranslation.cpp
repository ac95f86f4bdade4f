#include "ai/AnthropicMessagesCodec.h"
#include "ai/ChatStreamTranslator.h"
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
    return QJsonDocument::fromJson(json).object();
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

// Output SSE as [{"event": name|null, "data": object|"[DONE]"}], framing checked on the way.
QJsonArray sseToJson(const QByteArray &bytes, bool named)
{
    SseParser parser;
    QJsonArray out;
    const QList<SseEvent> events = parser.feed(bytes);
    for (const SseEvent &event : events) {
        const QJsonValue data = event.data == "[DONE]" ? QJsonValue(QStringLiteral("[DONE]"))
                                                       : QJsonValue(parse(event.data));
        if (named)
            out.append(QJsonObject{{QStringLiteral("event"), QString::fromUtf8(event.event)},
                                   {QStringLiteral("data"), data}});
        else
            out.append(data);
    }
    if (parser.finish())
        qWarning("output ends mid-event");
    return out;
}

QByteArray translate(const QByteArray &upstream, ChatDialect from, ChatDialect to,
                     bool includeUsage, bool byteByByte = false)
{
    ChatStreamTranslator translator(from, to, includeUsage);
    translator.setCreated(1700000000);
    QByteArray out;
    if (byteByByte) {
        for (qsizetype i = 0; i < upstream.size(); ++i)
            out += translator.feed(QByteArrayView(upstream).sliced(i, 1));
    } else {
        out = translator.feed(upstream);
    }
    out += translator.finish();
    return out;
}

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

const QJsonObject simpleOpenAi{
    {QStringLiteral("model"), QStringLiteral("gpt-4o-mini")},
    {QStringLiteral("messages"),
     QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                            {QStringLiteral("content"), QStringLiteral("Hello")}}}}};

} // namespace

class TestChatTranslation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- requests ---------------------------------------------------------------------
    void simpleChatBothWays();
    void openAiToOpenAiKeepsUnknownFields();
    void jsonModeToOpenAi();
    void jsonModeToAnthropicIsRefusedByName();
    void unsupportedParametersAreNamed_data();
    void unsupportedParametersAreNamed();
    void defaultsThatChangeNothingAreDropped();
    void anthropicOnlyParametersAreRefusedForOpenAi();
    void anthropicToolsImagesMultiTurnToOpenAi();
    void anthropicToAnthropicRoundTrip();
    void openAiToolsImagesToolResultsToAnthropic();
    void openAiImageUrlsAndMaxTokensField();
    void stopSequencesAndToolChoiceModes();
    void invalidToolArgumentsAreNamed();
    void malformedRequestsAreRefused();
    // --- responses --------------------------------------------------------------------
    void openAiResponseWithParallelToolCallsToAnthropic();
    void anthropicResponseWithCacheToOpenAi();
    void usageConventions();
    void finishReasonMapping();
    // --- errors -----------------------------------------------------------------------
    void errorShapes();
    // --- streams ----------------------------------------------------------------------
    void anthropicTextStreamToOpenAi();
    void openAiStreamWithoutIncludeUsageHasNoUsageChunk();
    void openAiTextStreamToAnthropic();
    void openAiToolCallStreamToAnthropic();
    void anthropicToolUseStreamToOpenAi();
    void sameDialectStreamsRoundTrip();
    void anthropicErrorEventToOpenAi();
    void openAiErrorChunkToAnthropic();
    void truncatedUpstreamEndsWithAnErrorEvent();
};

// Out of the class so moc never reads the JSON raw strings inside test macros.
#ifndef Q_MOC_RUN

void TestChatTranslation::simpleChatBothWays()
{
    const QJsonObject openAi = parse(R"({"model":"gpt-4o-mini","messages":[
        {"role":"system","content":"You are concise."},{"role":"user","content":"Hello"}],
        "max_tokens":256,"temperature":0.5})");
    const QJsonObject anthropic = parse(R"({"model":"gpt-4o-mini","max_tokens":256,
        "system":"You are concise.","messages":[{"role":"user","content":"Hello"}],"temperature":0.5})");
    ChatResult<QJsonObject> toAnthropic =
        AnthropicMessagesCodec::writeRequest(openAiRequest(openAi));
    QVERIFY(toAnthropic.isOk());
    COMPARE_JSON(toAnthropic.value(), anthropic);
    ChatResult<QJsonObject> toOpenAi = OpenAiChatCodec::writeRequest(anthropicRequest(anthropic));
    QVERIFY(toOpenAi.isOk());
    COMPARE_JSON(toOpenAi.value(), openAi);
}

void TestChatTranslation::openAiToOpenAiKeepsUnknownFields()
{
    const QJsonObject body = parse(
        R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"List 3 colors as JSON"}],
        "response_format":{"type":"json_schema","json_schema":{"name":"colors","strict":true,
          "schema":{"type":"object","properties":{"colors":{"type":"array","items":{"type":"string"}}},
                    "required":["colors"],"additionalProperties":false}}},
        "logprobs":true,"top_logprobs":2,"presence_penalty":0.5,"seed":7,"n":2,"metadata":{"team":"a"}})");
    ChatResult<QJsonObject> out = OpenAiChatCodec::writeRequest(openAiRequest(body));
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(), body);
}

void TestChatTranslation::jsonModeToOpenAi()
{
    QJsonObject body = simpleOpenAi;
    body.insert(QStringLiteral("response_format"), parse(R"({"type":"json_object"})"));
    const ChatRequest request = openAiRequest(body);
    QCOMPARE(request.responseFormat.type, ChatResponseFormat::Type::JsonObject);
    COMPARE_JSON(OpenAiChatCodec::writeRequest(request).value(), body);
}

void TestChatTranslation::jsonModeToAnthropicIsRefusedByName()
{
    for (const char *format :
         {R"({"type":"json_object"})",
          R"({"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}})"}) {
        QJsonObject body = simpleOpenAi;
        body.insert(QStringLiteral("response_format"), parse(format));
        ChatResult<QJsonObject> out = AnthropicMessagesCodec::writeRequest(openAiRequest(body));
        QVERIFY(!out.isOk());
        QCOMPARE(out.error().kind, ChatError::Kind::InvalidRequest);
        QCOMPARE(out.error().param, QStringLiteral("response_format"));
        QVERIFY(out.error().message.startsWith(QLatin1String("response_format:")));
    }
}

void TestChatTranslation::unsupportedParametersAreNamed_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QString>("param");
    QTest::newRow("n") << QByteArray(R"({"n":2})") << "n";
    QTest::newRow("logprobs") << QByteArray(R"({"logprobs":true})") << "logprobs";
    QTest::newRow("top_logprobs") << QByteArray(R"({"top_logprobs":3})") << "top_logprobs";
    QTest::newRow("presence_penalty")
        << QByteArray(R"({"presence_penalty":0.4})") << "presence_penalty";
    QTest::newRow("logit_bias") << QByteArray(R"({"logit_bias":{"50256":-100}})") << "logit_bias";
    QTest::newRow("functions") << QByteArray(R"({"functions":[{"name":"f"}]})") << "functions";
    QTest::newRow("temperature") << QByteArray(R"({"temperature":1.5})") << "temperature";
}

void TestChatTranslation::unsupportedParametersAreNamed()
{
    QFETCH(QByteArray, field);
    QFETCH(QString, param);
    QJsonObject body = simpleOpenAi;
    const QJsonObject extra = parse(field);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    ChatResult<QJsonObject> out = AnthropicMessagesCodec::writeRequest(openAiRequest(body));
    QVERIFY(!out.isOk());
    QCOMPARE(out.error().param, param);
    QVERIFY2(out.error().message.contains(param), qPrintable(out.error().message));
}

void TestChatTranslation::defaultsThatChangeNothingAreDropped()
{
    QJsonObject body = simpleOpenAi;
    const QJsonObject harmless =
        parse(R"({"n":1,"logprobs":false,"presence_penalty":0,"frequency_penalty":0,
        "logit_bias":{},"seed":42,"store":false,"service_tier":"auto","modalities":["text"],"metadata":{"a":"b"}})");
    for (auto it = harmless.begin(); it != harmless.end(); ++it)
        body.insert(it.key(), it.value());
    ChatResult<QJsonObject> out = AnthropicMessagesCodec::writeRequest(openAiRequest(body), {512});
    QVERIFY(out.isOk());
    // max_tokens is required by Anthropic: the caller's default fills it in.
    COMPARE_JSON(
        out.value(),
        parse(
            R"({"model":"gpt-4o-mini","max_tokens":512,"messages":[{"role":"user","content":"Hello"}]})"));
}

void TestChatTranslation::anthropicOnlyParametersAreRefusedForOpenAi()
{
    QJsonObject body =
        anthropicRequest(readObject(QStringLiteral("anthropic_request_tools.json"))).extra;
    QVERIFY(body.isEmpty());
    const QJsonObject base =
        parse(R"({"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})");
    QJsonObject withTopK = base;
    withTopK.insert(QStringLiteral("top_k"), 5);
    ChatResult<QJsonObject> out = OpenAiChatCodec::writeRequest(anthropicRequest(withTopK));
    QVERIFY(!out.isOk());
    QCOMPARE(out.error().param, QStringLiteral("top_k"));
    QJsonObject thinking = base;
    thinking.insert(QStringLiteral("thinking"),
                    parse(R"({"type":"enabled","budget_tokens":1024})"));
    QCOMPARE(OpenAiChatCodec::writeRequest(anthropicRequest(thinking)).error().param,
             QStringLiteral("thinking"));
    // ...but the same request to an Anthropic upstream passes them through.
    ChatResult<QJsonObject> same = AnthropicMessagesCodec::writeRequest(anthropicRequest(thinking));
    QVERIFY(same.isOk());
    COMPARE_JSON(same.value(), thinking);
    // A document block is Anthropic-only.
    const QJsonObject document =
        parse(R"({"model":"claude","max_tokens":10,"messages":[{"role":"user","content":[
        {"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}},{"type":"text","text":"Summarize"}]}]})");
    out = OpenAiChatCodec::writeRequest(anthropicRequest(document));
    QVERIFY(!out.isOk());
    QCOMPARE(out.error().param, QStringLiteral("messages[0].content[0]"));
    QVERIFY(out.error().message.contains(QLatin1String("'document'")));
    COMPARE_JSON(AnthropicMessagesCodec::writeRequest(anthropicRequest(document)).value(),
                 document);
}

void TestChatTranslation::anthropicToolsImagesMultiTurnToOpenAi()
{
    const QJsonObject body = readObject(QStringLiteral("anthropic_request_tools.json"));
    const ChatRequest request = anthropicRequest(body);
    QCOMPARE(request.messages.size(), 4); // user, assistant, tool results, user
    QCOMPARE(request.messages.at(2).role, ChatRole::Tool);
    ChatResult<QJsonObject> out = OpenAiChatCodec::writeRequest(request);
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(),
                 readObject(QStringLiteral("anthropic_request_tools.expected.openai.json")));
}

void TestChatTranslation::anthropicToAnthropicRoundTrip()
{
    // Same dialect: normalized but equivalent (tool_result and text back in one user
    // message, tool_result first; cache_control kept).
    const QJsonObject body = readObject(QStringLiteral("anthropic_request_tools.json"));
    ChatResult<QJsonObject> out = AnthropicMessagesCodec::writeRequest(anthropicRequest(body));
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(), body);
}

void TestChatTranslation::openAiToolsImagesToolResultsToAnthropic()
{
    const QJsonObject body = readObject(QStringLiteral("openai_request_tools.json"));
    const ChatRequest request = openAiRequest(body);
    QCOMPARE(request.maxTokens.value_or(0), 300); // max_completion_tokens
    QVERIFY(request.includeUsage);
    QCOMPARE(request.parallelToolCalls.value_or(false), true);
    ChatResult<QJsonObject> out = AnthropicMessagesCodec::writeRequest(request);
    QVERIFY2(out.isOk(), qPrintable(out.isOk() ? QString() : out.error().message));
    COMPARE_JSON(out.value(),
                 readObject(QStringLiteral("openai_request_tools.expected.anthropic.json")));
}

void TestChatTranslation::openAiImageUrlsAndMaxTokensField()
{
    const QJsonObject body =
        parse(R"({"model":"gpt-4o","max_tokens":50,"messages":[{"role":"user","content":[
        {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}},
        {"type":"image_url","image_url":{"url":"data:image/webp;base64,UklGRg=="}}]}]})");
    const ChatRequest request = openAiRequest(body);
    QCOMPARE(request.messages.first().parts.at(0).imageUrl,
             QStringLiteral("https://example.com/cat.png"));
    QCOMPARE(request.messages.first().parts.at(1).mediaType, QStringLiteral("image/webp"));
    QCOMPARE(request.messages.first().parts.at(1).imageData, QStringLiteral("UklGRg=="));
    COMPARE_JSON(AnthropicMessagesCodec::writeRequest(request).value(),
                 parse(R"({"model":"gpt-4o","max_tokens":50,"messages":[{"role":"user","content":[
        {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}},
        {"type":"image","source":{"type":"base64","media_type":"image/webp","data":"UklGRg=="}}]}]})"));
    ChatResult<QJsonObject> newer = OpenAiChatCodec::writeRequest(
        request, {OpenAiChatCodec::MaxTokensField::MaxCompletionTokens});
    QVERIFY(newer.value().contains(QLatin1String("max_completion_tokens")));
    QVERIFY(!newer.value().contains(QLatin1String("max_tokens")));
    // A non-base64 data: URL is not an image we can pass on.
    const QJsonObject bad = parse(R"({"model":"m","messages":[{"role":"user","content":[
        {"type":"image_url","image_url":{"url":"data:text/plain,hello"}}]}]})");
    QCOMPARE(OpenAiChatCodec::parseRequest(bad).error().param,
             QStringLiteral("messages[0].content[0].image_url.url"));
}

void TestChatTranslation::stopSequencesAndToolChoiceModes()
{
    const struct
    {
        const char *openAi;
        const char *anthropic;
    } cases[] = {
        {R"("auto")", R"({"type":"auto"})"},
        {R"("required")", R"({"type":"any"})"},
        {R"("none")", R"({"type":"none"})"},
        {R"({"type":"function","function":{"name":"get_weather"}})",
         R"({"type":"tool","name":"get_weather"})"},
    };
    for (const auto &c : cases) {
        QJsonObject body =
            parse(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stop":["a","b"],
            "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]})");
        body.insert(QStringLiteral("tool_choice"),
                    QJsonDocument::fromJson(QByteArray("[") + c.openAi + "]").array().first());
        const QJsonObject out = AnthropicMessagesCodec::writeRequest(openAiRequest(body)).value();
        COMPARE_JSON(out.value(QLatin1String("tool_choice")), parse(c.anthropic));
        COMPARE_JSON(out.value(QLatin1String("stop_sequences")),
                     QJsonArray({QStringLiteral("a"), QStringLiteral("b")}));
        // And back.
        const QJsonObject back = OpenAiChatCodec::writeRequest(anthropicRequest(out)).value();
        COMPARE_JSON(back.value(QLatin1String("tool_choice")),
                     body.value(QLatin1String("tool_choice")));
        COMPARE_JSON(back.value(QLatin1String("stop")),
                     QJsonArray({QStringLiteral("a"), QStringLiteral("b")}));
    }
}

void TestChatTranslation::invalidToolArgumentsAreNamed()
{
    const QJsonObject body = parse(R"({"model":"m","messages":[{"role":"user","content":"hi"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{not json"}}]},
        {"role":"tool","tool_call_id":"call_1","content":"x"}]})");
    ChatResult<QJsonObject> out = AnthropicMessagesCodec::writeRequest(openAiRequest(body));
    QVERIFY(!out.isOk());
    QCOMPARE(out.error().param, QStringLiteral("messages[1].content[0]"));
}

void TestChatTranslation::malformedRequestsAreRefused()
{
    QCOMPARE(OpenAiChatCodec::parseRequest(parse(R"({"messages":[]})")).error().param,
             QStringLiteral("model"));
    QCOMPARE(
        OpenAiChatCodec::parseRequest(
            parse(
                R"({"model":"m","messages":[{"role":"user","content":[{"type":"input_audio"}]}]})"))
            .error()
            .param,
        QStringLiteral("messages[0].content[0].type"));
    QCOMPARE(AnthropicMessagesCodec::parseRequest(
                 parse(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})"))
                 .error()
                 .param,
             QStringLiteral("max_tokens"));
}

void TestChatTranslation::openAiResponseWithParallelToolCallsToAnthropic()
{
    ChatResult<ChatResponse> response =
        OpenAiChatCodec::parseResponse(readObject(QStringLiteral("openai_response_tools.json")));
    QVERIFY(response.isOk());
    QCOMPARE(response.value().usage.cachedInput, 1024);
    ChatResult<QJsonObject> out = AnthropicMessagesCodec::writeResponse(response.value());
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(),
                 readObject(QStringLiteral("openai_response_tools.expected.anthropic.json")));
}

void TestChatTranslation::anthropicResponseWithCacheToOpenAi()
{
    const QJsonObject body = readObject(QStringLiteral("anthropic_response_cached.json"));
    ChatResult<ChatResponse> response = AnthropicMessagesCodec::parseResponse(body);
    QVERIFY(response.isOk());
    QCOMPARE(response.value().stopSequence, QStringLiteral("\n\nHuman:"));
    ChatResponse neutral = response.value();
    neutral.created = 1700000000;
    COMPARE_JSON(OpenAiChatCodec::writeResponse(neutral),
                 readObject(QStringLiteral("anthropic_response_cached.expected.openai.json")));
    // Anthropic back: the same numbers, the stop sequence kept.
    COMPARE_JSON(AnthropicMessagesCodec::writeResponse(neutral).value(), body);
}

void TestChatTranslation::usageConventions()
{
    // OpenAI prompt_tokens include cached tokens; Anthropic input_tokens exclude cache
    // reads and cache writes. Reasoning tokens are inside completion/output tokens.
    const ChatUsage openAi =
        OpenAiChatCodec::parseUsage(parse(R"({"prompt_tokens":2006,"completion_tokens":300,
        "total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920},"completion_tokens_details":{"reasoning_tokens":128}})"));
    QCOMPARE(openAi.input, 2006);
    QCOMPARE(openAi.cachedInput, 1920);
    QCOMPARE(openAi.reasoning, 128);
    COMPARE_JSON(
        AnthropicMessagesCodec::writeUsage(openAi),
        parse(
            R"({"input_tokens":86,"cache_creation_input_tokens":0,"cache_read_input_tokens":1920,"output_tokens":300})"));
    COMPARE_JSON(OpenAiChatCodec::writeUsage(openAi),
                 parse(R"({"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                           "prompt_tokens_details":{"cached_tokens":1920},"completion_tokens_details":{"reasoning_tokens":128}})"));
    const ChatUsage anthropic = AnthropicMessagesCodec::parseUsage(parse(
        R"({"input_tokens":21,"cache_creation_input_tokens":188086,"cache_read_input_tokens":0,"output_tokens":393})"));
    QCOMPARE(anthropic.input, 188107);
    QCOMPARE(anthropic.cacheCreationInput, 188086);
    // Cache writes have no OpenAI field: kept under Anthropic's name, not dropped.
    COMPARE_JSON(
        OpenAiChatCodec::writeUsage(anthropic),
        parse(
            R"({"prompt_tokens":188107,"completion_tokens":393,"total_tokens":188500,"cache_creation_input_tokens":188086,
                           "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}})"));
    QCOMPARE(OpenAiChatCodec::parseUsage(OpenAiChatCodec::writeUsage(anthropic)), anthropic);
}

void TestChatTranslation::finishReasonMapping()
{
    const struct
    {
        const char *openAi;
        const char *anthropic;
        FinishReason neutral;
    } cases[] = {{"stop", "end_turn", FinishReason::Stop},
                 {"length", "max_tokens", FinishReason::Length},
                 {"tool_calls", "tool_use", FinishReason::ToolCalls},
                 {"content_filter", "refusal", FinishReason::ContentFilter}};
    for (const auto &c : cases) {
        QCOMPARE(OpenAiChatCodec::parseFinishReason(QLatin1String(c.openAi)), c.neutral);
        QCOMPARE(AnthropicMessagesCodec::parseStopReason(QLatin1String(c.anthropic)), c.neutral);
        QCOMPARE(OpenAiChatCodec::finishReasonName(c.neutral), QLatin1String(c.openAi));
        QCOMPARE(AnthropicMessagesCodec::stopReasonName(c.neutral, {}), QLatin1String(c.anthropic));
    }
    QCOMPARE(AnthropicMessagesCodec::parseStopReason(QStringLiteral("stop_sequence")),
             FinishReason::Stop);
    QCOMPARE(AnthropicMessagesCodec::stopReasonName(FinishReason::Stop, QStringLiteral("END")),
             QStringLiteral("stop_sequence"));
}

void TestChatTranslation::errorShapes()
{
    const ChatError error =
        ChatError::unsupported(QStringLiteral("n"), QStringLiteral("Anthropic"));
    COMPARE_JSON(
        OpenAiChatCodec::errorBody(error),
        parse(
            R"({"error":{"message":"n: not supported when the model is served by an Anthropic provider",
                           "type":"invalid_request_error","param":"n","code":"invalid_parameter"}})"));
    QCOMPARE(OpenAiChatCodec::httpStatus(error), 400);
    COMPARE_JSON(AnthropicMessagesCodec::errorBody(error),
                 parse(R"({"type":"error","error":{"type":"invalid_request_error",
                           "message":"n: not supported when the model is served by an Anthropic provider"}})"));

    // An Anthropic 529 reaches an OpenAI caller as a 503 server error, and back.
    const ChatError overloaded = AnthropicMessagesCodec::parseError(
        529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
    QCOMPARE(overloaded.kind, ChatError::Kind::Overloaded);
    QCOMPARE(OpenAiChatCodec::httpStatus(overloaded), 503);
    QCOMPARE(AnthropicMessagesCodec::httpStatus(overloaded), 529);
    COMPARE_JSON(
        OpenAiChatCodec::errorBody(overloaded),
        parse(
            R"({"error":{"message":"Overloaded","type":"server_error","param":null,"code":"overloaded"}})"));
    const ChatError limited = OpenAiChatCodec::parseError(
        429,
        R"({"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}})");
    QCOMPARE(limited.kind, ChatError::Kind::RateLimit);
    COMPARE_JSON(
        AnthropicMessagesCodec::errorBody(limited),
        parse(
            R"({"type":"error","error":{"type":"rate_limit_error","message":"Rate limit reached"}})"));
    QCOMPARE(OpenAiChatCodec::parseError(502, "<html>bad gateway</html>").message,
             QStringLiteral("upstream answered HTTP 502"));
}

void TestChatTranslation::anthropicTextStreamToOpenAi()
{
    const QByteArray upstream = readData(QStringLiteral("anthropic_stream_text.sse"));
    const QByteArray out = translate(upstream, ChatDialect::Anthropic, ChatDialect::OpenAi, true);
    QVERIFY(out.startsWith("data: {"));
    QVERIFY(out.endsWith("\n\ndata: [DONE]\n\n")); // byte-exact framing of the end
    QVERIFY(!out.contains("event:"));
    COMPARE_JSON(sseToJson(out, false),
                 QJsonDocument::fromJson(
                     readData(QStringLiteral("anthropic_stream_text.expected.openai.json")))
                     .array());
    QCOMPARE(translate(upstream, ChatDialect::Anthropic, ChatDialect::OpenAi, true, true), out);
}

void TestChatTranslation::openAiStreamWithoutIncludeUsageHasNoUsageChunk()
{
    const QByteArray out = translate(readData(QStringLiteral("anthropic_stream_text.sse")),
                                     ChatDialect::Anthropic, ChatDialect::OpenAi, false);
    const QJsonArray chunks = sseToJson(out, false);
    QCOMPARE(chunks.size(), 5); // start, 2 texts, finish, [DONE]
    for (const QJsonValue &chunk : chunks)
        QVERIFY(!chunk.toObject().contains(QLatin1String("usage")));
}

void TestChatTranslation::openAiTextStreamToAnthropic()
{
    const QByteArray upstream = readData(QStringLiteral("openai_stream_text.sse"));
    ChatStreamTranslator translator(ChatDialect::OpenAi, ChatDialect::Anthropic, true);
    QByteArray out = translator.feed(upstream);
    out += translator.finish();
    QVERIFY2(out.startsWith("event: message_start\ndata: {"), out.left(300).constData());
    QVERIFY(out.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    COMPARE_JSON(sseToJson(out, true),
                 QJsonDocument::fromJson(
                     readData(QStringLiteral("openai_stream_text.expected.anthropic.json")))
                     .array());
    // Reasoning tokens have no Anthropic field but reach the log.
    QCOMPARE(translator.usage().reasoning, 128);
    QCOMPARE(translator.usage().cachedInput, 1920);
    QCOMPARE(translator.finishReason(), FinishReason::Stop);
    QVERIFY(!translator.hasFailed());
}

void TestChatTranslation::openAiToolCallStreamToAnthropic()
{
    const QByteArray upstream = readData(QStringLiteral("openai_stream_tool_calls.sse"));
    const QByteArray out = translate(upstream, ChatDialect::OpenAi, ChatDialect::Anthropic, true);
    COMPARE_JSON(sseToJson(out, true),
                 QJsonDocument::fromJson(
                     readData(QStringLiteral("openai_stream_tool_calls.expected.anthropic.json")))
                     .array());
    QCOMPARE(translate(upstream, ChatDialect::OpenAi, ChatDialect::Anthropic, true, true), out);
}

void TestChatTranslation::anthropicToolUseStreamToOpenAi()
{
    const QByteArray upstream = readData(QStringLiteral("anthropic_stream_tool_use.sse"));
    const QByteArray out = translate(upstream, ChatDialect::Anthropic, ChatDialect::OpenAi, true);
    const QJsonArray chunks = sseToJson(out, false);
    QString text;
    QString arguments;
    int argumentChunks = 0;
    for (const QJsonValue &chunk : chunks) {
        const QJsonObject delta = chunk.toObject()
                                      .value(QLatin1String("choices"))
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(QLatin1String("delta"))
                                      .toObject();
        text += delta.value(QLatin1String("content")).toString();
        const QJsonArray calls = delta.value(QLatin1String("tool_calls")).toArray();
        if (!calls.isEmpty() && !calls.first().toObject().contains(QLatin1String("id"))) {
            ++argumentChunks;
            arguments += calls.first()
                             .toObject()
                             .value(QLatin1String("function"))
                             .toObject()
                             .value(QLatin1String("arguments"))
                             .toString();
        }
    }
    QCOMPARE(text, QStringLiteral("Okay, let's check the weather for San Francisco, CA:"));
    // Each non-empty input_json_delta became exactly one arguments fragment.
    QCOMPARE(argumentChunks, 8);
    QCOMPARE(arguments,
             QStringLiteral(R"({"location": "San Francisco, CA", "unit": "fahrenheit"})"));
    const QString id = QStringLiteral("msg_014p7gG3wDgGV9EUtLvnow3U");
    const QString model = QStringLiteral("claude-sonnet-4-5-20250929");
    auto chunk = [&](const char *choice) {
        return QJsonObject{{QStringLiteral("id"), id},
                           {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                           {QStringLiteral("created"), 1700000000},
                           {QStringLiteral("model"), model},
                           {QStringLiteral("choices"), QJsonArray{parse(choice)}},
                           {QStringLiteral("usage"), QJsonValue::Null}};
    };
    QCOMPARE(chunks.size(), 1 + 13 + 1 + 8 + 1 + 1 + 1);
    COMPARE_JSON(
        chunks.at(14),
        chunk(R"({"index":0,"delta":{"tool_calls":[{"index":0,"id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6",
        "type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null})"));
    COMPARE_JSON(
        chunks.at(15),
        chunk(
            R"({"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"location\":"}}]},
        "logprobs":null,"finish_reason":null})"));
    COMPARE_JSON(chunks.at(23),
                 chunk(R"({"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"})"));
    COMPARE_JSON(chunks.at(24).toObject().value(QLatin1String("usage")),
                 parse(R"({"prompt_tokens":472,"completion_tokens":89,"total_tokens":561,
                           "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}})"));
    QCOMPARE(chunks.at(25).toString(), QStringLiteral("[DONE]"));
}

void TestChatTranslation::sameDialectStreamsRoundTrip()
{
    // Anthropic → neutral → Anthropic: the documented event order comes back (ping dropped).
    const QByteArray upstream = readData(QStringLiteral("anthropic_stream_tool_use.sse"));
    const QJsonArray out =
        sseToJson(translate(upstream, ChatDialect::Anthropic, ChatDialect::Anthropic, true), true);
    QJsonArray expected = sseToJson(upstream, true);
    expected.removeAt(2);  // ping
    expected.removeAt(17); // the empty partial_json delta
    QCOMPARE(out.size(), expected.size());
    for (int i = 0; i < out.size(); ++i) {
        const QString name = expected.at(i).toObject().value(QLatin1String("event")).toString();
        QCOMPARE(out.at(i).toObject().value(QLatin1String("event")).toString(), name);
        if (name == QLatin1String("content_block_delta") ||
            name == QLatin1String("content_block_start"))
            COMPARE_JSON(out.at(i), expected.at(i));
    }
}

void TestChatTranslation::anthropicErrorEventToOpenAi()
{
    const QByteArray upstream =
        "event: message_start\n"
        "data: "
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\",\"usage\":{"
        "\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
        "event: error\n"
        "data: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": "
        "\"Overloaded\"}}\n\n";
    ChatStreamTranslator translator(ChatDialect::Anthropic, ChatDialect::OpenAi, true);
    translator.setCreated(1700000000);
    QByteArray out = translator.feed(upstream);
    out += translator.finish();
    const QJsonArray chunks = sseToJson(out, false);
    QVERIFY2(chunks.size() == 2, out.constData());
    COMPARE_JSON(
        chunks.last(),
        parse(
            R"({"error":{"message":"Overloaded","type":"server_error","param":null,"code":"overloaded"}})"));
    QVERIFY(!out.contains("[DONE]")); // a failed stream never looks complete
    QVERIFY(translator.hasFailed());
    QCOMPARE(translator.usage().input, 5); // usage so far is still known for the log
}

void TestChatTranslation::openAiErrorChunkToAnthropic()
{
    const QByteArray upstream =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
        "data: {\"error\":{\"message\":\"The server had an "
        "error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";
    const QByteArray out = translate(upstream, ChatDialect::OpenAi, ChatDialect::Anthropic, true);
    QVERIFY(out.endsWith("event: error\ndata: {\"error\":{\"message\":\"The server had an "
                         "error\",\"type\":\"api_error\"},\"type\":\"error\"}\n\n"));
    QVERIFY(!out.contains("message_stop"));
}

void TestChatTranslation::truncatedUpstreamEndsWithAnErrorEvent()
{
    QByteArray upstream = readData(QStringLiteral("openai_stream_text.sse"));
    upstream.chop(upstream.size() - upstream.indexOf("\"!\"") - 10); // cut inside the third chunk
    const QJsonArray openAi =
        sseToJson(translate(upstream, ChatDialect::OpenAi, ChatDialect::OpenAi, true), false);
    QCOMPARE(openAi.last()
                 .toObject()
                 .value(QLatin1String("error"))
                 .toObject()
                 .value(QLatin1String("code"))
                 .toString(),
             QStringLiteral("bad_gateway"));
    const QJsonArray anthropic =
        sseToJson(translate(upstream, ChatDialect::OpenAi, ChatDialect::Anthropic, true), true);
    COMPARE_JSON(anthropic.last()
                     .toObject()
                     .value(QLatin1String("data"))
                     .toObject()
                     .value(QLatin1String("error"))
                     .toObject()
                     .value(QLatin1String("type")),
                 QStringLiteral("api_error"));
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestChatTranslation)
#include "tst_chattranslation.moc"
