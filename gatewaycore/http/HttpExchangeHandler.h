#pragma once

#include <QtGlobal>

#include <functional>
#include <memory>

namespace gh {

class HttpExchange;

// Serves requests on one worker thread. The server creates one per worker, on that
// worker's thread, so an implementation may keep per-thread state (connection pools,
// balancer counters) without locks.
class HttpExchangeHandler
{
public:
    virtual ~HttpExchangeHandler() = default;
    // Called when a request's head is complete, before its body arrives. The handler
    // answers through the exchange now or later; the exchange outlives this call until
    // it is answered or the client goes away (HttpExchange::clientClosed).
    virtual void handle(HttpExchange *exchange) = 0;
    // The exchange has ended: its response is complete or aborted, or the client went
    // away (after HttpExchange::clientClosed). Called once per exchange, just before the
    // connection lets it go; the place to read what it measured (the request log).
    virtual void exchangeFinished(HttpExchange *exchange) { Q_UNUSED(exchange) }
};

using HttpHandlerFactory = std::function<std::unique_ptr<HttpExchangeHandler>()>;

} // namespace gh
