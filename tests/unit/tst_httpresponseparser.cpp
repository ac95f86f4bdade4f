#include "http/HttpResponseParser.h"

#include <QTest>

using namespace gh;

namespace {

struct Outcome
{
    bool error = false;
    bool truncated = false;
    bool complete = false;          // at the end (after finish() when eof)
    bool completeBeforeEof = false; // without needing the end of stream
    int status = 0;
    int interim = 0;
    int bodyPieces = 0;
    QByteArray body;
    HttpHeaders headers;
    HttpHeaders trailers;
    bool keepAlive = false;
    qsizetype leftover = 0; // fed bytes not consumed after the message
    QString errorMessage;
};

// Feeds input in pieces of `step` bytes as a connection would (unconsumed bytes are fed
// again with the next piece), collecting body pieces; then the end of stream if eof.
Outcome parse(const QByteArray &input, qsizetype step, bool headRequest, bool eof)
{
    HttpResponseParser parser;
    parser.setHeadRequest(headRequest);
    Outcome outcome;
    QByteArray pending;
    bool done = false;
    for (qsizetype i = 0; i < input.size() && !done; i += step) {
        pending += input.mid(i, step);
        qsizetype offset = 0;
        for (int guard = 0; guard < 100000 && !done; ++guard) {
            const auto result = parser.feed(QByteArrayView(pending).sliced(offset));
            offset += result.consumed;
            switch (result.status) {
            case HttpResponseParser::Status::NeedMore:
                if (offset != pending.size())
                    qFatal("NeedMore without consuming everything");
                guard = 100000;
                break;
            case HttpResponseParser::Status::Interim:
                ++outcome.interim;
                break;
            case HttpResponseParser::Status::HeadComplete:
                outcome.status = parser.statusCode();
                break;
            case HttpResponseParser::Status::Body:
                if (result.body.isEmpty())
                    qFatal("empty body piece");
                // A view into the fed buffer, not a copy.
                if (result.body.data() < pending.constData() ||
                    result.body.data() + result.body.size() > pending.constData() + pending.size())
                    qFatal("body piece outside the fed data");
                ++outcome.bodyPieces;
                outcome.body += result.body;
                break;
            case HttpResponseParser::Status::MessageComplete:
                outcome.completeBeforeEof = true;
                outcome.complete = true;
                done = true;
                break;
            case HttpResponseParser::Status::Error:
                outcome.error = true;
                done = true;
                break;
            }
        }
        pending.remove(0, offset);
        if (done)
            outcome.leftover = pending.size() + qMax<qsizetype>(0, input.size() - (i + step));
    }
    if (!done && eof) {
        const auto status = parser.finish();
        outcome.complete = status == HttpResponseParser::Status::MessageComplete;
        outcome.error = status == HttpResponseParser::Status::Error;
    }
    outcome.truncated = parser.isTruncated();
    outcome.headers = parser.headers();
    outcome.trailers = parser.trailers();
    outcome.keepAlive = parser.keepAlive();
    outcome.errorMessage = parser.errorMessage();
    if (!outcome.status && parser.isHeadComplete())
        outcome.status = parser.statusCode();
    return outcome;
}

QByteArray manyFields(int count)
{
    QByteArray out = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < count; ++i)
        out += "X-H" + QByteArray::number(i) + ": v\r\n";
    return out + "Content-Length: 0\r\n\r\n";
}

} // namespace

class TestHttpResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void interimHeadersAreReported();
    void resetForNextResponse();
    void bodyIsNotAccumulated();
    void finishIsIdempotent();
};

