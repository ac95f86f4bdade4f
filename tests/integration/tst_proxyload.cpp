// The reverse proxy under load (SPEC §4, §5 "without restart or dropped connections"):
// many concurrent keep-alive clients, 200 MB streamed each way with flat memory, and
// hot reloads while requests keep flowing. A real gatehoused in front of a real nginx.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "NginxProcess.h"
#include "RawHttp.h"
#include "ScriptedUpstream.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <sys/resource.h>

#include <functional>
#include <memory>
#include <vector>

using namespace gh::test;

namespace {

const QByteArray kHello = "hello through the proxy\n";
constexpr qint64 MiB = 1024 * 1024;
constexpr qint64 BigSize = 200 * MiB;
constexpr qint64 MaxRssGrowthKb = 40 * 1024;

qint64 rssKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Event-driven keep-alive clients on the calling thread: each sends GETs one after the
// other on its own connection and checks every answer.
class ClientSwarm
{
public:
    struct Client
    {
        QTcpSocket *socket = nullptr;
        ResponseReader reader;
        int done = 0;
        bool finished = false;
    };

    ClientSwarm(QString gatewayUrl, QByteArray target, QByteArray expectedBody)
        : m_url(std::move(gatewayUrl))
        , m_target(std::move(target))
        , m_expected(std::move(expectedBody))
    {
        m_host = QUrl(m_url).authority().toUtf8();
    }

    ~ClientSwarm()
    {
        for (auto &client : m_clients) {
            client->socket->disconnect();
            client->socket->abort();
            delete client->socket;
        }
    }

    // requestsEach <= 0: until stop().
    void start(int connections, int requestsEach)
    {
        m_requestsEach = requestsEach;
        const QUrl url(m_url);
        for (int i = 0; i < connections; ++i) {
            auto client = std::make_unique<Client>();
            Client *c = client.get();
            c->socket = new QTcpSocket;
            QObject::connect(c->socket, &QTcpSocket::connected, c->socket, [this, c] {
                ++m_connected;
                send(*c);
            });
            QObject::connect(c->socket, &QTcpSocket::readyRead, c->socket,
                             [this, c] { onData(*c); });
            QObject::connect(c->socket, &QTcpSocket::disconnected, c->socket, [this, c] {
                if (!m_stopping)
                    fail(*c, QStringLiteral("connection closed by the gateway"));
            });
            QObject::connect(c->socket, &QTcpSocket::errorOccurred, c->socket, [this, c] {
                if (!m_stopping && c->socket->error() != QAbstractSocket::RemoteHostClosedError)
                    fail(*c, c->socket->errorString());
            });
            m_clients.push_back(std::move(client));
            c->socket->connectToHost(url.host(), quint16(url.port()));
        }
    }

    void stop() { m_stopping = true; }

    // Runs the event loop until every client finished (or failed) or the time is up.
    bool wait(int timeoutMs)
    {
        QElapsedTimer timer;
        timer.start();
        while (m_finished < int(m_clients.size()) && timer.elapsed() < timeoutMs)
            QTest::qWait(10);
        return m_finished == int(m_clients.size());
    }

    int connected() const { return m_connected; }
    int maxOpenAtOnce() const { return m_maxOpen; }
    qint64 responses() const { return m_responses; }
    int failures() const { return m_failures.size(); }
    QStringList failureMessages() const { return m_failures.mid(0, 5); }

private:
    void send(Client &c)
    {
        if (m_stopping || (m_requestsEach > 0 && c.done >= m_requestsEach)) {
            finish(c);
            return;
        }
        c.socket->write(rawRequest("GET", m_target, m_host));
    }

    void onData(Client &c)
    {
        if (c.finished)
            return;
        if (!c.reader.feed(c.socket->readAll())) {
            fail(c, QStringLiteral("unparsable response"));
            return;
        }
        while (c.reader.hasResponse()) {
            const RawResponse r = c.reader.takeResponse();
            if (r.status != 200 || r.body != m_expected) {
                fail(c, QStringLiteral("status %1, body %2")
                            .arg(r.status)
                            .arg(QString::fromUtf8(r.body.left(200))));
                return;
            }
            ++c.done;
            ++m_responses;
            send(c);
        }
    }

