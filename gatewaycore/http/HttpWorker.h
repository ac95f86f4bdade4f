#pragma once

#include <QList>
#include <QObject>

#include <memory>

class QTimer;

namespace gh {

class HttpConnection;
class HttpExchangeHandler;
struct HttpServerContext;

// Owns connections on one thread (its own QThread, or the server's when workers == 0)
// and sweeps their timeouts with one timer instead of one per connection.
class HttpWorker : public QObject
{
    Q_OBJECT

public:
    explicit HttpWorker(std::shared_ptr<HttpServerContext> context, QObject *parent = nullptr);
    ~HttpWorker() override;

    // The descriptor was counted in openConnections by the server already.
    void addConnection(qintptr descriptor);
    void closeIdleConnections();
    void abortAll();

Q_SIGNALS:
    void connectionClosed();

private:
    void onConnectionClosed(HttpConnection *connection);
    void sweep();

    std::shared_ptr<HttpServerContext> m_context;
    std::unique_ptr<HttpExchangeHandler> m_handler; // made on this thread at first use
    QList<HttpConnection *> m_connections;
    QTimer *m_sweepTimer = nullptr;
};

} // namespace gh
