#include "http/HttpRequestParser.h"
#include "http/UpstreamConnection.h"
#include "http/UpstreamPool.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QPointer>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>

using namespace gh;

namespace {

// A scripted upstream on 127.0.0.1 that speaks raw bytes, so each test controls timing.
// Requests are parsed with the gateway's strict request parser: what we send upstream
// has to pass our own edge rules.
class TestServer : public QTcpServer
{
public:
    std::function<void(QTcpSocket *, const HttpRequestParser &)> onHead;
    std::function<void(QTcpSocket *, const HttpRequest &)> onRequest;
    int connections = 0;
    int requests = 0;
    QList<QPointer<QTcpSocket>> sockets;
    QSslCertificate certificate;
    QSslKey key;

    quint16 start()
    {
        if (!listen(QHostAddress::LocalHost, 0))
            qFatal("cannot listen");
        return serverPort();
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        QTcpSocket *socket;
        if (!certificate.isNull()) {
            auto *ssl = new QSslSocket(this);
            ssl->setSocketDescriptor(descriptor);
            ssl->setLocalCertificate(certificate);
            ssl->setPrivateKey(key);
            ssl->startServerEncryption();
            socket = ssl;
        } else {
            socket = new QTcpSocket(this);
            socket->setSocketDescriptor(descriptor);
        }
        ++connections;
        sockets.append(socket);
        HttpRequestParser::Limits limits;
        limits.maxBodyBytes = 64 * 1024 * 1024;
        auto parser = std::make_shared<HttpRequestParser>(limits);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, parser, buffer] {
            buffer->append(socket->readAll());
            qsizetype offset = 0;
            while (true) {
                const auto result = parser->feed(QByteArrayView(*buffer).sliced(offset));
                offset += result.consumed;
                if (result.status == HttpRequestParser::Status::NeedMore)
                    break;
                if (result.status == HttpRequestParser::Status::Error) {
                    qWarning("test server: bad request: %s", qPrintable(parser->errorMessage()));
                    socket->abort();
                    return;
                }
                if (result.status == HttpRequestParser::Status::HeadComplete) {
                    if (onHead)
                        onHead(socket, *parser);
                    continue;
                }
                ++requests;
                const HttpRequest request = parser->takeRequest();
                parser->reset();
                if (onRequest)
                    onRequest(socket, request);
            }
            buffer->remove(0, offset);
        });
    }
};

// Collects what an UpstreamConnection reports for one exchange.
struct Exchange
{
    QObject context; // owns the slot connections
    int status = 0;
    int interim = 0;
    HttpHeaders headers;
    QByteArray body;
    qint64 bodyBytes = 0;
    int pieces = 0;
    bool keepBody = true;
    bool complete = false;
    bool failed = false;
    UpstreamError error = UpstreamError::ProtocolError;
    QString message;
    std::function<void(UpstreamConnection *, QByteArrayView)> onPiece;

    void attach(UpstreamConnection *connection)
    {
        QObject::connect(connection, &UpstreamConnection::informational, &context,
                         [this](int, const HttpHeaders &) { ++interim; });
        QObject::connect(connection, &UpstreamConnection::responseHead, &context,
                         [this](int code, const HttpHeaders &fields) {
                             status = code;
                             headers = fields;
                         });
        QObject::connect(connection, &UpstreamConnection::responseBody, &context,
                         [this, connection](QByteArrayView piece) {
                             ++pieces;
                             bodyBytes += piece.size();
                             if (keepBody)
                                 body += piece;
                             if (onPiece)
                                 onPiece(connection, piece);
                         });
        QObject::connect(connection, &UpstreamConnection::responseComplete, &context, [this] {
            complete = true;
            finished();
        });
        QObject::connect(connection, &UpstreamConnection::failed, &context,
                         [this](UpstreamError e, const QString &text) {
                             failed = true;
                             error = e;
                             message = text;
                             finished();
                         });
    }
    bool done() const { return complete || failed; }
    // Runs the event loop until the exchange ends. (Not QTest::qWaitFor: it sleeps 10 ms
    // between polls, which would dominate every timing here.)
    bool wait(int timeoutMs = 5000)
    {
        if (done())
            return true;
        QEventLoop loop;
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
        timeout.start(timeoutMs);
        m_loop = &loop;
        loop.exec();
        m_loop = nullptr;
        return done();
    }
    void finished()
    {
        if (m_loop)
            m_loop->quit();
    }

private:
    QEventLoop *m_loop = nullptr;
};

UpstreamRequest get(const QByteArray &target)
{
    UpstreamRequest request;
    request.target = target;
    request.connectTimeoutMs = 5000;
    request.readTimeoutMs = 5000;
    return request;
}

QByteArray okResponse(const QByteArray &body, const QByteArray &extra = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" +
           extra + "\r\n" + body;
}

