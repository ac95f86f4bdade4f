#include "JsonSchemaValidator.h"

#include "PromptInputSchema.h"

#include <QJsonDocument>
#include <QUrl>

#include <cmath>

namespace gh {

namespace {

// Deeper than this (nested applicators, or a $ref cycle that consumes no part of the value)
// is refused rather than followed.
constexpr int MaxDepth = 64;

const QStringList &annotationKeywords()
{
    static const QStringList keywords{
        QStringLiteral("$schema"),   QStringLiteral("$id"),         QStringLiteral("$comment"),
        QStringLiteral("title"),     QStringLiteral("description"), QStringLiteral("default"),
        QStringLiteral("examples"),  QStringLiteral("deprecated"),  QStringLiteral("readOnly"),
        QStringLiteral("writeOnly"), QStringLiteral("format")};
    return keywords;
}

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

QString indexed(const QString &path, qsizetype index)
{
    return path + u'[' + QString::number(index) + u']';
}

QString compactJson(const QJsonValue &value)
{
    // QJsonDocument holds objects and arrays only: wrap, then drop the brackets.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QString valueKey(const QString &where, const QString &key)
{
    bool plain = !key.isEmpty() && !key.at(0).isDigit();
    for (QChar c : key)
        plain = plain && (c == u'_' || c.isLetterOrNumber());
    return plain ? where + u'.' + key : where + u'[' + compactJson(key) + u']';
}

QString valueType(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("null");
}

bool isInteger(double value)
{
    return std::isfinite(value) && std::trunc(value) == value;
}

// "#/$defs/a~1b" → ["$defs", "a/b"]; nullopt when not a local JSON pointer.
std::optional<QStringList> pointerTokens(const QString &ref)
{
    if (!ref.startsWith(u'#'))
        return std::nullopt;
    const QString pointer = QUrl::fromPercentEncoding(ref.mid(1).toUtf8());
    if (pointer.isEmpty())
        return QStringList();
    if (!pointer.startsWith(u'/'))
        return std::nullopt; // "#anchor": plain-name fragments are not supported
    QStringList tokens = pointer.mid(1).split(u'/');
    for (QString &token : tokens)
        token.replace(QLatin1String("~1"), QLatin1String("/"))
            .replace(QLatin1String("~0"), QLatin1String("~"));
    return tokens;
}

std::optional<QJsonValue> resolvePointer(const QJsonValue &root, const QStringList &tokens)
{
    QJsonValue current = root;
    for (const QString &token : tokens) {
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            if (!object.contains(token))
                return std::nullopt;
            current = object.value(token);
        } else if (current.isArray()) {
            bool ok = false;
            const int index = token.toInt(&ok);
            if (!ok || index < 0 || index >= current.toArray().size())
                return std::nullopt;
            current = current.toArray().at(index);
        } else {
            return std::nullopt;
        }
    }
    return current;
}

} // namespace

const QStringList &JsonSchemaValidator::supportedKeywords()
{
    static const QStringList keywords{QStringLiteral("type"),
                                      QStringLiteral("enum"),
                                      QStringLiteral("const"),
                                      QStringLiteral("minimum"),
                                      QStringLiteral("maximum"),
                                      QStringLiteral("exclusiveMinimum"),
                                      QStringLiteral("exclusiveMaximum"),
                                      QStringLiteral("multipleOf"),
                                      QStringLiteral("minLength"),
                                      QStringLiteral("maxLength"),
                                      QStringLiteral("pattern"),
                                      QStringLiteral("properties"),
                                      QStringLiteral("required"),
                                      QStringLiteral("additionalProperties"),
                                      QStringLiteral("minProperties"),
                                      QStringLiteral("maxProperties"),
                                      QStringLiteral("items"),
                                      QStringLiteral("minItems"),
                                      QStringLiteral("maxItems"),
                                      QStringLiteral("uniqueItems"),
                                      QStringLiteral("allOf"),
                                      QStringLiteral("anyOf"),
                                      QStringLiteral("oneOf"),
                                      QStringLiteral("not"),
                                      QStringLiteral("$defs"),
                                      QStringLiteral("$ref")};
    return keywords;
}

class JsonSchemaValidator::Compiler
{
public:
    Compiler(JsonSchemaValidator &target, const QJsonObject &root, QList<Problem> &problems)
        : m_target(target)
        , m_root(root)
        , m_problems(problems)
    {}