// Row expectations: error (the upstream is broken: 502), or the final status with its
// body; "eof" feeds the end of stream after the input.
void TestHttpResponseParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("head");       // the request was HEAD
    QTest::addColumn<bool>("eof");        // the connection ends after the input
    QTest::addColumn<bool>("error");      // expect an error (incl. truncation)
    QTest::addColumn<bool>("truncated");  // the error is a truncation at end of stream
    QTest::addColumn<int>("status");      // final status code (0: none)
    QTest::addColumn<QByteArray>("body"); // decoded body
    QTest::addColumn<bool>("complete");   // complete at the end
    QTest::addColumn<bool>("needsEof");   // complete only because of the end of stream
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<int>("interim");
    QTest::addColumn<int>("trailers");
    QTest::addColumn<int>("leftover");

    const QByteArray ok = "HTTP/1.1 200 OK\r\n";
    const QByteArray chunkedHead = ok + "Transfer-Encoding: chunked\r\n\r\n";
    // name, input, head, eof, error, truncated, status, body, complete, needsEof, keepAlive,
    // interim, trailers, leftover
    auto row = [](const char *name, const QByteArray &input, bool head, bool eof, bool error,
                  bool truncated, int status, const QByteArray &body, bool complete, bool needsEof,
                  bool keepAlive, int interim = 0, int trailers = 0, int leftover = 0) {
        QTest::newRow(name) << input << head << eof << error << truncated << status << body
                            << complete << needsEof << keepAlive << interim << trailers << leftover;
    };

    // Content-Length
    row("cl", ok + "Content-Length: 5\r\n\r\nhello", false, false, false, false, 200, "hello", true,
        false, true);
    row("cl zero", ok + "Content-Length: 0\r\n\r\n", false, false, false, false, 200, "", true,
        false, true);
    row("cl empty reason", "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nhi", false, false, false,
        false, 200, "hi", true, false, true);
    row("cl no reason", "HTTP/1.1 404\r\nContent-Length: 2\r\n\r\nno", false, false, false, false,
        404, "no", true, false, true);
    row("cl trailing bytes", ok + "Content-Length: 2\r\n\r\nhiHTTP/1.1", false, false, false, false,
        200, "hi", true, false, true, 0, 0, 8);
    row("cl eof after complete", ok + "Content-Length: 2\r\n\r\nhi", false, true, false, false, 200,
        "hi", true, false, true);

    // keep-alive rules
    row("1.0 default close", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", false, false, false,
        false, 200, "hi", true, false, false);
    row("1.0 keep-alive",
        "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nhi", false, false,
        false, false, 200, "hi", true, false, true);
    row("1.1 close", ok + "Connection: close\r\nContent-Length: 2\r\n\r\nhi", false, false, false,
        false, 200, "hi", true, false, false);
    row("1.1 close in list", ok + "Connection: foo, Close\r\nContent-Length: 2\r\n\r\nhi", false,
        false, false, false, 200, "hi", true, false, false);

    // chunked
    row("chunked", chunkedHead + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", false, false, false,
        false, 200, "hello world", true, false, true);
    row("chunked extensions",
        chunkedHead + "5;name=value\r\nhello\r\n6 ; a=\"b;c\"\r\n world\r\n0;last\r\n\r\n", false,
        false, false, false, 200, "hello world", true, false, true);
    row("chunked trailers", chunkedHead + "3\r\nabc\r\n0\r\nX-Checksum: 1\r\nX-More: 2\r\n\r\n",
        false, false, false, false, 200, "abc", true, false, true, 0, 2);
    row("chunked hex",
        chunkedHead + "A\r\n0123456789\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n", false,
        false, false, false, 200, "0123456789abcdefghijklmnopqrstuvwxyz", true, false, true);
    row("chunked coding case", ok + "Transfer-Encoding: Chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n", false,
        false, false, false, 200, "x", true, false, true);

    // close-delimited
    row("until close", ok + "\r\nstreamed until close", false, true, false, false, 200,
        "streamed until close", true, true, false);
    row("until close no eof", ok + "\r\npartial", false, false, false, false, 200, "partial", false,
        false, false);
    row("until close 1.0", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nbody", false, true,
        false, false, 200, "body", true, true, false);

    // no body whatever the fields say
    row("head with cl", ok + "Content-Length: 100\r\n\r\n", true, false, false, false, 200, "",
        true, false, true);
    row("head with chunked", chunkedHead, true, false, false, false, 200, "", true, false, true);
    row("204 with cl", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false, false, false,
        false, 204, "", true, false, true);
    row("304 with chunked", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
        false, false, false, false, 304, "", true, false, true);
    row("204 then bytes", "HTTP/1.1 204 No Content\r\n\r\nHTTP", false, false, false, false, 204,
        "", true, false, true, 0, 0, 4);

    // interim responses
    row("100 then 200", "HTTP/1.1 100 Continue\r\n\r\n" + ok + "Content-Length: 2\r\n\r\nok", false,
        false, false, false, 200, "ok", true, false, true, 1);
    row("103 then 200",
        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" + ok +
            "Content-Length: 2\r\n\r\nok",
        false, false, false, false, 200, "ok", true, false, true, 1);
    row("100 103 then chunked",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" +
            chunkedHead + "2\r\nok\r\n0\r\n\r\n",
        false, false, false, false, 200, "ok", true, false, true, 2);
    row("101 rejected", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: ws\r\n\r\n", false, false,
        true, false, 0, "", false, false, false);

    // framing errors (502)
    row("cl invalid", ok + "Content-Length: abc\r\n\r\n", false, false, true, false, 0, "", false,
        false, false);
    row("cl negative", ok + "Content-Length: -1\r\n\r\n", false, false, true, false, 0, "", false,
        false, false);
    row("cl plus sign", ok + "Content-Length: +5\r\n\r\nhello", false, false, true, false, 0, "",
        false, false, false);
    row("cl empty", ok + "Content-Length: \r\n\r\n", false, false, true, false, 0, "", false, false,
        false);
    row("cl duplicate", ok + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", false, false,
        true, false, 0, "", false, false, false);
    row("cl conflicting", ok + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", false, false,
        true, false, 0, "", false, false, false);
    row("cl list", ok + "Content-Length: 5, 5\r\n\r\nhello", false, false, true, false, 0, "",
        false, false, false);
    row("cl too long", ok + "Content-Length: 1234567890123456789\r\n\r\n", false, false, true,
        false, 0, "", false, false, false);
    row("cl and te", ok + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false,
        false, true, false, 0, "", false, false, false);
    row("te gzip", ok + "Transfer-Encoding: gzip\r\n\r\nxx", false, false, true, false, 0, "",
        false, false, false);
    row("te gzip chunked", ok + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", false, false,
        true, false, 0, "", false, false, false);
    row("te twice", ok + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", false,
        false, true, false, 0, "", false, false, false);
    row("te in 1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false, false,
        true, false, 0, "", false, false, false);
    row("bad chunk size", chunkedHead + "zz\r\nhello\r\n0\r\n\r\n", false, false, true, false, 0,
        "", false, false, false);
    row("chunk size junk", chunkedHead + "5 x\r\nhello\r\n0\r\n\r\n", false, false, true, false, 0,
        "", false, false, false);
    row("chunk size overflow", chunkedHead + "FFFFFFFFFFFFFFFFF\r\n", false, false, true, false, 0,
        "", false, false, false);
    row("chunk missing crlf", chunkedHead + "5\r\nhelloXY0\r\n\r\n", false, false, true, false, 0,
        "hello", false, false, false);

    // head syntax and limits
    row("oversized head", ok + "X-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n", false, false,
        true, false, 0, "", false, false, false);
    row("200 fields", manyFields(199), false, false, false, false, 200, "", true, false, true);
    row("201 fields", manyFields(201), false, false, true, false, 0, "", false, false, false);
    row("obs-fold", ok + "X-A: a\r\n  folded\r\nContent-Length: 0\r\n\r\n", false, false, true,
        false, 0, "", false, false, false);
    row("nul in value", ok + QByteArray("X-A: a\0b\r\nContent-Length: 0\r\n\r\n", 31), false, false,
        true, false, 0, "", false, false, false);
    row("space in name", ok + "Bad Name: x\r\nContent-Length: 0\r\n\r\n", false, false, true, false,
        0, "", false, false, false);
    row("space before colon", ok + "X-A : x\r\nContent-Length: 0\r\n\r\n", false, false, true,
        false, 0, "", false, false, false);
    row("bare lf", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", false, false, true, false, 0, "",
        false, false, false);
    row("bare cr", ok + "X-A: a\rb\r\nContent-Length: 0\r\n\r\n", false, false, true, false, 0, "",
        false, false, false);
    row("bad status code", "HTTP/1.1 20 OK\r\n\r\n", false, false, true, false, 0, "", false, false,
        false);
    row("status code 099", "HTTP/1.1 099 Odd\r\n\r\n", false, false, true, false, 0, "", false,
        false, false);
    row("http 2", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", false, false, true, false, 0, "",
        false, false, false);
    row("lowercase version", "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, false, true,
        false, 0, "", false, false, false);
    row("not http", "SSH-2.0-OpenSSH_9.2\r\n", false, false, true, false, 0, "", false, false,
        false);
    row("ctl in reason", "HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n", false, false, true,
        false, 0, "", false, false, false);
    row("too many interims", QByteArray("HTTP/1.1 100 Continue\r\n\r\n").repeated(17), false, false,
        true, false, 0, "", false, false, false, 16);

    // truncation at end of stream
    row("truncated cl body", ok + "Content-Length: 10\r\n\r\nhello", false, true, true, true, 200,
        "hello", false, false, false);
    row("truncated chunk", chunkedHead + "a\r\nhello", false, true, true, true, 200, "hello", false,
        false, false);
    row("truncated before last chunk", chunkedHead + "5\r\nhello\r\n", false, true, true, true, 200,
        "hello", false, false, false);
    row("truncated in trailers", chunkedHead + "0\r\nX-T: 1\r\n", false, true, true, true, 200, "",
        false, false, false);
    row("truncated head", ok + "Content-Le", false, true, true, true, 0, "", false, false, false);
    row("truncated after 100", "HTTP/1.1 100 Continue\r\n\r\n", false, true, true, true, 0, "",
        false, false, false, 1);
    row("closed before response", "", false, true, true, true, 0, "", false, false, false);
}

void TestHttpResponseParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, head);
    QFETCH(bool, eof);
    QFETCH(bool, error);
    QFETCH(bool, truncated);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, complete);
    QFETCH(bool, needsEof);
    QFETCH(bool, keepAlive);
    QFETCH(int, interim);
    QFETCH(int, trailers);
    QFETCH(int, leftover);

    const qsizetype whole = qMax<qsizetype>(1, input.size());
    for (const qsizetype step : {whole, qsizetype(1), qsizetype(2), qsizetype(7), qsizetype(64)}) {
        const QByteArray how = "fed in pieces of " + QByteArray::number(step);
        const Outcome outcome = ::parse(input, step, head, eof);
        QVERIFY2(outcome.error == error,
                 how + ": " + (outcome.error ? outcome.errorMessage.toUtf8() : "no error"));
        QVERIFY2(outcome.truncated == truncated, how);
        QVERIFY2(outcome.complete == complete, how);
        if (error)
            QVERIFY2(!outcome.errorMessage.isEmpty(), how);
        if (!error) {
            QVERIFY2(outcome.status == status, how);
            QVERIFY2(outcome.keepAlive == keepAlive, how);
            QVERIFY2(outcome.trailers.size() == trailers, how);
            QVERIFY2(outcome.leftover == leftover, how);
        } else if (truncated) {
            QVERIFY2(outcome.status == status, how);
        }
        if (complete)
            QVERIFY2(outcome.completeBeforeEof == !needsEof, how);
        QVERIFY2(outcome.interim == interim, how);
        QVERIFY2(outcome.body == body, how + ": body " + outcome.body.left(64));
    }
}

