#pragma once

#include "http/HttpExchangeHandler.h"

namespace gh {

class AdminApi;
class AdminEvents;

// The admin listener's exchange handler: GET /events becomes a long-lived stream
// (AdminEvents); request log queries are answered when the log reader's pool has run them
// (AdminApi::handleDeferred); every other request is answered whole by AdminApi.
class AdminHandler : public HttpExchangeHandler
{
public:
    AdminHandler(AdminApi *api, AdminEvents *events);
    void handle(HttpExchange *exchange) override;

private:
    AdminApi *m_api;
    AdminEvents *m_events;
};

} // namespace gh
