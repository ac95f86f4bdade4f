#include "SecretResolver.h"

#include "SecretReference.h"
#include "SecretStore.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>

namespace gh {

namespace {

SecretResult failed(const SecretReference &reference, SecretResult::Error error,
                    const QString &message)
{
    return SecretResult::failure(error, reference.toString() + QStringLiteral(": ") + message);
}

QString systemError(int code)
{
    return QString::fromLocal8Bit(std::strerror(code));
}

} // namespace

SecretResolver::SecretResolver(SecretStore *store)
    : m_store(store)
{}

SecretResolver::SecretResolver(SecretStore *store, const QProcessEnvironment &environment)
    : m_store(store)
    , m_environment(environment)
{}

SecretResult SecretResolver::resolve(const QString &text) const
{
    if (!SecretReference::looksLikeReference(text))
        return SecretResult::success(text);
    const auto parsed = SecretReference::parseOrError(text);
    if (const auto *error = std::get_if<QString>(&parsed))
        return SecretResult::failure(SecretResult::Invalid, *error);
    return resolve(std::get<SecretReference>(parsed));
}

SecretResult SecretResolver::resolve(const SecretReference &reference) const
{
    switch (reference.kind()) {
    case SecretReference::Kind::Env:
        return resolveEnv(reference);
    case SecretReference::Kind::File:
        return resolveFile(reference);
    case SecretReference::Kind::Keychain:
        return resolveKeychain(reference);
    }
    return SecretResult::failure(SecretResult::Other, QStringLiteral("unknown reference kind"));
}

SecretResult SecretResolver::resolveEnv(const SecretReference &reference) const
{
    const QString name = reference.name();
    // Read the live environment unless one was given: a daemon's keys may be exported later.
    const bool isSet =
        m_environment ? m_environment->contains(name) : qEnvironmentVariableIsSet(qPrintable(name));
    if (!isSet) {
        return failed(reference, SecretResult::NotFound,
                      QStringLiteral("environment variable %1 is not set").arg(name));
    }
    const QString value =
        m_environment ? m_environment->value(name) : qEnvironmentVariable(qPrintable(name));
    if (value.isEmpty()) {
        return failed(reference, SecretResult::NotFound,
                      QStringLiteral("environment variable %1 is empty").arg(name));
    }
    return SecretResult::success(value);
}

SecretResult SecretResolver::resolveFile(const SecretReference &reference) const
{
    const QString path = reference.filePath();
    const auto cannotRead = [&](SecretResult::Error error, const QString &reason) {
        return failed(reference, error, QStringLiteral("cannot read %1: %2").arg(path, reason));
    };

    const QFileInfo info(path);
    if (info.isDir())
        return cannotRead(SecretResult::Other, systemError(EISDIR));
    // FIFOs and devices could block or never end.
    if (info.exists() && !info.isFile())
        return cannotRead(SecretResult::Other, QStringLiteral("not a regular file"));

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        const auto error = info.exists() ? SecretResult::AccessDenied : SecretResult::NotFound;
        return cannotRead(error, file.errorString());
    }
    QByteArray data = file.read(MaxFileSize + 1);
    if (file.error() != QFileDevice::NoError)
        return cannotRead(SecretResult::Other, file.errorString());
    if (data.size() > MaxFileSize) {
        return failed(reference, SecretResult::Other,
                      QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(MaxFileSize));
    }

    // Editors and `echo key > file` add a trailing newline that is not part of the key.
    while (data.endsWith('\n') || data.endsWith('\r'))
        data.chop(1);
    if (data.isEmpty())
        return failed(reference, SecretResult::NotFound, QStringLiteral("%1 is empty").arg(path));
    return SecretResult::success(QString::fromUtf8(data));
}

SecretResult SecretResolver::resolveKeychain(const SecretReference &reference) const
{
    SecretResult result = m_store ? m_store->read(reference.name()) : SecretResult::noBackend();
    if (!result.ok)
        return failed(reference, result.error, result.message);
    if (result.value.isEmpty()) {
        return failed(reference, SecretResult::NotFound,
                      QStringLiteral("keychain entry \"%1\" in service \"%2\" is empty")
                          .arg(reference.name(), SecretStore::serviceName()));
    }
    return result;
}

} // namespace gh
