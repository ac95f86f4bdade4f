#include "LifecycleState.h"

namespace gh {

const QStringList &LifecycleState::values()
{
    static const QStringList states{QStringLiteral("draft"), QStringLiteral("published"),
                                    QStringLiteral("deprecated"), QStringLiteral("retired")};
    return states;
}

QString LifecycleState::label(const QString &state)
{
    if (state == QLatin1String("draft"))
        return tr("draft");
    if (state == QLatin1String("published"))
        return tr("published");
    if (state == QLatin1String("deprecated"))
        return tr("deprecated");
    if (state == QLatin1String("retired"))
        return tr("retired");
    return state;
}

QString LifecycleState::description(const QString &state)
{
    if (state == QLatin1String("draft"))
        return tr("Off: the gateway answers 404 as if the route did not exist.");
    if (state == QLatin1String("published"))
        return tr("Live and listed in the portal and the OpenAPI document.");
    if (state == QLatin1String("deprecated"))
        return tr("Still served, with Deprecation and Sunset headers.");
    if (state == QLatin1String("retired"))
        return tr("Answers 410 Gone.");
    return {};
}

QColor LifecycleState::color(const QString &state)
{
    // Mid-tone colours that carry white text and read on light and dark palettes.
    if (state == QLatin1String("draft"))
        return QColor(0x6b, 0x72, 0x80);
    if (state == QLatin1String("published"))
        return QColor(0x1e, 0x8e, 0x3e);
    if (state == QLatin1String("deprecated"))
        return QColor(0xc2, 0x6a, 0x00);
    if (state == QLatin1String("retired"))
        return QColor(0xd9, 0x30, 0x25);
    return QColor(0x6b, 0x72, 0x80);
}

} // namespace gh
