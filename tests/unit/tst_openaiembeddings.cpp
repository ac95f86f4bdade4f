#include "ai/OpenAiEmbeddingsCodec.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

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

quint32 bitsOf(float value)
{
    quint32 bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

// Bit-for-bit equality (so -0.0 and 0.0 differ, and NaN payloads count).
bool sameBits(const QList<float> &a, const QList<float> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (bitsOf(a.at(i)) != bitsOf(b.at(i)))
            return false;
    }
    return true;
}

// Encoded by hand: 1.0f = 0x3F800000, -2.0f = 0xC0000000, 0.5f = 0x3F000000,
// 0.1f = 0x3DCCCCCD, each little-endian, then base64 ("AACA" "PwAA" "AMAA" "AAA/" "zczM" "PQ==").
const QList<float> KnownVector{1.0f, -2.0f, 0.5f, 0.1f};
const QByteArray KnownBytes = QByteArray::fromHex("0000803f"
                                                  "000000c0"
                                                  "0000003f"
                                                  "cdcccc3d");
const QString KnownBase64 = QStringLiteral("AACAPwAAAMAAAAA/zczMPQ==");

} // namespace

class TestOpenAiEmbeddings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stringInput();
    void arrayInput();
    void tokenArraysPassThrough();
    void invalidRequestsNameTheField_data();
    void invalidRequestsNameTheField();
    void writeRequestAlwaysAsksForFloats();
    void floatResponseInIndexOrder();
    void base64ResponseIsLittleEndianFloat32();
    void base64IsExact();
    void base64RoundTripKeepsEveryBit();
    void floatOutputReadsBackToTheSameFloats();
    void writeResponseBothFormats();
    void malformedResponsesAreBadGateways();
    void modelList();
};

#ifndef Q_MOC_RUN

void TestOpenAiEmbeddings::stringInput()
{
    ChatResult<EmbeddingRequest> parsed = OpenAiEmbeddingsCodec::parseRequest(parse(
        R"({"model":"text-embedding-3-small","input":"The food was delicious and the waiter..."})"));
    QVERIFY(parsed.isOk());
    const EmbeddingRequest &request = parsed.value();
    QCOMPARE(request.model, QStringLiteral("text-embedding-3-small"));
    QCOMPARE(request.inputs,
             QStringList{QStringLiteral("The food was delicious and the waiter...")});
    QVERIFY(request.singleInput);
    QCOMPARE(request.encodingFormat, QStringLiteral("float"));
    QVERIFY(!request.dimensions);
    QVERIFY(request.extra.isEmpty());
}