QByteArray pattern(qint64 size)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        out[i] = char((i * 7) % 251);
    return out;
}

bool runOpenssl(const QStringList &arguments, const QString &dir)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        qWarning("openssl %s: %s", qPrintable(arguments.join(' ')),
                 process.readAllStandardError().constData());
        return false;
    }
    return true;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class TestUpstreamConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void getWithContentLength();
    void hostNameLookup();
    void chunkedResponseIsStreamed();
    void postChunkedBody();
    void postContentLength();
    void headResponseHasNoBody();
    void keepAliveReuseThroughPool();
    void idleConnectionClosedByUpstream_data();
    void idleConnectionClosedByUpstream();
    void reusedConnectionClosedBeforeResponse();
    void connectionRefused();
    void readTimeout();
    void connectTimeoutCoversHandshake();
    void closedMidResponse();
    void closeDelimitedResponse();
    void protocolError();
    void earlyResponseBeforeBodySent();
    void interimResponses();
    void backpressureKeepsMemoryFlat();
    void tlsWithoutCaFails();
    void tlsWithCa_data();
    void tlsWithCa();
    void tlsBackpressure();
    void nginxKeepAlive();
    void benchmarkRawUpstream();

private:
    QTemporaryDir m_tmp;
    bool m_haveCerts = false;
    QString m_caFile;
};

void TestUpstreamConnection::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty() ||
        !QSslSocket::supportsSsl()) {
        return;
    }
    // A private CA and a server certificate for localhost / 127.0.0.1 signed by it.
    const QString dir = m_tmp.path();
    QFile ext(dir + QStringLiteral("/server.ext"));
    QVERIFY(ext.open(QIODevice::WriteOnly));
    ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
              "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n");
    ext.close();
    const QStringList ec = {QStringLiteral("-newkey"), QStringLiteral("ec"),
                            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
                            QStringLiteral("-nodes")};
    m_haveCerts = runOpenssl(QStringList{"req", "-x509"} + ec +
                                 QStringList{"-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                                             "-subj", "/CN=Gatehouse Test CA", "-addext",
                                             "basicConstraints=critical,CA:TRUE", "-addext",
                                             "keyUsage=critical,keyCertSign,cRLSign"},
                             dir) &&
                  runOpenssl(QStringList{"req"} + ec +
                                 QStringList{"-keyout", "server.key", "-out", "server.csr", "-subj",
                                             "/CN=localhost"},
                             dir) &&
                  runOpenssl({"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey",
                              "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2",
                              "-extfile", "server.ext"},
                             dir);
    m_caFile = dir + QStringLiteral("/ca.pem");
}

void TestUpstreamConnection::getWithContentLength()
{
    TestServer server;
    const quint16 port = server.start();
    QByteArray seenHost, seenTarget, seenHeader;
    server.onRequest = [&](QTcpSocket *socket, const HttpRequest &request) {
        seenHost = request.headers.value("host");
        seenTarget = request.target;
        seenHeader = request.headers.value("x-forwarded-for");
        socket->write(okResponse("hello", "X-Up: 1\r\n"));
    };

    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    QSignalSpy connected(&connection, &UpstreamConnection::connected);
    UpstreamRequest request = get("/hello?x=1");
    request.headers.add("X-Forwarded-For", "10.0.0.1");
    request.headers.add("Content-Length", "99"); // framing is the connection's business
    connection.start(request);
    QVERIFY(exchange.wait());
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(exchange.status, 200);
    QCOMPARE(exchange.body, QByteArray("hello"));
    QCOMPARE(exchange.headers.value("x-up"), QByteArray("1"));
    QCOMPARE(connected.size(), 1);
    QCOMPARE(seenHost, "127.0.0.1:" + QByteArray::number(port));
    QCOMPARE(seenTarget, QByteArray("/hello?x=1"));
    QCOMPARE(seenHeader, QByteArray("10.0.0.1"));
    QVERIFY(connection.isReusable());
    QVERIFY(!connection.wasReused());
    QVERIFY(connection.requestBytesSent() > 0);
}

void TestUpstreamConnection::hostNameLookup()
{
    TestServer server;
    const quint16 port = server.start();
    server.onRequest = [](QTcpSocket *socket, const HttpRequest &) {
        socket->write(okResponse("named"));
    };
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("localhost"), port));
    Exchange exchange;
    exchange.attach(&connection);
    connection.start(get("/"));
    QVERIFY(exchange.wait());
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(exchange.body, QByteArray("named"));
}

