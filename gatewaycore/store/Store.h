#pragma once

#include "ConsumerKeyRepository.h"
#include "Database.h"
#include "EntityRepository.h"
#include "SettingsRepository.h"
#include "SpendRepository.h"

#include <map>
#include <memory>

namespace gh {

// DATA_DIR/gatehouse.db: one SQLite connection with every repository on it. Lives on
// the thread that opened it (the main thread); the hot path never touches it.
class Store
{
public:
    static QString fileName() { return QStringLiteral("gatehouse.db"); }

    Store();
    ~Store();

    // Opens or creates DATA_DIR/gatehouse.db and runs migrations.
    bool open(const QString &dataDir, QString *error);
    bool openFile(const QString &path, QString *error);
    bool isOpen() const { return m_db.isOpen(); }

    Database &database() { return m_db; }
    EntityRepository &entities(EntityKind kind);
    ConsumerKeyRepository &consumerKeys() { return *m_keys; }
    SettingsRepository &settings() { return *m_settings; }
    SpendRepository &spend() { return *m_spend; }

private:
    Database m_db;
    std::map<EntityKind, std::unique_ptr<EntityRepository>> m_entities;
    std::unique_ptr<ConsumerKeyRepository> m_keys;
    std::unique_ptr<SettingsRepository> m_settings;
    std::unique_ptr<SpendRepository> m_spend;
};

} // namespace gh
