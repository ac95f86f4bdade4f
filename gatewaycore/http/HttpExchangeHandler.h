#pragma once

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
};

using HttpHandlerFactory = std::function<std::unique_ptr<HttpExchangeHandler>()>;

} // namespace gh