void TestHttpResponseParser::interimHeadersAreReported()
{
    HttpResponseParser parser;
    const QByteArray input = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                             "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Final: 1\r\n\r\n";
    auto result = parser.feed(input);
    QCOMPARE(result.status, HttpResponseParser::Status::Interim);
    QCOMPARE(parser.statusCode(), 103);
    QCOMPARE(parser.headers().value("link"), QByteArray("</a.css>; rel=preload"));
    QVERIFY(!parser.isHeadComplete());
    qsizetype offset = result.consumed;
    result = parser.feed(QByteArrayView(input).sliced(offset));
    QCOMPARE(result.status, HttpResponseParser::Status::HeadComplete);
    QCOMPARE(parser.statusCode(), 200);
    QVERIFY(!parser.headers().contains("link")); // the final head starts fresh
    QCOMPARE(parser.headers().value("x-final"), QByteArray("1"));
    QCOMPARE(parser.interimCount(), 1);
    offset += result.consumed;
    result = parser.feed(QByteArrayView(input).sliced(offset));
    QCOMPARE(result.status, HttpResponseParser::Status::MessageComplete);
    QCOMPARE(offset, input.size());
}

void TestHttpResponseParser::resetForNextResponse()
{
    HttpResponseParser parser;
    const QByteArray first = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none";
    const QByteArray second = "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "3\r\ntwo\r\n0\r\n\r\n";
    QByteArray body;
    for (const QByteArray &input : {first, second}) {
        parser.reset();
        QVERIFY(parser.isIdle());
        qsizetype offset = 0;
        body.clear();
        while (true) {
            const auto result = parser.feed(QByteArrayView(input).sliced(offset));
            offset += result.consumed;
            if (result.status == HttpResponseParser::Status::Body)
                body += result.body;
            if (result.status == HttpResponseParser::Status::MessageComplete)
                break;
            QVERIFY(result.status != HttpResponseParser::Status::Error);
            QVERIFY(result.status != HttpResponseParser::Status::NeedMore);
        }
        QVERIFY(parser.keepAlive());
    }
    QCOMPARE(parser.statusCode(), 404);
    QCOMPARE(body, QByteArray("two"));
    QCOMPARE(parser.framing(), HttpResponseParser::Framing::Chunked);
}

