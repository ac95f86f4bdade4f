#pragma once

#include "HealthPolicy.h"
#include "TargetHealth.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <memory>

namespace gh {

// Owns the TargetHealth of every (service name, target URL) so health survives config
// reloads: ConfigSnapshot::build() asks for each target's health here, getting the
// same object as the previous snapshot for an unchanged target, and then drops the
// entries the new config no longer has (snapshots still running keep theirs alive).
// Used when building snapshots and by status views, never per request.
class TargetHealthRegistry
{
public:
    explicit TargetHealthRegistry(HealthPolicy policy = {});

    const HealthPolicy &policy() const { return *m_policy; }

    // Marks the start of a snapshot build; acquire() then marks what the build uses and
    // finishBuild() forgets the rest.
    void beginBuild();
    std::shared_ptr<TargetHealth> acquire(const QString &service, const QString &url);
    void finishBuild();

    std::shared_ptr<TargetHealth> find(const QString &service, const QString &url) const;
    qsizetype size() const;

private:
    struct Entry
    {
        std::shared_ptr<TargetHealth> health;
        quint64 mark = 0;
    };
    static QString key(const QString &service, const QString &url);

    const std::shared_ptr<const HealthPolicy> m_policy;
    mutable QMutex m_mutex;
    QHash<QString, Entry> m_entries;
    quint64 m_mark = 0;
};

} // namespace gh
