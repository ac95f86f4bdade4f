#pragma once

#include "ConfigProblem.h"

#include <QJsonObject>
#include <QStringList>

namespace gh {

class SecretResolver;
class Store;

// Makes the store match a validated, normalized config document (SPEC §3): every
// section present replaces what the store holds for it; absent sections are left alone.
// All or nothing: one transaction.
class ConfigApplier
{
public:
    struct Result
    {
        bool ok = false;
        ConfigProblems problems; // why nothing was applied
        QStringList warnings;    // applied, but something needs the user's attention
        QStringList sections;    // the sections that were applied
    };

    ConfigApplier(Store &store, const SecretResolver &resolver);

    Result apply(const QJsonObject &root);
    // Writes one consumer's keys (raw, reference or "sha256:" entries) replacing the old
    // ones; `path` prefixes warnings ("consumers[0].keys").
    bool writeConsumerKeys(const QString &consumer, const QJsonArray &keys, const QString &path,
                           QStringList *warnings, QString *error);

private:
    Store &m_store;
    const SecretResolver &m_resolver;
};

} // namespace gh