    void run()
    {
        compile(m_root, QString(), QStringLiteral("#"));
        // $ref targets outside the compiled tree (a pointer into $defs' own members is
        // compiled already) are compiled on demand; each may bring more references.
        while (!m_pending.isEmpty()) {
            const PendingRef pending = m_pending.takeFirst();
            const int target = refTarget(pending);
            if (target >= 0)
                m_target.m_nodes[size_t(pending.node)].ref = target;
        }
    }

private:
    struct PendingRef
    {
        int node;
        QString ref;
        QString path;
    };

    void problem(const QString &path, const QString &message)
    {
        m_problems.append({path, message});
    }

    int refTarget(const PendingRef &pending)
    {
        const std::optional<QStringList> tokens = pointerTokens(pending.ref);
        if (!tokens) {
            problem(pending.path, QStringLiteral("only local references (\"#/$defs/name\") are "
                                                 "supported, not \"%1\"")
                                      .arg(pending.ref));
            return -1;
        }
        QStringList escaped;
        for (const QString &token : *tokens)
            escaped.append(escapeToken(token));
        const QString canonical =
            escaped.isEmpty() ? QStringLiteral("#") : QStringLiteral("#/") + escaped.join(u'/');
        const auto known = m_byPointer.constFind(canonical);
        if (known != m_byPointer.constEnd())
            return *known;
        const std::optional<QJsonValue> value = resolvePointer(m_root, *tokens);
        if (!value || (!value->isObject() && !value->isBool())) {
            problem(pending.path,
                    QStringLiteral("\"%1\" does not point to a schema in this document")
                        .arg(pending.ref));
            return -1;
        }
        return compile(*value, pending.path, canonical);
    }

