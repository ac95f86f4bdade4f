#include "proxy/ForwardedHeaders.h"

#include <QTest>

using namespace gh;

class TestForwardedHeaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestLosesHopByHopAndGainsForwarding()
    {
        HttpHeaders in;
        in.add("Host", "api.local:4141");
        in.add("Connection", "keep-alive, X-Secret-Hop");
        in.add("X-Secret-Hop", "1");
        in.add("Keep-Alive", "timeout=5");
        in.add("Proxy-Connection", "keep-alive");
        in.add("TE", "trailers");
        in.add("Transfer-Encoding", "chunked");
        in.add("Content-Length", "5");
        in.add("Upgrade", "websocket");
        in.add("Expect", "100-continue");
        in.add("Accept", "application/json");
        in.add("X-Api-Key", "gh-consumer-key");
        in.add("X-Forwarded-For", "10.0.0.1");
        in.add("Via", "1.0 corp-proxy");
        const HttpHeaders out = ForwardedHeaders::forUpstream(in, QHostAddress(QStringLiteral("127.0.0.1")),
                                                              "api.local:4141", "x-api-key", "req-1");
        for (const char *gone : {"connection", "x-secret-hop", "keep-alive", "proxy-connection", "te",
                                 "transfer-encoding", "content-length", "upgrade", "expect", "host", "x-api-key"})
            QVERIFY2(!out.contains(gone), gone);
        QCOMPARE(out.value("accept"), QByteArray("application/json"));
        QCOMPARE(out.value("x-forwarded-for"), QByteArray("10.0.0.1, 127.0.0.1"));
        QCOMPARE(out.value("x-forwarded-proto"), QByteArray("http"));
        QCOMPARE(out.value("x-forwarded-host"), QByteArray("api.local:4141"));
        QCOMPARE(out.value("via"), QByteArray("1.0 corp-proxy, 1.1 gatehouse"));
        QCOMPARE(out.value("x-gatehouse-request-id"), QByteArray("req-1"));
    }

    void mappedIpv6PeerIsWrittenAsIpv4()
    {
        const HttpHeaders out = ForwardedHeaders::forUpstream({}, QHostAddress(QStringLiteral("::ffff:127.0.0.1")), {}, {}, "r");
        QCOMPARE(out.value("x-forwarded-for"), QByteArray("127.0.0.1"));
        QVERIFY(!out.contains("x-forwarded-host"));
    }

    void tlsClientIsForwardedAsHttps()
    {
        const HttpHeaders out =
            ForwardedHeaders::forUpstream({}, QHostAddress(QStringLiteral("127.0.0.1")), {}, {}, "r", true);
        QCOMPARE(out.value("x-forwarded-proto"), QByteArray("https"));
    }

    void responseLosesHopByHop()
    {
        HttpHeaders in;
        in.add("Content-Type", "text/plain");
        in.add("Connection", "close");
        in.add("Transfer-Encoding", "chunked");
        in.add("Keep-Alive", "timeout=5");
        in.add("Set-Cookie", "a=1");
        in.add("Set-Cookie", "b=2");
        const HttpHeaders out = ForwardedHeaders::forClient(in);
        QVERIFY(!out.contains("connection"));
        QVERIFY(!out.contains("transfer-encoding"));
        QVERIFY(!out.contains("keep-alive"));
        QCOMPARE(out.values("set-cookie").size(), 2); // repeated fields stay separate
        QCOMPARE(out.value("via"), QByteArray("1.1 gatehouse"));
    }
};

QTEST_GUILESS_MAIN(TestForwardedHeaders)
#include "tst_forwardedheaders.moc"
