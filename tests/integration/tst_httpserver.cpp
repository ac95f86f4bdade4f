#include "http/HttpServer.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace gh;

namespace {

struct RawResponse
{
    int status = 0;
    HttpHeaders headers;
    QByteArray body;
};

// Parses one response from the front of buffer; returns the bytes it used, 0 if the
// response is not complete yet.
qsizetype parseResponse(const QByteArray &buffer, bool headRequest, RawResponse &response)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return 0;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.front().trimmed().split(' ');
    if (statusLine.size() < 2 || statusLine.front() != "HTTP/1.1")
        qFatal("bad status line: %s", lines.front().constData());
    response = RawResponse();
    response.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        response.headers.add(line.left(colon), line.mid(colon + 1).trimmed());
    }
    qsizetype used = headEnd + 4;
    if (response.status >= 200 && !headRequest) {
        const qsizetype length = response.headers.value("content-length").toLongLong();
        if (buffer.size() < used + length)
            return 0;
        response.body = buffer.mid(used, length);
        used += length;
    }
    return used;
}

// A raw HTTP client. It never blocks the event loop while waiting, because with
// workers == 0 the server lives on this same thread.
class Client
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return m_socket.waitForConnected(3000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    QList<RawResponse> read(int count, bool headRequest = false, int timeoutMs = 5000)
    {
        QList<RawResponse> responses;
        QElapsedTimer timer;
        timer.start();
        bool open = true;
        while (responses.size() < count) {
            RawResponse response;
            const qsizetype used = parseResponse(m_buffer, headRequest, response);
            if (used > 0) {
                m_buffer.remove(0, used);
                responses.append(response);
                continue;
            }
            if (!open || timer.elapsed() > timeoutMs)
                break;
            open = pump(); // one more parse attempt after the peer closed
        }
        return responses;
    }
    RawResponse readOne(bool headRequest = false)
    {
        const QList<RawResponse> responses = read(1, headRequest);
        return responses.isEmpty() ? RawResponse() : responses.front();
    }
    // True once the server has closed the connection (everything sent before is read).
    bool waitClosed(int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (m_socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeoutMs) {
            pump();
        }
        m_buffer += m_socket.readAll();
        return m_socket.state() != QAbstractSocket::ConnectedState;
    }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QByteArray &buffer() { return m_buffer; }
    QTcpSocket &socket() { return m_socket; }

private:
    bool pump()
    {
        QTest::qWait(5);
        m_buffer += m_socket.readAll();
        return m_socket.state() == QAbstractSocket::ConnectedState || m_socket.bytesAvailable();
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray get(const QByteArray &target, const QByteArray &extra = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void cleanup();

    void keepAlive();
    void http10();
    void connectionClose();
    void pipelined();
    void pipelinedBackpressure();
    void head();
    void expectContinue();
    void chunkedUpload();
    void tooLargeByContentLength();
    void tooLargeChunked();
    void headerTooLarge();
    void smuggling();
    void headerTimeout();
    void idleTimeout();
    void handlerException();
    void listenAddressInUse();
    void shutdownFinishesInFlight();
    void shutdownGraceExpires();
    void requestsServed();

private:
    bool start(HttpServer::Options options = {});
    HttpResponse handle(const HttpRequest &request);

    std::unique_ptr<HttpServer> m_server;
    QMutex m_mutex;
    QList<QByteArray> m_seenPaths; // guarded by m_mutex
    std::atomic<int> m_slowStarted{0};
};

void TestHttpServer::initTestCase_data()
{
    QTest::addColumn<int>("workers");
    QTest::newRow("workers=0") << 0;
    QTest::newRow("workers=2") << 2;
}

void TestHttpServer::cleanup()
{
    m_server.reset();
    QMutexLocker locker(&m_mutex);
    m_seenPaths.clear();
    m_slowStarted = 0;
}

bool TestHttpServer::start(HttpServer::Options options)
{
    QFETCH_GLOBAL(int, workers);
    options.workers = workers;
    options.serverName = "gatehouse-test";
    m_server = std::make_unique<HttpServer>(
        [this](const HttpRequest &request) { return handle(request); }, options);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

// Runs on a worker thread when workers > 0.
HttpResponse TestHttpServer::handle(const HttpRequest &request)
{
    {
        QMutexLocker locker(&m_mutex);
        m_seenPaths.append(request.path);
    }
    if (request.path == "/echo")
        return HttpResponse::text(200, request.body, "application/octet-stream");
    if (request.path == "/slow") {
        ++m_slowStarted;
        QThread::msleep(600);
        return HttpResponse::text(200, "slow done");
    }
    if (request.path == "/big")
        return HttpResponse::text(200, QByteArray(512 * 1024, 'b'));
    if (request.path == "/throw")
        throw std::runtime_error("boom");
    if (request.path == "/close") {
        HttpResponse response = HttpResponse::text(200, "bye");
        response.headers.add("Connection", "close");
        return response;
    }
    return HttpResponse::json(200, QJsonObject{{"method", QString::fromLatin1(request.method)},
                                               {"path", QString::fromUtf8(request.path)},
                                               {"query", QString::fromUtf8(request.query)},
                                               {"bytes", request.body.size()}});
}

void TestHttpServer::keepAlive()
{
    QVERIFY(start());
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send(get("/one"));
    RawResponse response = client.readOne();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(response.headers.value("server"), QByteArray("gatehouse-test"));
    QVERIFY(!response.headers.value("date").isEmpty());
    QVERIFY(!response.headers.contains("connection"));
    QVERIFY(response.body.contains("\"path\":\"/one\""));

    client.send(get("/two?x=1"));
    response = client.readOne();
    QCOMPARE(response.status, 200);
    QVERIFY(response.body.contains("\"path\":\"/two\""));
    QVERIFY(response.body.contains("\"query\":\"x=1\""));
    QVERIFY(client.isConnected());
    QCOMPARE(m_server->openConnections(), 1);
}

void TestHttpServer::http10()
{
    QVERIFY(start());
    Client plain;
    QVERIFY(plain.connectTo(m_server->serverPort()));
    plain.send("GET /old HTTP/1.0\r\n\r\n");
    QCOMPARE(plain.readOne().headers.value("connection"), QByteArray("close"));
    QVERIFY(plain.waitClosed());

    Client keepAlive;
    QVERIFY(keepAlive.connectTo(m_server->serverPort()));
    keepAlive.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QCOMPARE(keepAlive.readOne().headers.value("connection"), QByteArray("keep-alive"));
    keepAlive.send("GET /again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QCOMPARE(keepAlive.readOne().status, 200);
    QVERIFY(keepAlive.isConnected());
}

void TestHttpServer::connectionClose()
{
    QVERIFY(start());
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    // The second request must not be answered: the first asked to close.
    client.send(get("/a", "Connection: close\r\n") + get("/b"));
    const RawResponse response = client.readOne();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("connection"), QByteArray("close"));
    QVERIFY(client.waitClosed());
    QVERIFY(client.buffer().isEmpty());

    Client byHandler;
    QVERIFY(byHandler.connectTo(m_server->serverPort()));
    byHandler.send(get("/close"));
    QCOMPARE(byHandler.readOne().headers.value("connection"), QByteArray("close"));
    QVERIFY(byHandler.waitClosed());
}

void TestHttpServer::pipelined()
{
    QVERIFY(start());
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send(get("/p1") +
                "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 7\r\n\r\nmiddle!" +
                get("/p3"));
    const QList<RawResponse> responses = client.read(3);
    QCOMPARE(responses.size(), 3);
    QVERIFY(responses.at(0).body.contains("/p1"));
    QCOMPARE(responses.at(1).body, QByteArray("middle!"));
    QVERIFY(responses.at(2).body.contains("/p3"));
    QVERIFY(client.isConnected());
}

void TestHttpServer::pipelinedBackpressure()
{
    QVERIFY(start());
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    // More output than the server buffers before it stops parsing: it has to pause
    // and resume once the client reads.
    QByteArray requests;
    for (int i = 0; i < 8; ++i)
        requests += get("/big");
    client.send(requests + get("/last"));
    QTest::qWait(200);
    const QList<RawResponse> responses = client.read(9, false, 10000);
    QCOMPARE(responses.size(), 9);
    QCOMPARE(responses.at(7).body.size(), 512 * 1024);
    QVERIFY(responses.at(8).body.contains("/last"));
}

void TestHttpServer::head()
{
    QVERIFY(start());
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("HEAD /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello");
    const RawResponse response = client.readOne(true);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("content-length"), QByteArray("5"));
    // No body follows: the next response starts right away.
    client.send(get("/after-head"));
    const RawResponse next = client.readOne();
    QCOMPARE(next.status, 200);
    QVERIFY(next.body.contains("/after-head"));
}

void TestHttpServer::expectContinue()
{
    QVERIFY(start());
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send(
        "PUT /echo HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    const RawResponse interim = client.readOne();
    QCOMPARE(interim.status, 100);
    client.send("body");
    const RawResponse response = client.readOne();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("body"));

    client.send(
        "PUT /echo HTTP/1.1\r\nHost: test\r\nExpect: something\r\nContent-Length: 4\r\n\r\n");
    QCOMPARE(client.readOne().status, 417);
    QVERIFY(client.waitClosed());
}

void TestHttpServer::chunkedUpload()
{
    QVERIFY(start());
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                "5;name=value\r\nhello\r\n");
    QTest::qWait(50); // the rest arrives later
    client.send("7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
    const RawResponse response = client.readOne();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello, world"));
    QVERIFY(client.isConnected());
}

void TestHttpServer::tooLargeByContentLength()
{
    HttpServer::Options options;
    options.maxBodyBytes = 1024;
    QVERIFY(start(options));
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    // Answered on the head alone, while the client is still sending the body.
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\n" +
                QByteArray(20000, 'x'));
    const RawResponse response = client.readOne();
    QCOMPARE(response.status, 413);
    QCOMPARE(response.headers.value("connection"), QByteArray("close"));
    QVERIFY(response.body.contains("\"code\":\"payload_too_large\""));
    QVERIFY(response.body.contains("\"type\":\"invalid_request_error\""));
    QVERIFY(client.waitClosed());
    QMutexLocker locker(&m_mutex);
    QVERIFY(m_seenPaths.isEmpty());
}

void TestHttpServer::tooLargeChunked()
{
    HttpServer::Options options;
    options.maxBodyBytes = 1024;
    QVERIFY(start(options));
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                "200\r\n" +
                QByteArray(0x200, 'a') + "\r\n");
    QTest::qWait(20);
    client.send("300\r\n" + QByteArray(0x300, 'b') + "\r\n0\r\n\r\n");
    QCOMPARE(client.readOne().status, 413);
    QVERIFY(client.waitClosed());
}

