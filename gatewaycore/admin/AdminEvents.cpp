#include "AdminEvents.h"

#include "http/HttpExchange.h"
#include "log/RequestLog.h"
#include "store/RequestLogQuery.h"

#include <QJsonDocument>

namespace gh {

AdminEvents::AdminEvents(RequestLog *log, QObject *parent)
    : QObject(parent)
    , m_log(log)
{
    // A comment line now and then keeps proxies and idle timeouts from closing the stream.
    m_heartbeat.setInterval(HeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        for (Subscriber &subscriber : m_subscribers)
            send(subscriber, ": keep-alive\n\n");
    });
}

AdminEvents::~AdminEvents()
{
    closeAll();
}

void AdminEvents::subscribe(HttpExchange *exchange)
{
    HttpHeaders headers;
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-store");
    headers.set("x-accel-buffering", "no");
    exchange->startResponse(200, headers, -1);
    // A GET has no body to wait for; the stream starts with a hello so clients know it is live.
    Subscriber subscriber;
    subscriber.exchange = exchange;
    m_subscribers.append(subscriber);
    connect(exchange, &HttpExchange::clientClosed, this, [this, exchange] { remove(exchange); });
    connect(exchange, &QObject::destroyed, this, [this, exchange] { remove(exchange); });
    connect(exchange, &HttpExchange::writable, this, [this, exchange] {
        for (Subscriber &s : m_subscribers) {
            if (s.exchange == exchange && s.behind) {
                s.behind = false;
                if (s.missed) {
                    const quint64 missed = std::exchange(s.missed, 0);
                    send(s, "event: dropped\ndata: " +
                                QJsonDocument(QJsonObject{{"missed", double(missed)}}).toJson(QJsonDocument::Compact) +
                                "\n\n");
                }
            }
        }
    });
    send(m_subscribers.last(), "retry: 2000\nevent: hello\ndata: {\"version\":\"" GATEHOUSE_VERSION "\"}\n\n");
    updateTap();
}

void AdminEvents::send(Subscriber &subscriber, const QByteArray &frame)
{
    if (!subscriber.exchange || subscriber.exchange->isClientGone())
        return;
    if (subscriber.behind) {
        ++subscriber.missed;
        return;
    }
    if (!subscriber.exchange->writeBody(frame))
        subscriber.behind = true; // this frame is buffered; the next ones wait
}

void AdminEvents::publish(const QByteArray &event, const QJsonObject &data)
{
    if (m_subscribers.isEmpty())
        return;
    const QByteArray frame = "id: " + QByteArray::number(m_nextId++) + "\nevent: " + event +
                             "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
    for (Subscriber &subscriber : m_subscribers)
        send(subscriber, frame);
}

void AdminEvents::onRecords(const QList<RequestRecord> &records)
{
    // The rows as /logs gives them, their ids included (GET /logs?before_id= pages on).
    for (const RequestRecord &record : records)
        publish("request", RequestLogQuery::toJson(record));
}

void AdminEvents::remove(HttpExchange *exchange)
{
    m_subscribers.removeIf([exchange](const Subscriber &s) { return s.exchange == exchange || !s.exchange; });
    updateTap();
}

void AdminEvents::closeAll()
{
    const QList<Subscriber> subscribers = std::exchange(m_subscribers, {});
    for (const Subscriber &subscriber : subscribers) {
        if (subscriber.exchange && !subscriber.exchange->isClientGone()) {
            subscriber.exchange->disconnect(this);
            subscriber.exchange->endResponse();
        }
    }
    updateTap();
}

void AdminEvents::updateTap()
{
    // The request log keeps written records for live views only while tapped.
    const bool wanted = !m_subscribers.isEmpty() && m_log;
    if (wanted && !m_tap)
        m_tap = connect(m_log, &RequestLog::recordsWritten, this, &AdminEvents::onRecords);
    else if (!wanted && m_tap)
        disconnect(std::exchange(m_tap, {}));
    if (wanted)
        m_heartbeat.start();
    else
        m_heartbeat.stop();
}

} // namespace gh
