#pragma once

#include "CompiledModel.h"
#include "CompiledProvider.h"
#include "PriceTable.h"

#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace gh {

class SecretResolver;

// The AI side of a config snapshot: providers with resolved keys, public models and
// the effective price table (built-in prices under the config's overrides). Built off
// the request path whenever the config changes; immutable afterwards, shared by all
// workers.
class AiCatalog
{
public:
    struct Attempt
    {
        const CompiledModel *model = nullptr;
        const CompiledModel::Target *target = nullptr;
        const CompiledProvider *provider = nullptr;
    };

    // From the normalized SPEC §3 document (its providers, models, prices and the
    // consumers' allow_models).
    // ledger: where AI spend is recorded and budgets are checked (lives across configs).
    static AiCatalog build(const QJsonObject &config, const SecretResolver &resolver,
                           QStringList *warnings = nullptr, std::shared_ptr<SpendLedger> ledger = {});

    const std::vector<CompiledProvider> &providers() const { return m_providers; }
    const CompiledProvider *provider(int index) const;
    const CompiledProvider *provider(const QString &name) const;
    const CompiledModel *model(const QString &name) const;
    // Public model names, in config order.
    QStringList modelNames() const;
    const PriceTable &prices() const { return m_prices; }
    std::optional<ModelPrice> price(const CompiledProvider &provider, const QString &model) const;
    bool isEmpty() const { return m_models.empty(); }
    // The consumer's allow_models globs admit this public model name. An unknown
    // consumer (or none: ai_auth none) is not restricted.
    bool consumerMayUse(const QString &consumer, const QString &model) const;
    std::optional<Budget> consumerBudget(const QString &consumer) const;
    // Null when spend is not recorded (tests of the catalog alone).
    SpendLedger *ledger() const { return m_ledger.get(); }

    // The public models a request for `name` may be served by, in order: the model
    // itself, then its fallbacks (recursively, each model once).
    QList<const CompiledModel *> fallbackChain(const QString &name) const;

private:
    QList<int> computeChain(int model) const;

    std::vector<CompiledProvider> m_providers;
    std::vector<CompiledModel> m_models;
    QHash<QString, int> m_providerIndex;
    QHash<QString, int> m_modelIndex;
    std::vector<QList<int>> m_chains; // per model: its fallback chain, computed once
    PriceTable m_prices;
    QHash<QString, QList<QRegularExpression>> m_allowModels; // consumer → globs
    QHash<QString, Budget> m_consumerBudgets;
    std::shared_ptr<SpendLedger> m_ledger;
};

} // namespace gh
