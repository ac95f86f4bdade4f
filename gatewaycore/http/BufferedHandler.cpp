#include "BufferedHandler.h"

#include "HttpExchange.h"

#include <QPointer>

namespace gh {

BufferedHandler::BufferedHandler(HttpServer::Handler handler)
    : m_handler(std::move(handler))
{}

void BufferedHandler::handle(HttpExchange *exchange)
{
    auto body = std::make_shared<QByteArray>();
    QPointer<HttpExchange> guard(exchange);
    exchange->setBodyReceiver([body](QByteArrayView data) { body->append(data); },
                              [this, guard, body] {
                                  if (!guard)
                                      return;
                                  HttpRequest request = guard->request();
                                  request.body = std::move(*body);
                                  guard->respond(m_handler(request));
                              });
}

} // namespace gh
