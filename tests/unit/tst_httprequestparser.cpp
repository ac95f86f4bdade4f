#include "http/HttpHeaders.h"
#include "http/HttpRequestParser.h"

#include <QTest>

using namespace gh;

namespace {

struct Outcome
{
    QList<HttpRequest> requests;
    int errorStatus = 0;
    bool incomplete = false; // bytes of an unfinished message left over
};

// Feeds input in pieces of `step` bytes, as a connection would, and collects every
// complete request until the first error.
Outcome parseAll(const QByteArray &input, qsizetype step, HttpRequestParser::Limits limits)
{
    HttpRequestParser parser(limits);
    Outcome outcome;
    QByteArray pending;
    for (qsizetype i = 0; i < input.size(); i += step) {
        pending += input.mid(i, step);
        qsizetype offset = 0;
        for (int guard = 0; guard < 10000; ++guard) {
            const auto result = parser.feed(QByteArrayView(pending).sliced(offset));
            offset += result.consumed;
            if (result.status == HttpRequestParser::Status::NeedMore) {
                if (offset != pending.size())
                    qFatal("NeedMore without consuming everything");
                break;
            }
            if (result.status == HttpRequestParser::Status::Error) {
                outcome.errorStatus = parser.errorStatus();
                return outcome;
            }
            if (result.status == HttpRequestParser::Status::MessageComplete) {
                outcome.requests.append(parser.takeRequest());
                parser.reset();
            }
        }
        pending.remove(0, offset);
    }
    outcome.incomplete = !parser.isIdle() || !pending.isEmpty();
    return outcome;
}

QByteArray manyHeaders(int count)
{
    QByteArray out = "GET / HTTP/1.1\r\nHost: h\r\n";
    for (int i = 1; i < count; ++i)
        out += "X-H" + QByteArray::number(i) + ": v\r\n";
    return out + "\r\n";
}

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void headCompleteBeforeBody();
    void contentLengthTooLargeWithoutBody();
    void errorIsSticky();
    void headerLookup();
    void bodySinkStreamsWithoutBuffering();
    void routeBodyLimit();
};

void TestHttpRequestParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");        // 0: every request complete; else the error status
    QTest::addColumn<int>("count");         // complete requests expected
    QTest::addColumn<QByteArray>("method"); // of the first request
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("maxBody");

    const qint64 big = 10 * 1024 * 1024;
    auto ok = [big](const char *name, const QByteArray &input, int count, const QByteArray &method,
                    const QByteArray &path, const QByteArray &query, const QByteArray &body) {
        QTest::newRow(name) << input << 0 << count << method << path << query << body << big;
    };
    auto bad = [big](const char *name, const QByteArray &input, int status, qint64 maxBody = 0) {
        QTest::newRow(name) << input << status << 0 << QByteArray() << QByteArray() << QByteArray()
                            << QByteArray() << (maxBody ? maxBody : big);
    };

    // Valid
    ok("get", "GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: h\r\n\r\n", 1, "GET", "/a/b", "x=1&y=2", "");
    ok("post content-length", "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", 1,
       "POST", "/p", "", "hello");
    ok("content-length zero", "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", 1, "POST",
       "/p", "", "");
    ok("content-length leading zeros",
       "PUT /p HTTP/1.1\r\nHost: h\r\nContent-Length: 003\r\n\r\nabc", 1, "PUT", "/p", "", "abc");
    ok("chunked with extensions and trailers",
       "POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
       "4;ext=1\r\nWiki\r\n5 ; name=\"q v\"\r\npedia\r\n000A\r\n in chunks\r\n"
       "0\r\nX-Checksum: abc\r\nX-More: 1\r\n\r\n",
       1, "POST", "/u", "", "Wikipedia in chunks");
    ok("chunked case-insensitive",
       "POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 1,
       "POST", "/u", "", "abc");
    ok("pipelined pair",
       "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
       "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz",
       2, "GET", "/one", "", "");
    ok("http/1.0 without host", "GET / HTTP/1.0\r\n\r\n", 1, "GET", "/", "", "");
    ok("percent-decoded path", "GET /a%20b/%C3%A9?q=%20 HTTP/1.1\r\nHost: h\r\n\r\n", 1, "GET",
       "/a b/\xC3\xA9", "q=%20", "");
    ok("encoded slash stays encoded", "GET /a%2fb%25c HTTP/1.1\r\nHost: h\r\n\r\n", 1, "GET",
       "/a%2Fb%25c", "", "");
    ok("options asterisk", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", 1, "OPTIONS", "*", "", "");
    ok("absolute-form", "GET http://example.com:8080/x/y?z=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
       1, "GET", "/x/y", "z=1", "");
    ok("absolute-form without path",
       "GET https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", 1, "GET", "/", "", "");
    ok("leading empty line", "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", 1, "GET", "/", "", "");
    ok("expect 100-continue",
       "PUT /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok", 1,
       "PUT", "/e", "", "ok");
    ok("tabs and obs-text in value", "GET / HTTP/1.1\r\nHost:\th \r\nX-A: a\tb \xE9\r\n\r\n", 1,
       "GET", "/", "", "");
    ok("empty header value", "GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\n\r\n", 1, "GET", "/", "",
       "");
    ok("header count at limit", manyHeaders(100), 1, "GET", "/", "", "");

    // Framing ambiguity (request smuggling)
    bad("content-length and transfer-encoding",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        "0\r\n\r\n",
        400);
    bad("repeated identical content-length",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400);
    bad("differing content-length",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", 400);
    bad("content-length list", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 1\r\n\r\nx", 400);
    bad("negative content-length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400);
    bad("signed content-length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\nx", 400);
    bad("hex content-length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x1\r\n\r\nx", 400);
    bad("empty content-length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400);
    bad("huge content-length",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", 400);
    bad("transfer-encoding not chunked",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400);
    bad("chunked not final",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400);
    bad("chunked twice",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"
        "\r\n",
        400);
    bad("unsupported coding before chunked",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501);
    bad("transfer-encoding with a parameter",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", 400);
    bad("http/1.0 chunked",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400);
    bad("bad chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        400);
    bad("chunk size with junk",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3 x\r\nabc\r\n0\r\n\r\n",
        400);
    bad("chunk size overflow",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        "1FFFFFFFFFFFFFFFF\r\n",
        400);
    bad("negative chunk size",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400);
    bad("chunk data too long",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
        400);
    bad("chunk without crlf after data",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc0\r\n\r\n", 400);
    bad("obs-fold in trailer",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\r\n b\r\n\r\n",
        400);

    // Header syntax
    bad("obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n", 400);
    bad("leading whitespace on first header", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400);
    bad("whitespace before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400);
    bad("tab before colon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400);
    bad("empty header name", "GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n", 400);
    bad("header without colon", "GET / HTTP/1.1\r\nHost: h\r\nX-A\r\n\r\n", 400);
    static const char nulInValue[] = "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\0b\r\n\r\n";
    bad("nul in header value", QByteArray(nulInValue, sizeof(nulInValue) - 1), 400);
    bad("bare cr in header value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n", 400);
    bad("bare lf line endings", "GET / HTTP/1.1\nHost: h\n\n", 400);
    bad("bare lf after a header", "GET / HTTP/1.1\r\nHost: h\n\r\n", 400);
    bad("missing host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400);
    bad("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    bad("expectation other than 100-continue",
        "PUT / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", 417);

    // Request line
    bad("invalid method token", "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("double space", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("target without slash", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("asterisk with get", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("unknown scheme", "GET ftp://h/x HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("fragment in target", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("non-ascii target", "GET /\xC3\xA9 HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("http/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505);
    bad("http/1.2", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", 505);
    bad("lowercase version", "GET / http/1.1\r\nHost: h\r\n\r\n", 400);
    bad("http/0.9 style", "GET /\r\n\r\n", 400);
    bad("connect", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501);
    bad("encoded nul in path", "GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("dot-dot segment", "GET /a/../b HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("encoded dot-dot segment", "GET /a/%2e%2E/b HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("malformed percent-encoding", "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400);
    bad("truncated percent-encoding", "GET /a%2 HTTP/1.1\r\nHost: h\r\n\r\n", 400);

    // Limits
    bad("too many headers", manyHeaders(101), 431);
    bad("header too large",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + QByteArray(40 * 1024, 'a') + "\r\n\r\n", 431);
    bad("request line too long", "GET /" + QByteArray(40 * 1024, 'a') + " HTTP/1.1\r\n\r\n", 414);
    bad("content-length over limit", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n",
        413, 10);
    bad("chunked over limit",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        "6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n",
        413, 10);
}

void TestHttpRequestParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(int, count);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, body);
    QFETCH(qint64, maxBody);

    HttpRequestParser::Limits limits;
    limits.maxBodyBytes = maxBody;
    // All at once, byte by byte, and in odd-sized pieces: the outcome must not depend on
    // how the bytes arrive.
    for (const qsizetype step : {input.size(), qsizetype(1), qsizetype(7)}) {
        const Outcome outcome = parseAll(input, step, limits);
        QCOMPARE(outcome.errorStatus, status);
        if (status != 0)
            continue;
        QVERIFY(!outcome.incomplete);
        QCOMPARE(outcome.requests.size(), count);
        const HttpRequest &first = outcome.requests.front();
        QCOMPARE(first.method, method);
        QCOMPARE(first.path, path);
        QCOMPARE(first.query, query);
        QCOMPARE(first.body, body);
    }
}

void TestHttpRequestParser::headCompleteBeforeBody()
{
    const QByteArray head = "POST /up?a=1 HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n";
    HttpRequestParser parser;
    QVERIFY(parser.isIdle());
    auto result = parser.feed(head + "5\r\nhel");
    QCOMPARE(result.status, HttpRequestParser::Status::HeadComplete);
    QCOMPARE(result.consumed, head.size());
    QVERIFY(parser.expectsContinue());
    QVERIFY(parser.isChunked());
    QVERIFY(parser.keepAlive());
    QCOMPARE(parser.request().target, QByteArray("/up?a=1"));
    QCOMPARE(parser.request().headers.value("transfer-encoding"), QByteArray("chunked"));

    result = parser.feed("5\r\nhel");
    QCOMPARE(result.status, HttpRequestParser::Status::NeedMore);
    QCOMPARE(result.consumed, 6);
    result = parser.feed("lo\r\n0\r\nX-Sum: 1\r\n\r\nGET");
    QCOMPARE(result.status, HttpRequestParser::Status::MessageComplete);
    QCOMPARE(result.consumed, 19); // the next request's "GET" is left for later
    QCOMPARE(parser.request().body, QByteArray("hello"));
    QCOMPARE(parser.request().trailers.value("x-sum"), QByteArray("1"));
    QVERIFY(!parser.request().headers.contains("x-sum"));

    parser.reset();
    QVERIFY(parser.isIdle());
    result = parser.feed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QCOMPARE(result.status, HttpRequestParser::Status::HeadComplete);
    QVERIFY(parser.keepAlive());
    QVERIFY(!parser.expectsContinue());
    QCOMPARE(parser.feed({}).status, HttpRequestParser::Status::MessageComplete);
    QCOMPARE(parser.request().versionMinor, 0);

    parser.reset();
    parser.feed("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, close\r\n\r\n");
    QVERIFY(!parser.keepAlive());
}

void TestHttpRequestParser::contentLengthTooLargeWithoutBody()
{
    HttpRequestParser::Limits limits;
    limits.maxBodyBytes = 1000;
    HttpRequestParser parser(limits);
    // Rejected on the head alone: the body is never waited for.
    const auto result = parser.feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n"
                                    "Expect: 100-continue\r\n\r\n");
    QCOMPARE(result.status, HttpRequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), 413);
    QVERIFY(!parser.errorMessage().isEmpty());
}

void TestHttpRequestParser::errorIsSticky()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("GET / HTTP/1.1\nHost: h\r\n\r\n").status,
             HttpRequestParser::Status::Error);
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status,
             HttpRequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), 400);
    parser.reset();
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status,
             HttpRequestParser::Status::HeadComplete);
}

void TestHttpRequestParser::headerLookup()
{
    HttpHeaders headers;
    headers.add("Content-Type", "text/plain");
    headers.add("X-Multi", "a");
    headers.add("x-multi", "b");
    QCOMPARE(headers.value("content-type"), QByteArray("text/plain"));
    QCOMPARE(headers.values("X-MULTI"), QList<QByteArray>({"a", "b"}));
    QCOMPARE(headers.combinedValue("x-multi"), QByteArray("a, b"));
    QVERIFY(headers.value("missing").isNull());
    headers.set("X-Multi", "c");
    QCOMPARE(headers.values("x-multi"), QList<QByteArray>({"c"}));
    QCOMPARE(headers.size(), 2);
    headers.add("Connection", "keep-alive, Upgrade");
    QVERIFY(headers.hasToken("connection", "upgrade"));
    QVERIFY(!headers.hasToken("connection", "close"));
    headers.remove("CONTENT-TYPE");
    QVERIFY(!headers.contains("content-type"));
    QCOMPARE(headers.entries().front().first, QByteArray("X-Multi"));
}

void TestHttpRequestParser::bodySinkStreamsWithoutBuffering()
{
    HttpRequestParser parser;
    const QByteArray input = "POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "3\r\nabc\r\n4;x=y\r\ndefg\r\n0\r\n\r\n";
    auto r = parser.feed(input);
    QCOMPARE(r.status, HttpRequestParser::Status::HeadComplete);
    QList<QByteArray> pieces;
    parser.setBodySink([&](QByteArrayView piece) { pieces.append(piece.toByteArray()); });
    qsizetype offset = r.consumed;
    // Byte by byte: every body byte reaches the sink, none is kept in the request.
    while (offset < input.size()) {
        r = parser.feed(QByteArrayView(input).sliced(offset, 1));
        offset += r.consumed;
        if (r.status == HttpRequestParser::Status::MessageComplete)
            break;
    }
    QCOMPARE(r.status, HttpRequestParser::Status::MessageComplete);
    QCOMPARE(pieces.join(), QByteArray("abcdefg"));
    QVERIFY(parser.request().body.isEmpty());
    QCOMPARE(parser.bodyBytesReceived(), 7);
    parser.reset();
    QCOMPARE(parser.bodyBytesReceived(), 0);
}

void TestHttpRequestParser::routeBodyLimit()
{
    // Content-Length above the route's limit: refused at once.
    HttpRequestParser parser;
    auto r = parser.feed("POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n");
    QCOMPARE(r.status, HttpRequestParser::Status::HeadComplete);
    QVERIFY(!parser.setBodyLimit(10));
    QCOMPARE(parser.errorStatus(), 413);
    QCOMPARE(parser.errorMessage(), QStringLiteral("Request body exceeds 10 bytes"));

    // Chunked: refused when the chunks cross the limit.
    parser.reset();
    r = parser.feed("POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
    QCOMPARE(r.status, HttpRequestParser::Status::HeadComplete);
    QVERIFY(parser.setBodyLimit(5));
    r = parser.feed("3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
    QCOMPARE(r.status, HttpRequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), 413);

    // A route may lower the server's limit, never raise it.
    HttpRequestParser small(HttpRequestParser::Limits{8, 32 * 1024, 100});
    r = small.feed("POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\n");
    QCOMPARE(r.status, HttpRequestParser::Status::Error);
    QCOMPARE(small.errorStatus(), 413);
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
