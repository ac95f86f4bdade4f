#include "ai/SseParser.h"
#include "ai/SseWriter.h"

#include <QFile>
#include <QTest>

using namespace gh;

namespace {

QList<SseEvent> feedWhole(QByteArrayView bytes)
{
    SseParser parser;
    return parser.feed(bytes);
}

// The same bytes one at a time: every split point, CRLF and BOM included.
QList<SseEvent> feedByteByByte(QByteArrayView bytes)
{
    SseParser parser;
    QList<SseEvent> events;
    for (qsizetype i = 0; i < bytes.size(); ++i)
        events += parser.feed(bytes.sliced(i, 1));
    return events;
}

SseEvent ev(const QByteArray &event, const QByteArray &data, const QByteArray &id = {})
{
    return SseEvent{event, data, id};
}

QByteArray readData(const char *name)
{
    QFile file(QStringLiteral(GATEHOUSE_SOURCE_DIR "/tests/unit/data/ai/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", name);
    return file.readAll();
}

} // namespace

class TestSseStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namedEventWithLf()
    {
        const QByteArray bytes = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        const QList<SseEvent> expected{ev("message_stop", "{\"type\":\"message_stop\"}")};
        QCOMPARE(feedWhole(bytes), expected);
        QCOMPARE(feedByteByByte(bytes), expected);
    }

