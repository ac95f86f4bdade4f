// JsonSchemaValidator: the JSON Schema subset of prompt API outputs. Unsupported keywords
// are refused at compile time with their path; values get problems with their place.
#include "prompt/JsonSchemaValidator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gh;

namespace {

QJsonObject object(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qFatal("bad test JSON: %s", json.constData());
    return doc.object();
}

QJsonValue value(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json + "]", &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", json.constData());
    return doc.array().first();
}

QStringList strings(const QList<JsonSchemaValidator::Problem> &problems)
{
    QStringList out;
    for (const auto &problem : problems)
        out.append(problem.toString());
    return out;
}

} // namespace

class TestJsonSchemaValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void schemaProblems_data()
    {
        QTest::addColumn<QByteArray>("schema");
        QTest::addColumn<QStringList>("problems");

        QTest::newRow("unsupported keyword")
            << QByteArray("{\"type\": \"object\", \"if\": {}}")
            << QStringList{"if: unsupported JSON Schema keyword \"if\" (Gatehouse validates type, "
                           "enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, "
                           "multipleOf, minLength, maxLength, pattern, properties, required, "
                           "additionalProperties, minProperties, maxProperties, items, "
                           "minItems, maxItems, uniqueItems, allOf, anyOf, oneOf, not, $defs, "
                           "$ref)"};
        QTest::newRow("nested unsupported keywords with their paths")
            << QByteArray("{\"properties\": {\"a\": {\"patternProperties\": {}}, \"b\": "
                          "{\"items\": {\"prefixItems\": []}}}, \"anyOf\": [{\"type\": "
                          "\"string\"}, {\"contains\": {}}]}")
            << QStringList{
                   "anyOf[1].contains: unsupported JSON Schema keyword \"contains\" (Gatehouse "
                   "validates type, enum, const, minimum, maximum, exclusiveMinimum, "
                   "exclusiveMaximum, multipleOf, minLength, maxLength, pattern, properties, "
                   "required, additionalProperties, minProperties, maxProperties, items, "
                   "minItems, maxItems, uniqueItems, allOf, anyOf, oneOf, not, $defs, $ref)",
                   "properties.a.patternProperties: unsupported JSON Schema keyword "
                   "\"patternProperties\" (Gatehouse validates type, enum, const, minimum, "
                   "maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, "
                   "maxLength, pattern, properties, required, additionalProperties, "
                   "minProperties, maxProperties, items, minItems, maxItems, uniqueItems, "
                   "allOf, anyOf, oneOf, not, $defs, $ref)",
                   "properties.b.items.prefixItems: unsupported JSON Schema keyword "
                   "\"prefixItems\" (Gatehouse validates type, enum, const, minimum, maximum, "
                   "exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, maxLength, "
                   "pattern, properties, required, additionalProperties, minProperties, "
                   "maxProperties, items, minItems, maxItems, uniqueItems, allOf, anyOf, "
                   "oneOf, not, $defs, $ref)"};
        QTest::newRow("unknown type") << QByteArray("{\"type\": \"text\"}")
                                      << QStringList{"type: unknown type \"text\"; expected "
                                                     "string, number, integer, boolean, object, "
                                                     "array or null"};
        QTest::newRow("type list with a bad item")
            << QByteArray("{\"type\": [\"string\", 5]}")
            << QStringList{"type: unknown type 5; expected string, number, integer, boolean, "
                           "object, array or null"};
        QTest::newRow("empty type list") << QByteArray("{\"type\": []}")
                                         << QStringList{"type: must be a type name or a "
                                                        "non-empty list of them"};
        QTest::newRow("enum not a list")
            << QByteArray("{\"enum\": \"a\"}") << QStringList{"enum: must be a non-empty list"};
        QTest::newRow("empty enum")
            << QByteArray("{\"enum\": []}") << QStringList{"enum: must be a non-empty list"};
        QTest::newRow("bad numbers")
            << QByteArray(
                   "{\"minimum\": \"1\", \"maxLength\": -1, \"minItems\": 1.5, \"multipleOf\": 0}")
            << QStringList{"maxLength: must be a non-negative integer",
                           "minItems: must be a non-negative integer", "minimum: must be a number",
                           "multipleOf: must be greater than 0"};
        QTest::newRow("bad pattern") << QByteArray("{\"pattern\": \"(unclosed\"}")
                                     << QStringList{"pattern: is not a valid regular expression: "
                                                    "missing closing parenthesis"};
        QTest::newRow("properties not a mapping")
            << QByteArray("{\"properties\": []}")
            << QStringList{"properties: must be a mapping of property names to schemas"};
        QTest::newRow("property schema not a schema")
            << QByteArray("{\"properties\": {\"a\": \"string\"}}")
            << QStringList{"properties.a: must be a schema (a mapping, true or false)"};
        QTest::newRow("required not names") << QByteArray("{\"required\": \"a\"}")
                                            << QStringList{"required: must be a list of property "
                                                           "names"};
        QTest::newRow("tuple items") << QByteArray("{\"items\": [{}, {}]}")
                                     << QStringList{"items: must be one schema for every item "
                                                    "(tuple validation is not supported)"};
        QTest::newRow("empty anyOf") << QByteArray("{\"anyOf\": []}")
                                     << QStringList{"anyOf: must be a non-empty list of schemas"};
        QTest::newRow("remote ref") << QByteArray("{\"$ref\": \"https://example.com/s.json\"}")
                                    << QStringList{"$ref: only local references "
                                                   "(\"#/$defs/name\") are supported, not "
                                                   "\"https://example.com/s.json\""};
        QTest::newRow("dangling ref") << QByteArray("{\"$ref\": \"#/$defs/missing\"}")
                                      << QStringList{"$ref: \"#/$defs/missing\" does not point "
                                                     "to a schema in this document"};
        QTest::newRow("bad def") << QByteArray("{\"$defs\": {\"a\": {\"type\": \"thing\"}}}")
                                 << QStringList{"$defs.a.type: unknown type \"thing\"; expected "
                                                "string, number, integer, boolean, object, array "
                                                "or null"};
        QTest::newRow("uniqueItems not boolean") << QByteArray("{\"uniqueItems\": 1}")
                                                 << QStringList{"uniqueItems: must be true or "
                                                                "false"};
    }

    void schemaProblems()
    {
        QFETCH(QByteArray, schema);
        QFETCH(QStringList, problems);
        QList<JsonSchemaValidator::Problem> found;
        const JsonSchemaValidator validator = JsonSchemaValidator::compile(object(schema), &found);
        if (strings(found) != problems)
            qWarning().noquote() << strings(found).join(u'\n');
        QCOMPARE(strings(found), problems);
        QVERIFY(!validator.isValid());
    }

    void annotationsAreAccepted()
    {
        QList<JsonSchemaValidator::Problem> found;
        const JsonSchemaValidator validator = JsonSchemaValidator::compile(
            object("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"$id\": "
                   "\"x\", \"title\": \"T\", \"description\": \"D\", \"$comment\": \"c\", "
                   "\"default\": 1, \"examples\": [1], \"deprecated\": false, \"readOnly\": true, "
                   "\"writeOnly\": false, \"format\": \"email\", \"type\": \"string\"}"),
            &found);
        QVERIFY2(found.isEmpty(), qPrintable(strings(found).join(u'\n')));
        QVERIFY(validator.isValid());
        // format is an annotation (2020-12's default): not asserted.
        QVERIFY(validator.validate(value("\"not an email\"")).isEmpty());
    }

    void validation_data()
    {
        QTest::addColumn<QByteArray>("schema");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QStringList>("problems"); // empty: valid

        const QByteArray sentiment =
            "{\"type\": \"object\", \"properties\": {\"sentiment\": {\"enum\": [\"positive\", "
            "\"negative\", \"neutral\"]}, \"confidence\": {\"type\": \"number\", \"minimum\": 0, "
            "\"maximum\": 1}}, \"required\": [\"sentiment\"], \"additionalProperties\": false}";
        QTest::newRow("sentiment ok")
            << sentiment << QByteArray("{\"sentiment\": \"positive\", \"confidence\": 0.9}")
            << QStringList();
        QTest::newRow("sentiment wrong enum")
            << sentiment << QByteArray("{\"sentiment\": \"happy\"}")
            << QStringList{"$.sentiment: must be one of \"positive\", \"negative\", \"neutral\" "
                           "(got \"happy\")"};
        QTest::newRow("sentiment missing") << sentiment << QByteArray("{\"confidence\": 1}")
                                           << QStringList{"$.sentiment: is required"};
        QTest::newRow("sentiment extra property")
            << sentiment << QByteArray("{\"sentiment\": \"neutral\", \"why\": \"x\"}")
            << QStringList{"$.why: is not an allowed property"};
        QTest::newRow("sentiment out of range")
            << sentiment << QByteArray("{\"sentiment\": \"neutral\", \"confidence\": 1.5}")
            << QStringList{"$.confidence: must be at most 1"};
        QTest::newRow("sentiment not an object")
            << sentiment << QByteArray("\"positive\"")
            << QStringList{"$: must be an object (got a string)"};

        QTest::newRow("type list") << QByteArray("{\"type\": [\"string\", \"null\"]}")
                                   << QByteArray("null") << QStringList();
        QTest::newRow("type list refused")
            << QByteArray("{\"type\": [\"string\", \"null\"]}") << QByteArray("1")
            << QStringList{"$: must be a string or null (got a "
                           "number)"};
        QTest::newRow("integer") << QByteArray("{\"type\": \"integer\"}") << QByteArray("3")
                                 << QStringList();
        QTest::newRow("integer 3.0")
            << QByteArray("{\"type\": \"integer\"}") << QByteArray("3.0") << QStringList();
        QTest::newRow("integer refused")
            << QByteArray("{\"type\": \"integer\"}") << QByteArray("3.5")
            << QStringList{"$: must be an integer (got a number)"};
        QTest::newRow("number takes integers")
            << QByteArray("{\"type\": \"number\"}") << QByteArray("3") << QStringList();
        QTest::newRow("boolean") << QByteArray("{\"type\": \"boolean\"}") << QByteArray("\"true\"")
                                 << QStringList{"$: must be a boolean (got a string)"};
        QTest::newRow("null") << QByteArray("{\"type\": \"null\"}") << QByteArray("false")
                              << QStringList{"$: must be null (got a boolean)"};
        QTest::newRow("const") << QByteArray("{\"const\": {\"a\": [1, 2]}}")
                               << QByteArray("{\"a\": [1, 2]}") << QStringList();
        QTest::newRow("const refused") << QByteArray("{\"const\": \"x\"}") << QByteArray("\"y\"")
                                       << QStringList{"$: must be \"x\""};
        QTest::newRow("enum of mixed values")
            << QByteArray("{\"enum\": [1, \"a\", null, {\"b\": 2}]}") << QByteArray("{\"b\": 2}")
            << QStringList();
        QTest::newRow("exclusive bounds")
            << QByteArray("{\"exclusiveMinimum\": 0, \"exclusiveMaximum\": 10}") << QByteArray("0")
            << QStringList{"$: must be greater than 0"};
        QTest::newRow("exclusive max")
            << QByteArray("{\"exclusiveMaximum\": 10}") << QByteArray("10")
            << QStringList{"$: must be less than 10"};
        QTest::newRow("minimum") << QByteArray("{\"minimum\": 1.5}") << QByteArray("1")
                                 << QStringList{"$: must be at least 1.5"};
        QTest::newRow("multipleOf")
            << QByteArray("{\"multipleOf\": 0.1}") << QByteArray("0.3") << QStringList();
        QTest::newRow("multipleOf refused") << QByteArray("{\"multipleOf\": 5}") << QByteArray("12")
                                            << QStringList{"$: must be a multiple of 5"};
        QTest::newRow("numeric keywords ignore strings")
            << QByteArray("{\"minimum\": 5}") << QByteArray("\"1\"") << QStringList();
        QTest::newRow("minLength in code points")
            << QByteArray("{\"minLength\": 3}") << QByteArray("\"🎉🎉\"")
            << QStringList{"$: must be at least 3 characters long (got 2)"};
        QTest::newRow("maxLength") << QByteArray("{\"maxLength\": 2}") << QByteArray("\"abc\"")
                                   << QStringList{"$: must be at most 2 characters long (got 3)"};
        QTest::newRow("pattern unanchored")
            << QByteArray("{\"pattern\": \"b+\"}") << QByteArray("\"abbbc\"") << QStringList();
        QTest::newRow("pattern refused")
            << QByteArray("{\"pattern\": \"^[a-z]+$\"}") << QByteArray("\"abc1\"")
            << QStringList{"$: must match the pattern ^[a-z]+$"};
        QTest::newRow("additionalProperties schema")
            << QByteArray("{\"properties\": {\"a\": {}}, \"additionalProperties\": {\"type\": "
                          "\"number\"}}")
            << QByteArray("{\"a\": \"x\", \"b\": 1, \"c\": \"no\"}")
            << QStringList{"$.c: must be a number (got a string)"};
        QTest::newRow("odd property names")
            << QByteArray("{\"required\": [\"a b\", \"ü\"]}") << QByteArray("{}")
            << QStringList{"$[\"a b\"]: is required", "$.ü: is required"};
        QTest::newRow("min and max properties")
            << QByteArray("{\"minProperties\": 2, \"maxProperties\": 3}")
            << QByteArray("{\"a\": 1}") << QStringList{"$: must have at least 2 properties"};
        QTest::newRow("items") << QByteArray(
                                      "{\"type\": \"array\", \"items\": {\"type\": \"string\"}}")
                               << QByteArray("[\"a\", 1, \"b\", true]")
                               << QStringList{"$[1]: must be a string (got a number)",
                                              "$[3]: must be a string (got a boolean)"};
        QTest::newRow("min and max items")
            << QByteArray("{\"minItems\": 2, \"maxItems\": 3}") << QByteArray("[1]")
            << QStringList{"$: must have at least 2 items (got 1)"};
        QTest::newRow("uniqueItems")
            << QByteArray("{\"uniqueItems\": true}") << QByteArray("[1, {\"a\": 1}, 2, {\"a\": 1}]")
            << QStringList{"$: must not repeat items (items 1 and 3 are "
                           "equal)"};
        QTest::newRow("false items") << QByteArray("{\"items\": false}") << QByteArray("[1]")
                                     << QStringList{"$[0]: is not allowed here"};
        QTest::newRow("empty array with false items")
            << QByteArray("{\"items\": false}") << QByteArray("[]") << QStringList();
        QTest::newRow("nested path")
            << QByteArray("{\"properties\": {\"items\": {\"items\": {\"properties\": {\"n\": "
                          "{\"type\": \"integer\"}}}}}}")
            << QByteArray("{\"items\": [{\"n\": 1}, {\"n\": \"x\"}]}")
            << QStringList{"$.items[1].n: must be an integer (got a string)"};
        QTest::newRow("allOf") << QByteArray("{\"allOf\": [{\"minimum\": 1}, {\"maximum\": 2}]}")
                               << QByteArray("3") << QStringList{"$: must be at most 2"};
        QTest::newRow("anyOf ok")
            << QByteArray("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}")
            << QByteArray("null") << QStringList();
        QTest::newRow("anyOf refused")
            << QByteArray("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}")
            << QByteArray("1") << QStringList{"$: does not match any of the anyOf alternatives"};
        QTest::newRow("oneOf both")
            << QByteArray("{\"oneOf\": [{\"type\": \"number\"}, {\"type\": \"integer\"}]}")
            << QByteArray("1")
            << QStringList{"$: matches 2 of the oneOf alternatives (exactly one must match)"};
        QTest::newRow("oneOf one")
            << QByteArray("{\"oneOf\": [{\"type\": \"number\"}, {\"type\": \"integer\"}]}")
            << QByteArray("1.5") << QStringList();
        QTest::newRow("oneOf none")
            << QByteArray("{\"oneOf\": [{\"type\": \"string\"}]}") << QByteArray("1")
            << QStringList{"$: does not match any of the oneOf "
                           "alternatives"};
        QTest::newRow("not") << QByteArray("{\"not\": {\"type\": \"string\"}}")
                             << QByteArray("\"x\"")
                             << QStringList{"$: must not match the \"not\" schema"};
        QTest::newRow("defs and ref")
            << QByteArray("{\"$defs\": {\"label\": {\"enum\": [\"a\", \"b\"]}}, \"type\": "
                          "\"array\", \"items\": {\"$ref\": \"#/$defs/label\"}}")
            << QByteArray("[\"a\", \"c\"]")
            << QStringList{"$[1]: must be one of \"a\", \"b\" (got \"c\")"};
        QTest::newRow("ref to a property schema")
            << QByteArray("{\"properties\": {\"a\": {\"type\": \"string\"}, \"b\": {\"$ref\": "
                          "\"#/properties/a\"}}}")
            << QByteArray("{\"b\": 1}") << QStringList{"$.b: must be a string (got a number)"};
        QTest::newRow("ref with escaped pointer")
            << QByteArray(
                   "{\"$defs\": {\"a/b\": {\"type\": \"string\"}}, \"$ref\": \"#/$defs/a~1b\"}")
            << QByteArray("1") << QStringList{"$: must be a string (got a number)"};
        QTest::newRow("recursive tree")
            << QByteArray(
                   "{\"$defs\": {\"node\": {\"type\": \"object\", \"properties\": {\"children\": "
                   "{\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/node\"}}, \"v\": "
                   "{\"type\": \"integer\"}}}}, \"$ref\": \"#/$defs/node\"}")
            << QByteArray("{\"v\": 1, \"children\": [{\"v\": 2, \"children\": [{\"v\": \"x\"}]}]}")
            << QStringList{"$.children[0].children[0].v: must be an integer (got a string)"};
        QTest::newRow("self reference without progress")
            << QByteArray("{\"$ref\": \"#\"}") << QByteArray("1")
            << QStringList{"$: is nested too deeply to validate"};
        QTest::newRow("problems are capped")
            << QByteArray("{\"items\": {\"type\": \"string\"}}")
            << QByteArray("[1, 2, 3, 4, 5, 6, 7]")
            << QStringList{
                   "$[0]: must be a string (got a number)", "$[1]: must be a string (got a number)",
                   "$[2]: must be a string (got a number)", "$[3]: must be a string (got a number)",
                   "$[4]: must be a string (got a number)"};
    }

    void validation()
    {
        QFETCH(QByteArray, schema);
        QFETCH(QByteArray, value);
        QFETCH(QStringList, problems);
        QList<JsonSchemaValidator::Problem> schemaProblems;
        const JsonSchemaValidator validator =
            JsonSchemaValidator::compile(object(schema), &schemaProblems);
        QVERIFY2(schemaProblems.isEmpty(), qPrintable(strings(schemaProblems).join(u'\n')));
        const QStringList actual = strings(validator.validate(::value(value)));
        if (actual != problems)
            qWarning().noquote() << actual.join(u'\n');
        QCOMPARE(actual, problems);
    }

    void emptyValidatorAcceptsEverything()
    {
        const JsonSchemaValidator any;
        QVERIFY(any.validate(value("1")).isEmpty());
        QVERIFY(any.validate(value("{\"a\": [null]}")).isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestJsonSchemaValidator)
#include "tst_jsonschemavalidator.moc"
