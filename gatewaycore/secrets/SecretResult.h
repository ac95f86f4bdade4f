#pragma once

#include <QString>

namespace gh {

// The outcome of a secret operation. On failure, message is a complete sentence fit to show
// the user; it never contains the secret itself.
struct SecretResult
{
    enum Error {
        None,
        NotFound,     // no such entry (keychain, env variable, file)
        NoBackend,    // no OS keychain on this machine
        AccessDenied, // keychain locked or access refused
        Invalid,      // malformed reference or key name
        Other,
    };

    bool ok = false;
    QString value;
    Error error = None;
    QString message;

    static SecretResult success(const QString &value = QString());
    static SecretResult failure(Error error, const QString &message);

    // The standard messages, shared by every store and the resolver.
    static SecretResult notFound(const QString &key);
    static SecretResult noBackend(const QString &detail = QString());
};

} // namespace gh
