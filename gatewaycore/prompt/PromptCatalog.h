#pragma once

#include "CompiledPromptApi.h"

#include <QByteArrayView>
#include <QHash>
#include <QJsonArray>

#include <functional>
#include <vector>

namespace gh {

// The prompt APIs of one config snapshot, by path. A prompt API answers exactly its path
// (a trailing "/" ignored) and is looked up before the routes, whose paths are prefixes:
// the config validator refuses a route path equal to a prompt API's, so nothing is hidden.
// Draft prompt APIs are invisible (404, as drafts routes); retired ones are found (410).
class PromptCatalog
{
public:
    // When a deprecated prompt API was deprecated (unix seconds), for its Deprecation header.
    using DeprecationClock = std::function<qint64(const QString &name)>;

    static PromptCatalog build(const QJsonArray &promptApis,
                               const DeprecationClock &deprecatedSince = {});

    // The prompt API at this request path, nullptr if none (or only a draft).
    const CompiledPromptApi *match(QByteArrayView path) const;
    const CompiledPromptApi *find(const QString &name) const;
    const std::vector<CompiledPromptApi> &apis() const { return m_apis; }
    bool isEmpty() const { return m_byPath.isEmpty(); }

private:
    std::vector<CompiledPromptApi> m_apis; // config order, drafts included
    QHash<QByteArray, int> m_byPath;       // normalized path → index, drafts excluded
    QHash<QString, int> m_byName;
};

} // namespace gh