void TestHttpResponseParser::bodyIsNotAccumulated()
{
    // A large body fed as one buffer comes back as one piece pointing into that buffer.
    HttpResponseParser parser;
    QByteArray input = "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n";
    const qsizetype headSize = input.size();
    input += QByteArray(1000000, 'x');
    auto result = parser.feed(input);
    QCOMPARE(result.status, HttpResponseParser::Status::HeadComplete);
    QCOMPARE(parser.contentLength(), 1000000);
    result = parser.feed(QByteArrayView(input).sliced(headSize));
    QCOMPARE(result.status, HttpResponseParser::Status::Body);
    QCOMPARE(result.body.data(), input.constData() + headSize);
    QCOMPARE(result.body.size(), 1000000);
    QCOMPARE(parser.bodyBytes(), 1000000);
    QCOMPARE(parser.feed({}).status, HttpResponseParser::Status::MessageComplete);
}

void TestHttpResponseParser::finishIsIdempotent()
{
    HttpResponseParser parser;
    parser.feed("HTTP/1.1 200 OK\r\n\r\nabc");
    QCOMPARE(parser.finish(), HttpResponseParser::Status::MessageComplete);
    QCOMPARE(parser.finish(), HttpResponseParser::Status::MessageComplete);
    QVERIFY(!parser.keepAlive());
    QVERIFY(!parser.isTruncated());

    parser.reset();
    QCOMPARE(parser.finish(), HttpResponseParser::Status::Error);
    QVERIFY(parser.isTruncated());
    QVERIFY(parser.isIdle()); // closed before any byte: retryable for the caller
}

QTEST_APPLESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
