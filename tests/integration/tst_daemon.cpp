// gatehoused's lifecycle as SPEC §1 defines it, driven as a real child process.
#include "DaemonProcess.h"
#include "HttpClient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace gh::test;

class TestDaemon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionPrintsAndExitsZero()
    {
        QByteArray out;
        QCOMPARE(DaemonProcess::run({QStringLiteral("--version")}, &out, nullptr), 0);
        QCOMPARE(out, QByteArray("gatehouse " GATEHOUSE_VERSION "\n"));
    }

    void helpExitsZero()
    {
        QByteArray out;
        QCOMPARE(DaemonProcess::run({QStringLiteral("--help")}, &out, nullptr), 0);
        QVERIFY(out.contains("--check-config"));
    }

    void badFlagsExitTwoWithOneLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << QByteArray("Unknown option 'bogus'");
        QTest::newRow("missing value") << QStringList{QStringLiteral("--listen")} << QByteArray("Missing value after '--listen'");
        QTest::newRow("listen not host:port") << QStringList{QStringLiteral("--listen"), QStringLiteral("nonsense")}
                                              << QByteArray("--listen \"nonsense\" is not HOST:PORT");
        QTest::newRow("port too big") << QStringList{QStringLiteral("--admin-listen"), QStringLiteral("127.0.0.1:70000")}
                                      << QByteArray("port must be a number from 0 to 65535");
        QTest::newRow("host not an address") << QStringList{QStringLiteral("--listen"), QStringLiteral("example.org:80")}
                                             << QByteArray("\"example.org\" is not an IP address");
        QTest::newRow("zero workers") << QStringList{QStringLiteral("--workers"), QStringLiteral("0")}
                                      << QByteArray("--workers must be a number from 1 to 256, not \"0\"");
        QTest::newRow("same ports") << QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:5000"),
                                                   QStringLiteral("--admin-listen"), QStringLiteral("127.0.0.1:5000")}
                                    << QByteArray("--listen and --admin-listen must differ");
        QTest::newRow("positional") << QStringList{QStringLiteral("extra")} << QByteArray("unexpected argument \"extra\"");
    }

    void badFlagsExitTwoWithOneLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        QByteArray out;
        QByteArray err;
        QCOMPARE(DaemonProcess::run(args, &out, &err), 2);
        QVERIFY2(err.contains(message), err.constData());
        QCOMPARE(err.count('\n'), 1);
        QVERIFY(out.isEmpty());
    }

    void unusableDataDirExitsTwo_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("a file") << QStringLiteral("file") << QByteArray("is not a directory");
        QTest::newRow("below a file") << QStringLiteral("below-file") << QByteArray("cannot create data dir");
        QTest::newRow("corrupt database") << QStringLiteral("corrupt-db") << QByteArray("cannot open");
        QTest::newRow("database is a directory") << QStringLiteral("db-dir") << QByteArray("cannot open");
    }

    void unusableDataDirExitsTwo()
    {
        QFETCH(QString, kind);
        QFETCH(QByteArray, message);
        QTemporaryDir tmp;
        QString dataDir = tmp.filePath(QStringLiteral("data"));
        QFile file(dataDir);
        if (kind == QLatin1String("file") || kind == QLatin1String("below-file")) {
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.close();
            if (kind == QLatin1String("below-file"))
                dataDir += QStringLiteral("/sub");
        } else {
            QVERIFY(QDir().mkpath(dataDir));
            const QString db = dataDir + QStringLiteral("/gatehouse.db");
            if (kind == QLatin1String("db-dir")) {
                QVERIFY(QDir().mkpath(db));
            } else {
                QFile f(db);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(QByteArray(8192, 'z'));
            }
        }
        QByteArray err;
        QCOMPARE(DaemonProcess::run({QStringLiteral("--data-dir"), dataDir, QStringLiteral("--listen"),
                                     QStringLiteral("127.0.0.1:0"), QStringLiteral("--admin-listen"),
                                     QStringLiteral("127.0.0.1:0")},
                                    nullptr, &err),
                 2);
        QVERIFY2(err.contains(message), err.constData());
    }

    void readyLineHealthAndSigterm()
    {
        DaemonProcess daemon;
        QVERIFY2(daemon.start(), daemon.standardError().constData());
        QVERIFY(daemon.readyLine().startsWith("gatehoused ready gateway=http://127.0.0.1:"));
        QVERIFY(!daemon.gatewayUrl().endsWith(QStringLiteral(":0")));

        const HttpResult gateway = HttpClient::request("GET", daemon.gatewayUrl() + QStringLiteral("/_gatehouse/health"));
        QCOMPARE(gateway.status, 200);
        QCOMPARE(gateway.json()[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        const HttpResult admin = HttpClient::request("GET", daemon.adminUrl() + QStringLiteral("/health"));
        QCOMPARE(admin.status, 200);
        const HttpResult unknown = HttpClient::request("GET", daemon.gatewayUrl() + QStringLiteral("/nowhere"));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.json()[QStringLiteral("error")][QStringLiteral("code")].toString(), QStringLiteral("route_not_found"));

        QCOMPARE(daemon.terminate(), 0);
        QVERIFY(daemon.standardError().contains("stopped"));
    }

    void sigintStopsCleanly()
    {
        DaemonProcess daemon;
        QVERIFY(daemon.start());
        ::kill(pid_t(daemon.process().processId()), SIGINT);
        QVERIFY(daemon.process().waitForFinished(15000));
        QCOMPARE(daemon.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(daemon.process().exitCode(), 0);
    }

    void adminTokenIsPrivate()
    {
        DaemonProcess daemon;
        QVERIFY(daemon.start());
        const QFile::Permissions perms = QFile::permissions(daemon.dataDir() + QStringLiteral("/admin.token"));
        QCOMPARE(perms & ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFile::Permissions());
        QVERIFY(daemon.adminToken().size() > 20);
        QCOMPARE(daemon.terminate(), 0);
    }

    void portInUseExitsThree_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QByteArray>("listener");
        QTest::newRow("gateway") << QStringLiteral("--listen") << QByteArray("gateway listener");
        QTest::newRow("admin") << QStringLiteral("--admin-listen") << QByteArray("admin listener");
    }

    void portInUseExitsThree()
    {
        QFETCH(QString, flag);
        QFETCH(QByteArray, listener);
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        const QString busy = QStringLiteral("127.0.0.1:%1").arg(occupier.serverPort());
        QTemporaryDir tmp;
        QStringList args{QStringLiteral("--data-dir"), tmp.path(), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                         QStringLiteral("--admin-listen"), QStringLiteral("127.0.0.1:0")};
        args[args.indexOf(flag) + 1] = busy;
        QByteArray err;
        QCOMPARE(DaemonProcess::run(args, nullptr, &err), 3);
        QVERIFY2(err.contains(listener), err.constData());
        QVERIFY2(err.contains(busy.toUtf8()), err.constData());
    }

    void checkConfigAcceptsTheExample()
    {
        QByteArray out;
        QByteArray err;
        const QString file = QStringLiteral(GATEHOUSE_SOURCE_DIR "/examples/gatehouse.yaml");
        QCOMPARE(DaemonProcess::run({QStringLiteral("--check-config"), file}, &out, &err), 0);
        QVERIFY2(out.contains("OK"), err.constData());
    }

    void checkConfigListsEveryProblem()
    {
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("bad.yaml"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("services:\n"
                "  - name: billing\n"
                "    targets: [{url: http://127.0.0.1:9000}]\n"
                "routes:\n"
                "  - name: a\n"
                "    match: {paths: [/a]}\n"
                "    service: billng\n"
                "  - name: b\n"
                "    match: {paths: [/b]}\n"
                "    service: billing\n"
                "    state: retird\n"
                "    colour: blue\n");
        f.close();
        QByteArray out;
        QByteArray err;
        QCOMPARE(DaemonProcess::run({QStringLiteral("--check-config"), file}, &out, &err), 1);
        QVERIFY2(err.contains("routes[0].service: unknown service \"billng\""), err.constData());
        QVERIFY2(err.contains("routes[1].state: "), err.constData());
        QVERIFY2(err.contains("routes[1].colour: unknown key"), err.constData());
        QVERIFY2(err.contains("3 problem"), err.constData());
    }

    void checkConfigMissingFile()
    {
        QByteArray err;
        QCOMPARE(DaemonProcess::run({QStringLiteral("--check-config"), QStringLiteral("/nonexistent/x.yaml")}, nullptr, &err), 1);
        QVERIFY2(err.contains("cannot read"), err.constData());
    }

    void badConfigAtStartExitsOne()
    {
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("bad.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"providers": [{"name": "x", "type": "opnai"}]})");
        f.close();
        DaemonProcess daemon;
        QVERIFY(!daemon.start({QStringLiteral("--config"), file}));
        daemon.process().waitForFinished(10000);
        QCOMPARE(daemon.process().state(), QProcess::NotRunning);
        QCOMPARE(daemon.process().exitCode(), 1);
        QVERIFY2(daemon.standardError().contains("providers[0].type: unknown provider type \"opnai\""),
                 daemon.standardError().constData());
    }

    void sigtermFinishesInFlightRequests()
    {
        // An upstream in this process that answers only when told to.
        QTcpServer upstream;
        QVERIFY(upstream.listen(QHostAddress::LocalHost, 0));
        QTcpSocket *upstreamSide = nullptr;
        QByteArray upstreamRequest;
        connect(&upstream, &QTcpServer::newConnection, this, [&] {
            upstreamSide = upstream.nextPendingConnection();
            connect(upstreamSide, &QTcpSocket::readyRead, this, [&] { upstreamRequest += upstreamSide->readAll(); });
        });
        QTemporaryDir tmp;
        const QString config = tmp.filePath(QStringLiteral("slow.yaml"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("services:\n  - {name: slow, targets: [{url: 'http://127.0.0.1:%1'}]}\n"
                               "routes:\n  - {name: slow, match: {paths: [/slow]}, service: slow, auth: none}\n")
                    .arg(upstream.serverPort())
                    .toUtf8());
        f.close();
        DaemonProcess daemon;
        QVERIFY2(daemon.start({QStringLiteral("--config"), config}), daemon.standardError().constData());

        QTcpSocket client;
        const QUrl gateway(daemon.gatewayUrl());
        client.connectToHost(QHostAddress::LocalHost, quint16(gateway.port()));
        QVERIFY(client.waitForConnected(3000));
        client.write("GET /slow/x HTTP/1.1\r\nHost: test\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(upstreamRequest.contains("\r\n\r\n"), 5000);

        ::kill(pid_t(daemon.process().processId()), SIGTERM);
        QTest::qWait(300);
        // Still running: the request is in flight.
        QCOMPARE(daemon.process().state(), QProcess::Running);
        upstreamSide->write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
        QByteArray response;
        QTRY_VERIFY_WITH_TIMEOUT((response += client.readAll()).endsWith("done"), 5000);
        QVERIFY2(response.startsWith("HTTP/1.1 200"), response.constData());
        QVERIFY(response.contains("Connection: close"));
        QTRY_COMPARE_WITH_TIMEOUT(daemon.process().state(), QProcess::NotRunning, 12000);
        QCOMPARE(daemon.process().exitCode(), 0);
    }

    void startsWithTheExampleConfig()
    {
        DaemonProcess daemon;
        QVERIFY2(daemon.start({QStringLiteral("--config"), QStringLiteral(GATEHOUSE_SOURCE_DIR "/examples/gatehouse.yaml")}),
                 daemon.standardError().constData());
        const HttpResult routes = HttpClient::request("GET", daemon.adminUrl() + QStringLiteral("/routes"), {},
                                                      {{"Authorization", "Bearer " + daemon.adminToken().toUtf8()}});
        QCOMPARE(routes.status, 200);
        QVERIFY(!routes.json()[QStringLiteral("data")].toArray().isEmpty());
        QCOMPARE(HttpClient::request("GET", daemon.gatewayUrl() + QStringLiteral("/_gatehouse/health")).status, 200);
        QCOMPARE(daemon.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDaemon)
#include "tst_daemon.moc"
