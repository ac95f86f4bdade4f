#include "PromptInputSchema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace gh {

namespace {

PromptInputSchema::Scalar scalarFromJson(const QJsonObject &json)
{
    PromptInputSchema::Scalar scalar;
    scalar.type = PromptInputSchema::typeFromString(json.value(QLatin1String("type")).toString())
                      .value_or(PromptInputSchema::Type::String);
    const QJsonArray values = json.value(QLatin1String("values")).toArray();
    for (const QJsonValue &value : values)
        scalar.values.append(value.toString());
    scalar.maxLength = json.value(QLatin1String("max_length")).toInteger(-1);
    return scalar;
}

QString quotedList(const QStringList &values)
{
    return values.join(QStringLiteral(", "));
}

} // namespace

std::optional<PromptInputSchema::Type> PromptInputSchema::typeFromString(const QString &name)
{
    if (name == QLatin1String("string"))
        return Type::String;
    if (name == QLatin1String("number"))
        return Type::Number;
    if (name == QLatin1String("boolean"))
        return Type::Boolean;
    if (name == QLatin1String("enum"))
        return Type::Enum;
    if (name == QLatin1String("array"))
        return Type::Array;
    return std::nullopt;
}

QString PromptInputSchema::typeName(Type type)
{
    switch (type) {
    case Type::String:
        return QStringLiteral("string");
    case Type::Number:
        return QStringLiteral("number");
    case Type::Boolean:
        return QStringLiteral("boolean");
    case Type::Enum:
        return QStringLiteral("enum");
    case Type::Array:
        return QStringLiteral("array");
    }
    return QString();
}

PromptInputSchema PromptInputSchema::fromJson(const QJsonObject &inputs)
{
    PromptInputSchema schema;
    for (auto it = inputs.constBegin(); it != inputs.constEnd(); ++it) {
        const QJsonObject json = it.value().toObject();
        Input input;
        input.name = it.key();
        input.scalar = scalarFromJson(json);
        if (input.scalar.type == Type::Array) {
            const QJsonValue items = json.value(QLatin1String("items"));
            input.items = items.isObject() ? scalarFromJson(items.toObject()) : Scalar{};
        }
        input.required = json.value(QLatin1String("required")).toBool(false);
        if (json.contains(QLatin1String("default")) &&
            !json.value(QLatin1String("default")).isNull())
            input.defaultValue = json.value(QLatin1String("default"));
        input.description = json.value(QLatin1String("description")).toString();
        schema.m_inputs.append(input);
    }
    return schema;
}

const PromptInputSchema::Input *PromptInputSchema::input(const QString &name) const
{
    for (const Input &input : m_inputs) {
        if (input.name == name)
            return &input;
    }
    return nullptr;
}

qint64 PromptInputSchema::codePoints(const QString &text)
{
    qint64 count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        ++count;
    }
    return count;
}

bool PromptInputSchema::isValidUnicode(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

QString PromptInputSchema::toText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        // 3 not 3.0, 0.1 not 0.10000000000000001: what the caller wrote.
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

QString PromptInputSchema::checkScalar(const Scalar &spec, const QJsonValue &value)
{
    switch (spec.type) {
    case Type::String:
        if (!value.isString())
            return QStringLiteral("must be a string");
        if (!isValidUnicode(value.toString()))
            return QStringLiteral("must be valid Unicode (it contains an unpaired surrogate)");
        if (spec.maxLength >= 0) {
            const qint64 length = codePoints(value.toString());
            if (length > spec.maxLength)
                return QStringLiteral("must be at most %1 characters (got %2)")
                    .arg(spec.maxLength)
                    .arg(length);
        }
        return QString();
    case Type::Number:
        return value.isDouble() ? QString() : QStringLiteral("must be a number");
    case Type::Boolean:
        return value.isBool() ? QString() : QStringLiteral("must be true or false");
    case Type::Enum:
        if (!value.isString() || !spec.values.contains(value.toString()))
            return QStringLiteral("must be one of %1").arg(quotedList(spec.values));
        return QString();
    case Type::Array:
        break; // arrays of arrays are refused by the config validator
    }
    return QStringLiteral("must be a %1").arg(typeName(spec.type));
}

ChatResult<PromptInputSchema::Values> PromptInputSchema::validate(const QJsonObject &body,
                                                                  const QStringList &reserved) const
{
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        if (reserved.contains(it.key()) || input(it.key()))
            continue;
        QStringList names;
        for (const Input &declared : m_inputs)
            names.append(declared.name);
        return ChatError::invalid(
            it.key(),
            names.isEmpty()
                ? QStringLiteral("%1: unknown input; this prompt API takes no inputs").arg(it.key())
                : QStringLiteral("%1: unknown input; this prompt API takes %2")
                      .arg(it.key(), quotedList(names)));
    }

    Values values;
    for (const Input &input : m_inputs) {
        QJsonValue value = body.value(input.name);
        if (value.isUndefined() || value.isNull()) {
            if (input.required)
                return ChatError::invalid(input.name,
                                          QStringLiteral("%1: is required").arg(input.name));
            if (!input.defaultValue) {
                values.text.insert(input.name, QString());
                continue;
            }
            value = *input.defaultValue;
        } else if (input.scalar.type == Type::Array) {
            if (!value.isArray())
                return ChatError::invalid(input.name,
                                          QStringLiteral("%1: must be a list").arg(input.name));
            const QJsonArray items = value.toArray();
            if (input.scalar.maxLength >= 0 && items.size() > input.scalar.maxLength)
                return ChatError::invalid(input.name,
                                          QStringLiteral("%1: must have at most %2 items (got %3)")
                                              .arg(input.name)
                                              .arg(input.scalar.maxLength)
                                              .arg(items.size()));
            for (qsizetype i = 0; i < items.size(); ++i) {
                const QString problem = checkScalar(input.items, items.at(i));
                if (!problem.isEmpty())
                    return ChatError::invalid(
                        input.name,
                        QStringLiteral("%1[%2]: %3").arg(input.name).arg(i).arg(problem));
            }
        } else {
            const QString problem = checkScalar(input.scalar, value);
            if (!problem.isEmpty())
                return ChatError::invalid(input.name,
                                          QStringLiteral("%1: %2").arg(input.name, problem));
        }
        values.typed.insert(input.name, value);
        values.text.insert(input.name, toText(value));
    }
    return values;
}

} // namespace gh
