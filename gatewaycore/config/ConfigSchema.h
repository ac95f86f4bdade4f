#pragma once

#include <QString>
#include <QStringList>

namespace gh {

// The keys SPEC §3 allows in each object of a config document, in the order the
// SPEC lists them. Objects are named by a "schema path": the dotted keys from the
// root with list indexes dropped ("routes.match", "models.targets"); the entries
// of a map with user-chosen keys (provider headers, prompt API inputs) use "*"
// ("prompt_apis.inputs.*"). The validator checks keys against it and the YAML
// writer orders them by it, so the two never disagree.
class ConfigSchema
{
public:
    // "providers", "models", ..., "prompt_apis", "settings".
    static const QStringList &sectionNames();
    // The allowed keys of the object at `schemaPath` ("" is the root); empty for
    // unknown paths and for maps with user-chosen keys.
    static QStringList keys(const QString &schemaPath);
    // True for maps whose keys the user chooses (provider headers, prompt API inputs).
    static bool isFreeMap(const QString &schemaPath);
    // The schema path of the value stored under `key` in the object at `schemaPath`.
    static QString childPath(const QString &schemaPath, const QString &key);
};

} // namespace gh
