#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace gh {

class HttpExchange;
class RequestLog;
struct RequestRecord;

// GET /events (docs/metrics.md): live gateway events as server-sent events on the admin
// listener, on the main thread. `request` for every logged request (the /logs row, in
// the request log's ~250 ms batches), `budget` when a budget passes 80 %, `log_dropped`
// when the request log lost records, `config` after a change. The request log is only
// tapped while someone listens. A subscriber that reads too slowly misses events (a
// `dropped` event says how many) instead of growing the gateway's memory.
class AdminEvents : public QObject
{
    Q_OBJECT

public:
    static constexpr int HeartbeatMs = 15000;

    explicit AdminEvents(RequestLog *log, QObject *parent = nullptr);
    ~AdminEvents() override;

    // Answers 200 text/event-stream on an authorized GET /events and keeps it open.
    void subscribe(HttpExchange *exchange);
    void publish(const QByteArray &event, const QJsonObject &data);
    int subscriberCount() const { return int(m_subscribers.size()); }
    // Ends every stream cleanly (the gateway is stopping).
    void closeAll();

private:
    struct Subscriber
    {
        QPointer<HttpExchange> exchange;
        quint64 missed = 0;  // events not sent while the client was behind
        bool behind = false; // output above the high-water mark: wait for writable()
    };

    void send(Subscriber &subscriber, const QByteArray &frame);
    void onRecords(const QList<gh::RequestRecord> &records);
    void remove(HttpExchange *exchange);
    void updateTap();

    RequestLog *m_log;
    QList<Subscriber> m_subscribers;
    QTimer m_heartbeat;
    QMetaObject::Connection m_tap;
    quint64 m_nextId = 1;
};

} // namespace gh
