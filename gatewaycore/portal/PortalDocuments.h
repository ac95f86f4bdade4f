#pragma once

#include <QByteArray>
#include <QJsonObject>

#include <mutex>

namespace gh {

// The catalog's two documents for one config snapshot, made on first request (most
// snapshots are never asked) and then shared by every worker: the OpenAPI JSON and the
// portal page with its base-URL marker (PortalPage).
class PortalDocuments
{
public:
    explicit PortalDocuments(QJsonObject config);
    PortalDocuments(const PortalDocuments &) = delete;
    PortalDocuments &operator=(const PortalDocuments &) = delete;

    // Thread-safe; the first call builds both.
    const QByteArray &openApiJson() const;
    const QByteArray &portalPage() const;

private:
    void build() const;

    QJsonObject m_config;
    mutable std::once_flag m_once;
    mutable QByteArray m_openApi;
    mutable QByteArray m_portal;
};

} // namespace gh