void TestUpstreamConnection::chunkedResponseIsStreamed()
{
    TestServer server;
    const quint16 port = server.start();
    bool lastChunkSent = false;
    server.onRequest = [&](QTcpSocket *socket, const HttpRequest &) {
        socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nfirst\r\n");
        QTimer::singleShot(150, socket, [&, socket] {
            socket->write("6\r\nsecond\r\n");
            QTimer::singleShot(100, socket, [&, socket] {
                lastChunkSent = true;
                socket->write("5\r\nthird\r\n0\r\nX-Trailer: t\r\n\r\n");
            });
        });
    };
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    bool firstPieceBeforeEnd = false;
    exchange.onPiece = [&](UpstreamConnection *, QByteArrayView) {
        if (exchange.pieces == 1)
            firstPieceBeforeEnd = !lastChunkSent;
    };
    exchange.attach(&connection);
    connection.start(get("/stream"));
    QVERIFY(exchange.wait());
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(exchange.body, QByteArray("firstsecondthird"));
    QVERIFY(firstPieceBeforeEnd);
    QCOMPARE(exchange.pieces, 3);
    QCOMPARE(connection.response().trailers().value("x-trailer"), QByteArray("t"));
    QVERIFY(connection.isReusable());
}

void TestUpstreamConnection::postChunkedBody()
{
    TestServer server;
    const quint16 port = server.start();
    HttpRequest received;
    bool headSeenBeforeBodyEnded = false;
    bool bodyEnded = false;
    server.onHead = [&](QTcpSocket *, const HttpRequestParser &parser) {
        headSeenBeforeBodyEnded = parser.isChunked() && !bodyEnded;
    };
    server.onRequest = [&](QTcpSocket *socket, const HttpRequest &request) {
        received = request;
        socket->write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    };
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    UpstreamRequest request = get("/upload");
    request.method = "POST";
    request.bodyMode = UpstreamRequest::BodyMode::Chunked;
    request.headers.add("Content-Type", "text/plain");
    connection.start(request);
    QVERIFY(connection.writeBody("part1-")); // before the connection is up
    QTest::qWait(50);
    QVERIFY(connection.writeBody("part2-"));
    QTest::qWait(50);
    QVERIFY(connection.writeBody(QByteArray(100000, 'x')));
    QVERIFY(connection.writeBody("part3"));
    bodyEnded = true;
    connection.endBody();
    QVERIFY(exchange.wait());
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(exchange.status, 201);
    QCOMPARE(received.method, QByteArray("POST"));
    QCOMPARE(received.body, "part1-part2-" + QByteArray(100000, 'x') + "part3");
    QCOMPARE(received.headers.value("transfer-encoding"), QByteArray("chunked"));
    QVERIFY(headSeenBeforeBodyEnded);
    QVERIFY(connection.isReusable());
}

void TestUpstreamConnection::postContentLength()
{
    TestServer server;
    const quint16 port = server.start();
    HttpRequest received;
    server.onRequest = [&](QTcpSocket *socket, const HttpRequest &request) {
        received = request;
        socket->write(okResponse("done"));
    };
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    UpstreamRequest request = get("/put");
    request.method = "PUT";
    request.bodyMode = UpstreamRequest::BodyMode::Length;
    request.contentLength = 11;
    connection.start(request);
    connection.writeBody("hello ");
    connection.writeBody("world");
    connection.endBody();
    QVERIFY(exchange.wait());
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(received.body, QByteArray("hello world"));
    QCOMPARE(received.headers.value("content-length"), QByteArray("11"));
    QVERIFY(connection.isReusable());
}

void TestUpstreamConnection::headResponseHasNoBody()
{
    TestServer server;
    const quint16 port = server.start();
    server.onRequest = [](QTcpSocket *socket, const HttpRequest &request) {
        QCOMPARE(request.method, QByteArray("HEAD"));
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
    };
    UpstreamPool pool;
    const auto origin = UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port);
    for (int i = 0; i < 2; ++i) {
        UpstreamConnection *connection = pool.acquire(origin);
        Exchange exchange;
        exchange.attach(connection);
        UpstreamRequest request = get("/");
        request.method = "HEAD";
        connection->start(request);
        QVERIFY(exchange.wait());
        QVERIFY2(!exchange.failed, qPrintable(exchange.message));
        QCOMPARE(exchange.headers.value("content-length"), QByteArray("1234"));
        QCOMPARE(exchange.bodyBytes, 0);
        pool.release(connection);
    }
    QCOMPARE(server.connections, 1);
}