void TestOpenAiEmbeddings::arrayInput()
{
    ChatResult<EmbeddingRequest> parsed = OpenAiEmbeddingsCodec::parseRequest(
        parse(R"({"model":"m","input":["first","second"],"encoding_format":"base64",
                  "dimensions":512,"user":"user-1","input_type":"document"})"));
    QVERIFY(parsed.isOk());
    const EmbeddingRequest &request = parsed.value();
    QCOMPARE(request.inputs, (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
    QVERIFY(!request.singleInput);
    QCOMPARE(request.encodingFormat, QStringLiteral("base64"));
    QCOMPARE(request.dimensions, 512);
    QCOMPARE(request.user, QStringLiteral("user-1"));
    COMPARE_JSON(request.extra, parse(R"({"input_type":"document"})"));

    // A one-element array is still an array for the caller.
    parsed = OpenAiEmbeddingsCodec::parseRequest(parse(R"({"model":"m","input":["only"]})"));
    QVERIFY(parsed.isOk());
    QVERIFY(!parsed.value().singleInput);
}

void TestOpenAiEmbeddings::tokenArraysPassThrough()
{
    for (const char *input : {"[1212, 318, 257, 1332]", "[[1212, 318], [257, 1332, 13]]"}) {
        const QByteArray body =
            QByteArray(R"({"model":"m","encoding_format":"base64","input":)") + input + "}";
        ChatResult<EmbeddingRequest> parsed = OpenAiEmbeddingsCodec::parseRequest(parse(body));
        QVERIFY(parsed.isOk());
        QVERIFY(parsed.value().inputs.isEmpty());
        COMPARE_JSON(parsed.value().extra.value(QLatin1String("input")),
                     parse(body).value(QLatin1String("input")));
        ChatResult<QJsonObject> out = OpenAiEmbeddingsCodec::writeRequest(
            parsed.value(), QStringLiteral("text-embedding-3-large"));
        QVERIFY(out.isOk());
        COMPARE_JSON(out.value().value(QLatin1String("input")),
                     parse(body).value(QLatin1String("input")));
        QCOMPARE(out.value().value(QLatin1String("model")).toString(),
                 QStringLiteral("text-embedding-3-large"));
    }
}

void TestOpenAiEmbeddings::invalidRequestsNameTheField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");
    QTest::newRow("no model") << QByteArray(R"({"input":"x"})") << QStringLiteral("model");
    QTest::newRow("empty model") << QByteArray(R"({"model":"","input":"x"})")
                                 << QStringLiteral("model");
    QTest::newRow("model not a string")
        << QByteArray(R"({"model":3,"input":"x"})") << QStringLiteral("model");
    QTest::newRow("no input") << QByteArray(R"({"model":"m"})") << QStringLiteral("input");
    QTest::newRow("null input") << QByteArray(R"({"model":"m","input":null})")
                                << QStringLiteral("input");
    QTest::newRow("empty string") << QByteArray(R"({"model":"m","input":""})")
                                  << QStringLiteral("input");
    QTest::newRow("empty array") << QByteArray(R"({"model":"m","input":[]})")
                                 << QStringLiteral("input");
    QTest::newRow("empty string in array")
        << QByteArray(R"({"model":"m","input":["a",""]})") << QStringLiteral("input");
    QTest::newRow("mixed array") << QByteArray(R"({"model":"m","input":["a",1]})")
                                 << QStringLiteral("input");
    QTest::newRow("fractional token")
        << QByteArray(R"({"model":"m","input":[1,2.5]})") << QStringLiteral("input");
    QTest::newRow("empty token array")
        << QByteArray(R"({"model":"m","input":[[1],[]]})") << QStringLiteral("input");
    QTest::newRow("input object") << QByteArray(R"({"model":"m","input":{"text":"a"}})")
                                  << QStringLiteral("input");
    QTest::newRow("encoding_format")
        << QByteArray(R"({"model":"m","input":"a","encoding_format":"int8"})")
        << QStringLiteral("encoding_format");
    QTest::newRow("dimensions zero") << QByteArray(R"({"model":"m","input":"a","dimensions":0})")
                                     << QStringLiteral("dimensions");
    QTest::newRow("dimensions fractional")
        << QByteArray(R"({"model":"m","input":"a","dimensions":1.5})")
        << QStringLiteral("dimensions");
    QTest::newRow("dimensions text")
        << QByteArray(R"({"model":"m","input":"a","dimensions":"256"})")
        << QStringLiteral("dimensions");
}

void TestOpenAiEmbeddings::invalidRequestsNameTheField()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    ChatResult<EmbeddingRequest> parsed = OpenAiEmbeddingsCodec::parseRequest(parse(body));
    QVERIFY(!parsed.isOk());
    QCOMPARE(parsed.error().kind, ChatError::Kind::InvalidRequest);
    QCOMPARE(parsed.error().param, param);
    QVERIFY2(parsed.error().message.startsWith(param), qPrintable(parsed.error().message));
}

void TestOpenAiEmbeddings::writeRequestAlwaysAsksForFloats()
{
    ChatResult<EmbeddingRequest> parsed = OpenAiEmbeddingsCodec::parseRequest(
        parse(R"({"model":"fast-embed","input":"hello","encoding_format":"base64","dimensions":256,
                  "user":"u1","input_type":"query"})"));
    QVERIFY(parsed.isOk());
    ChatResult<QJsonObject> out = OpenAiEmbeddingsCodec::writeRequest(
        parsed.value(), QStringLiteral("text-embedding-3-small"));
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(), parse(R"({"model":"text-embedding-3-small","input":"hello",
        "encoding_format":"float","dimensions":256,"user":"u1","input_type":"query"})"));

    parsed = OpenAiEmbeddingsCodec::parseRequest(parse(R"({"model":"m","input":["a","b"]})"));
    QVERIFY(parsed.isOk());
    out = OpenAiEmbeddingsCodec::writeRequest(parsed.value(), QStringLiteral("up"));
    QVERIFY(out.isOk());
    COMPARE_JSON(out.value(),
                 parse(R"({"model":"up","input":["a","b"],"encoding_format":"float"})"));
}

