// The HTTPS listener (--tls) end to end: real gatehoused children serving TLS 1.2+ with
// the certificate of their local CA (DATA_DIR/tls), clients trusting that CA only, and
// the admin API's refusal of non-loopback binds without --tls --allow-remote-admin.
#include "DaemonProcess.h"
#include "ScriptedUpstream.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslCipher>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace gh::test;

namespace {

struct TlsResult
{
    bool encrypted = false;
    QString error;
    QList<QSslError> sslErrors;
    QSsl::SslProtocol protocol = QSsl::UnknownProtocol;
    QSslCertificate peer;
    int status = 0;
    QByteArray head;
    QByteArray body;
};

quint16 portOf(const QString &url)
{
    return quint16(QUrl(url).port());
}

// One request over a fresh TLS connection to 127.0.0.1 (Connection: close), verified
// against `cas` only, for the name `verifyName`.
TlsResult tlsRequest(quint16 port, const QByteArray &request, const QList<QSslCertificate> &cas,
                     const QString &verifyName = QStringLiteral("localhost"),
                     QSsl::SslProtocol protocol = QSsl::TlsV1_2OrLater)
{
    TlsResult r;
    QSslSocket socket;
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setCaCertificates(cas); // replaces the system store: nothing else is trusted
    c.setProtocol(protocol);
    c.setPeerVerifyMode(QSslSocket::VerifyPeer);
    socket.setSslConfiguration(c);
    socket.setPeerVerifyName(verifyName);
    QObject::connect(&socket, &QSslSocket::sslErrors,
                     [&r](const QList<QSslError> &errors) { r.sslErrors = errors; });
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForEncrypted(10000)) {
        r.error = socket.errorString();
        return r;
    }
    r.encrypted = true;
    r.protocol = socket.sessionProtocol();
    r.peer = socket.peerCertificate();
    socket.write(request);
    QByteArray data;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(10000))
        data += socket.readAll();
    data += socket.readAll();
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0) {
        r.error = QStringLiteral("no HTTP response: ") + QString::fromLatin1(data.left(200));
        return r;
    }
    r.head = data.left(end);
    r.body = data.mid(end + 4);
    r.status = r.head.mid(9, 3).toInt();
    return r;
}

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "Connection: close\r\n\r\n";
}

// A minimal ClientHello offering at most `version` (0x0302 = TLS 1.1, 0x0303 = 1.2):
// ECDHE suites, P-256, ECDSA-SHA256. Raw bytes, so the refusal measured is the
// server's, whatever the client library would allow itself.
QByteArray clientHello(quint16 version)
{
    auto be16 = [](int n) {
        QByteArray out;
        out.append(char((n >> 8) & 0xff)).append(char(n & 0xff));
        return out;
    };
    QByteArray body = be16(version);
    body += QByteArray(32, '\x42'); // client random
    body.append('\0');              // no session id
    const QByteArray suites = QByteArray::fromHex("c02bc02fc009c013002f");
    body += be16(int(suites.size())) + suites;
    body += QByteArray::fromHex("0100"); // compression: null only
    const QByteArray extensions =
        QByteArray::fromHex("000a000400020017"   // supported_groups: secp256r1
                            "000b00020100"       // ec_point_formats
                            "000d000400020403"); // signature_algorithms
    body += be16(int(extensions.size())) + extensions;
    const QByteArray handshake = QByteArray::fromHex("0100") + be16(int(body.size())) + body;
    return QByteArray::fromHex("160301") + be16(int(handshake.size())) + handshake;
}

// Writes `bytes` on a plain TCP connection and collects the answer until the server
// closes (or 10 s pass).
QByteArray rawExchange(quint16 port, const QByteArray &bytes, bool *closed)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(bytes);
    QByteArray data;
    QDeadlineTimer deadline(10000);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            data += socket.readAll();
    }
    data += socket.readAll();
    *closed = socket.state() != QAbstractSocket::ConnectedState;
    return data;
}

} // namespace