void TestUpstreamConnection::keepAliveReuseThroughPool()
{
    TestServer server;
    const quint16 port = server.start();
    server.onRequest = [](QTcpSocket *socket, const HttpRequest &request) {
        socket->write(okResponse("reply to " + request.target));
    };
    UpstreamPool pool;
    const auto origin = UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port);
    UpstreamConnection *first = nullptr;
    for (int i = 0; i < 3; ++i) {
        UpstreamConnection *connection = pool.acquire(origin);
        if (i == 0)
            first = connection;
        QCOMPARE(connection, first);
        Exchange exchange;
        exchange.attach(connection);
        const QByteArray target = "/r" + QByteArray::number(i);
        connection->start(get(target));
        QCOMPARE(connection->wasReused(), i > 0);
        QVERIFY(exchange.wait());
        QVERIFY2(!exchange.failed, qPrintable(exchange.message));
        QCOMPARE(exchange.body, "reply to " + target);
        pool.release(connection);
        QCOMPARE(pool.idleCount(origin), 1);
    }
    QCOMPARE(server.connections, 1);
    QCOMPARE(server.requests, 3);
    QCOMPARE(pool.connectionsCreated(), quint64(1));
    QCOMPARE(pool.connectionsReused(), quint64(2));

    // Another origin (other port) never gets this connection.
    TestServer other;
    const auto otherOrigin = UpstreamOrigin::http(QStringLiteral("127.0.0.1"), other.start());
    UpstreamConnection *fresh = pool.acquire(otherOrigin);
    QVERIFY(fresh != first);
    pool.release(fresh); // never started: deleted
    QCOMPARE(pool.idleCount(), 1);
}

void TestUpstreamConnection::idleConnectionClosedByUpstream_data()
{
    QTest::addColumn<bool>("waitForNotice");
    QTest::newRow("noticed while idle") << true;
    QTest::newRow("closed just before acquire") << false;
}

void TestUpstreamConnection::idleConnectionClosedByUpstream()
{
    QFETCH(bool, waitForNotice);
    TestServer server;
    const quint16 port = server.start();
    server.onRequest = [](QTcpSocket *socket, const HttpRequest &) {
        socket->write(okResponse("ok"));
    };
    UpstreamPool pool;
    const auto origin = UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port);
    {
        UpstreamConnection *connection = pool.acquire(origin);
        Exchange exchange;
        exchange.attach(connection);
        connection->start(get("/"));
        QVERIFY(exchange.wait());
        pool.release(connection);
    }
    QCOMPARE(pool.idleCount(), 1);
    // The upstream's keep-alive timeout: it closes the idle connection.
    QTRY_VERIFY(!server.sockets.isEmpty() && server.sockets.front());
    server.sockets.front()->disconnectFromHost();
    if (waitForNotice)
        QTRY_COMPARE(pool.idleCount(), 0);
    else
        QThread::msleep(20); // the FIN reaches our kernel, but no event is processed
    QCOMPARE(pool.idleCount(), waitForNotice ? 0 : 1);

    UpstreamConnection *connection = pool.acquire(origin);
    Exchange exchange;
    exchange.attach(connection);
    connection->start(get("/again"));
    QVERIFY(!connection->wasReused());
    QVERIFY(exchange.wait());
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(exchange.body, QByteArray("ok"));
    QCOMPARE(server.connections, 2);
    pool.release(connection);
}

void TestUpstreamConnection::reusedConnectionClosedBeforeResponse()
{
    // The race a pool cannot see: the upstream closes just as the request goes out.
    TestServer server;
    const quint16 port = server.start();
    server.onRequest = [&](QTcpSocket *socket, const HttpRequest &request) {
        if (request.target == "/second" && server.connections == 1)
            socket->close();
        else
            socket->write(okResponse("ok"));
    };
    UpstreamPool pool;
    const auto origin = UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port);
    UpstreamConnection *connection = pool.acquire(origin);
    {
        Exchange exchange;
        exchange.attach(connection);
        connection->start(get("/first"));
        QVERIFY(exchange.wait());
        pool.release(connection);
    }
    connection = pool.acquire(origin);
    Exchange exchange;
    exchange.attach(connection);
    connection->start(get("/second"));
    QVERIFY(exchange.wait());
    QVERIFY(exchange.failed);
    QCOMPARE(exchange.error, UpstreamError::ClosedBeforeResponse);
    QVERIFY(connection->wasReused());
    QVERIFY(!connection->responseStarted());
    pool.release(connection);

    // The caller's retry for an idempotent request: a fresh connection.
    connection = pool.acquire(origin);
    Exchange retry;
    retry.attach(connection);
    connection->start(get("/second"));
    QVERIFY(retry.wait());
    QVERIFY2(!retry.failed, qPrintable(retry.message));
    QVERIFY(!connection->wasReused());
    pool.release(connection);
}

void TestUpstreamConnection::connectionRefused()
{
    const quint16 port = freePort();
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    QElapsedTimer timer;
    timer.start();
    connection.start(get("/"));
    QVERIFY(exchange.wait(3000));
    QVERIFY(exchange.failed);
    QCOMPARE(exchange.error, UpstreamError::ConnectFailed);
    QVERIFY2(timer.elapsed() < 1000, QByteArray::number(timer.elapsed()));
    QCOMPARE(connection.requestBytesSent(), qint64(0));
}

