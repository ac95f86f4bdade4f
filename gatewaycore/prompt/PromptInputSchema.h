#pragma once

#include "ai/ChatError.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gh {

// The declared inputs of a prompt API (SPEC §3 prompt_apis.inputs) and the check of a
// caller's JSON body against them. Every refusal is a ChatError::invalid whose param and
// message name the field ("language: must be one of fr, de, es"); unknown fields are
// refused too, so a typo never silently falls back to a default.
//
// Types: string (max_length in Unicode code points), number, boolean, enum (one of
// `values`), array (of `items`: string, number, boolean or enum; max_length = at most that
// many items). null counts as absent. Strings must be valid Unicode (no unpaired
// surrogates: they cannot be written as UTF-8 to a provider).
class PromptInputSchema
{
public:
    enum class Type { String, Number, Boolean, Enum, Array };

    struct Scalar
    {
        Type type = Type::String;
        QStringList values;    // Enum
        qint64 maxLength = -1; // String: code points; -1 = no limit
    };

    struct Input
    {
        QString name;
        Scalar scalar; // the input itself (for Array: the limits of the list)
        Scalar items;  // Array: each item
        bool required = false;
        std::optional<QJsonValue> defaultValue;
        QString description;
    };

    // What a valid body becomes: typed values (defaults applied, absent optional inputs left
    // out) and each input as the text a template inserts.
    struct Values
    {
        QJsonObject typed;
        QHash<QString, QString> text;
    };

    // From a normalized `inputs` mapping.
    static PromptInputSchema fromJson(const QJsonObject &inputs);

    // `body` is the request's JSON object; `reserved` keys (e.g. "stream") are skipped.
    ChatResult<Values> validate(const QJsonObject &body, const QStringList &reserved = {}) const;

    const QList<Input> &inputs() const { return m_inputs; }
    const Input *input(const QString &name) const;

    // How a valid value is inserted into a template: strings and enums as they are, numbers
    // in their shortest JSON form, booleans as true/false, arrays as compact JSON.
    static QString toText(const QJsonValue &value);
    static std::optional<Type> typeFromString(const QString &name);
    static QString typeName(Type type);
    // Unicode code points (a surrogate pair is one character).
    static qint64 codePoints(const QString &text);
    static bool isValidUnicode(const QString &text);

private:
    // Checks one value against a scalar spec; returns the problem or an empty string.
    static QString checkScalar(const Scalar &spec, const QJsonValue &value);

    QList<Input> m_inputs; // in name order (the mapping's order)
};

} // namespace gh