void TestHttpServer::headerTooLarge()
{
    HttpServer::Options options;
    options.maxHeaderBytes = 4096;
    QVERIFY(start(options));
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send(get("/", "X-Big: " + QByteArray(8192, 'h') + "\r\n"));
    const RawResponse response = client.readOne();
    QCOMPARE(response.status, 431);
    QVERIFY(response.body.contains("request_header_fields_too_large"));
    QVERIFY(client.waitClosed());
}

void TestHttpServer::smuggling()
{
    QVERIFY(start());
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 6\r\n"
                "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                get("/smuggled"));
    const RawResponse response = client.readOne();
    QCOMPARE(response.status, 400);
    QCOMPARE(response.headers.value("connection"), QByteArray("close"));
    QVERIFY(client.waitClosed());
    QVERIFY(client.buffer().isEmpty()); // exactly one response
    QMutexLocker locker(&m_mutex);
    QVERIFY(m_seenPaths.isEmpty());
}

void TestHttpServer::headerTimeout()
{
    HttpServer::Options options;
    options.headerTimeoutMs = 300;
    QVERIFY(start(options));
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send("GET /slowloris HTTP/1.1\r\nHo");
    QElapsedTimer timer;
    timer.start();
    const RawResponse response = client.readOne();
    QCOMPARE(response.status, 408);
    QVERIFY2(timer.elapsed() < 2000, QByteArray::number(timer.elapsed()));
    QVERIFY(client.waitClosed());
}

