#include "ConfigApplier.h"

#include "ConfigValidator.h"
#include "EntityKind.h"
#include "policy/ApiKey.h"
#include "secrets/SecretReference.h"
#include "secrets/SecretResolver.h"
#include "store/Database.h"
#include "store/Store.h"

#include <QJsonArray>

namespace gh {

namespace {
const QLatin1String kHashPrefix("sha256:");
}

ConfigApplier::ConfigApplier(Store &store, const SecretResolver &resolver)
    : m_store(store)
    , m_resolver(resolver)
{}

ConfigApplier::Result ConfigApplier::apply(const QJsonObject &root)
{
    Result result;
    Transaction tx(m_store.database());
    if (!tx.isActive()) {
        result.problems.append(
            {QString(),
             QStringLiteral("cannot write the store: %1").arg(m_store.database().lastError())});
        return result;
    }
    // Reverse dependency order for removals is handled by replaceAll per section; keys
    // cascade with their consumer.
    for (EntityKind kind : allEntityKinds()) {
        const QString section = sectionName(kind);
        if (!root.contains(section))
            continue;
        const QJsonArray items = root.value(section).toArray();
        QList<std::pair<QString, QJsonObject>> entities;
        for (const QJsonValue &item : items) {
            QJsonObject entity = item.toObject();
            if (kind == EntityKind::Consumer)
                entity.remove(QStringLiteral("keys")); // keys live hashed in their own table
            entities.append({ConfigValidator::entityKey(kind, entity), entity});
        }
        EntityRepository &repo = m_store.entities(kind);
        if (!repo.replaceAll(entities)) {
            result.problems.append(
                {section, QStringLiteral("cannot store: %1").arg(repo.lastError())});
            return result;
        }
        if (kind == EntityKind::Consumer) {
            for (qsizetype i = 0; i < items.size(); ++i) {
                const QJsonObject consumer = items.at(i).toObject();
                const QString path = QStringLiteral("consumers[%1].keys").arg(i);
                QString error;
                if (!writeConsumerKeys(consumer.value(QStringLiteral("name")).toString(),
                                       consumer.value(QStringLiteral("keys")).toArray(), path,
                                       &result.warnings, &error)) {
                    result.problems.append({path, error});
                    return result;
                }
            }
        }
        result.sections.append(section);
    }
    if (root.contains(QStringLiteral("settings"))) {
        if (!m_store.settings().save(root.value(QStringLiteral("settings")).toObject())) {
            result.problems.append(
                {QStringLiteral("settings"),
                 QStringLiteral("cannot store: %1").arg(m_store.settings().lastError())});
            return result;
        }
        result.sections.append(QStringLiteral("settings"));
    }
    if (!tx.commit()) {
        result.problems.append(
            {QString(), QStringLiteral("cannot commit: %1").arg(m_store.database().lastError())});
        return result;
    }
    result.ok = true;
    return result;
}

bool ConfigApplier::writeConsumerKeys(const QString &consumer, const QJsonArray &keys,
                                      const QString &path, QStringList *warnings, QString *error)
{
    ConsumerKeyRepository &repo = m_store.consumerKeys();
    // A key listed again keeps its history: re-applying a config file must not bring a
    // revoked key back, nor lift an expiry set through the admin API.
    const QList<ConsumerKey> before = repo.list(consumer);
    if (!repo.removeAllFor(consumer)) {
        *error = repo.lastError();
        return false;
    }
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const QString text = keys.at(i).toString();
        ConsumerKey key;
        key.consumer = consumer;
        if (text.startsWith(kHashPrefix)) {
            key.hash = text.mid(kHashPrefix.size()).toLower();
            key.prefix = QStringLiteral("sha256:") + key.hash.left(8);
        } else if (SecretReference::looksLikeReference(text)) {
            key.reference = text;
            key.prefix = text;
            // A key whose reference cannot be resolved now stays in the store unhashed;
            // it cannot authenticate until the reference resolves at a later apply.
            const SecretResult resolved = m_resolver.resolve(text);
            if (resolved.ok) {
                key.hash = ApiKey::hash(resolved.value);
                key.prefix = ApiKey::displayPrefix(resolved.value);
            } else {
                warnings->append(
                    QStringLiteral("%1[%2]: %3; this key will not authenticate until it "
                                   "can be resolved")
                        .arg(path)
                        .arg(i)
                        .arg(resolved.message));
            }
        } else {
            key.hash = ApiKey::hash(text);
            key.prefix = ApiKey::displayPrefix(text);
        }
        for (const ConsumerKey &old : before) {
            if (key.hash.isEmpty() ? old.hash.isEmpty() && old.reference == key.reference
                                   : old.hash == key.hash) {
                key.createdAt = old.createdAt;
                key.expiresAt = old.expiresAt;
                key.revokedAt = old.revokedAt;
                if (key.reference.isEmpty() && !old.prefix.startsWith(QLatin1String("sha256:")))
                    key.prefix = old.prefix; // keep "gh-7Kq2ab" over a digest's prefix
                break;
            }
        }
        if (!key.hash.isEmpty() && repo.findByHash(key.hash)) {
            *error = QStringLiteral("[%1]: the same key is configured twice").arg(i);
            return false;
        }
        if (!repo.add(key)) {
            *error = QStringLiteral("[%1]: cannot store: %2").arg(i).arg(repo.lastError());
            return false;
        }
    }
    return true;
}

} // namespace gh
