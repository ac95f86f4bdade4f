#pragma once

#include "SecretStore.h"

#include <QHash>
#include <QMutex>

namespace gh {

// Keeps secrets in process memory only: for tests, and for a desktop session on a machine
// without an OS keychain (secrets are gone when the app quits).
class MemorySecretStore : public SecretStore
{
public:
    MemorySecretStore() = default;

    SecretResult read(const QString &key) override;
    SecretResult write(const QString &key, const QString &value) override;
    SecretResult remove(const QString &key) override;
    QString backendName() const override;

    QStringList keys() const;

private:
    mutable QMutex m_mutex;
    QHash<QString, QString> m_secrets;
};

} // namespace gh
