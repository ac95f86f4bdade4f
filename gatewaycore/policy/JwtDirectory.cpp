#include "JwtDirectory.h"

#include <QJsonObject>

namespace gh {

JwtDirectory JwtDirectory::build(const QJsonArray &routes, const SecretResolver &resolver,
                                 QStringList *warnings)
{
    JwtDirectory directory;
    for (const QJsonValue &value : routes) {
        const QJsonObject route = value.toObject();
        if (route.value(QLatin1String("auth")).toString() != QLatin1String("jwt"))
            continue;
        const QString name = route.value(QLatin1String("name")).toString();
        auto verifier = std::make_shared<const JwtVerifier>(
            JwtVerifier::fromRouteJson(route.value(QLatin1String("jwt")).toObject(), resolver));
        if (!verifier->isUsable() && warnings)
            warnings->append(QStringLiteral("route %1: %2; its requests are refused until this "
                                            "is fixed")
                                 .arg(name, verifier->setupError()));
        directory.m_byRoute.insert(name, std::move(verifier));
    }
    return directory;
}

const JwtVerifier *JwtDirectory::verifier(const QString &routeName) const
{
    const auto it = m_byRoute.constFind(routeName);
    return it == m_byRoute.constEnd() ? nullptr : it->get();
}

} // namespace gh
