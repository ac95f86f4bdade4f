#pragma once

#include "SecretResult.h"

namespace gh {

// Where secrets (provider API keys) are kept. Implementations are synchronous and
// thread-safe; they may block for a while, so never call them on a gateway worker thread
// while serving a request.
class SecretStore
{
public:
    virtual ~SecretStore();

    virtual SecretResult read(const QString &key) = 0;
    virtual SecretResult write(const QString &key, const QString &value) = 0;
    // Removing an entry that does not exist succeeds.
    virtual SecretResult remove(const QString &key) = 0;
    virtual QString backendName() const = 0;

    // The keychain service every Gatehouse secret lives under.
    static QString serviceName();

protected:
    SecretStore() = default;
    Q_DISABLE_COPY_MOVE(SecretStore)
};

} // namespace gh
