#pragma once

#include "ApiCatalog.h"

#include <QJsonObject>

namespace gh {

// /_gatehouse/openapi.json: OpenAPI 3.1 for what the catalog publishes. Prompt APIs get
// their inputs as the request schema and the SPEC §4 answer (JSON or SSE); a route is a
// path prefix, so each of its paths appears as itself and as "{path}/{subpath}" with
// the methods it matches. Servers: "/" (relative to where the document was fetched), so
// it is right behind any host, port or scheme.
class OpenApiDocument
{
public:
    static QJsonObject build(const ApiCatalog &catalog);
};

} // namespace gh