    void finish(Client &c)
    {
        if (c.finished)
            return;
        c.finished = true;
        ++m_finished;
        // Every connection stays open until all are done: they are concurrent for real.
        m_maxOpen = qMax(m_maxOpen, openCount());
    }

    int openCount() const
    {
        int open = 0;
        for (const auto &client : m_clients)
            open += client->socket->state() == QAbstractSocket::ConnectedState ? 1 : 0;
        return open;
    }

    void fail(Client &c, const QString &message)
    {
        if (c.finished)
            return;
        m_failures.append(message);
        finish(c);
    }

    QString m_url;
    QByteArray m_host;
    QByteArray m_target;
    QByteArray m_expected;
    std::vector<std::unique_ptr<Client>> m_clients;
    QStringList m_failures;
    qint64 m_responses = 0;
    int m_requestsEach = 0;
    int m_connected = 0;
    int m_finished = 0;
    int m_maxOpen = 0;
    bool m_stopping = false;
};

} // namespace

class TestProxyLoad : public QObject
{
    Q_OBJECT

private:
    HttpResult admin(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        return HttpClient::request(
            method, m_daemon->adminUrl() + path,
            body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
            {{"Authorization", "Bearer " + m_daemon->adminToken().toUtf8()}});
    }

    qint64 daemonRss() const { return rssKb(m_daemon->process().processId()); }
    QByteArray host() const { return QUrl(m_daemon->gatewayUrl()).authority().toUtf8(); }

    static QJsonObject route(const QString &name, const QString &path, const QString &service)
    {
        return QJsonObject{
            {QStringLiteral("name"), name},
            {QStringLiteral("match"), QJsonObject{{QStringLiteral("paths"), QJsonArray{path}}}},
            {QStringLiteral("service"), service},
            {QStringLiteral("strip_path"), true},
            {QStringLiteral("auth"), QStringLiteral("none")}};
    }

