#pragma once

#include "http/BufferedHandler.h"

namespace gh {

class AdminApi;
class AdminEvents;

// The admin listener's exchange handler: GET /events becomes a long-lived stream
// (AdminEvents); every other request is answered whole by AdminApi.
class AdminHandler : public HttpExchangeHandler
{
public:
    AdminHandler(AdminApi *api, AdminEvents *events);
    void handle(HttpExchange *exchange) override;

private:
    AdminApi *m_api;
    AdminEvents *m_events;
    BufferedHandler m_buffered;
};

} // namespace gh