    int compile(const QJsonValue &schema, const QString &path, const QString &pointer)
    {
        const int index = int(m_target.m_nodes.size());
        m_target.m_nodes.emplace_back();
        m_byPointer.insert(pointer, index);
        if (schema.isBool()) {
            m_target.m_nodes[size_t(index)].constant = schema.toBool();
            return index;
        }
        if (!schema.isObject()) {
            problem(path, QStringLiteral("must be a schema (a mapping, true or false)"));
            return index;
        }
        Node node;
        const QJsonObject object = schema.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString &keyword = it.key();
            const QJsonValue value = it.value();
            const QString at = join(path, keyword);
            const QString childPointer = pointer + u'/' + escapeToken(keyword);
            if (annotationKeywords().contains(keyword))
                continue;
            if (keyword == QLatin1String("type")) {
                node.types = typeBits(value, at);
            } else if (keyword == QLatin1String("enum")) {
                if (!value.isArray() || value.toArray().isEmpty())
                    problem(at, QStringLiteral("must be a non-empty list"));
                else
                    node.enumValues = value.toArray();
            } else if (keyword == QLatin1String("const")) {
                node.constValue = value;
            } else if (keyword == QLatin1String("minimum")) {
                node.minimum = number(value, at);
            } else if (keyword == QLatin1String("maximum")) {
                node.maximum = number(value, at);
            } else if (keyword == QLatin1String("exclusiveMinimum")) {
                node.exclusiveMinimum = number(value, at);
            } else if (keyword == QLatin1String("exclusiveMaximum")) {
                node.exclusiveMaximum = number(value, at);
            } else if (keyword == QLatin1String("multipleOf")) {
                node.multipleOf = number(value, at);
                if (node.multipleOf && *node.multipleOf <= 0) {
                    problem(at, QStringLiteral("must be greater than 0"));
                    node.multipleOf.reset();
                }
            } else if (keyword == QLatin1String("minLength")) {
                node.minLength = count(value, at);
            } else if (keyword == QLatin1String("maxLength")) {
                node.maxLength = count(value, at);
            } else if (keyword == QLatin1String("minItems")) {
                node.minItems = count(value, at);
            } else if (keyword == QLatin1String("maxItems")) {
                node.maxItems = count(value, at);
            } else if (keyword == QLatin1String("minProperties")) {
                node.minProperties = count(value, at);
            } else if (keyword == QLatin1String("maxProperties")) {
                node.maxProperties = count(value, at);
            } else if (keyword == QLatin1String("uniqueItems")) {
                if (!value.isBool())
                    problem(at, QStringLiteral("must be true or false"));
                node.uniqueItems = value.toBool();
            } else if (keyword == QLatin1String("pattern")) {
                if (!value.isString()) {
                    problem(at, QStringLiteral("must be a string"));
                    continue;
                }
                QRegularExpression regex(value.toString());
                if (!regex.isValid()) {
                    problem(at, QStringLiteral("is not a valid regular expression: %1")
                                    .arg(regex.errorString()));
                    continue;
                }
                regex.optimize();
                node.pattern = regex;
                node.patternText = value.toString();
            } else if (keyword == QLatin1String("properties")) {
                if (!value.isObject()) {
                    problem(at, QStringLiteral("must be a mapping of property names to schemas"));
                    continue;
                }
                const QJsonObject properties = value.toObject();
                for (auto p = properties.constBegin(); p != properties.constEnd(); ++p)
                    node.properties.append(
                        {p.key(), compile(p.value(), join(at, p.key()),
                                          childPointer + u'/' + escapeToken(p.key()))});
            } else if (keyword == QLatin1String("required")) {
                bool valid = value.isArray();
                const QJsonArray names = value.toArray();
                for (const QJsonValue &name : names) {
                    valid = valid && name.isString();
                    node.required.append(name.toString());
                }
                if (!valid)
                    problem(at, QStringLiteral("must be a list of property names"));
            } else if (keyword == QLatin1String("additionalProperties")) {
                node.additionalProperties = compile(value, at, childPointer);
            } else if (keyword == QLatin1String("items")) {
                if (value.isArray()) {
                    problem(at, QStringLiteral("must be one schema for every item (tuple "
                                               "validation is not supported)"));
                    continue;
                }
                node.items = compile(value, at, childPointer);
            } else if (keyword == QLatin1String("not")) {
                node.notSchema = compile(value, at, childPointer);
            } else if (keyword == QLatin1String("allOf") || keyword == QLatin1String("anyOf") ||
                       keyword == QLatin1String("oneOf")) {
                if (!value.isArray() || value.toArray().isEmpty()) {
                    problem(at, QStringLiteral("must be a non-empty list of schemas"));
                    continue;
                }
                QList<int> &list = keyword == QLatin1String("allOf")   ? node.allOf
                                   : keyword == QLatin1String("anyOf") ? node.anyOf
                                                                       : node.oneOf;
                const QJsonArray schemas = value.toArray();
                for (qsizetype i = 0; i < schemas.size(); ++i)
                    list.append(compile(schemas.at(i), indexed(at, i),
                                        childPointer + u'/' + QString::number(i)));
            } else if (keyword == QLatin1String("$defs") ||
                       keyword == QLatin1String("definitions")) {
                if (!value.isObject()) {
                    problem(at, QStringLiteral("must be a mapping of names to schemas"));
                    continue;
                }
                // Compiled even when unused, so their mistakes are reported too.
                const QJsonObject defs = value.toObject();
                for (auto d = defs.constBegin(); d != defs.constEnd(); ++d)
                    compile(d.value(), join(at, d.key()),
                            childPointer + u'/' + escapeToken(d.key()));
            } else if (keyword == QLatin1String("$ref")) {
                if (!value.isString())
                    problem(at, QStringLiteral("must be a string"));
                else
                    m_pending.append({index, value.toString(), at});
            } else {
                problem(at, QStringLiteral("unsupported JSON Schema keyword \"%1\" (Gatehouse "
                                           "validates %2)")
                                .arg(keyword, supportedKeywords().join(QStringLiteral(", "))));
            }
        }
        node.ref = -1; // set by run() once the target is known
        m_target.m_nodes[size_t(index)] = std::move(node);
        return index;
    }

    static QString escapeToken(QString token)
    {
        return token.replace(u'~', QLatin1String("~0")).replace(u'/', QLatin1String("~1"));
    }

    quint8 typeBits(const QJsonValue &value, const QString &at)
    {
        static const QHash<QString, quint8> names{
            {QStringLiteral("string"), String},   {QStringLiteral("number"), Number},
            {QStringLiteral("integer"), Integer}, {QStringLiteral("boolean"), Boolean},
            {QStringLiteral("object"), Object},   {QStringLiteral("array"), Array},
            {QStringLiteral("null"), Null}};
        QList<QJsonValue> list;
        if (value.isString())
            list.append(value);
        if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (const QJsonValue &item : array)
                list.append(item);
        }
        if (list.isEmpty()) {
            problem(at, QStringLiteral("must be a type name or a non-empty list of them"));
            return 0;
        }
        quint8 bits = 0;
        for (const QJsonValue &item : std::as_const(list)) {
            const auto found = names.constFind(item.toString());
            if (!item.isString() || found == names.constEnd()) {
                problem(at, QStringLiteral("unknown type %1; expected string, number, integer, "
                                           "boolean, object, array or null")
                                .arg(compactJson(item)));
                continue;
            }
            bits |= *found;
        }
        return bits;
    }

    std::optional<double> number(const QJsonValue &value, const QString &at)
    {
        if (!value.isDouble()) {
            problem(at, QStringLiteral("must be a number"));
            return std::nullopt;
        }
        return value.toDouble();
    }

    std::optional<qint64> count(const QJsonValue &value, const QString &at)
    {
        if (!value.isDouble() || !isInteger(value.toDouble()) || value.toDouble() < 0) {
            problem(at, QStringLiteral("must be a non-negative integer"));
            return std::nullopt;
        }
        return value.toInteger();
    }

    JsonSchemaValidator &m_target;
    const QJsonValue m_root;
    QList<Problem> &m_problems;
    QHash<QString, int> m_byPointer;
    QList<PendingRef> m_pending;
};

