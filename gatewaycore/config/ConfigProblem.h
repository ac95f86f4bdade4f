#pragma once

#include <QList>
#include <QString>

namespace gh {

// One mistake in a config document, located by its path in the file:
// `routes[2].service: unknown service "billng"`.
struct ConfigProblem
{
    QString path;    // "routes[2].service"; empty for the document itself
    QString message; // "unknown service \"billng\""

    QString toString() const { return path.isEmpty() ? message : path + QStringLiteral(": ") + message; }
    bool operator==(const ConfigProblem &) const = default;
};

using ConfigProblems = QList<ConfigProblem>;

} // namespace gh