void TestHttpServer::idleTimeout()
{
    HttpServer::Options options;
    options.idleTimeoutMs = 300;
    QVERIFY(start(options));
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send(get("/once"));
    QCOMPARE(client.readOne().status, 200);
    QVERIFY(client.waitClosed(3000));
    QVERIFY(client.buffer().isEmpty()); // closed silently
    QTRY_COMPARE(m_server->openConnections(), 0);
}

void TestHttpServer::handlerException()
{
    QVERIFY(start());
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send(get("/throw"));
    const RawResponse response = client.readOne();
    QCOMPARE(response.status, 500);
    QVERIFY(response.body.contains("server_error"));
}

void TestHttpServer::listenAddressInUse()
{
    QVERIFY(start());
    const quint16 port = m_server->serverPort();
    QVERIFY(port != 0);
    QVERIFY(m_server->isListening());
    QCOMPARE(m_server->serverAddress(), QHostAddress(QHostAddress::LocalHost));

    HttpServer other([](const HttpRequest &) { return HttpResponse::text(200, "x"); }, {});
    QVERIFY(!other.listen(QHostAddress::LocalHost, port));
    QCOMPARE(other.listenError(), HttpServer::ListenError::AddressInUse);
    QVERIFY2(other.errorString().contains(QStringLiteral("127.0.0.1:%1").arg(port)),
             qPrintable(other.errorString()));
    QVERIFY(!other.isListening());
}

