#include "AdminHandler.h"

#include "AdminApi.h"
#include "AdminEvents.h"
#include "Futures.h"
#include "http/HttpExchange.h"

#include <QPointer>

namespace gh {

AdminHandler::AdminHandler(AdminApi *api, AdminEvents *events)
    : m_api(api)
    , m_events(events)
{}

void AdminHandler::handle(HttpExchange *exchange)
{
    const HttpRequest &head = exchange->request();
    if (head.path == "/events" && m_events && head.method == "GET" && m_api->authorized(head)) {
        m_events->subscribe(exchange);
        return;
    }
    // AdminApi answers the rest, /events refusals included (401, 405), once the body is in.
    auto body = std::make_shared<QByteArray>();
    QPointer<HttpExchange> guard(exchange);
    exchange->setBodyReceiver([body](QByteArrayView data) { body->append(data); },
                              [this, guard, body] {
                                  if (!guard)
                                      return;
                                  HttpRequest request = guard->request();
                                  request.body = std::move(*body);
                                  if (auto later = m_api->handleDeferred(request)) {
                                      // A client that left takes the watcher with it.
                                      whenFinished(*later, guard.data(),
                                                   [guard](const HttpResponse &response) {
                                                       if (guard)
                                                           guard->respond(response);
                                                   });
                                      return;
                                  }
                                  guard->respond(m_api->handle(request));
                              });
}

} // namespace gh
