#pragma once

#include "ChatTypes.h"
#include "ModelPrice.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>

#include <optional>

namespace gh {

// The model price table: the built-in list shipped as resources/prices.json (keyed by
// provider type) with the config's `prices` overrides on top (keyed by provider name,
// SPEC §3). Immutable once built; copies are cheap (implicitly shared containers).
class PriceTable
{
public:
    struct Entry
    {
        QString provider; // a provider type for built-ins, a provider name for overrides
        QString model;    // a model id, an id prefix (dated snapshots match it) or "*"
        ModelPrice price;

        bool operator==(const Entry &) const = default;
    };

    PriceTable() = default;

    // Parsed once from :/gatehouse/prices.json. Empty (with a warning logged) if the
    // resource is missing or invalid, which the unit tests rule out.
    static const PriceTable &builtIn();
    // A table in the prices.json format; nullopt with *error naming the offending entry
    // ("prices[3] (openai/gpt-4o): input: must be a non-negative number").
    static std::optional<PriceTable> fromJson(const QByteArray &json, QString *error);

    // A copy with the config's SPEC §3 prices on top: {provider: <provider name>, model,
    // input, output, cached_input?, cache_write?}. Entries the config validator would
    // reject are skipped; a later entry for the same provider/model replaces an earlier one.
    PriceTable withOverrides(const QJsonArray &configPrices) const;

    // Overrides for the provider name first, then the built-ins for the provider type. In
    // each, the model matches exactly, else the longest entry that is a prefix of it
    // followed by '-', ':' or '@' ("gpt-4o-mini-2024-07-18", "llama3.2:latest",
    // "claude-3-5-haiku@20241022"), else the type's "*" entry. OpenRouter ids
    // ("openai/gpt-4o") fall back to the part after the '/' under the vendor's type, which
    // is tried after an exact openrouter entry and before openrouter prefix entries.
    std::optional<ModelPrice> find(const QString &providerType, const QString &providerName,
                                   const QString &model) const;

    // USD for one call. usage.input includes cachedInput and cacheCreationInput
    // (ChatUsage's convention), so only the remainder is billed at the plain input price.
    static double cost(const ModelPrice &price, const ChatUsage &usage);

    // Built-in entries plus overrides.
    int size() const { return int(m_builtIn.size() + m_overrides.size()); }
    // In file order, for listings (the desktop's price page).
    const QList<Entry> &builtInEntries() const { return m_builtIn; }
    const QList<Entry> &overrides() const { return m_overrides; }
    // The file's "updated" date (YYYY-MM-DD); empty for a table not read from a file.
    QString updated() const { return m_updated; }

private:
    using ModelMap = QHash<QString, ModelPrice>;

    static std::optional<ModelPrice> match(const ModelMap &models, const QString &model,
                                           bool exactOnly = false);
    std::optional<ModelPrice> vendorPrice(const QString &openRouterModel) const;

    QList<Entry> m_builtIn;
    QList<Entry> m_overrides;
    QHash<QString, ModelMap> m_byType; // built-ins: type → model → price
    QHash<QString, ModelMap> m_byName; // overrides: provider name → model → price
    QString m_updated;
};

} // namespace gh