void TestHttpServer::shutdownFinishesInFlight()
{
    QFETCH_GLOBAL(int, workers);
    QVERIFY(start());
    QSignalSpy drained(m_server.get(), &HttpServer::drained);

    Client idle; // served once, then idle: closed at once
    QVERIFY(idle.connectTo(m_server->serverPort()));
    idle.send(get("/first"));
    QCOMPARE(idle.readOne().status, 200);

    Client partial; // head half sent: finished after shutdown began
    QVERIFY(partial.connectTo(m_server->serverPort()));
    partial.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nda");

    Client slow; // handler still running when shutdown begins (needs worker threads)
    if (workers > 0) {
        QVERIFY(slow.connectTo(m_server->serverPort()));
        slow.send(get("/slow"));
        QTRY_COMPARE(m_slowStarted.load(), 1);
    }
    QTRY_COMPARE(m_server->openConnections(), workers > 0 ? 3 : 2);

    m_server->shutdown(5000);
    QVERIFY(m_server->isShuttingDown());
    QVERIFY(!m_server->isListening());
    QVERIFY(idle.waitClosed());
    QVERIFY(idle.buffer().isEmpty());
    QCOMPARE(drained.size(), 0);

    partial.send("ta");
    const RawResponse partialResponse = partial.readOne();
    QCOMPARE(partialResponse.status, 200);
    QCOMPARE(partialResponse.body, QByteArray("data"));
    QCOMPARE(partialResponse.headers.value("connection"), QByteArray("close"));
    QVERIFY(partial.waitClosed());

    if (workers > 0) {
        const RawResponse slowResponse = slow.readOne();
        QCOMPARE(slowResponse.status, 200);
        QCOMPARE(slowResponse.body, QByteArray("slow done"));
        QCOMPARE(slowResponse.headers.value("connection"), QByteArray("close"));
        QVERIFY(slow.waitClosed());
    }
    QTRY_COMPARE_WITH_TIMEOUT(drained.size(), 1, 3000);
    QCOMPARE(m_server->openConnections(), 0);
}

void TestHttpServer::shutdownGraceExpires()
{
    QVERIFY(start());
    QSignalSpy drained(m_server.get(), &HttpServer::drained);
    Client stuck;
    QVERIFY(stuck.connectTo(m_server->serverPort()));
    stuck.send("GET /never-finished HTTP/1.1\r\n");
    QTRY_COMPARE(m_server->openConnections(), 1);
    QElapsedTimer timer;
    timer.start();
    m_server->shutdown(300);
    QTRY_COMPARE_WITH_TIMEOUT(drained.size(), 1, 3000);
    QVERIFY(timer.elapsed() >= 250);
    QVERIFY(stuck.waitClosed());
    QTRY_COMPARE(m_server->openConnections(), 0);
}

void TestHttpServer::requestsServed()
{
    QVERIFY(start());
    QCOMPARE(m_server->requestsServed(), quint64(0));
    Client client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send(get("/1") + get("/2") + get("/3"));
    QCOMPARE(client.read(3).size(), 3);
    Client other;
    QVERIFY(other.connectTo(m_server->serverPort()));
    other.send(get("/4"));
    QCOMPARE(other.readOne().status, 200);
    QCOMPARE(m_server->requestsServed(), quint64(4));
    // Rejected requests never reached the handler and are not counted.
    other.send("GET / HTTP/1.1\r\n\r\n");
    QCOMPARE(other.readOne().status, 400);
    QCOMPARE(m_server->requestsServed(), quint64(4));
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
