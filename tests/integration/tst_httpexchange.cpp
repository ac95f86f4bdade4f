// The streaming side of the HTTP server: request bodies delivered as they arrive,
// responses streamed with backpressure, aborted transfers and vanished clients.
#include "http/HttpExchange.h"
#include "http/HttpServer.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <atomic>

using namespace gh;

namespace {

std::atomic<int> g_pauses{0};
std::atomic<int> g_clientClosed{0};
std::atomic<qint64> g_bodyPiecesBeforeEnd{0};

class TestHandler : public HttpExchangeHandler
{
public:
    void handle(HttpExchange *exchange) override
    {
        const QByteArray path = exchange->request().path;
        QPointer<HttpExchange> guard(exchange);
        if (path == "/echo") {
            // Streams the body back while it is still arriving.
            exchange->startResponse(200, {}, -1);
            exchange->setBodyReceiver(
                [guard](QByteArrayView data) {
                    g_bodyPiecesBeforeEnd.fetch_add(1);
                    if (guard)
                        guard->writeBody(data);
                },
                [guard] {
                    if (guard)
                        guard->endResponse();
                });
        } else if (path == "/big") {
            const qint64 total = exchange->request().queryItems().queryItemValue(QStringLiteral("n")).toLongLong();
            auto sent = std::make_shared<qint64>(0);
            auto pump = std::make_shared<std::function<void()>>();
            *pump = [guard, sent, total, pump] {
                static const QByteArray piece(64 * 1024, 'x');
                while (guard && *sent < total) {
                    const QByteArrayView chunk = QByteArrayView(piece).first(qMin<qint64>(piece.size(), total - *sent));
                    *sent += chunk.size();
                    if (!guard->writeBody(chunk)) {
                        g_pauses.fetch_add(1);
                        return; // wait for writable()
                    }
                }
                if (guard)
                    guard->endResponse();
            };
            QObject::connect(exchange, &HttpExchange::writable, exchange, [pump] { (*pump)(); });
            exchange->startResponse(200, {}, total);
            (*pump)();
        } else if (path == "/abort") {
            exchange->startResponse(200, {}, -1);
            exchange->writeBody("partial");
            QTimer::singleShot(50, exchange, [guard] {
                if (guard)
                    guard->abortResponse();
            });
        } else if (path == "/later") {
            QTimer::singleShot(80, exchange, [guard] {
                if (guard)
                    guard->respond(HttpResponse::text(200, guard->request().target));
            });
        } else if (path == "/limit") {
            exchange->setBodyLimit(10);
        } else if (path == "/hang") {
            QObject::connect(exchange, &HttpExchange::clientClosed, [] { g_clientClosed.fetch_add(1); });
        } else {
            exchange->respond(HttpResponse::error(404, QStringLiteral("nothing here")));
        }
    }
};

// The server accepts on this (the main) thread: the client must keep the event loop
// running while it waits, never block in waitForReadyRead().
void spin(int ms)
{
    QTest::qWait(ms);
}

class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(3000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    // Reads until `done(buffer)` or the timeout; returns what arrived.
    QByteArray readUntil(const std::function<bool(const QByteArray &)> &done, int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!done(m_buffer) && timer.elapsed() < timeoutMs) {
            if (m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0)
                break;
            spin(5);
            m_buffer += m_socket.readAll();
        }
        return m_buffer;
    }
    bool waitClosed(int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (m_socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeoutMs) {
            spin(5);
            m_buffer += m_socket.readAll();
        }
        return m_socket.state() != QAbstractSocket::ConnectedState;
    }
    QTcpSocket &socket() { return m_socket; }
    QByteArray &buffer() { return m_buffer; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace

class TestHttpExchange : public QObject
{
    Q_OBJECT

    std::unique_ptr<HttpServer> m_server;

private Q_SLOTS:
    void init()
    {
        HttpServer::Options options;
        options.workers = 1; // the handler runs on its own thread; the client may block
        m_server = std::make_unique<HttpServer>([] { return std::make_unique<TestHandler>(); }, options);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        g_pauses = 0;
        g_clientClosed = 0;
        g_bodyPiecesBeforeEnd = 0;
    }

    void cleanup() { m_server.reset(); }

    void bodyStreamsBothWays()
    {
        RawClient client(m_server->serverPort());
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        // The echo of the first chunk arrives before the request body has ended.
        QByteArray got = client.readUntil([](const QByteArray &b) { return b.contains("hello"); });
        QVERIFY2(got.contains("Transfer-Encoding: chunked"), got.constData());
        QVERIFY(got.contains("5\r\nhello\r\n"));
        QVERIFY(!got.contains("0\r\n\r\n"));
        client.send("6\r\n world\r\n0\r\n\r\n");
        got = client.readUntil([](const QByteArray &b) { return b.endsWith("0\r\n\r\n"); });
        QVERIFY2(got.endsWith("6\r\n world\r\n0\r\n\r\n"), got.constData());
        QCOMPARE(g_bodyPiecesBeforeEnd.load(), 2);
        // Keep-alive: the connection serves the next request.
        client.buffer().clear();
        client.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        got = client.readUntil([](const QByteArray &b) { return b.contains("nothing here"); });
        QVERIFY(got.startsWith("HTTP/1.1 404"));
    }

    void slowClientGetsBackpressure()
    {
        const qint64 total = 16 * 1024 * 1024;
        RawClient client(m_server->serverPort());
        client.socket().setReadBufferSize(64 * 1024);
        client.send(QByteArray("GET /big?n=") + QByteArray::number(total) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        qint64 received = 0;
        QElapsedTimer timer;
        timer.start();
        qint64 headEnd = -1;
        QByteArray head;
        while (timer.elapsed() < 30000) {
            spin(1);
            if (client.socket().bytesAvailable() == 0 && client.socket().state() != QAbstractSocket::ConnectedState)
                break;
            const QByteArray chunk = client.socket().read(64 * 1024);
            if (headEnd < 0) {
                head += chunk;
                headEnd = head.indexOf("\r\n\r\n");
                if (headEnd >= 0)
                    received = head.size() - headEnd - 4;
            } else {
                received += chunk.size();
            }
            if (received >= total)
                break;
            if (received < 4 * 1024 * 1024)
                QThread::msleep(3); // read slowly for a while so the server must wait
        }
        QCOMPARE(received, total);
        QVERIFY2(head.contains("Content-Length: 16777216"), head.constData());
        QVERIFY2(g_pauses.load() > 0, "the producer was never told to wait");
    }

    void abortedResponseIsNotTerminated()
    {
        RawClient client(m_server->serverPort());
        client.send("GET /abort HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client.waitClosed());
        const QByteArray got = client.buffer();
        QVERIFY2(got.contains("7\r\npartial\r\n"), got.constData());
        QVERIFY(!got.contains("0\r\n\r\n"));
    }

    void pipelinedAsyncAnswersKeepTheirOrder()
    {
        RawClient client(m_server->serverPort());
        client.send("GET /later?a HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /later?c HTTP/1.1\r\nHost: x\r\n\r\n");
        const QByteArray got = client.readUntil([](const QByteArray &b) { return b.count("HTTP/1.1 ") == 3; });
        const qsizetype a = got.indexOf("/later?a");
        const qsizetype b = got.indexOf("nothing here");
        const qsizetype c = got.indexOf("/later?c");
        QVERIFY2(a > 0 && b > a && c > b, got.constData());
    }

    void routeBodyLimitAnswers413()
    {
        RawClient client(m_server->serverPort());
        client.send("POST /limit HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n");
        QVERIFY(client.waitClosed());
        QVERIFY2(client.buffer().startsWith("HTTP/1.1 413"), client.buffer().constData());
        QVERIFY(client.buffer().contains("Connection: close"));
    }

    void vanishedClientIsReported()
    {
        {
            RawClient client(m_server->serverPort());
            client.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
            QTRY_COMPARE_WITH_TIMEOUT(m_server->requestsServed(), quint64(1), 3000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(g_clientClosed.load(), 1, 3000);
    }

    void http10GetsACloseDelimitedStream()
    {
        RawClient client(m_server->serverPort());
        client.send("POST /echo HTTP/1.0\r\nContent-Length: 4\r\n\r\nabcd");
        QVERIFY(client.waitClosed());
        const QByteArray got = client.buffer();
        QVERIFY2(got.contains("Connection: close"), got.constData());
        QVERIFY(!got.contains("Transfer-Encoding"));
        QVERIFY(got.endsWith("\r\n\r\nabcd"));
    }
};

QTEST_GUILESS_MAIN(TestHttpExchange)
#include "tst_httpexchange.moc"
