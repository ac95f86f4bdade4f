#include "PortalDocuments.h"

#include "ApiCatalog.h"
#include "OpenApiDocument.h"
#include "PortalPage.h"

#include <QJsonDocument>

namespace gh {

PortalDocuments::PortalDocuments(QJsonObject config)
    : m_config(std::move(config))
{}

void PortalDocuments::build() const
{
    std::call_once(m_once, [this] {
        const ApiCatalog catalog = ApiCatalog::fromConfig(m_config);
        m_openApi = QJsonDocument(OpenApiDocument::build(catalog)).toJson(QJsonDocument::Indented);
        m_portal = PortalPage::render(catalog);
    });
}

const QByteArray &PortalDocuments::openApiJson() const
{
    build();
    return m_openApi;
}

const QByteArray &PortalDocuments::portalPage() const
{
    build();
    return m_portal;
}

} // namespace gh
