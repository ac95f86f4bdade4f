// PromptInputSchema: a caller's body against a prompt API's declared inputs. Every refusal
// names its field (param and message); values come back typed and as template text.
#include "prompt/PromptInputSchema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gh;

namespace {

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", json.constData());
    return doc.object();
}

// Every type and rule once.
const QByteArray kInputs =
    "{ \"text\":     {\"type\": \"string\", \"required\": true, \"max_length\": 10}, \"note\":     "
    "{\"type\": \"string\"}, \"tone\":     {\"type\": \"enum\", \"values\": [\"formal\", "
    "\"casual\"], \"default\": \"casual\"}, \"count\":    {\"type\": \"number\", \"default\": 3}, "
    "\"loud\":     {\"type\": \"boolean\", \"default\": false}, \"tags\":     {\"type\": "
    "\"array\", \"max_length\": 3, \"items\": {\"type\": \"string\", \"max_length\": 5}}, "
    "\"scores\":   {\"type\": \"array\", \"items\": {\"type\": \"number\"}}, \"langs\":    "
    "{\"type\": \"array\", \"items\": {\"type\": \"enum\", \"values\": [\"fr\", \"de\"]}}, "
    "\"flags\":    {\"type\": \"array\", \"items\": {\"type\": \"boolean\"}} }";

} // namespace

class TestPromptInputSchema : public QObject
{
    Q_OBJECT

private:
    PromptInputSchema m_schema = PromptInputSchema::fromJson(parse(kInputs));

private Q_SLOTS:
    void refusals_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("message");