void TestOpenAiEmbeddings::floatResponseInIndexOrder()
{
    ChatResult<EmbeddingResponse> parsed = OpenAiEmbeddingsCodec::parseResponse(
        readObject(QStringLiteral("openai_embeddings_response_float.json")));
    QVERIFY(parsed.isOk());
    const EmbeddingResponse &response = parsed.value();
    QCOMPARE(response.model, QStringLiteral("text-embedding-3-small"));
    QCOMPARE(response.vectors.size(), 2);
    QCOMPARE(response.vectors.at(0), (QList<float>{0.0023064255f, -0.009327292f, -0.0028842222f}));
    QCOMPARE(response.vectors.at(1), (QList<float>{-0.0098027075f, 0.06042469f, 0.025257962f}));
    QVERIFY(response.usage.present);
    QCOMPARE(response.usage.input, 8);
    QCOMPARE(response.usage.output, 0);
}

void TestOpenAiEmbeddings::base64ResponseIsLittleEndianFloat32()
{
    ChatResult<EmbeddingResponse> parsed = OpenAiEmbeddingsCodec::parseResponse(
        readObject(QStringLiteral("openai_embeddings_response_base64.json")));
    QVERIFY(parsed.isOk());
    QCOMPARE(parsed.value().vectors.size(), 1);
    QVERIFY(sameBits(parsed.value().vectors.first(), KnownVector));
    QCOMPARE(parsed.value().usage.input, 5);
}

void TestOpenAiEmbeddings::base64IsExact()
{
    const QString encoded = OpenAiEmbeddingsCodec::encodeBase64(KnownVector);
    QCOMPARE(encoded, KnownBase64);
    QCOMPARE(QByteArray::fromBase64(encoded.toLatin1()), KnownBytes);
    // What openai-node does with it: Buffer.from(text, "base64") → Float32Array, i.e. the
    // bytes read back as host (little-endian) float32.
    const QByteArray bytes = QByteArray::fromBase64(encoded.toLatin1());
    QList<float> host(bytes.size() / 4);
    std::memcpy(host.data(), bytes.constData(), bytes.size());
    if constexpr (Q_BYTE_ORDER == Q_LITTLE_ENDIAN)
        QVERIFY(sameBits(host, KnownVector));
    const std::optional<QList<float>> decoded = OpenAiEmbeddingsCodec::decodeBase64(KnownBase64);
    QVERIFY(decoded);
    QVERIFY(sameBits(*decoded, KnownVector));
}

void TestOpenAiEmbeddings::base64RoundTripKeepsEveryBit()
{
    QList<float> vector{0.0f,
                        -0.0f,
                        std::numeric_limits<float>::denorm_min(),
                        -std::numeric_limits<float>::min(),
                        std::numeric_limits<float>::max(),
                        -std::numeric_limits<float>::lowest() / 3.0f,
                        1.0f / 3.0f,
                        -0.013629874f};
    quint32 seed = 12345;
    for (int i = 0; i < 1536; ++i) {
        seed = seed * 1664525u + 1013904223u; // a fixed LCG: the same vector every run
        vector.append(static_cast<float>(static_cast<qint32>(seed)) / 2147483648.0f);
    }
    const std::optional<QList<float>> decoded =
        OpenAiEmbeddingsCodec::decodeBase64(OpenAiEmbeddingsCodec::encodeBase64(vector));
    QVERIFY(decoded);
    QVERIFY(sameBits(*decoded, vector));
    QCOMPARE(OpenAiEmbeddingsCodec::encodeBase64({}), QString());
}

