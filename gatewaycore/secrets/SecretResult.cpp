#include "SecretResult.h"

#include "SecretStore.h"

namespace gh {

SecretResult SecretResult::success(const QString &value)
{
    SecretResult result;
    result.ok = true;
    result.value = value;
    return result;
}

SecretResult SecretResult::failure(Error error, const QString &message)
{
    SecretResult result;
    result.error = error;
    result.message = message;
    return result;
}

SecretResult SecretResult::notFound(const QString &key)
{
    return failure(NotFound, QStringLiteral("keychain entry \"%1\" not found in service \"%2\"")
                                 .arg(key, SecretStore::serviceName()));
}

SecretResult SecretResult::noBackend(const QString &detail)
{
    QString message = QStringLiteral("no OS keychain available (no Secret Service on D-Bus); "
                                     "use ${env:NAME} or ${file:PATH} references instead");
    if (!detail.isEmpty())
        message += QStringLiteral(" (%1)").arg(detail);
    return failure(NoBackend, message);
}

} // namespace gh
