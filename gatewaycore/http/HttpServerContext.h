#pragma once

#include "HttpServer.h"

#include <atomic>

namespace gh {

// What an HttpServer shares with its workers and connections across threads. Held by
// shared_ptr so a worker finishing on its thread never outlives it.
struct HttpServerContext
{
    HttpHandlerFactory handlerFactory; // called once per worker, on its thread
    HttpServer::Options options;
    std::atomic<quint64> requestsServed{0};
    std::atomic<int> openConnections{0};
    std::atomic<bool> shuttingDown{false};
};

} // namespace gh
