#include "SettingsRepository.h"

#include "Database.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gh {

SettingsRepository::SettingsRepository(Database &db)
    : m_db(db)
{}

QJsonObject SettingsRepository::load() const
{
    QJsonObject result;
    Statement s = m_db.prepare(QStringLiteral("SELECT key, value FROM settings ORDER BY key"));
    while (s.next()) {
        // Values are stored wrapped in an array so scalars are valid JSON documents.
        const QJsonArray wrapped = QJsonDocument::fromJson(s.text(1).toUtf8()).array();
        if (!wrapped.isEmpty())
            result.insert(s.text(0), wrapped.first());
    }
    return result;
}

bool SettingsRepository::save(const QJsonObject &settings)
{
    if (!m_db.exec(QStringLiteral("DELETE FROM settings"))) {
        m_lastError = m_db.lastError();
        return false;
    }
    Statement s = m_db.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?)"));
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        s.reset();
        const QByteArray value = QJsonDocument(QJsonArray{it.value()}).toJson(QJsonDocument::Compact);
        s.bind(1, it.key()).bind(2, QString::fromUtf8(value));
        if (!s.run()) {
            m_lastError = m_db.lastError();
            return false;
        }
    }
    return true;
}

} // namespace gh
