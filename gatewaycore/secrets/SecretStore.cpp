#include "SecretStore.h"

namespace gh {

SecretStore::~SecretStore() = default;

QString SecretStore::serviceName()
{
    return QStringLiteral("gatehouse");
}

} // namespace gh
