#include "MemorySecretStore.h"

#include <QMutexLocker>

#include <algorithm>

namespace gh {

namespace {

SecretResult emptyKey()
{
    return SecretResult::failure(SecretResult::Invalid, QStringLiteral("secret name is empty"));
}

} // namespace

SecretResult MemorySecretStore::read(const QString &key)
{
    if (key.isEmpty())
        return emptyKey();
    QMutexLocker locker(&m_mutex);
    const auto it = m_secrets.constFind(key);
    if (it == m_secrets.cend())
        return SecretResult::notFound(key);
    return SecretResult::success(*it);
}

SecretResult MemorySecretStore::write(const QString &key, const QString &value)
{
    if (key.isEmpty())
        return emptyKey();
    QMutexLocker locker(&m_mutex);
    m_secrets.insert(key, value);
    return SecretResult::success();
}

SecretResult MemorySecretStore::remove(const QString &key)
{
    if (key.isEmpty())
        return emptyKey();
    QMutexLocker locker(&m_mutex);
    m_secrets.remove(key);
    return SecretResult::success();
}

QString MemorySecretStore::backendName() const
{
    return QStringLiteral("memory (this session only)");
}

QStringList MemorySecretStore::keys() const
{
    QMutexLocker locker(&m_mutex);
    QStringList result = m_secrets.keys();
    std::sort(result.begin(), result.end());
    return result;
}

} // namespace gh
