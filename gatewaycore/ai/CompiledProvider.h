#pragma once

#include "ProviderType.h"
#include "http/UpstreamOrigin.h"
#include "policy/SpendLedger.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace gh {

// A configured provider, ready for requests: its origin and base path split from
// base_url, its API key and extra headers resolved (off the request path, when the
// snapshot is built).
struct CompiledProvider
{
    QString name;
    ProviderType type = ProviderType::OpenAi;
    ProviderDialect dialect = ProviderDialect::OpenAi;
    QString baseUrl;
    UpstreamOrigin origin;
    QByteArray basePath; // base_url's path without a trailing slash ("/v1", "")
    // Auth headers for the type, then the configured extra headers.
    QList<QPair<QByteArray, QByteArray>> headers;
    QString apiVersion; // azure-openai
    int timeoutMs = 600000;
    std::optional<Budget> budget;
    // Why the provider cannot be used (its key reference did not resolve, bad URL):
    // requests routed to it fail with this message instead of reaching it unauthenticated.
    QString problem;

    // origin-form target for a path below the base ("/chat/completions").
    QByteArray target(const QByteArray &path) const { return basePath + path; }
};

} // namespace gh
