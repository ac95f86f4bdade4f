#pragma once

#include <QJsonObject>

namespace gh {

class Database;

// The `settings` section of SPEC §3, stored key by key so a partial update keeps the rest.
class SettingsRepository
{
public:
    explicit SettingsRepository(Database &db);

    QJsonObject load() const;
    // Replaces every stored setting with `settings` (already validated and normalized).
    bool save(const QJsonObject &settings);
    QString lastError() const { return m_lastError; }

private:
    Database &m_db;
    QString m_lastError;
};

} // namespace gh