class TestHttpsListener : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<ScriptedUpstream> m_echo;
    std::unique_ptr<DaemonProcess> m_daemon;
    QSslCertificate m_ca;

    quint16 gatewayPort() const { return portOf(m_daemon->gatewayUrl()); }

    void checkStillServing()
    {
        const TlsResult r = tlsRequest(gatewayPort(), get("/_gatehouse/health"), {m_ca});
        QVERIFY2(r.encrypted, qPrintable(r.error));
        QCOMPARE(r.status, 200);
        QCOMPARE(m_daemon->process().state(), QProcess::Running);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_echo = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            if (r.target.endsWith("/big"))
                return UpstreamReply::respond(200, QByteArray(4 * 1024 * 1024, 'b'));
            return UpstreamReply::respond(200, "proto=" + r.header("x-forwarded-proto") +
                                                   " method=" + r.method +
                                                   " bytes=" + QByteArray::number(r.bodyBytes));
        });
        QVERIFY(m_echo->start());
        QFile config(m_tmp.filePath(QStringLiteral("tls.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(
            QStringLiteral("services: [{name: echo, targets: [{url: \"%1\"}]}]\n"
                           "routes:\n"
                           "  - {name: echo, match: {paths: [/echo]}, service: echo, auth: none,\n"
                           "     max_body_bytes: 8388608}\n")
                .arg(m_echo->url())
                .toUtf8());
        config.close();
        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start(
                     {QStringLiteral("--tls"), QStringLiteral("--config"), config.fileName()}),
                 m_daemon->standardError().constData());

        // The CA as a user gets it: --print-ca on the same data dir.
        QByteArray out;
        QByteArray err;
        QCOMPARE(DaemonProcess::run({QStringLiteral("--data-dir"), m_daemon->dataDir(),
                                     QStringLiteral("--print-ca")},
                                    &out, &err),
                 0);
        m_ca = QSslCertificate(out, QSsl::Pem);
        QVERIFY2(!m_ca.isNull(), out.constData());
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->terminate(), 0);
    }

    void readyLineSaysHttps()
    {
        QVERIFY2(m_daemon->gatewayUrl().startsWith(QLatin1String("https://127.0.0.1:")),
                 m_daemon->readyLine().constData());
        QVERIFY2(m_daemon->adminUrl().startsWith(QLatin1String("https://127.0.0.1:")),
                 m_daemon->readyLine().constData());
    }

    void printCaPrintsTheTrustedFileAndKeepsIt()
    {
        QFile file(m_daemon->dataDir() + QStringLiteral("/tls/ca.pem"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QSslCertificate(file.readAll(), QSsl::Pem), m_ca);
        QVERIFY(m_ca.isSelfSigned());
        QByteArray out;
        QByteArray err;
        QCOMPARE(DaemonProcess::run({QStringLiteral("--data-dir"), m_daemon->dataDir(),
                                     QStringLiteral("--print-ca")},
                                    &out, &err),
                 0);
        QCOMPARE(QSslCertificate(out, QSsl::Pem), m_ca); // not regenerated
        QVERIFY2(err.contains("tls/ca.pem"), err.constData());
    }

    void healthOverTls_data()
    {
        QTest::addColumn<QSsl::SslProtocol>("protocol");
        QTest::addColumn<QString>("name");
        QTest::newRow("1.2 or later, localhost")
            << QSsl::TlsV1_2OrLater << QStringLiteral("localhost");
        QTest::newRow("1.2 only, 127.0.0.1") << QSsl::TlsV1_2 << QStringLiteral("127.0.0.1");
        QTest::newRow("1.3 only") << QSsl::TlsV1_3 << QStringLiteral("localhost");
    }

    void healthOverTls()
    {
        QFETCH(QSsl::SslProtocol, protocol);
        QFETCH(QString, name);
        const TlsResult r =
            tlsRequest(gatewayPort(), get("/_gatehouse/health"), {m_ca}, name, protocol);
        QVERIFY2(r.encrypted, qPrintable(r.error));
        QVERIFY(r.sslErrors.isEmpty());
        QVERIFY(r.protocol == QSsl::TlsV1_2 || r.protocol == QSsl::TlsV1_3);
        if (protocol != QSsl::TlsV1_2OrLater)
            QCOMPARE(r.protocol, protocol);
        QCOMPARE(r.peer.issuerDisplayName(), QStringLiteral("Gatehouse Local CA"));
        QCOMPARE(r.status, 200);
    }

    void clientNotTrustingTheCaRefuses()
    {
        // Proves the checks above verify something: without the CA, no handshake.
        const TlsResult r = tlsRequest(gatewayPort(), get("/_gatehouse/health"), {});
        QVERIFY(!r.encrypted);
        QVERIFY(!r.sslErrors.isEmpty());
        checkStillServing();
    }

    void proxiedRouteThroughNetworkAccessManager()
    {
        QNetworkAccessManager nam;
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setCaCertificates({m_ca});
        auto call = [&](const QByteArray &method, const QString &path, const QByteArray &body) {
            QNetworkRequest request(QUrl(m_daemon->gatewayUrl() + path));
            request.setSslConfiguration(c);
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QStringLiteral("application/octet-stream"));
            QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
            QSignalSpy finished(reply, &QNetworkReply::finished);
            if (!reply->isFinished())
                finished.wait(20000);
            reply->deleteLater();
            return reply;
        };
        QNetworkReply *reply = call("GET", QStringLiteral("/echo/hello"), {});
        QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(reply->hasRawHeader("x-gatehouse-request-id"));
        // The upstream learns the client came over TLS.
        QCOMPARE(reply->readAll(), QByteArray("proto=https method=GET bytes=0"));

        // A 2 MiB upload and a 4 MiB download, on the same keep-alive connection: the TLS
        // path streams both ways.
        const QByteArray upload(2 * 1024 * 1024, 'u');
        reply = call("POST", QStringLiteral("/echo/upload"), upload);
        QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
        QCOMPARE(reply->readAll(), QByteArray("proto=https method=POST bytes=2097152"));
        reply = call("GET", QStringLiteral("/echo/big"), {});
        QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
        QCOMPARE(reply->readAll(), QByteArray(4 * 1024 * 1024, 'b'));
        QVERIFY(reply->sslConfiguration().sessionProtocol() == QSsl::TlsV1_2 ||
                reply->sslConfiguration().sessionProtocol() == QSsl::TlsV1_3);
    }

    void tls11ClientIsRefused()
    {
        bool closed = false;
        // Control: the same hello offering TLS 1.2 gets a ServerHello for 1.2.
        const QByteArray accepted = rawExchange(gatewayPort(), clientHello(0x0303), &closed);
        QVERIFY2(accepted.size() > 10,
                 (accepted.toHex() + (closed ? " closed" : " open")).constData());
        QCOMPARE(int(quint8(accepted.at(0))), 0x16); // handshake record
        QCOMPARE(int(quint8(accepted.at(5))), 0x02); // ServerHello
        QCOMPARE(accepted.mid(9, 2), QByteArray::fromHex("0303"));

        const QByteArray refused = rawExchange(gatewayPort(), clientHello(0x0302), &closed);
        QVERIFY(closed);
        // A fatal alert (RFC 8446 §6: protocol_version, 70), no ServerHello.
        QVERIFY2(refused.size() >= 7, refused.toHex().constData());
        QCOMPARE(int(quint8(refused.at(0))), 0x15);
        QCOMPARE(int(quint8(refused.at(5))), 2);  // fatal
        QCOMPARE(int(quint8(refused.at(6))), 70); // protocol_version
        checkStillServing();
    }

    void plainHttpToTheTlsPortIsClosed()
    {
        bool closed = false;
        const QByteArray answer = rawExchange(gatewayPort(), get("/_gatehouse/health"), &closed);
        QVERIFY(closed);
        QVERIFY2(!answer.contains("HTTP/1."), answer.constData());
        checkStillServing();
    }

    void adminApiOverTls()
    {
        const QByteArray auth = "Authorization: Bearer " + m_daemon->adminToken().toUtf8() + "\r\n";
        const TlsResult r = tlsRequest(portOf(m_daemon->adminUrl()), get("/config", auth), {m_ca});
        QVERIFY2(r.encrypted, qPrintable(r.error));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("\"routes\""));
        bool closed = false;
        QVERIFY(!rawExchange(portOf(m_daemon->adminUrl()), get("/health"), &closed)
                     .contains("HTTP/1."));
        QVERIFY(closed);
    }

    void nonLoopbackAdminIsRefused_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("alone")
            << QStringList{QStringLiteral("--admin-listen"), QStringLiteral("0.0.0.0:0")}
            << QByteArray("gatehoused: --admin-listen 0.0.0.0:0 is not a loopback address: the "
                          "admin API controls the whole gateway and would travel in clear "
                          "text; serve it there with --tls --allow-remote-admin");
        QTest::newRow("tls without the flag")
            << QStringList{QStringLiteral("--tls"), QStringLiteral("--admin-listen"),
                           QStringLiteral("0.0.0.0:0")}
            << QByteArray("add --allow-remote-admin");
        QTest::newRow("flag without tls")
            << QStringList{QStringLiteral("--allow-remote-admin"), QStringLiteral("--admin-listen"),
                           QStringLiteral("0.0.0.0:0")}
            << QByteArray("--allow-remote-admin requires --tls");
        QTest::newRow("ipv6 any") << QStringList{QStringLiteral("--admin-listen"),
                                                 QStringLiteral("[::]:0")}
                                  << QByteArray("--admin-listen [::]:0 is not a loopback address");
    }

    void nonLoopbackAdminIsRefused()
    {
        QFETCH(QStringList, flags);
        QFETCH(QByteArray, message);
        QTemporaryDir data;
        QByteArray out;
        QByteArray err;
        const QStringList args =
            QStringList{QStringLiteral("--data-dir"), data.path(), QStringLiteral("--listen"),
                        QStringLiteral("127.0.0.1:0")} +
            flags;
        QCOMPARE(DaemonProcess::run(args, &out, &err), 2);
        QVERIFY2(err.contains(message), err.constData());
        QCOMPARE(err.count('\n'), 1); // one clear line
        QVERIFY(out.isEmpty());
        QVERIFY(!QFile::exists(data.filePath(QStringLiteral("gatehouse.db")))); // nothing started
    }

    void remoteAdminWithTlsAndTheFlag()
    {
        DaemonProcess daemon;
        QVERIFY2(daemon.start({QStringLiteral("--tls"), QStringLiteral("--allow-remote-admin"),
                               QStringLiteral("--admin-listen"), QStringLiteral("0.0.0.0:0")}),
                 daemon.standardError().constData());
        QVERIFY2(daemon.adminUrl().startsWith(QLatin1String("https://0.0.0.0:")),
                 daemon.readyLine().constData());
        QByteArray out;
        QByteArray err;
        QCOMPARE(DaemonProcess::run(
                     {QStringLiteral("--data-dir"), daemon.dataDir(), QStringLiteral("--print-ca")},
                     &out, &err),
                 0);
        const QSslCertificate ca(out, QSsl::Pem);
        QVERIFY(ca != m_ca); // each data dir has its own CA
        const TlsResult r = tlsRequest(portOf(daemon.adminUrl()), get("/health"), {ca});
        QVERIFY2(r.encrypted, qPrintable(r.error));
        QCOMPARE(r.status, 200);
        QCOMPARE(daemon.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpsListener)
#include "tst_httpslistener.moc"