    void lineEndings_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("LF") << QByteArray("event: a\ndata: 1\n\ndata: 2\n\n");
        QTest::newRow("CRLF") << QByteArray("event: a\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n");
        QTest::newRow("CR") << QByteArray("event: a\rdata: 1\r\rdata: 2\r\r");
        QTest::newRow("mixed") << QByteArray("event: a\r\ndata: 1\r\n\ndata: 2\r\r\n");
    }
    void lineEndings()
    {
        QFETCH(QByteArray, bytes);
        const QList<SseEvent> expected{ev("a", "1"), ev({}, "2")};
        QCOMPARE(feedWhole(bytes), expected);
        QCOMPARE(feedByteByByte(bytes), expected);
    }

    void crlfSplitAcrossFeeds()
    {
        SseParser parser;
        QVERIFY(parser.feed("data: x\r").isEmpty());
        // The LF completes the CR's line ending; it is not an empty line of its own.
        QVERIFY(parser.feed("\n").isEmpty());
        QCOMPARE(parser.feed("\r\n"), QList<SseEvent>{ev({}, "x")});
    }

    void multiLineDataIsJoinedWithLf()
    {
        const QByteArray bytes = "data: first\ndata: second\ndata:third\n\n";
        QCOMPARE(feedByteByByte(bytes), QList<SseEvent>{ev({}, "first\nsecond\nthird")});
    }

    void commentsAreIgnored()
    {
        const QByteArray bytes = ": keep-alive\n\n:another\ndata: x\n: between\n\n";
        QCOMPARE(feedByteByByte(bytes), QList<SseEvent>{ev({}, "x")});
    }

    void bomIsSkippedOnlyAtTheStart()
    {
        const QByteArray bytes = "\xEF\xBB\xBF"
                                 "data: a\n\n";
        QCOMPARE(feedWhole(bytes), QList<SseEvent>{ev({}, "a")});
        QCOMPARE(feedByteByByte(bytes), QList<SseEvent>{ev({}, "a")});
        // Later, the same bytes are data.
        const QByteArray later = "data: a\n\ndata: \xEF\xBB\xBF"
                                 "b\n\n";
        QCOMPARE(feedWhole(later).last().data, QByteArray("\xEF\xBB\xBF"
                                                          "b"));
    }

    void partialBomIsData()
    {
        // A stream that starts with a BOM's first byte but no BOM: the byte is line data
        // (here it makes an unknown field name, so nothing is dispatched for that line).
        const QByteArray bytes = "\xEF"
                                 "x\ndata: y\n\n";
        QCOMPARE(feedByteByByte(bytes), QList<SseEvent>{ev({}, "y")});
    }

    void eventWithoutDataIsNotDispatched()
    {
        const QByteArray bytes = "event: lonely\n\ndata: x\n\n";
        // The event name does not leak into the next event either.
        QCOMPARE(feedByteByByte(bytes), QList<SseEvent>{ev({}, "x")});
    }

    void emptyDataFieldDispatchesEmptyData()
    {
        QCOMPARE(feedWhole("data:\n\n"), QList<SseEvent>{ev({}, "")});
        QCOMPARE(feedWhole("data\n\n"), QList<SseEvent>{ev({}, "")}); // no colon: empty value
        QCOMPARE(feedWhole("data\ndata\n\n"), QList<SseEvent>{ev({}, "\n")});
    }

    void onlyOneLeadingSpaceIsRemoved()
    {
        QCOMPARE(feedWhole("data:  two\n\n"), QList<SseEvent>{ev({}, " two")});
        QCOMPARE(feedWhole("data:none\n\n"), QList<SseEvent>{ev({}, "none")});
        QCOMPARE(feedWhole("data: a: b\n\n"), QList<SseEvent>{ev({}, "a: b")});
    }

    void lastEventIdPersists()
    {
        const QByteArray bytes = "id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n";
        const QList<SseEvent> expected{ev({}, "a", "7"), ev({}, "b", "7"), ev({}, "c", "")};
        QCOMPARE(feedByteByByte(bytes), expected);
    }

    void idWithNulIsIgnored()
    {
        static const char raw[] = "id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n";
        const QByteArray bytes(raw, sizeof(raw) - 1);
        const QList<SseEvent> events = feedWhole(bytes);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(1).id, QByteArray("1"));
    }

    void retryTakesOnlyDigits()
    {
        SseParser parser;
        QCOMPARE(parser.retryMs(), -1);
        parser.feed("retry: 3000\n\n");
        QCOMPARE(parser.retryMs(), 3000);
        parser.feed("retry: soon\n\nretry: 12a\n\nretry:\n\n");
        QCOMPARE(parser.retryMs(), 3000);
        QVERIFY(parser.feed("retry: 10\ndata: x\n\n").size() == 1);
        QCOMPARE(parser.retryMs(), 10);
    }

    void unknownFieldsAreIgnored()
    {
        QCOMPARE(feedWhole("foo: bar\ndata : not data\ndata: x\n\n"), QList<SseEvent>{ev({}, "x")});
    }

    void finishDiscardsAnUnterminatedEvent()
    {
        SseParser parser;
        QVERIFY(parser.feed("data: complete\n\ndata: cut").size() == 1);
        QVERIFY(parser.finish());  // truncated
        QVERIFY(!parser.finish()); // nothing pending any more
        SseParser clean;
        clean.feed("data: a\n\n");
        QVERIFY(!clean.finish());
        // An event whose lines all arrived but whose blank line did not is discarded too.
        SseParser noBlank;
        QVERIFY(noBlank.feed("data: a\n").isEmpty());
        QVERIFY(noBlank.finish());
    }

    void oversizedEventIsAnError()
    {
        SseParser parser(16);
        QVERIFY(parser.feed("data: 0123456789").isEmpty());
        QVERIFY(!parser.hasError());
        QVERIFY(parser.feed("abcdefgh").isEmpty());
        QVERIFY(parser.hasError());
        QVERIFY(parser.feed("\n\n").isEmpty());
    }

    void recordedAnthropicStreamParses()
    {
        const QByteArray bytes = readData("anthropic_stream_tool_use.sse");
        const QList<SseEvent> whole = feedWhole(bytes);
        QCOMPARE(whole.size(), 30);
        QCOMPARE(whole.first().event, QByteArray("message_start"));
        QCOMPARE(whole.at(2), ev("ping", "{\"type\": \"ping\"}"));
        QCOMPARE(whole.last(), ev("message_stop", "{\"type\":\"message_stop\"}"));
        QCOMPARE(feedByteByByte(bytes), whole);
        QByteArray crlf = bytes;
        crlf.replace("\n", "\r\n");
        QCOMPARE(feedByteByByte(crlf), whole);
    }

    void writerFramesNamedEvents()
    {
        QCOMPARE(SseWriter::event("message_stop", "{\"type\":\"message_stop\"}"),
                 QByteArray("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        QCOMPARE(SseWriter::data("[DONE]"), QByteArray("data: [DONE]\n\n"));
        QCOMPARE(SseWriter::event("e", "x", "42"), QByteArray("event: e\nid: 42\ndata: x\n\n"));
    }

    void writerSplitsMultiLineData()
    {
        QCOMPARE(SseWriter::data("a\nb\r\nc\rd"),
                 QByteArray("data: a\ndata: b\ndata: c\ndata: d\n\n"));
        QCOMPARE(SseWriter::data(""), QByteArray("data: \n\n"));
        QCOMPARE(SseWriter::data("end\n"), QByteArray("data: end\ndata: \n\n"));
    }

    void writerKeepsNamesOnOneLine()
    {
        QCOMPARE(SseWriter::event("bad\nname", "x"), QByteArray("event: badname\ndata: x\n\n"));
        QCOMPARE(SseWriter::comment("ping\r\ndata: injected"),
                 QByteArray(": pingdata: injected\n\n"));
        QCOMPARE(SseWriter::retry(1500), QByteArray("retry: 1500\n\n"));
    }

    void writerOutputRoundTrips()
    {
        QByteArray stream = SseWriter::comment("hello");
        stream += SseWriter::event("one", "line 1\nline 2", "9");
        stream += SseWriter::data("end\n");
        stream += SseWriter::retry(5);
        const QList<SseEvent> expected{ev("one", "line 1\nline 2", "9"), ev({}, "end\n", "9")};
        QCOMPARE(feedByteByByte(stream), expected);
    }
};

QTEST_GUILESS_MAIN(TestSseStream)
#include "tst_ssestream.moc"