void TestUpstreamConnection::readTimeout()
{
    TestServer server; // accepts, reads, never answers
    const quint16 port = server.start();
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    UpstreamRequest request = get("/slow");
    request.readTimeoutMs = 300;
    QElapsedTimer timer;
    timer.start();
    connection.start(request);
    QVERIFY(exchange.wait(3000));
    QVERIFY(exchange.failed);
    QCOMPARE(exchange.error, UpstreamError::ReadTimeout);
    QVERIFY2(timer.elapsed() >= 280 && timer.elapsed() < 2000, QByteArray::number(timer.elapsed()));
    QCOMPARE(server.requests, 1);
}

void TestUpstreamConnection::connectTimeoutCoversHandshake()
{
    // TCP connects, but the TLS handshake never gets an answer.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    UpstreamConnection connection(
        UpstreamOrigin::https(QStringLiteral("127.0.0.1"), silent.serverPort()));
    Exchange exchange;
    exchange.attach(&connection);
    UpstreamRequest request = get("/");
    request.connectTimeoutMs = 300;
    QElapsedTimer timer;
    timer.start();
    connection.start(request);
    QVERIFY(exchange.wait(3000));
    QVERIFY(exchange.failed);
    QCOMPARE(exchange.error, UpstreamError::ConnectTimeout);
    QVERIFY2(timer.elapsed() >= 280 && timer.elapsed() < 2000, QByteArray::number(timer.elapsed()));
    QCOMPARE(connection.requestBytesSent(), qint64(0));
}

void TestUpstreamConnection::closedMidResponse()
{
    TestServer server;
    const quint16 port = server.start();
    server.onRequest = [](QTcpSocket *socket, const HttpRequest &) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + QByteArray(1000, 'a'));
        socket->flush();
        socket->disconnectFromHost(); // dies mid-body
    };
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    connection.start(get("/big"));
    QVERIFY(exchange.wait());
    QVERIFY(exchange.failed);
    QCOMPARE(exchange.error, UpstreamError::ClosedMidResponse);
    QCOMPARE(exchange.status, 200);
    QCOMPARE(exchange.bodyBytes, 1000);
    QVERIFY(connection.responseStarted());
    QVERIFY(connection.response().isTruncated());
}

void TestUpstreamConnection::closeDelimitedResponse()
{
    TestServer server;
    const quint16 port = server.start();
    server.onRequest = [](QTcpSocket *socket, const HttpRequest &) {
        socket->write("HTTP/1.0 200 OK\r\n\r\nuntil the end");
        socket->disconnectFromHost();
    };
    UpstreamPool pool;
    UpstreamConnection *connection =
        pool.acquire(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(connection);
    connection->start(get("/"));
    QVERIFY(exchange.wait());
    QVERIFY2(exchange.complete, qPrintable(exchange.message));
    QCOMPARE(exchange.body, QByteArray("until the end"));
    QVERIFY(!connection->isReusable());
    pool.release(connection);
    QCOMPARE(pool.idleCount(), 0);
}

void TestUpstreamConnection::protocolError()
{
    TestServer server;
    const quint16 port = server.start();
    server.onRequest = [](QTcpSocket *socket, const HttpRequest &) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "0\r\n\r\n");
    };
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    connection.start(get("/"));
    QVERIFY(exchange.wait());
    QVERIFY(exchange.failed);
    QCOMPARE(exchange.error, UpstreamError::ProtocolError);
    QCOMPARE(exchange.status, 0); // no head was reported

    // An invalid request (header injection attempt) never reaches the wire.
    UpstreamConnection second(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange rejected;
    rejected.attach(&second);
    UpstreamRequest request = get("/");
    request.headers.add("X-Evil", "a\r\nX-Injected: 1");
    second.start(request);
    QVERIFY(!rejected.failed); // reported from the event loop, not from inside start()
    QVERIFY(rejected.wait());
    QCOMPARE(rejected.error, UpstreamError::ProtocolError);
    QCOMPARE(server.connections, 1);
}

void TestUpstreamConnection::earlyResponseBeforeBodySent()
{
    // The upstream refuses a large upload after the head (413) and keeps draining.
    TestServer server;
    const quint16 port = server.start();
    server.onHead = [](QTcpSocket *socket, const HttpRequestParser &) {
        socket->write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 3\r\n\r\nbig");
    };
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    UpstreamRequest request = get("/upload");
    request.method = "POST";
    request.bodyMode = UpstreamRequest::BodyMode::Length;
    request.contentLength = 8 * 1024 * 1024;
    qint64 sent = 0;
    const QByteArray piece(64 * 1024, 'u');
    int blocked = 0;
    std::function<void()> pump = [&] {
        while (!exchange.done() && sent < request.contentLength) {
            sent += piece.size();
            if (!connection.writeBody(piece)) {
                ++blocked;
                return; // wait for writeBufferDrained
            }
        }
        if (sent >= request.contentLength)
            connection.endBody();
    };
    connect(&connection, &UpstreamConnection::writeBufferDrained, &exchange.context, pump);
    connection.start(request);
    pump();
    QVERIFY(exchange.wait());
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(exchange.status, 413);
    QCOMPARE(exchange.body, QByteArray("big"));
    QVERIFY(blocked > 0); // backpressure stopped the upload before it was all buffered
    QVERIFY(sent < request.contentLength);
    QVERIFY(!connection.isReusable());    // the upload was cut short
    QVERIFY(connection.writeBody(piece)); // ignored now
}

