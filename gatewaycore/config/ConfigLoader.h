#pragma once

#include "ConfigProblem.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace gh {

enum class ConfigFormat { Yaml, Json };

// A parsed config document. Parsing only: run ConfigValidator::validate() on `root`
// next. Non-empty `problems` means the text could not be read as a config at all.
struct ConfigDocument
{
    QJsonObject root;
    ConfigProblems problems;
};

// Reads a declarative config (SPEC §3) from YAML or JSON into the JSON tree the rest
// of Gatehouse works with. YAML scalars are typed as YamlScalar describes; quoted
// scalars are always strings. Problems carry the path of the offending key
// (`routes[0].match`) or, for syntax errors, an empty path and a line and column.
class ConfigLoader
{
public:
    // The format comes from the extension (.json; .yaml/.yml), else from the first
    // non-space character ('{' means JSON).
    static ConfigDocument loadFile(const QString &path);
    // An empty (or all-comment) text is a valid config with no sections.
    static ConfigDocument parse(const QByteArray &text, ConfigFormat format);
    static ConfigFormat sniffFormat(const QByteArray &text);
};

} // namespace gh
