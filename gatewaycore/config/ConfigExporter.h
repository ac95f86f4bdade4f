#pragma once

#include "EntityKind.h"

#include <QJsonObject>

namespace gh {

class Store;

// Reads the store back into a SPEC §3 document. Secrets appear only as references
// (or, for keys Gatehouse generated, as "sha256:" digests): never as values.
class ConfigExporter
{
public:
    explicit ConfigExporter(Store &store);

    QJsonObject exportAll();
    QJsonObject exportEntity(EntityKind kind, const QJsonObject &stored);
    QList<QJsonObject> list(EntityKind kind);

private:
    Store &m_store;
};

} // namespace gh
