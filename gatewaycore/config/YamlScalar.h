#pragma once

#include <QJsonValue>
#include <QString>

namespace gh {

// How Gatehouse reads an unquoted YAML scalar (YAML 1.2 core schema, the subset
// JSON can hold): ~/null/Null/NULL and "" are null; true/false in any case are
// booleans; [-+]digits, 0x.. and 0o.. are integers (so 010 is ten, not eight);
// decimals and exponents are floats; everything else, including .inf, .nan,
// yes/no and dates, is a string. The loader and the writer share it so that what
// the writer leaves unquoted always reads back as the same value.
class YamlScalar
{
public:
    static QJsonValue resolvePlain(const QString &text);
};

} // namespace gh
