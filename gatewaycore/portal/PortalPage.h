#pragma once

#include "ApiCatalog.h"

#include <QByteArray>
#include <QString>

namespace gh {

// /_gatehouse/portal/: one self-contained HTML page (stylesheet inlined from
// :/gatehouse/portal/portal.css, no scripts, no external assets) listing the catalog:
// each prompt API and route with its description, inputs, auth, status and example
// calls in curl, Python and JavaScript. Every value from the config is HTML-escaped.
class PortalPage
{
public:
    // The page with BaseUrlMarker where the examples' base URL goes: rendered once per
    // config, the marker is replaced per request (see withBaseUrl).
    static QByteArray render(const ApiCatalog &catalog);
    static QByteArray withBaseUrl(const QByteArray &page, const QByteArray &baseUrl);
    // "http://HOST" from the request's Host when it is a plain host[:port]; anything
    // else (it is the client's to choose) falls back to fallbackHost.
    static QByteArray baseUrlFor(const QByteArray &host, bool secure,
                                 const QByteArray &fallbackHost);

    static constexpr const char *BaseUrlMarker = "\x01GATEHOUSE_BASE_URL\x01";
};

} // namespace gh