    std::unique_ptr<NginxProcess> m_nginx;
    std::unique_ptr<ScriptedUpstream> m_sink;
    std::unique_ptr<DaemonProcess> m_daemon;
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase()
    {
        if (!NginxProcess::isAvailable())
            QSKIP("nginx is not installed");
        // 1,000 client sockets here, twice that in gatehoused (which inherits the limit).
        rlimit limit{};
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &limit), 0);
        if (limit.rlim_cur < 8192 && limit.rlim_cur < limit.rlim_max) {
            limit.rlim_cur = qMin<rlim_t>(limit.rlim_max, 8192);
            QCOMPARE(setrlimit(RLIMIT_NOFILE, &limit), 0);
        }
        if (limit.rlim_cur < 4096)
            QSKIP("RLIMIT_NOFILE is too low for 1,000 proxied connections");

        m_nginx = std::make_unique<NginxProcess>();
        QVERIFY(m_nginx->addFile(QStringLiteral("hello.txt"), kHello));
        QVERIFY(m_nginx->start());

        m_sink = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            return UpstreamReply::respond(200, "bytes=" + QByteArray::number(r.bodyBytes));
        });
        m_sink->setHashBodies(false);
        QVERIFY(m_sink->start());

        QFile config(m_tmp.filePath(QStringLiteral("gatehouse.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("services:\n"
                                    "  - {name: web, targets: [{url: \"%1\"}]}\n"
                                    "  - {name: sink, targets: [{url: \"%2\"}]}\n"
                                    "routes:\n"
                                    "  - {name: web, match: {paths: [/web]}, service: web, "
                                    "strip_path: true, auth: none}\n"
                                    "  - {name: sink, match: {paths: [/sink]}, service: sink, "
                                    "strip_path: true, auth: none,\n"
                                    "     max_body_bytes: 314572800}\n")
                         .arg(m_nginx->url(), m_sink->url())
                         .toUtf8());
        config.close();
        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start({QStringLiteral("--config"), config.fileName(),
                                  QStringLiteral("--workers"), QStringLiteral("2")}),
                 m_daemon->standardError().constData());
        const HttpResult warm =
            HttpClient::request("GET", m_daemon->gatewayUrl() + QStringLiteral("/web/hello.txt"));
        QCOMPARE(warm.status, 200);
        QCOMPARE(warm.body, kHello);
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->terminate(), 0);
    }

    // --- 10. 1,000 concurrent keep-alive connections ----------------------------------

    void thousandConcurrentKeepAliveClients()
    {
        constexpr int Connections = 1000;
        constexpr int RequestsEach = 3;
        QElapsedTimer timer;
        timer.start();
        ClientSwarm swarm(m_daemon->gatewayUrl(), "/web/hello.txt", kHello);
        swarm.start(Connections, RequestsEach);
        const bool finished = swarm.wait(40000);
        const qint64 elapsed = timer.elapsed();
        qInfo("%d connections x %d requests: %lld ms, %lld responses, at most %d open at once, RSS "
              "%lld kB",
              Connections, RequestsEach, elapsed, swarm.responses(), swarm.maxOpenAtOnce(),
              daemonRss());
        QVERIFY2(finished, "the clients did not finish in 40 s");
        QVERIFY2(swarm.failures() == 0,
                 qPrintable(swarm.failureMessages().join(QStringLiteral("; "))));
        QCOMPARE(swarm.connected(), Connections);
        QCOMPARE(swarm.responses(), qint64(Connections) * RequestsEach);
        QCOMPARE(swarm.maxOpenAtOnce(), Connections);
    }

    // --- 11. 200 MB each way, memory flat ---------------------------------------------

    void bigDownloadIsStreamed()
    {
        // A sparse 200 MB file: no disk used, nginx sends it with sendfile.
        const QString path = m_nginx->wwwDir() + QStringLiteral("/big.bin");
        {
            QFile big(path);
            QVERIFY(big.open(QIODevice::WriteOnly));
            QVERIFY(big.resize(BigSize));
            QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                            QFile::ReadOther);
        }
        const qint64 before = daemonRss();
        QVERIFY(before > 0);

        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        connection.socket().setReadBufferSize(64 * 1024); // what the kernel holds is TCP's problem
        QVERIFY(connection.send(rawRequest("GET", "/web/big.bin", host())));
        ResponseReader &reader = connection.reader();
        reader.setDiscardBody(true);

        QElapsedTimer timer;
        timer.start();
        qint64 peak = before;
        qint64 received = 0;
        qint64 nextSample = 0;
        bool stalled = false;
        while (!reader.hasResponse() && !reader.failed() && timer.elapsed() < 40000) {
            if (!connection.socket().waitForReadyRead(1000) &&
                connection.socket().state() != QAbstractSocket::ConnectedState)
                break;
            reader.feed(connection.socket().read(64 * 1024));
            received = reader.hasResponse() ? BigSize : reader.bodyBytes();
            if (received >= nextSample) {
                peak = qMax(peak, daemonRss());
                nextSample += 10 * MiB;
            }
            if (!stalled && received > 50 * MiB) {
                // A client that stops reading for a while: the gateway must stop too.
                stalled = true;
                QThread::msleep(600);
                peak = qMax(peak, daemonRss());
            }
        }
        QFile::remove(path);
        QVERIFY2(reader.hasResponse(),
                 qPrintable(QStringLiteral("received %1 of %2 bytes").arg(received).arg(BigSize)));
        const RawResponse r = reader.takeResponse();
        const qint64 elapsed = timer.elapsed();
        const qint64 after = daemonRss();
        qInfo("200 MB download in %lld ms; gatehoused RSS before %lld kB, peak %lld kB, after %lld "
              "kB",
              elapsed, before, peak, after);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.contentLength, BigSize);
        QVERIFY(r.complete);
        QVERIFY2(peak - before < MaxRssGrowthKb,
                 qPrintable(QStringLiteral("RSS grew by %1 kB").arg(peak - before)));
    }

    void bigUploadIsStreamed()
    {
        const qint64 before = daemonRss();
        RawConnection connection;
        QVERIFY(connection.connectTo(m_daemon->gatewayUrl()));
        QTcpSocket &socket = connection.socket();
        socket.write("PUT /sink/big HTTP/1.1\r\nHost: " + host() +
                     "\r\nTransfer-Encoding: chunked\r\n\r\n");
        const QByteArray piece(64 * 1024, 'u');
        const QByteArray frame = QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
        const qint64 sinkBefore = m_sink->bodyBytes();

        QElapsedTimer timer;
        timer.start();
        qint64 sent = 0;
        qint64 peak = before;
        qint64 nextSample = 0;
        QElapsedTimer pause;
        bool paused = false;
        bool pausedOnce = false;
        while (sent < BigSize && timer.elapsed() < 40000 &&
               socket.state() == QAbstractSocket::ConnectedState) {
            if (!pausedOnce && sent >= 80 * MiB) {
                // The upstream stops reading: the gateway must stop reading us, not buffer.
                m_sink->setReadPaused(true);
                pause.start();
                paused = pausedOnce = true;
            }
            if (paused && pause.elapsed() > 700) {
                peak = qMax(peak, daemonRss());
                m_sink->setReadPaused(false);
                paused = false;
            }
            if (socket.bytesToWrite() < 1024 * 1024) {
                socket.write(frame);
                sent += piece.size();
            } else {
                socket.waitForBytesWritten(50);
            }
            if (sent >= nextSample) {
                peak = qMax(peak, daemonRss());
                nextSample += 10 * MiB;
            }
        }
        if (paused)
            m_sink->setReadPaused(false);
        if (sent < BigSize) {
            bool answered = false;
            const RawResponse early = connection.read(2000, false, &answered);
            QFAIL(qPrintable(
                QStringLiteral("the gateway stopped the upload after %1 MB: status %2 %3")
                    .arg(sent / MiB)
                    .arg(early.status)
                    .arg(QString::fromUtf8(early.body))));
        }
        socket.write("0\r\n\r\n");
        bool ok = false;
        const RawResponse r = connection.read(30000, false, &ok);
        const qint64 elapsed = timer.elapsed();
        const qint64 after = daemonRss();
        qInfo("200 MB chunked upload in %lld ms; gatehoused RSS before %lld kB, peak %lld kB, "
              "after %lld kB",
              elapsed, before, peak, after);
        QVERIFY(ok);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, "bytes=" + QByteArray::number(BigSize));
        QCOMPARE(m_sink->bodyBytes() - sinkBefore, BigSize);
        QVERIFY2(peak - before < MaxRssGrowthKb,
                 qPrintable(QStringLiteral("RSS grew by %1 kB").arg(peak - before)));
    }

    // --- 12. hot reload under load ----------------------------------------------------

    void hotReloadUnderLoad()
    {
        ClientSwarm swarm(m_daemon->gatewayUrl(), "/web/hello.txt", kHello);
        swarm.start(4, 0);
        QTest::qWait(200);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 10; ++i) {
            // Change the route being used (a second path, the version) and add or remove
            // another one: every change republishes the whole snapshot.
            QJsonObject web =
                route(QStringLiteral("web"), QStringLiteral("/web"), QStringLiteral("web"));
            QJsonObject match = web.value(QStringLiteral("match")).toObject();
            match.insert(QStringLiteral("paths"),
                         QJsonArray{QStringLiteral("/web"), QStringLiteral("/alias%1").arg(i)});
            web.insert(QStringLiteral("match"), match);
            web.insert(QStringLiteral("version"), QStringLiteral("v%1").arg(i));
            const HttpResult put = admin("PUT", QStringLiteral("/routes/web"), web);
            QVERIFY2(put.status == 200, put.body.constData());
            const QString other = QStringLiteral("/routes/other%1").arg(i / 2);
            const HttpResult change =
                i % 2 == 0 ? admin("PUT", other,
                                   route(QStringLiteral("other%1").arg(i / 2),
                                         QStringLiteral("/o%1").arg(i), QStringLiteral("sink")))
                           : admin("DELETE", other);
            QVERIFY2(change.status == 201 || change.status == 204, change.body.constData());
            QTest::qWait(150);
        }
        const qint64 before = swarm.responses();
        QTest::qWait(200);
        QVERIFY(swarm.responses() > before); // still flowing after the last change
        swarm.stop();
        QVERIFY(swarm.wait(5000));
        qInfo("%lld requests on 4 keep-alive connections during 10 route changes in %lld ms",
              swarm.responses(), timer.elapsed());
        QVERIFY2(swarm.failures() == 0,
                 qPrintable(swarm.failureMessages().join(QStringLiteral("; "))));
        QVERIFY(swarm.responses() > 100);
        // The new alias works: the last change is live.
        const HttpResult alias = HttpClient::request(
            "GET", m_daemon->gatewayUrl() + QStringLiteral("/alias9/hello.txt"));
        QCOMPARE(alias.status, 200);
        QCOMPARE(alias.body, kHello);
    }
};

QTEST_GUILESS_MAIN(TestProxyLoad)
#include "tst_proxyload.moc"
