#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace gh {

// A JSON Schema (2020-12) subset, compiled once and checked against values (a prompt API's
// JSON output, SPEC §3 extension `output.json_schema`).
//
// Supported: type (one name or a list: string, number, integer, boolean, object, array,
// null), enum, const; minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf;
// minLength, maxLength (Unicode code points), pattern (unanchored, as in JSON Schema);
// properties, required, additionalProperties (boolean or schema), minProperties,
// maxProperties; items (one schema for every item), minItems, maxItems, uniqueItems; allOf,
// anyOf, oneOf, not; $defs with local $ref ("#/$defs/name", any "#/..." JSON pointer);
// boolean schemas (true, false). Annotations are accepted and ignored: $schema, $id,
// $comment, title, description, default, examples, deprecated, readOnly, writeOnly, format.
//
// Any other keyword (if/then/else, patternProperties, prefixItems, $dynamicRef, ...) makes
// compile() fail with its path: a keyword silently ignored would let answers through that
// the schema's author meant to refuse.
class JsonSchemaValidator
{
public:
    struct Problem
    {
        QString path; // schema problems: "properties.mood.enum"; value problems: "$.mood"
        QString message;
        QString toString() const
        {
            return path.isEmpty() ? message : path + QStringLiteral(": ") + message;
        }
    };

    JsonSchemaValidator() = default; // accepts everything

    // Problems (every one, with its path in the schema) leave the validator unusable.
    static JsonSchemaValidator compile(const QJsonObject &schema, QList<Problem> *problems);

    // Up to maxProblems problems of `value`, each with its place in the value ("$.items[2]").
    QList<Problem> validate(const QJsonValue &value, int maxProblems = 5) const;
    bool isValid() const { return m_valid; }

    static const QStringList &supportedKeywords();

private:
    enum TypeBit : quint8 {
        String = 1,
        Number = 2,
        Integer = 4,
        Boolean = 8,
        Object = 16,
        Array = 32,
        Null = 64
    };

    struct Node
    {
        std::optional<bool> constant; // a boolean schema
        quint8 types = 0;             // 0: any
        std::optional<QJsonArray> enumValues;
        std::optional<QJsonValue> constValue;
        std::optional<double> minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf;
        std::optional<qint64> minLength, maxLength, minItems, maxItems, minProperties,
            maxProperties;
        bool uniqueItems = false;
        std::optional<QRegularExpression> pattern;
        QString patternText;
        QList<std::pair<QString, int>> properties;
        QStringList required;
        int additionalProperties = -1;
        int items = -1;
        QList<int> allOf, anyOf, oneOf;
        int notSchema = -1;
        int ref = -1;
    };

    class Compiler;

    void check(int node, const QJsonValue &value, const QString &where, int depth,
               QList<Problem> &problems, int maxProblems) const;
    bool matches(int node, const QJsonValue &value, int depth) const;

    std::vector<Node> m_nodes;
    bool m_valid = true;
};

} // namespace gh
