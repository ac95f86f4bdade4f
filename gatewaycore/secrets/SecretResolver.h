#pragma once

#include "SecretResult.h"

#include <QProcessEnvironment>

#include <optional>

namespace gh {

class SecretReference;
class SecretStore;

// Turns a configured secret value into the secret: ${env:…}, ${file:…} and ${keychain:…}
// references are resolved, any other text is a literal and returned as it is. Error
// messages start with the reference so the user knows which key could not be resolved.
// Thread-safe if the store is; may block on the keychain, so keep it off request paths.
class SecretResolver
{
public:
    // store may be null: there is no OS keychain and ${keychain:…} references fail.
    explicit SecretResolver(SecretStore *store = nullptr);
    // Resolves ${env:…} against environment instead of the live process environment.
    SecretResolver(SecretStore *store, const QProcessEnvironment &environment);

    SecretResult resolve(const QString &text) const;
    SecretResult resolve(const SecretReference &reference) const;

    SecretStore *store() const { return m_store; }

    // Files larger than this are refused: a secret is small, /dev/zero is not.
    static constexpr qint64 MaxFileSize = 1024 * 1024;

private:
    SecretResult resolveEnv(const SecretReference &reference) const;
    SecretResult resolveFile(const SecretReference &reference) const;
    SecretResult resolveKeychain(const SecretReference &reference) const;

    SecretStore *m_store = nullptr;
    std::optional<QProcessEnvironment> m_environment;
};

} // namespace gh
