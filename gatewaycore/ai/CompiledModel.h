#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace gh {

// A public model name (SPEC §3 models): weighted provider targets, retries on another
// target, then fallbacks to other public models.
struct CompiledModel
{
    struct Target
    {
        int provider = -1; // index into AiCatalog::providers()
        QString model;     // the upstream model id
        int weight = 1;
    };

    QString name;
    QList<Target> targets;
    QStringList fallbacks;
    int retries = 0;
};

} // namespace gh
