#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace gh {

// Writes a config tree as readable block-style YAML for export: sections and keys in
// SPEC §3 order (unknown keys after them, alphabetically), lists of plain values in
// flow style ([GET, POST]), multi-line text as literal blocks. A string is quoted
// whenever it would otherwise read back as something else; secret references
// ("${env:X}") are always quoted. ConfigLoader reads the output back to the same tree.
class YamlWriter
{
public:
    static QByteArray write(const QJsonObject &root);
};

} // namespace gh
