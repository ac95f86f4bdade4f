#include "ConfigExporter.h"

#include "ConfigValidator.h"
#include "store/Store.h"

#include <QDateTime>
#include <QJsonArray>

namespace gh {

ConfigExporter::ConfigExporter(Store &store)
    : m_store(store)
{}

QJsonObject ConfigExporter::exportEntity(EntityKind kind, const QJsonObject &stored)
{
    if (kind != EntityKind::Consumer)
        return stored;
    QJsonObject consumer = stored;
    QJsonArray keys;
    const QList<ConsumerKey> storedKeys =
        m_store.consumerKeys().list(stored.value(QStringLiteral("name")).toString());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const ConsumerKey &key : storedKeys) {
        // Dead keys are left out; one in a rotation's grace period still works, so it stays.
        if ((key.revokedAt && key.revokedAt <= now) || (key.expiresAt && key.expiresAt <= now))
            continue;
        keys.append(key.reference.isEmpty() ? QStringLiteral("sha256:") + key.hash : key.reference);
    }
    consumer.insert(QStringLiteral("keys"), keys);
    return consumer;
}

QList<QJsonObject> ConfigExporter::list(EntityKind kind)
{
    QList<QJsonObject> result = m_store.entities(kind).list();
    for (QJsonObject &entity : result)
        entity = exportEntity(kind, entity);
    return result;
}

QJsonObject ConfigExporter::exportAll()
{
    QJsonObject root;
    for (EntityKind kind : allEntityKinds()) {
        QJsonArray items;
        const QList<QJsonObject> entities = list(kind);
        for (const QJsonObject &entity : entities)
            items.append(entity);
        root.insert(sectionName(kind), items);
    }
    // Stored settings may predate a newer default; export what is in effect.
    QJsonObject settings = m_store.settings().load();
    ConfigValidator::validateSettings(settings);
    root.insert(QStringLiteral("settings"), settings);
    return root;
}

} // namespace gh