JsonSchemaValidator JsonSchemaValidator::compile(const QJsonObject &schema,
                                                 QList<Problem> *problems)
{
    JsonSchemaValidator validator;
    QList<Problem> found;
    Compiler(validator, schema, found).run();
    validator.m_valid = found.isEmpty();
    if (problems)
        *problems = found;
    return validator;
}

QList<JsonSchemaValidator::Problem> JsonSchemaValidator::validate(const QJsonValue &value,
                                                                  int maxProblems) const
{
    QList<Problem> problems;
    if (m_nodes.empty())
        return problems;
    check(0, value, QStringLiteral("$"), 0, problems, qMax(1, maxProblems));
    return problems;
}

bool JsonSchemaValidator::matches(int node, const QJsonValue &value, int depth) const
{
    QList<Problem> problems;
    check(node, value, QStringLiteral("$"), depth, problems, 1);
    return problems.isEmpty();
}

void JsonSchemaValidator::check(int index, const QJsonValue &value, const QString &where, int depth,
                                QList<Problem> &problems, int maxProblems) const
{
    const auto fail = [&](const QString &at, const QString &message) {
        if (problems.size() < maxProblems)
            problems.append({at, message});
    };
    if (index < 0 || size_t(index) >= m_nodes.size())
        return;
    if (depth > MaxDepth) {
        fail(where, QStringLiteral("is nested too deeply to validate"));
        return;
    }
    const Node &node = m_nodes[size_t(index)];
    if (node.constant) {
        if (!*node.constant)
            fail(where, QStringLiteral("is not allowed here"));
        return;
    }

    if (node.types) {
        quint8 bit = 0;
        switch (value.type()) {
        case QJsonValue::String:
            bit = String;
            break;
        case QJsonValue::Double:
            bit = isInteger(value.toDouble()) ? quint8(Number | Integer) : quint8(Number);
            break;
        case QJsonValue::Bool:
            bit = Boolean;
            break;
        case QJsonValue::Object:
            bit = Object;
            break;
        case QJsonValue::Array:
            bit = Array;
            break;
        default:
            bit = Null;
            break;
        }
        if (!(node.types & bit)) {
            static const std::pair<quint8, const char *> names[] = {
                {String, "a string"},   {Number, "a number"},  {Integer, "an integer"},
                {Boolean, "a boolean"}, {Object, "an object"}, {Array, "an array"},
                {Null, "null"}};
            QStringList wanted;
            for (const auto &[typeBit, name] : names) {
                if (node.types & typeBit)
                    wanted.append(QString::fromLatin1(name));
            }
            fail(where, QStringLiteral("must be %1 (got %2)")
                            .arg(wanted.join(QStringLiteral(" or ")), valueType(value)));
            return; // the other keywords would only repeat it
        }
    }
    if (node.enumValues && !node.enumValues->contains(value)) {
        QStringList allowed;
        for (const QJsonValue &item : *node.enumValues)
            allowed.append(compactJson(item));
        fail(where, QStringLiteral("must be one of %1 (got %2)")
                        .arg(allowed.join(QStringLiteral(", ")), compactJson(value)));
    }
    if (node.constValue && *node.constValue != value)
        fail(where, QStringLiteral("must be %1").arg(compactJson(*node.constValue)));

    if (value.isDouble()) {
        const double number = value.toDouble();
        if (node.minimum && number < *node.minimum)
            fail(where, QStringLiteral("must be at least %1").arg(compactJson(*node.minimum)));
        if (node.maximum && number > *node.maximum)
            fail(where, QStringLiteral("must be at most %1").arg(compactJson(*node.maximum)));
        if (node.exclusiveMinimum && number <= *node.exclusiveMinimum)
            fail(
                where,
                QStringLiteral("must be greater than %1").arg(compactJson(*node.exclusiveMinimum)));
        if (node.exclusiveMaximum && number >= *node.exclusiveMaximum)
            fail(where,
                 QStringLiteral("must be less than %1").arg(compactJson(*node.exclusiveMaximum)));
        if (node.multipleOf) {
            const double quotient = number / *node.multipleOf;
            if (!isInteger(quotient) && std::abs(quotient - std::round(quotient)) >
                                            1e-9 * std::max(1.0, std::abs(quotient)))
                fail(where,
                     QStringLiteral("must be a multiple of %1").arg(compactJson(*node.multipleOf)));
        }
    } else if (value.isString()) {
        const QString text = value.toString();
        if (node.minLength || node.maxLength) {
            const qint64 length = PromptInputSchema::codePoints(text);
            if (node.minLength && length < *node.minLength)
                fail(where, QStringLiteral("must be at least %1 characters long (got %2)")
                                .arg(*node.minLength)
                                .arg(length));
            if (node.maxLength && length > *node.maxLength)
                fail(where, QStringLiteral("must be at most %1 characters long (got %2)")
                                .arg(*node.maxLength)
                                .arg(length));
        }
        if (node.pattern && !node.pattern->match(text).hasMatch())
            fail(where, QStringLiteral("must match the pattern %1").arg(node.patternText));
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (const QString &name : node.required) {
            if (!object.contains(name))
                fail(valueKey(where, name), QStringLiteral("is required"));
        }
        if (node.minProperties && object.size() < *node.minProperties)
            fail(where,
                 QStringLiteral("must have at least %1 properties").arg(*node.minProperties));
        if (node.maxProperties && object.size() > *node.maxProperties)
            fail(where, QStringLiteral("must have at most %1 properties").arg(*node.maxProperties));
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            int schema = -1;
            for (const auto &[name, child] : node.properties) {
                if (name == it.key()) {
                    schema = child;
                    break;
                }
            }
            if (schema < 0)
                schema = node.additionalProperties;
            if (schema < 0)
                continue;
            const Node &child = m_nodes[size_t(schema)];
            const QString at = valueKey(where, it.key());
            if (child.constant && !*child.constant && schema == node.additionalProperties)
                fail(at, QStringLiteral("is not an allowed property"));
            else
                check(schema, it.value(), at, depth + 1, problems, maxProblems);
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (node.minItems && array.size() < *node.minItems)
            fail(where, QStringLiteral("must have at least %1 items (got %2)")
                            .arg(*node.minItems)
                            .arg(array.size()));
        if (node.maxItems && array.size() > *node.maxItems)
            fail(where, QStringLiteral("must have at most %1 items (got %2)")
                            .arg(*node.maxItems)
                            .arg(array.size()));
        if (node.uniqueItems) {
            bool duplicate = false;
            for (qsizetype i = 0; i < array.size() && !duplicate; ++i) {
                for (qsizetype j = i + 1; j < array.size() && !duplicate; ++j) {
                    if (array.at(i) == array.at(j)) {
                        fail(where, QStringLiteral("must not repeat items (items %1 and %2 are "
                                                   "equal)")
                                        .arg(i)
                                        .arg(j));
                        duplicate = true;
                    }
                }
            }
        }
        if (node.items >= 0) {
            for (qsizetype i = 0; i < array.size(); ++i)
                check(node.items, array.at(i), indexed(where, i), depth + 1, problems, maxProblems);
        }
    }

    for (int schema : node.allOf)
        check(schema, value, where, depth + 1, problems, maxProblems);
    if (!node.anyOf.isEmpty()) {
        bool any = false;
        for (int schema : node.anyOf)
            any = any || matches(schema, value, depth + 1);
        if (!any)
            fail(where, QStringLiteral("does not match any of the anyOf alternatives"));
    }
    if (!node.oneOf.isEmpty()) {
        int matched = 0;
        for (int schema : node.oneOf)
            matched += matches(schema, value, depth + 1) ? 1 : 0;
        if (matched == 0)
            fail(where, QStringLiteral("does not match any of the oneOf alternatives"));
        else if (matched > 1)
            fail(where, QStringLiteral("matches %1 of the oneOf alternatives (exactly one must "
                                       "match)")
                            .arg(matched));
    }
    if (node.notSchema >= 0 && matches(node.notSchema, value, depth + 1))
        fail(where, QStringLiteral("must not match the \"not\" schema"));
    if (node.ref >= 0)
        check(node.ref, value, where, depth + 1, problems, maxProblems);
}

} // namespace gh
