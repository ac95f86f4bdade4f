#include "Store.h"

#include "Migrations.h"

#include <QDir>
#include <QFileInfo>

namespace gh {

Store::Store()
    : m_keys(std::make_unique<ConsumerKeyRepository>(m_db))
    , m_settings(std::make_unique<SettingsRepository>(m_db))
    , m_spend(std::make_unique<SpendRepository>(m_db))
{
    for (EntityKind kind : allEntityKinds())
        m_entities.emplace(kind, std::make_unique<EntityRepository>(m_db, kind));
}

Store::~Store() = default;

bool Store::open(const QString &dataDir, QString *error)
{
    return openFile(QDir(dataDir).filePath(fileName()), error);
}

bool Store::openFile(const QString &path, QString *error)
{
    if (!m_db.open(path)) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, m_db.lastError());
        return false;
    }
    if (!Migrations::migrate(m_db, error)) {
        m_db.close();
        return false;
    }
    return true;
}

EntityRepository &Store::entities(EntityKind kind)
{
    return *m_entities.at(kind);
}

} // namespace gh
