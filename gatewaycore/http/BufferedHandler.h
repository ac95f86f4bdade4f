#pragma once

#include "HttpExchangeHandler.h"
#include "HttpServer.h"

namespace gh {

// Adapts a whole-request function (the admin API, gateway-owned endpoints) to the
// streaming exchange: collects the body, then answers with what the function returns.
class BufferedHandler : public HttpExchangeHandler
{
public:
    explicit BufferedHandler(HttpServer::Handler handler);
    void handle(HttpExchange *exchange) override;

private:
    HttpServer::Handler m_handler;
};

} // namespace gh
