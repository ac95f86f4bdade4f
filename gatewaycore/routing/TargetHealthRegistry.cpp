#include "TargetHealthRegistry.h"

#include <QMutexLocker>

namespace gh {

TargetHealthRegistry::TargetHealthRegistry(HealthPolicy policy)
    : m_policy(std::make_shared<const HealthPolicy>(std::move(policy)))
{}

QString TargetHealthRegistry::key(const QString &service, const QString &url)
{
    return service + QLatin1Char('\n') + url;
}

void TargetHealthRegistry::beginBuild()
{
    QMutexLocker locker(&m_mutex);
    ++m_mark;
}

std::shared_ptr<TargetHealth> TargetHealthRegistry::acquire(const QString &service,
                                                            const QString &url)
{
    QMutexLocker locker(&m_mutex);
    Entry &entry = m_entries[key(service, url)];
    if (!entry.health)
        entry.health = std::make_shared<TargetHealth>(service, url, m_policy);
    entry.mark = m_mark;
    return entry.health;
}

void TargetHealthRegistry::finishBuild()
{
    QMutexLocker locker(&m_mutex);
    m_entries.removeIf(
        [this](const QHash<QString, Entry>::iterator &it) { return it.value().mark != m_mark; });
}

std::shared_ptr<TargetHealth> TargetHealthRegistry::find(const QString &service,
                                                         const QString &url) const
{
    QMutexLocker locker(&m_mutex);
    const auto it = m_entries.constFind(key(service, url));
    return it == m_entries.cend() ? nullptr : it->health;
}

qsizetype TargetHealthRegistry::size() const
{
    QMutexLocker locker(&m_mutex);
    return m_entries.size();
}

} // namespace gh