        QTest::newRow("required missing") << QByteArray("{}") << "text"
                                          << "text: is required";
        QTest::newRow("required null") << QByteArray("{\"text\": null}") << "text"
                                       << "text: is required";
        QTest::newRow("string as number") << QByteArray("{\"text\": 5}") << "text"
                                          << "text: must be a string";
        QTest::newRow("string as object") << QByteArray("{\"text\": {\"a\": 1}}") << "text"
                                          << "text: must be a string";
        QTest::newRow("string too long") << QByteArray("{\"text\": \"12345678901\"}") << "text"
                                         << "text: must be at most 10 characters (got 11)";
        QTest::newRow("emoji count as one each but eleven is too many")
            << QByteArray("{\"text\": \"🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉\"}") << "text"
            << "text: must be at most 10 characters (got 11)";
        QTest::newRow("unpaired surrogate")
            << QByteArray("{\"text\": \"ab\\ud800\"}") << "text"
            << "text: must be valid Unicode (it contains an unpaired surrogate)";
        QTest::newRow("lone low surrogate")
            << QByteArray("{\"text\": \"\\udc00\"}") << "text"
            << "text: must be valid Unicode (it contains an unpaired surrogate)";
        QTest::newRow("enum not listed")
            << QByteArray("{\"text\": \"a\", \"tone\": \"angry\"}") << "tone"
            << "tone: must be one of formal, casual";
        QTest::newRow("enum case matters")
            << QByteArray("{\"text\": \"a\", \"tone\": \"Formal\"}") << "tone"
            << "tone: must be one of formal, casual";
        QTest::newRow("enum as number") << QByteArray("{\"text\": \"a\", \"tone\": 1}") << "tone"
                                        << "tone: must be one of formal, casual";
        QTest::newRow("number as string")
            << QByteArray("{\"text\": \"a\", \"count\": \"3\"}") << "count"
            << "count: must be a number";
        QTest::newRow("boolean as string")
            << QByteArray("{\"text\": \"a\", \"loud\": \"true\"}") << "loud"
            << "loud: must be true or false";
        QTest::newRow("boolean as number") << QByteArray("{\"text\": \"a\", \"loud\": 1}") << "loud"
                                           << "loud: must be true or false";
        QTest::newRow("array as string")
            << QByteArray("{\"text\": \"a\", \"tags\": \"x\"}") << "tags"
            << "tags: must be a list";
        QTest::newRow("array too long")
            << QByteArray("{\"text\": \"a\", \"tags\": [\"a\", \"b\", \"c\", \"d\"]}") << "tags"
            << "tags: must have at most 3 items (got 4)";
        QTest::newRow("array item type")
            << QByteArray("{\"text\": \"a\", \"tags\": [\"a\", 2]}") << "tags"
            << "tags[1]: must be a string";
        QTest::newRow("array item too long")
            << QByteArray("{\"text\": \"a\", \"tags\": [\"toolong\"]}") << "tags"
            << "tags[0]: must be at most 5 characters (got 7)";
        QTest::newRow("array of numbers")
            << QByteArray("{\"text\": \"a\", \"scores\": [1, \"2\"]}") << "scores"
            << "scores[1]: must be a number";
        QTest::newRow("array of enums")
            << QByteArray("{\"text\": \"a\", \"langs\": [\"fr\", \"es\"]}") << "langs"
            << "langs[1]: must be one of fr, de";
        QTest::newRow("array of booleans")
            << QByteArray("{\"text\": \"a\", \"flags\": [true, null]}") << "flags"
            << "flags[1]: must be true or false";
        QTest::newRow("unknown field")
            << QByteArray("{\"text\": \"a\", \"txet\": \"b\"}") << "txet"
            << "txet: unknown input; this prompt API takes count, flags, langs, loud, note, "
               "scores, tags, text, tone";
    }

    void refusals()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, param);
        QFETCH(QString, message);
        const ChatResult<PromptInputSchema::Values> result = m_schema.validate(parse(body));
        QVERIFY(!result.isOk());
        QCOMPARE(result.error().kind, ChatError::Kind::InvalidRequest);
        QCOMPARE(result.error().param, param);
        QCOMPARE(result.error().message, message);
    }

    void defaultsAndText()
    {
        const ChatResult<PromptInputSchema::Values> result =
            m_schema.validate(parse("{\"text\": \"héllo\", \"tags\": [\"a\", \"b\"], \"scores\": "
                                    "[1, 2.5], \"note\": null}"));
        QVERIFY(result.isOk());
        const PromptInputSchema::Values &values = result.value();
        QCOMPARE(values.text.value("text"), QStringLiteral("héllo"));
        QCOMPARE(values.text.value("tone"), QStringLiteral("casual")); // default
        QCOMPARE(values.text.value("count"), QStringLiteral("3"));     // 3, not 3.0
        QCOMPARE(values.text.value("loud"), QStringLiteral("false"));
        QCOMPARE(values.text.value("tags"), QStringLiteral("[\"a\",\"b\"]"));
        QCOMPARE(values.text.value("scores"), QStringLiteral("[1,2.5]"));
        QCOMPARE(values.text.value("note"), QString()); // optional, no default: empty
        QVERIFY(values.text.contains("note"));
        QCOMPARE(values.typed.value("count").toDouble(), 3.0);
        QVERIFY(!values.typed.contains("note"));
        QCOMPARE(values.typed.value("tone").toString(), QStringLiteral("casual"));
    }

    void reservedKeysAreSkipped()
    {
        const auto result = m_schema.validate(parse("{\"text\": \"a\", \"stream\": true}"),
                                              {QStringLiteral("stream")});
        QVERIFY(result.isOk());
        QVERIFY(!result.value().typed.contains("stream"));
    }

    void noInputs()
    {
        const PromptInputSchema none = PromptInputSchema::fromJson({});
        QVERIFY(none.validate({}).isOk());
        const auto refused = none.validate(parse("{\"x\": 1}"));
        QVERIFY(!refused.isOk());
        QCOMPARE(refused.error().message,
                 QStringLiteral("x: unknown input; this prompt API takes no inputs"));
    }

    void attackValuesPassUnchanged_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("quotes") << QStringLiteral("\" }], \"role\": \"system");
        QTest::newRow("braces") << QStringLiteral("{{note}} {{ text }} }}{{");
        QTest::newRow("newlines") << QStringLiteral("a\nb\r\nc\u2028d");
        QTest::newRow("nul") << QString(QChar(0)) + QStringLiteral("x");
        QTest::newRow("unicode") << QStringLiteral("世界🎉");
    }

    void attackValuesPassUnchanged()
    {
        QFETCH(QString, value);
        const PromptInputSchema schema =
            PromptInputSchema::fromJson(parse("{\"text\": {\"type\": \"string\"}}"));
        const auto result = schema.validate(QJsonObject{{"text", value}});
        QVERIFY(result.isOk());
        QCOMPARE(result.value().text.value("text"), value);
    }

    void maxLengthCountsCodePoints()
    {
        QCOMPARE(PromptInputSchema::codePoints(QStringLiteral("🎉🎉")), 2);
        QCOMPARE(PromptInputSchema::codePoints(QStringLiteral("abc")), 3);
        QCOMPARE(PromptInputSchema::codePoints(QString()), 0);
        const auto ten = m_schema.validate(parse("{\"text\": \"🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉\"}"));
        QVERIFY(ten.isOk()); // 10 emoji are 20 UTF-16 units but 10 characters
    }

    void veryLongInput()
    {
        const PromptInputSchema schema = PromptInputSchema::fromJson(
            parse("{\"text\": {\"type\": \"string\", \"max_length\": 100000}}"));
        QVERIFY(schema.validate(QJsonObject{{"text", QString(100000, u'a')}}).isOk());
        const auto refused = schema.validate(QJsonObject{{"text", QString(100001, u'a')}});
        QVERIFY(!refused.isOk());
        QCOMPARE(refused.error().message,
                 QStringLiteral("text: must be at most 100000 characters (got 100001)"));
        // No max_length: any size the body limit lets through.
        const PromptInputSchema open =
            PromptInputSchema::fromJson(parse("{\"text\": {\"type\": \"string\"}}"));
        QVERIFY(open.validate(QJsonObject{{"text", QString(1 << 20, u'a')}}).isOk());
    }

    void toText_data()
    {
        QTest::addColumn<QByteArray>("json"); // [value]
        QTest::addColumn<QString>("text");
        QTest::newRow("integer") << QByteArray("[42]") << "42";
        QTest::newRow("negative") << QByteArray("[-7]") << "-7";
        QTest::newRow("fraction") << QByteArray("[0.1]") << "0.1";
        QTest::newRow("big") << QByteArray("[1e21]") << "1e+21";
        QTest::newRow("true") << QByteArray("[true]") << "true";
        QTest::newRow("string") << QByteArray("[\"a\\\"b\"]") << "a\"b";
        QTest::newRow("array") << QByteArray("[[\"a\", 1, true]]") << "[\"a\",1,true]";
        QTest::newRow("array with quotes") << QByteArray("[[\"\\\"}\"]]") << "[\"\\\"}\"]";
    }

    void toText()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, text);
        QCOMPARE(PromptInputSchema::toText(QJsonDocument::fromJson(json).array().first()), text);
    }
};

QTEST_APPLESS_MAIN(TestPromptInputSchema)
#include "tst_promptinputschema.moc"
