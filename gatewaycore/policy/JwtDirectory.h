#pragma once

#include "JwtVerifier.h"

#include <QHash>
#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace gh {

class SecretResolver;

// The JWT verifier of every `auth: jwt` route, by route name: built with the config
// snapshot (secret and public_key references resolved, PEM keys parsed, once per config
// change) and shared read-only by every worker.
class JwtDirectory
{
public:
    // routes: the normalized `routes` section. A route whose keys cannot be set up still
    // gets a verifier (unusable, so its requests fail closed) and a warning naming it.
    static JwtDirectory build(const QJsonArray &routes, const SecretResolver &resolver,
                              QStringList *warnings = nullptr);

    // The route's verifier; null when the route does not use JWT auth.
    const JwtVerifier *verifier(const QString &routeName) const;
    qsizetype size() const { return m_byRoute.size(); }

private:
    QHash<QString, std::shared_ptr<const JwtVerifier>> m_byRoute;
};

} // namespace gh