void TestUpstreamConnection::interimResponses()
{
    TestServer server;
    const quint16 port = server.start();
    server.onRequest = [](QTcpSocket *socket, const HttpRequest &) {
        socket->write(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n");
        QTimer::singleShot(20, socket, [socket] { socket->write(okResponse("final")); });
    };
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    connection.start(get("/"));
    QVERIFY(exchange.wait());
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(exchange.interim, 2);
    QCOMPARE(exchange.status, 200);
    QCOMPARE(exchange.body, QByteArray("final"));
    QVERIFY(!exchange.headers.contains("link"));
}

void TestUpstreamConnection::backpressureKeepsMemoryFlat()
{
    constexpr qint64 Size = 20 * 1024 * 1024;
    const QByteArray body = pattern(Size);
    TestServer server;
    const quint16 port = server.start();
    QPointer<QTcpSocket> serverSocket;
    server.onRequest = [&](QTcpSocket *socket, const HttpRequest &) {
        serverSocket = socket;
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(Size) +
                      "\r\n\r\n");
        socket->write(body);
    };
    UpstreamConnection connection(UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.keepBody = false;
    qint64 offset = 0;
    bool contentOk = true;
    qint64 maxBuffered = 0;
    int pauses = 0;
    qint64 serverPendingDuringLongPause = -1;
    int piecesDuringLongPause = -1;
    exchange.onPiece = [&](UpstreamConnection *c, QByteArrayView piece) {
        if (QByteArrayView(body).sliced(offset, piece.size()) != piece)
            contentOk = false;
        offset += piece.size();
        // A slow client: its write buffer is full after every piece.
        c->pauseReading();
        ++pauses;
        const bool longPause = pauses == 10;
        const int piecesNow = exchange.pieces;
        if (longPause) {
            QTimer::singleShot(250, &exchange.context, [&, piecesNow] {
                serverPendingDuringLongPause = serverSocket ? serverSocket->bytesToWrite() : -1;
                piecesDuringLongPause = exchange.pieces - piecesNow;
            });
        }
        QTimer::singleShot(longPause ? 300 : (pauses % 50 == 0 ? 5 : 0), &exchange.context, [&, c] {
            maxBuffered = qMax(maxBuffered, c->bufferedBytes());
            c->resumeReading();
        });
    };
    exchange.attach(&connection);
    UpstreamRequest request = get("/20mb");
    request.readTimeoutMs = 2000; // paused time does not count
    QElapsedTimer timer;
    timer.start();
    connection.start(request);
    QVERIFY(exchange.wait(60000));
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(exchange.bodyBytes, Size);
    QVERIFY(contentOk);
    QVERIFY2(maxBuffered < 1024 * 1024, QByteArray::number(maxBuffered));
    QCOMPARE(piecesDuringLongPause, 0); // nothing read while paused
    // The upstream was held back by TCP flow control, not by our memory.
    QVERIFY2(serverPendingDuringLongPause > 1024 * 1024,
             QByteArray::number(serverPendingDuringLongPause));
    qInfo("20 MB in %d pieces, %d pauses, max buffered %lld bytes, %lld ms", exchange.pieces,
          pauses, maxBuffered, timer.elapsed());
}

void TestUpstreamConnection::tlsWithoutCaFails()
{
    if (!m_haveCerts)
        QSKIP("openssl or TLS support missing");
    TestServer server;
    server.certificate = QSslCertificate::fromPath(m_tmp.filePath("server.pem")).value(0);
    QFile keyFile(m_tmp.filePath("server.key"));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    server.key = QSslKey(keyFile.readAll(), QSsl::Ec);
    const quint16 port = server.start();
    server.onRequest = [](QTcpSocket *socket, const HttpRequest &) {
        socket->write(okResponse("secret"));
    };
    UpstreamConnection connection(UpstreamOrigin::https(QStringLiteral("127.0.0.1"), port));
    Exchange exchange;
    exchange.attach(&connection);
    connection.start(get("/"));
    QVERIFY(exchange.wait());
    QVERIFY(exchange.failed);
    QCOMPARE(exchange.error, UpstreamError::TlsError);
    QVERIFY2(exchange.message.contains(QLatin1String("certificate"), Qt::CaseInsensitive),
             qPrintable(exchange.message));
    QCOMPARE(server.requests, 0);
    QCOMPARE(connection.requestBytesSent(), qint64(0));
}

void TestUpstreamConnection::tlsWithCa_data()
{
    QTest::addColumn<QString>("serverName");
    QTest::addColumn<bool>("ok");
    QTest::newRow("ip san") << QString() << true;
    QTest::newRow("sni localhost") << QStringLiteral("localhost") << true;
    QTest::newRow("wrong name") << QStringLiteral("wrong.example") << false;
}

void TestUpstreamConnection::tlsWithCa()
{
    QFETCH(QString, serverName);
    QFETCH(bool, ok);
    if (!m_haveCerts)
        QSKIP("openssl or TLS support missing");
    TestServer server;
    server.certificate = QSslCertificate::fromPath(m_tmp.filePath("server.pem")).value(0);
    QFile keyFile(m_tmp.filePath("server.key"));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    server.key = QSslKey(keyFile.readAll(), QSsl::Ec);
    const quint16 port = server.start();
    QByteArray seenHost;
    server.onRequest = [&](QTcpSocket *socket, const HttpRequest &request) {
        seenHost = request.headers.value("host");
        socket->write(okResponse("secret"));
    };
    UpstreamTlsOptions tls;
    QString error;
    QVERIFY2(tls.loadCaFile(m_caFile, &error), qPrintable(error));
    tls.serverName = serverName;
    const auto origin = UpstreamOrigin::https(QStringLiteral("127.0.0.1"), port, tls);
    UpstreamPool pool;
    for (int i = 0; i < (ok ? 2 : 1); ++i) {
        UpstreamConnection *connection = pool.acquire(origin);
        Exchange exchange;
        exchange.attach(connection);
        connection->start(get("/"));
        QVERIFY(exchange.wait());
        if (!ok) {
            QVERIFY(exchange.failed);
            QCOMPARE(exchange.error, UpstreamError::TlsError);
            return;
        }
        QVERIFY2(!exchange.failed, qPrintable(exchange.message));
        QCOMPARE(exchange.body, QByteArray("secret"));
        QCOMPARE(connection->wasReused(), i == 1);
        pool.release(connection);
    }
    QCOMPARE(server.connections, 1);
    QCOMPARE(seenHost, (serverName.isEmpty() ? QByteArray("127.0.0.1") : serverName.toLatin1()) +
                           ':' + QByteArray::number(port));
}

void TestUpstreamConnection::tlsBackpressure()
{
    if (!m_haveCerts)
        QSKIP("openssl or TLS support missing");
    constexpr qint64 Size = 8 * 1024 * 1024;
    const QByteArray body = pattern(Size);
    TestServer server;
    server.certificate = QSslCertificate::fromPath(m_tmp.filePath("server.pem")).value(0);
    QFile keyFile(m_tmp.filePath("server.key"));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    server.key = QSslKey(keyFile.readAll(), QSsl::Ec);
    const quint16 port = server.start();
    server.onRequest = [&](QTcpSocket *socket, const HttpRequest &) {
        socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (qint64 i = 0; i < Size; i += 1024 * 1024) {
            socket->write(QByteArray::number(1024 * 1024, 16) + "\r\n");
            socket->write(body.mid(i, 1024 * 1024) + "\r\n");
        }
        socket->write("0\r\n\r\n");
    };
    UpstreamTlsOptions tls;
    QVERIFY(tls.loadCaFile(m_caFile));
    UpstreamConnection connection(UpstreamOrigin::https(QStringLiteral("127.0.0.1"), port, tls));
    Exchange exchange;
    exchange.keepBody = false;
    qint64 offset = 0;
    bool contentOk = true;
    qint64 maxBuffered = 0;
    int pauses = 0;
    exchange.onPiece = [&](UpstreamConnection *c, QByteArrayView piece) {
        if (QByteArrayView(body).sliced(offset, piece.size()) != piece)
            contentOk = false;
        offset += piece.size();
        c->pauseReading();
        ++pauses;
        QTimer::singleShot(pauses % 20 == 0 ? 20 : 0, &exchange.context, [&, c] {
            maxBuffered = qMax(maxBuffered, c->bufferedBytes());
            c->resumeReading();
        });
    };
    exchange.attach(&connection);
    connection.start(get("/8mb"));
    QVERIFY(exchange.wait(60000));
    QVERIFY2(!exchange.failed, qPrintable(exchange.message));
    QCOMPARE(exchange.bodyBytes, Size);
    QVERIFY(contentOk);
    QVERIFY2(maxBuffered < 1024 * 1024, QByteArray::number(maxBuffered));
    qInfo("TLS 8 MB: %d pieces, max buffered %lld bytes", exchange.pieces, maxBuffered);
}

void TestUpstreamConnection::nginxKeepAlive()
{
    QString nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"));
    if (nginx.isEmpty())
        nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"), {"/usr/sbin", "/sbin"});
    if (nginx.isEmpty())
        QSKIP("nginx not installed");
    QTemporaryDir prefix;
    QVERIFY(prefix.isValid());
    const QString dir = prefix.path();
    QVERIFY(QDir(dir).mkpath(QStringLiteral("www")));
    QVERIFY(QDir(dir).mkpath(QStringLiteral("logs")));
    // nginx workers run as nobody when started by root: the files must be readable.
    const auto readable = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                          QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther;
    QFile::setPermissions(dir, readable);
    QFile::setPermissions(dir + QStringLiteral("/www"), readable);
    const QByteArray file = pattern(100 * 1024);
    {
        QFile f(dir + QStringLiteral("/www/file.bin"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(file);
        QFile small(dir + QStringLiteral("/www/small.txt"));
        QVERIFY(small.open(QIODevice::WriteOnly));
        small.write("hello, world\n");
    }
    const quint16 port = freePort();
    QFile conf(dir + QStringLiteral("/nginx.conf"));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write(
        QStringLiteral("worker_processes 1;\nerror_log %1/logs/error.log;\npid %1/nginx.pid;\n"
                       "events { worker_connections 64; }\n"
                       "http {\n access_log off;\n client_body_temp_path %1/tmp_body;\n"
                       " proxy_temp_path %1/tmp_proxy;\n fastcgi_temp_path %1/tmp_fcgi;\n"
                       " uwsgi_temp_path %1/tmp_uwsgi;\n scgi_temp_path %1/tmp_scgi;\n"
                       " keepalive_requests 1000000;\n"
                       " server { listen 127.0.0.1:%2; root %1/www; }\n}\n")
            .arg(dir)
            .arg(port)
            .toUtf8());
    conf.close();
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(nginx, {"-p", dir, "-e", dir + QStringLiteral("/logs/error.log"), "-c",
                          conf.fileName(), "-g", "daemon off;"});
    QVERIFY(process.waitForStarted());
    const bool up = QTest::qWaitFor(
        [&] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            return probe.waitForConnected(100);
        },
        5000);
    if (!up) {
        process.kill();
        process.waitForFinished();
        QFAIL("nginx did not start");
    }
    auto stop = qScopeGuard([&] {
        process.terminate();
        if (!process.waitForFinished(5000))
            process.kill();
    });

    UpstreamPool pool;
    const auto origin = UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port);
    for (int i = 0; i < 2; ++i) {
        UpstreamConnection *connection = pool.acquire(origin);
        Exchange exchange;
        exchange.attach(connection);
        connection->start(get("/file.bin"));
        QVERIFY(exchange.wait());
        QVERIFY2(!exchange.failed, qPrintable(exchange.message));
        QCOMPARE(exchange.status, 200);
        QCOMPARE(exchange.body, file);
        QCOMPARE(connection->wasReused(), i == 1);
        pool.release(connection);
    }
    QCOMPARE(pool.connectionsCreated(), quint64(1));

    // Measurement, not an assertion: sequential keep-alive GETs of a small file.
    int done = 0;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 1000) {
        UpstreamConnection *connection = pool.acquire(origin);
        Exchange exchange;
        exchange.attach(connection);
        connection->start(get("/small.txt"));
        if (!exchange.wait() || exchange.failed)
            QFAIL("request failed during the measurement");
        pool.release(connection);
        ++done;
    }
    qInfo("nginx upstream: %d sequential keep-alive GETs in %lld ms = %.0f req/s (%llu "
          "connections)",
          done, timer.elapsed(), done * 1000.0 / timer.elapsed(), pool.connectionsCreated());
}

void TestUpstreamConnection::benchmarkRawUpstream()
{
    TestServer server;
    const quint16 port = server.start();
    const QByteArray response = okResponse("hello, world\n");
    server.onRequest = [&](QTcpSocket *socket, const HttpRequest &) {
        socket->write(response);
    };
    UpstreamPool pool;
    const auto origin = UpstreamOrigin::http(QStringLiteral("127.0.0.1"), port);
    int done = 0;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 1000) {
        UpstreamConnection *connection = pool.acquire(origin);
        Exchange exchange;
        exchange.attach(connection);
        connection->start(get("/"));
        if (!exchange.wait() || exchange.failed)
            QFAIL("request failed during the measurement");
        pool.release(connection);
        ++done;
    }
    QCOMPARE(server.connections, 1);
    qInfo("in-process upstream (same thread): %d sequential keep-alive GETs = %.0f req/s", done,
          done * 1000.0 / timer.elapsed());
}

QTEST_GUILESS_MAIN(TestUpstreamConnection)
#include "tst_upstreamconnection.moc"
