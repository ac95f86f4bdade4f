#pragma once

#include <QString>

#include <optional>

namespace gh {

// What one model costs, in USD per million tokens (SPEC §3 prices). Unset cache prices
// mean the provider bills those tokens at the plain input price.
struct ModelPrice
{
    double input = 0;
    double output = 0;
    std::optional<double> cachedInput; // prompt tokens read from the provider's cache
    std::optional<double> cacheWrite;  // prompt tokens written to it (Anthropic)
    QString source;                    // pricing page URL; "config" for an override
    QString date;                      // YYYY-MM-DD the figure was read; empty for overrides
    QString note;                      // caveats: tiers, promotions, indirect confirmation

    bool operator==(const ModelPrice &) const = default;
};

} // namespace gh
