#include "AdminHandler.h"

#include "AdminApi.h"
#include "AdminEvents.h"
#include "http/HttpExchange.h"

namespace gh {

AdminHandler::AdminHandler(AdminApi *api, AdminEvents *events)
    : m_api(api)
    , m_events(events)
    , m_buffered([api](const HttpRequest &request) { return api->handle(request); })
{
}

void AdminHandler::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    if (request.path != "/events" || !m_events || request.method != "GET" || !m_api->authorized(request)) {
        // AdminApi answers the rest, /events refusals included (401, 405).
        m_buffered.handle(exchange);
        return;
    }
    m_events->subscribe(exchange);
}

} // namespace gh
