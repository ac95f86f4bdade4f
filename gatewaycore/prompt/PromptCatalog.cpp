#include "PromptCatalog.h"

#include <QDateTime>

namespace gh {

PromptCatalog PromptCatalog::build(const QJsonArray &promptApis,
                                   const DeprecationClock &deprecatedSince)
{
    PromptCatalog catalog;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    catalog.m_apis.reserve(size_t(promptApis.size()));
    for (const QJsonValue &value : promptApis) {
        const QJsonObject json = value.toObject();
        const QString name = json.value(QLatin1String("name")).toString();
        CompiledPromptApi api =
            CompiledPromptApi::compile(json, deprecatedSince ? deprecatedSince(name) : now);
        if (catalog.m_byName.contains(api.name))
            continue; // the validator refuses duplicates; the first one wins regardless
        const int index = int(catalog.m_apis.size());
        catalog.m_byName.insert(api.name, index);
        if (api.state != CompiledPromptApi::State::Draft && !catalog.m_byPath.contains(api.path))
            catalog.m_byPath.insert(api.path, index);
        catalog.m_apis.push_back(std::move(api));
    }
    return catalog;
}

const CompiledPromptApi *PromptCatalog::match(QByteArrayView path) const
{
    if (m_byPath.isEmpty())
        return nullptr;
    while (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    // Looked up on every request that is not an AI call: no copy of the path.
    const auto it = m_byPath.constFind(QByteArray::fromRawData(path.data(), path.size()));
    return it == m_byPath.constEnd() ? nullptr : &m_apis[size_t(*it)];
}

const CompiledPromptApi *PromptCatalog::find(const QString &name) const
{
    const auto it = m_byName.constFind(name);
    return it == m_byName.constEnd() ? nullptr : &m_apis[size_t(*it)];
}

} // namespace gh