void TestOpenAiEmbeddings::floatOutputReadsBackToTheSameFloats()
{
    QList<float> vector{0.1f, 1.0f / 3.0f, -0.013629874f, 1e-30f, 3.4e38f, 0.0f, 16777217.0f};
    quint32 seed = 99;
    for (int i = 0; i < 512; ++i) {
        seed = seed * 1664525u + 1013904223u;
        vector.append(static_cast<float>(static_cast<qint32>(seed)) / 1073741824.0f);
    }
    EmbeddingResponse response;
    response.model = QStringLiteral("m");
    response.vectors.append(vector);
    const QByteArray text =
        QJsonDocument(OpenAiEmbeddingsCodec::writeResponse(response, QStringLiteral("float")))
            .toJson(QJsonDocument::Compact);
    // The shortest decimal, as OpenAI writes them.
    QVERIFY2(text.contains("[0.1,0.33333334,-0.013629874,1e-30,"), text.left(120).constData());
    ChatResult<EmbeddingResponse> back =
        OpenAiEmbeddingsCodec::parseResponse(QJsonDocument::fromJson(text).object());
    QVERIFY(back.isOk());
    QVERIFY(sameBits(back.value().vectors.first(), vector));
}

void TestOpenAiEmbeddings::writeResponseBothFormats()
{
    EmbeddingResponse response;
    response.model = QStringLiteral("fast-embed");
    response.vectors = {KnownVector, {0.25f}};
    response.usage.present = true;
    response.usage.input = 9;
    COMPARE_JSON(OpenAiEmbeddingsCodec::writeResponse(response, QStringLiteral("float")),
                 parse(R"({"object":"list","model":"fast-embed",
        "data":[{"object":"embedding","index":0,"embedding":[1,-2,0.5,0.1]},
                {"object":"embedding","index":1,"embedding":[0.25]}],
        "usage":{"prompt_tokens":9,"total_tokens":9}})"));
    COMPARE_JSON(OpenAiEmbeddingsCodec::writeResponse(response, QStringLiteral("base64")),
                 parse(R"({"object":"list","model":"fast-embed",
        "data":[{"object":"embedding","index":0,"embedding":"AACAPwAAAMAAAAA/zczMPQ=="},
                {"object":"embedding","index":1,"embedding":"AACAPg=="}],
        "usage":{"prompt_tokens":9,"total_tokens":9}})"));
}

void TestOpenAiEmbeddings::malformedResponsesAreBadGateways()
{
    for (const char *body :
         {R"({"object":"list"})",
          R"({"data":[{"index":0,"embedding":[0.1]},{"index":0,"embedding":[0.2]}]})",
          R"({"data":[{"index":2,"embedding":[0.1]}]})",
          R"({"data":[{"index":0,"embedding":"not base64!"}]})",
          R"({"data":[{"index":0,"embedding":"AACAPwAA"}]})",
          R"({"data":[{"index":0,"embedding":[0.1,"x"]}]})",
          R"({"data":[{"index":0,"embedding":{"values":[0.1]}}]})"}) {
        ChatResult<EmbeddingResponse> parsed = OpenAiEmbeddingsCodec::parseResponse(parse(body));
        QVERIFY2(!parsed.isOk(), body);
        QCOMPARE(parsed.error().kind, ChatError::Kind::BadGateway);
    }
}

void TestOpenAiEmbeddings::modelList()
{
    COMPARE_JSON(OpenAiEmbeddingsCodec::writeModelList(
                     {QStringLiteral("fast"), QStringLiteral("claude")}, 1700000000),
                 parse(R"({"object":"list","data":[
        {"id":"fast","object":"model","created":1700000000,"owned_by":"gatehouse"},
        {"id":"claude","object":"model","created":1700000000,"owned_by":"gatehouse"}]})"));
    COMPARE_JSON(OpenAiEmbeddingsCodec::writeModelList({}, 1),
                 parse(R"({"object":"list","data":[]})"));
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestOpenAiEmbeddings)
#include "tst_openaiembeddings.moc"
