#pragma once

#include "SecretStore.h"

#include <chrono>

namespace gh {

// Secrets in the OS keychain (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows) through QtKeychain, under service "gatehouse". Each call blocks until
// the keychain answers or the timeout passes; meanwhile the calling thread runs a local event
// loop that skips user input, so a GUI keeps painting. Callable from any thread, including
// threads without a running event loop.
class KeychainSecretStore : public SecretStore
{
public:
    // Use a long timeout where the keychain may ask the user to unlock it.
    explicit KeychainSecretStore(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    SecretResult read(const QString &key) override;
    SecretResult write(const QString &key, const QString &value) override;
    SecretResult remove(const QString &key) override;
    QString backendName() const override;

    std::chrono::milliseconds timeout() const { return m_timeout; }

private:
    enum class Operation { Read, Write, Remove };
    SecretResult run(Operation operation, const QString &key, const QString &value = QString());

    std::chrono::milliseconds m_timeout;
};

} // namespace gh
