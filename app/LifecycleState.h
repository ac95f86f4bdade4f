#pragma once

#include <QColor>
#include <QCoreApplication>
#include <QStringList>

namespace gh {

// The lifecycle states of routes and prompt APIs (SPEC §3 "state"), as the editors and
// the tables show them: a translated label, what it means, and a badge colour.
class LifecycleState
{
    Q_DECLARE_TR_FUNCTIONS(LifecycleState)

public:
    // "draft", "published", "deprecated", "retired": the stored values, in lifecycle order.
    static const QStringList &values();
    static QString label(const QString &state);
    // One sentence on how the gateway answers in that state.
    static QString description(const QString &state);
    static QColor color(const QString &state);
    // A draft route answers 404: the editors call that "disabled".
    static bool isEnabled(const QString &state) { return state != QLatin1String("draft"); }
};

} // namespace gh
