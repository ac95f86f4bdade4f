// The request log's building blocks (docs/logging.md): the per-worker SPSC buffer, the
// one redaction place, the writer thread (concurrent producers, exact counts, flush,
// retention in batches, the live tap) and the queries behind GET /logs and
// GET /stats/usage (parameters, filters, paging, exact aggregates and percentiles).
#include "log/Redaction.h"
#include "log/RequestLogBuffer.h"
#include "store/RequestLogQuery.h"
#include "store/RequestLogReader.h"
#include "store/RequestLogWriter.h"
#include "store/Store.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>
#include <QUrlQuery>

#include <atomic>
#include <thread>
#include <vector>

using namespace gh;

namespace {

RequestRecord record(qint64 ts, const QString &route, int status = 200, double latencyMs = 1)
{
    RequestRecord r;
    r.tsMs = ts;
    r.route = route;
    r.method = "GET";
    r.path = "/x";
    r.status = status;
    r.latencyMs = latencyMs;
    return r;
}

qint64 countRows(Store &store, const QString &where = QString())
{
    Statement s =
        store.database().prepare(QStringLiteral("SELECT count(*) FROM request_log ") + where);
    return s.next() ? s.int64(0) : -1;
}

const qint64 kDay = 24 * 3600 * 1000;

} // namespace

class TestRequestLog : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<Store> m_store;

    QString dbPath() const { return m_tmp->filePath(Store::fileName()); }

private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        m_store = std::make_unique<Store>();
        QString error;
        QVERIFY2(m_store->open(m_tmp->path(), &error), qPrintable(error));
    }

    void cleanup()
    {
        m_store.reset();
        m_tmp.reset();
    }

    // --- RequestLogBuffer -------------------------------------------------------------

    void bufferKeepsOrderAndWrapsAround()
    {
        RequestLogBuffer buffer(4);
        QCOMPARE(buffer.capacity(), std::size_t(4));
        int next = 0;
        QList<qint64> seen;
        for (int round = 0; round < 5; ++round) {
            for (int i = 0; i < 3; ++i)
                QVERIFY(buffer.push(record(next++, {})));
            buffer.drain([&](RequestRecord &&r) { seen.append(r.tsMs); }, 100);
        }
        QCOMPARE(seen.size(), 15);
        for (int i = 0; i < 15; ++i)
            QCOMPARE(seen.at(i), qint64(i));
        QCOMPARE(buffer.dropped(), quint64(0));
        QCOMPARE(buffer.pushed(), quint64(15));
    }

    void fullBufferDropsAndCountsWithoutBlocking()
    {
        RequestLogBuffer buffer(8);
        for (int i = 0; i < 8; ++i)
            QVERIFY(buffer.push(record(i, {})));
        QVERIFY(!buffer.push(record(8, {})));
        QVERIFY(!buffer.push(record(9, {})));
        QCOMPARE(buffer.dropped(), quint64(2));
        QCOMPARE(buffer.size(), std::size_t(8));
        // Drained partly: room again, the oldest come out first.
        QList<qint64> seen;
        QCOMPARE(buffer.drain([&](RequestRecord &&r) { seen.append(r.tsMs); }, 3), std::size_t(3));
        QCOMPARE(seen, (QList<qint64>{0, 1, 2}));
        QVERIFY(buffer.push(record(10, {})));
        QCOMPARE(buffer.size(), std::size_t(6));
    }

    void bodiesBeyondTheBudgetAreLeftOut()
    {
        RequestLogBuffer buffer(64);
        const qint64 chunk = RequestLogBuffer::BodyBudgetBytes / 4;
        int kept = 0;
        for (int i = 0; i < 8; ++i) {
            RequestRecord r = record(i, {});
            r.requestBody = QByteArray(chunk, 'a');
            QVERIFY(buffer.push(std::move(r)));
        }
        buffer.drain(
            [&](RequestRecord &&r) {
                if (!r.requestBody.isEmpty())
                    ++kept;
                else
                    QVERIFY(r.bodiesTruncated); // the record itself is kept
            },
            100);
        QCOMPARE(kept, 4);
        // Drained: the budget is free again.
        RequestRecord again = record(9, {});
        again.requestBody = QByteArray(chunk, 'b');
        QVERIFY(buffer.push(std::move(again)));
        buffer.drain([&](RequestRecord &&r) { QCOMPARE(r.requestBody.size(), chunk); }, 1);
    }

    void bufferUnderAProducerAndAConsumerThread()
    {
        RequestLogBuffer buffer(256);
        constexpr int Total = 200000;
        std::atomic<bool> giveUp{false};
        std::thread producer([&] {
            for (int i = 0; i < Total && !giveUp.load(); ++i) {
                while (!buffer.push(record(i, {})) && !giveUp.load())
                    std::this_thread::yield();
            }
        });
        qint64 expected = 0;
        bool inOrder = true;
        // A bound, not a timing assertion: a loaded machine only makes this slower.
        const QDeadlineTimer bound(120000);
        while (expected < Total && !bound.hasExpired()) {
            if (!buffer.drain([&](RequestRecord &&r) { inOrder = inOrder && r.tsMs == expected++; },
                              64))
                std::this_thread::yield();
        }
        giveUp.store(true);
        producer.join();
        QVERIFY(inOrder);
        QCOMPARE(expected, qint64(Total));
    }

    // --- Redaction --------------------------------------------------------------------

    void redactsSecretHeaders()
    {
        HttpHeaders in;
        in.add("Authorization", "Bearer gh-secret");
        in.add("X-Api-Key", "k1");
        in.add("api-key", "k2");
        in.add("x-goog-api-key", "k3");
        in.add("Cookie", "session=abc");
        in.add("Set-Cookie", "session=abc");
        in.add("Proxy-Authorization", "Basic abc");
        in.add("Content-Type", "application/json");
        const HttpHeaders out = Redaction::headers(in);
        QCOMPARE(out.size(), in.size());
        for (const HttpHeaders::Entry &e : out.entries()) {
            if (e.first == "Content-Type")
                QCOMPARE(e.second, QByteArray("application/json"));
            else
                QCOMPARE(e.second, QByteArray(Redaction::Mask));
        }
    }

    void redactsSecretQueryParameters_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("key") << QByteArray("/v1beta/models?key=AIzaSecret&alt=sse")
                             << QByteArray("/v1beta/models?key=[REDACTED]&alt=sse");
        QTest::newRow("api_key last")
            << QByteArray("/a?x=1&api_key=s3cr3t") << QByteArray("/a?x=1&api_key=[REDACTED]");
        QTest::newRow("encoded name")
            << QByteArray("/a?api%5Fkey=s3cr3t") << QByteArray("/a?api%5Fkey=[REDACTED]");
        QTest::newRow("case and token")
            << QByteArray("/a?KEY=1&access_token=2&client_secret=3&password=4")
            << QByteArray("/a?KEY=[REDACTED]&access_token=[REDACTED]"
                          "&client_secret=[REDACTED]&password=[REDACTED]");
        QTest::newRow("untouched")
            << QByteArray("/a?monk=1&q=key") << QByteArray("/a?monk=1&q=key");
        QTest::newRow("no query") << QByteArray("/a/key=1") << QByteArray("/a/key=1");
        QTest::newRow("empty value")
            << QByteArray("/a?key=&b") << QByteArray("/a?key=[REDACTED]&b");
    }

    void redactsSecretQueryParameters()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, expected);
        QCOMPARE(Redaction::target(target), expected);
    }

    void redactsBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("secret");
        QTest::newRow("json member")
            << QByteArray(R"({"api_key":"abc123","x":1})") << QByteArray("abc123");
        QTest::newRow("json escaped")
            << QByteArray(R"({"password":"a\"b-secret","x":1})") << QByteArray("b-secret");
        QTest::newRow("truncated json")
            << QByteArray(R"({"model":"m","token":"abcdefgh)") << QByteArray("abcdefgh");
        QTest::newRow("bearer") << QByteArray("header was Bearer xyz.abc-123 ok")
                                << QByteArray("xyz.abc-123");
        QTest::newRow("consumer key in a prompt")
            << QByteArray(R"({"messages":[{"content":"my key is gh-AbCdEfGhIjKlMnOpQrStUv"}]})")
            << QByteArray("gh-AbCdEfGhIjKlMnOpQrStUv");
        QTest::newRow("openai key")
            << QByteArray("sk-proj-abcdefghijklmnopqrstu") << QByteArray("abcdefghijklmnop");
        QTest::newRow("form") << QByteArray("user=me&api_key=formsecret")
                              << QByteArray("formsecret");
        QTest::newRow("quoted url")
            << QByteArray("ok /open/r?x=1&key=urlsecret done") << QByteArray("urlsecret");
    }

    void redactsBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, secret);
        const QByteArray out = Redaction::body(body);
        QVERIFY2(!out.contains(secret), out.constData());
        QVERIFY2(out.contains(Redaction::Mask), out.constData());
    }

    void bodiesWithoutSecretsStayAsTheyAre()
    {
        const QByteArray body =
            R"({"model":"gpt-4o","messages":[{"role":"user","content":"hello"}]})";
        QCOMPARE(Redaction::body(body), body);
    }

    void appliesToEveryFieldOfARecord()
    {
        RequestRecord r = record(1, QStringLiteral("r"));
        r.path = "/p?key=s1";
        r.requestHeaders.add("authorization", "Bearer s2");
        r.responseHeaders.add("set-cookie", "s3");
        r.requestBody = R"({"api_key":"s4"})";
        r.responseBody = R"({"token":"s5"})";
        r.error = QStringLiteral("upstream said: Bearer s6");
        Redaction::apply(r);
        const QByteArray all = r.path + r.requestHeaders.entries().first().second +
                               r.responseHeaders.entries().first().second + r.requestBody +
                               r.responseBody + r.error.toUtf8();
        for (const char *secret : {"s1", "s2", "s3", "s4", "s5", "s6"})
            QVERIFY2(!all.contains(secret), secret);
    }

    // --- RequestLogWriter -------------------------------------------------------------

    void writerStoresEveryFieldRedacted()
    {
        RequestLogWriter writer;
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        auto buffer = writer.addBuffer();
        RequestRecord r = record(1700000000123, QStringLiteral("billing"), 502, 12.5);
        r.requestId = "req-1";
        r.consumer = QStringLiteral("me");
        r.promptApi = QStringLiteral("sentiment");
        r.provider = QStringLiteral("openai");
        r.model = QStringLiteral("gpt-4o-mini");
        r.method = "POST";
        r.path = "/billing/x?key=secret";
        r.upstreamMs = 10.25;
        r.ttfbMs = 11.5;
        r.tokensIn = 100;
        r.tokensOut = 50;
        r.costUsd = 0.0000451;
        r.cache = "MISS";
        r.bytesIn = 123;
        r.bytesOut = 456;
        r.error = QStringLiteral("upstream unreachable");
        r.requestHeaders.add("x-api-key", "hdrsecret");
        r.requestBody = R"({"q":1})";
        QVERIFY(buffer->push(std::move(r)));
        QVERIFY(writer.flush());
        QCOMPARE(writer.written(), quint64(1));

        RequestLogQuery query(m_store->database());
        const auto page = query.logs({});
        QVERIFY2(page, qPrintable(query.lastError()));
        QCOMPARE(page->rows.size(), 1);
        const RequestRecord &got = page->rows.first();
        QCOMPARE(got.tsMs, 1700000000123);
        QCOMPARE(got.requestId, QByteArray("req-1"));
        QCOMPARE(got.consumer, QStringLiteral("me"));
        QCOMPARE(got.route, QStringLiteral("billing"));
        QCOMPARE(got.promptApi, QStringLiteral("sentiment"));
        QCOMPARE(got.provider, QStringLiteral("openai"));
        QCOMPARE(got.model, QStringLiteral("gpt-4o-mini"));
        QCOMPARE(got.method, QByteArray("POST"));
        QCOMPARE(got.path, QByteArray("/billing/x?key=[REDACTED]"));
        QCOMPARE(got.status, 502);
        QCOMPARE(got.latencyMs, 12.5);
        QCOMPARE(got.upstreamMs, std::optional<double>(10.25));
        QCOMPARE(got.ttfbMs, std::optional<double>(11.5));
        QCOMPARE(got.tokensIn, std::optional<qint64>(100));
        QCOMPARE(got.tokensOut, std::optional<qint64>(50));
        QCOMPARE(got.costUsd, std::optional<double>(0.0000451));
        QCOMPARE(got.cache, QByteArray("MISS"));
        QCOMPARE(got.bytesIn, 123);
        QCOMPARE(got.bytesOut, 456);
        QCOMPARE(got.error, QStringLiteral("upstream unreachable"));
        QCOMPARE(got.requestHeaders.value("x-api-key"), QByteArray(Redaction::Mask));
        QCOMPARE(got.requestBody, QByteArray(R"({"q":1})"));
        // Unset optional fields are NULL, not 0.
        QCOMPARE(
            countRows(*m_store,
                      QStringLiteral("WHERE response_body IS NULL AND response_headers IS NULL")),
            1);
    }

    // The writer keeps statement parameters between runs and binds only what changes, and
    // names point into a cache: every field of every row must still be exactly its own,
    // whatever mix of NULLs, values and names came before it in the same statement
    // (32 rows), in the previous statement or in the previous batch, and after the name
    // cache starts over.
    void writerKeepsEveryFieldAcrossStatementsAndBatches()
    {
        RequestLogWriter writer;
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        auto buffer = writer.addBuffer();
        const auto pick = [](int i, int field, int modulo) {
            return (i * 7919 + field * 104729) % modulo;
        };
        const auto name = [&](int i, int field, const char *prefix) {
            // Mostly a few repeated names, sometimes none, sometimes one never seen before.
            const int p = pick(i, field, 10);
            if (p < 3)
                return QString();
            if (p == 9)
                return QStringLiteral("%1-unique-%2").arg(QLatin1String(prefix)).arg(i);
            return QStringLiteral("%1-%2").arg(QLatin1String(prefix)).arg(p);
        };
        std::vector<RequestRecord> expected;
        const auto make = [&](int i, bool manyConsumers) {
            RequestRecord r;
            r.tsMs = 1700000000000 + i;
            r.requestId = pick(i, 1, 4) ? QByteArray("req-") + QByteArray::number(i) : QByteArray();
            r.consumer = manyConsumers ? QStringLiteral("consumer-%1").arg(i) : name(i, 2, "c");
            r.route = name(i, 3, "route");
            r.promptApi = name(i, 4, "api");
            r.provider = name(i, 5, "prov");
            r.model = name(i, 6, "model-\u00e9");
            r.method = pick(i, 7, 2) ? "POST" : "GET";
            r.path = "/p/" + QByteArray::number(i);
            r.status = 200 + pick(i, 8, 400);
            r.latencyMs = i / 4.0;
            if (pick(i, 9, 3))
                r.upstreamMs = i / 8.0;
            if (pick(i, 10, 3))
                r.ttfbMs = i / 16.0;
            if (pick(i, 11, 2))
                r.tokensIn = i;
            if (pick(i, 12, 2))
                r.tokensOut = 2 * i;
            if (pick(i, 13, 2))
                r.costUsd = i / 1e6;
            r.cache = pick(i, 14, 3) == 0   ? QByteArray()
                      : pick(i, 14, 3) == 1 ? QByteArray("HIT")
                                            : QByteArray("MISS");
            r.bytesIn = i * 3;
            r.bytesOut = i * 5;
            if (pick(i, 15, 4) == 0)
                r.error = QStringLiteral("error %1").arg(i);
            if (pick(i, 16, 5) == 0) {
                r.requestHeaders.add("x-n", QByteArray::number(i));
                r.requestBody = "req body " + QByteArray::number(i);
            }
            if (pick(i, 17, 5) == 0) {
                r.responseHeaders.add("x-m", QByteArray::number(i));
                r.responseBody = "resp body " + QByteArray::number(i);
            }
            expected.push_back(r);
            QVERIFY(buffer->push(std::move(r)));
        };
        int next = 0;
        // Batches of sizes that end mid-statement, then one with more distinct consumer
        // names than the cache keeps, then mixed rows again.
        for (int size : {1, 31, 33, 64, 97, 5}) {
            for (int k = 0; k < size; ++k)
                make(next++, false);
            QVERIFY(writer.flush());
        }
        for (int size : {70, 5000})
            for (int k = 0; k < size; ++k)
                make(next++, size == 5000);
        QVERIFY(writer.flush());
        for (int k = 0; k < 200; ++k)
            make(next++, false);
        QVERIFY(writer.flush());

        Statement s = m_store->database().prepare(QStringLiteral(
            "SELECT ts, request_id, consumer, route, prompt_api, provider, model, method, path, "
            "status, latency_ms, upstream_ms, ttfb_ms, tokens_in, tokens_out, cost_usd, cache, "
            "bytes_in, bytes_out, error, request_headers, request_body, response_headers, "
            "response_body FROM request_log ORDER BY id"));
        std::size_t row = 0;
        const auto text = [&](int column) {
            return s.isNull(column) ? QString() : s.text(column);
        };
        const auto optionalReal = [&](int column) {
            return s.isNull(column) ? std::optional<double>()
                                    : std::optional<double>(s.real(column));
        };
        const auto optionalInt = [&](int column) {
            return s.isNull(column) ? std::optional<qint64>()
                                    : std::optional<qint64>(s.int64(column));
        };
        while (s.next()) {
            QVERIFY(row < expected.size());
            const RequestRecord &e = expected[row++];
            const QByteArray where = "row " + QByteArray::number(qint64(row - 1));
            QVERIFY2(s.int64(0) == e.tsMs, where);
            QVERIFY2(text(1) == QString::fromLatin1(e.requestId), where);
            QVERIFY2(s.isNull(1) == e.requestId.isEmpty(), where);
            QVERIFY2(text(2) == e.consumer && s.isNull(2) == e.consumer.isEmpty(), where);
            QVERIFY2(text(3) == e.route && s.isNull(3) == e.route.isEmpty(), where);
            QVERIFY2(text(4) == e.promptApi && s.isNull(4) == e.promptApi.isEmpty(), where);
            QVERIFY2(text(5) == e.provider && s.isNull(5) == e.provider.isEmpty(), where);
            QVERIFY2(text(6) == e.model && s.isNull(6) == e.model.isEmpty(), where);
            QVERIFY2(text(7) == QString::fromLatin1(e.method), where);
            QVERIFY2(text(8) == QString::fromLatin1(e.path), where);
            QVERIFY2(s.int64(9) == e.status, where);
            QVERIFY2(s.real(10) == e.latencyMs, where);
            QVERIFY2(optionalReal(11) == e.upstreamMs, where);
            QVERIFY2(optionalReal(12) == e.ttfbMs, where);
            QVERIFY2(optionalInt(13) == e.tokensIn, where);
            QVERIFY2(optionalInt(14) == e.tokensOut, where);
            QVERIFY2(optionalReal(15) == e.costUsd, where);
            QVERIFY2(text(16) == QString::fromLatin1(e.cache) && s.isNull(16) == e.cache.isEmpty(),
                     where);
            QVERIFY2(s.int64(17) == e.bytesIn && s.int64(18) == e.bytesOut, where);
            QVERIFY2(text(19) == e.error && s.isNull(19) == e.error.isEmpty(), where);
            const QString requestHeaders =
                e.requestHeaders.isEmpty()
                    ? QString()
                    : QStringLiteral("[[\"x-n\",\"%1\"]]").arg(e.requestHeaders.value("x-n"));
            const QString responseHeaders =
                e.responseHeaders.isEmpty()
                    ? QString()
                    : QStringLiteral("[[\"x-m\",\"%1\"]]").arg(e.responseHeaders.value("x-m"));
            QVERIFY2(text(20) == requestHeaders && s.isNull(20) == requestHeaders.isEmpty(), where);
            QVERIFY2(text(21) == QString::fromLatin1(e.requestBody) &&
                         s.isNull(21) == e.requestBody.isEmpty(),
                     where);
            QVERIFY2(text(22) == responseHeaders && s.isNull(22) == responseHeaders.isEmpty(),
                     where);
            QVERIFY2(text(23) == QString::fromLatin1(e.responseBody) &&
                         s.isNull(23) == e.responseBody.isEmpty(),
                     where);
        }
        QVERIFY2(!s.failed(), qPrintable(m_store->database().lastError()));
        QCOMPARE(row, expected.size());
        QCOMPARE(writer.written(), quint64(expected.size()));
    }

    void writerUnderConcurrentProducersKeepsEveryRecord()
    {
        RequestLogWriter::Options options;
        options.flushIntervalMs = 20;
        RequestLogWriter writer(options);
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        constexpr int Producers = 4;
        constexpr int PerProducer = 25000;
        std::vector<std::thread> threads;
        std::atomic<int> retries{0};
        for (int p = 0; p < Producers; ++p) {
            threads.emplace_back([&, p] {
                auto buffer = writer.addBuffer(1024);
                for (int i = 0; i < PerProducer; ++i) {
                    RequestRecord r =
                        record(qint64(p) * PerProducer + i, QStringLiteral("w%1").arg(p));
                    // The test wants every record, so it waits where a worker would drop.
                    while (!buffer->push(RequestRecord(r))) {
                        retries.fetch_add(1);
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    }
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
        QVERIFY(writer.flush());
        QCOMPARE(writer.written(), quint64(Producers * PerProducer));
        // Every refused push counted as a drop (then retried here), none lost otherwise.
        QCOMPARE(writer.dropped(), quint64(retries.load()));
        QCOMPARE(countRows(*m_store), qint64(Producers * PerProducer));
        QCOMPARE(countRows(*m_store, QStringLiteral("WHERE route = 'w2'")), qint64(PerProducer));
        Statement distinct = m_store->database().prepare(
            QStringLiteral("SELECT count(DISTINCT ts) FROM request_log"));
        QVERIFY(distinct.next());
        QCOMPARE(distinct.int64(0), qint64(Producers * PerProducer));
    }

    void droppedRecordsAreCountedBothWhileAndAfterABufferLives()
    {
        RequestLogWriter writer;
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        {
            auto buffer = writer.addBuffer(2);
            // Nothing drains between these pushes: at most two fit.
            int accepted = 0;
            for (int i = 0; i < 5; ++i)
                accepted += buffer->push(record(i, {})) ? 1 : 0;
            QVERIFY(accepted >= 2);
            QCOMPARE(writer.dropped(), quint64(5 - accepted));
            QVERIFY(writer.flush());
            QCOMPARE(writer.written(), quint64(accepted));
        }
        // The buffer's worker is gone: its drops still count.
        QVERIFY(writer.flush());
        QVERIFY(writer.dropped() <= 3);
        QCOMPARE(writer.written() + writer.dropped(), quint64(5));
    }

    void stopWritesWhatIsPending()
    {
        {
            RequestLogWriter::Options options;
            options.flushIntervalMs = 60000; // only stop() will write
            RequestLogWriter writer(options);
            QString error;
            QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
            auto buffer = writer.addBuffer();
            QTest::qWait(50); // the writer thread is asleep now
            for (int i = 0; i < 100; ++i)
                QVERIFY(buffer->push(record(i, {})));
            writer.stop();
            QCOMPARE(writer.written(), quint64(100));
        }
        QCOMPARE(countRows(*m_store), qint64(100));
    }

    void openFailsOnAnUnmigratedDatabase()
    {
        RequestLogWriter writer;
        QString error;
        QVERIFY(!writer.open(m_tmp->filePath(QStringLiteral("empty.db")), &error));
        QVERIFY2(error.contains(QStringLiteral("request_log")) ||
                     error.contains(QStringLiteral("migrated")),
                 qPrintable(error));
        QVERIFY(!writer.isRunning());
        QVERIFY(!writer.flush(100));
    }

    void retentionDeletesExpiredRowsInBatches()
    {
        RequestLogWriter::Options options;
        options.flushIntervalMs = 10;
        options.retentionBatch = 7; // many small batches
        RequestLogWriter writer(options);
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        auto buffer = writer.addBuffer();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < 40; ++i)
            QVERIFY(buffer->push(record(now - 40 * kDay + i, QStringLiteral("old"))));
        for (int i = 0; i < 10; ++i)
            QVERIFY(buffer->push(record(now - 5 * kDay + i, QStringLiteral("recent"))));
        QVERIFY(writer.flush());
        QCOMPARE(countRows(*m_store), qint64(50));
        writer.setRetentionDays(30);
        for (int i = 0; i < 200 && countRows(*m_store, QStringLiteral("WHERE route = 'old'")) > 0;
             ++i)
            QTest::qWait(20);
        QCOMPARE(countRows(*m_store, QStringLiteral("WHERE route = 'old'")), qint64(0));
        QCOMPARE(countRows(*m_store, QStringLiteral("WHERE route = 'recent'")), qint64(10));
        QCOMPARE(writer.retentionDeleted(), quint64(40));
    }

    // Time filters go through request_log_blocks (one row per written batch), not a per-row
    // index: a row written late with an old time (a long request) must still be found by
    // every time filter, and retention must take exactly the old rows.
    void timeRangesStayExactAcrossBlocks()
    {
        RequestLogWriter::Options options;
        options.flushIntervalMs = 10;
        RequestLogWriter writer(options);
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        auto buffer = writer.addBuffer();
        const qint64 t0 = 1700000000000;
        for (int i = 0; i < 10; ++i) // block 1: t0 .. t0+9s
            QVERIFY(buffer->push(record(t0 + i * 1000, QStringLiteral("first"))));
        QVERIFY(writer.flush());
        for (int i = 0; i < 10; ++i) // block 2: t0+100s .., and one from before block 1
            QVERIFY(buffer->push(record(t0 + 100000 + i * 1000, QStringLiteral("second"))));
        QVERIFY(buffer->push(record(t0 - 50000, QStringLiteral("late"))));
        QVERIFY(writer.flush());
        Statement blocks =
            m_store->database().prepare(QStringLiteral("SELECT count(*) FROM request_log_blocks"));
        QVERIFY(blocks.next());
        QCOMPARE(blocks.int64(0), qint64(2));

        RequestLogQuery query(m_store->database());
        RequestLogQuery::UsageFilter usage;
        usage.fromMs = t0 - 60000;
        usage.toMs = t0; // only the late row
        RequestLogQuery::UsageRow total;
        QVERIFY(query.usage(usage, &total));
        QCOMPARE(total.requests, qint64(1));
        usage.fromMs = t0;
        usage.toMs = t0 + 50000; // block 1 only
        QVERIFY(query.usage(usage, &total));
        QCOMPARE(total.requests, qint64(10));
        usage.fromMs = t0 - 60000;
        usage.toMs = t0 + 200000; // all
        QVERIFY(query.usage(usage, &total));
        QCOMPARE(total.requests, qint64(21));
        RequestLogQuery::LogFilter logs;
        logs.limit = 100;
        logs.sinceMs = t0 + 5000; // half of block 1 and block 2, not the late row
        const auto page = query.logs(logs);
        QVERIFY(page);
        QCOMPARE(page->rows.size(), 15);
    }

    void retentionFindsAnOldRowInARecentBlock()
    {
        RequestLogWriter::Options options;
        options.flushIntervalMs = 10;
        RequestLogWriter writer(options);
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        auto buffer = writer.addBuffer();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < 10; ++i)
            QVERIFY(buffer->push(record(now - kDay + i, QStringLiteral("recent"))));
        QVERIFY(writer.flush());
        QVERIFY(buffer->push(record(now - 40 * kDay, QStringLiteral("old"))));
        for (int i = 0; i < 5; ++i)
            QVERIFY(buffer->push(record(now - i, QStringLiteral("recent"))));
        QVERIFY(writer.flush());
        writer.setRetentionDays(30);
        for (int i = 0; i < 200 && countRows(*m_store, QStringLiteral("WHERE route = 'old'")) > 0;
             ++i)
            QTest::qWait(20);
        QCOMPARE(countRows(*m_store, QStringLiteral("WHERE route = 'old'")), qint64(0));
        QCOMPARE(countRows(*m_store), qint64(15));
        QCOMPARE(writer.retentionDeleted(), quint64(1));
    }

    void tapHandsOutWrittenRecordsWhileEnabled()
    {
        RequestLogWriter writer;
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        auto buffer = writer.addBuffer();
        QVERIFY(buffer->push(record(1, QStringLiteral("before"))));
        QVERIFY(writer.flush());
        QVERIFY(writer.takeWritten().isEmpty()); // off: nothing kept
        writer.setTapEnabled(true);
        QVERIFY(buffer->push(record(2, QStringLiteral("a"))));
        QVERIFY(buffer->push(record(3, QStringLiteral("b?key=x"))));
        QVERIFY(writer.flush());
        quint64 overflow = 1;
        const QList<RequestRecord> taken = writer.takeWritten(&overflow);
        QCOMPARE(taken.size(), 2);
        QCOMPARE(taken.at(0).route, QStringLiteral("a"));
        QCOMPARE(taken.at(1).tsMs, 3);
        QCOMPARE(overflow, quint64(0));
        QVERIFY(writer.takeWritten().isEmpty());
        // Each carries the id of its row: live views read bodies and export by it.
        QVERIFY(taken.at(0).id > 0);
        QCOMPARE(taken.at(1).id, taken.at(0).id + 1);
        RequestLogQuery query(m_store->database());
        const auto rows = query.records({taken.at(1).id, taken.at(0).id, 999999});
        QVERIFY(rows);
        QCOMPARE(rows->size(), 2); // oldest first; an unknown id is absent
        QCOMPARE(rows->at(0).route, QStringLiteral("a"));
        QCOMPARE(rows->at(1).path, QByteArray("/x"));
    }

    void seriesTotalsAndRecordsForTheDesktop()
    {
        RequestLogWriter writer;
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        auto buffer = writer.addBuffer();
        const qint64 t0 =
            QDateTime(QDate(2025, 3, 1), QTime(10, 15), QTimeZone::utc()).toMSecsSinceEpoch();
        const auto ai = [&](qint64 ts, const QString &model, const QString &consumer, double cost,
                            int status = 200) {
            RequestRecord r = record(ts, QString(), status);
            r.model = model;
            r.consumer = consumer;
            r.tokensIn = 100;
            r.tokensOut = 10;
            r.costUsd = cost;
            return r;
        };
        QVERIFY(buffer->push(ai(t0, QStringLiteral("m1"), QStringLiteral("alice"), 0.5)));
        QVERIFY(
            buffer->push(ai(t0 + 60000, QStringLiteral("m1"), QStringLiteral("bob"), 0.25, 502)));
        QVERIFY(buffer->push(ai(t0 + 3600000, QStringLiteral("m2"), QStringLiteral("alice"), 1)));
        QVERIFY(buffer->push(record(t0 + kDay, QStringLiteral("route")))); // next day, no model
        QVERIFY(writer.flush());
        RequestLogQuery query(m_store->database());

        RequestLogQuery::UsageFilter filter;
        filter.groupBy = RequestLogQuery::GroupBy::Model;
        auto hours = query.series(filter, RequestLogQuery::Bucket::Hour);
        QVERIFY(hours);
        QCOMPARE(hours->size(), 3);
        const qint64 hour10 = t0 - 15 * 60000;
        QCOMPARE(hours->at(0).bucketStartMs, hour10);
        QCOMPARE(hours->at(0).key, QStringLiteral("m1"));
        QCOMPARE(hours->at(0).requests, qint64(2));
        QCOMPARE(hours->at(0).tokensIn, qint64(200));
        QCOMPARE(hours->at(0).costUsd, 0.75);
        QCOMPARE(hours->at(0).errors, qint64(1));
        QCOMPARE(hours->at(1).bucketStartMs, hour10 + 3600000);
        QCOMPARE(hours->at(1).key, QStringLiteral("m2"));
        QVERIFY(hours->at(2).key.isNull()); // the route's row: no model
        QCOMPARE(hours->at(2).tokensIn, qint64(0));

        filter.groupBy = RequestLogQuery::GroupBy::Consumer;
        filter.fromMs = hour10;
        filter.toMs = hour10 + kDay; // the next day's row is out
        auto days = query.series(filter, RequestLogQuery::Bucket::Day);
        QVERIFY(days);
        QCOMPARE(days->size(), 2);
        QCOMPARE(days->at(0).bucketStartMs, t0 - t0 % kDay);
        QCOMPARE(days->at(0).key, QStringLiteral("alice"));
        QCOMPARE(days->at(0).costUsd, 1.5);
        QCOMPARE(days->at(1).key, QStringLiteral("bob"));

        auto totals = query.totalsSince(t0 + 1);
        QVERIFY(totals);
        QCOMPARE(totals->requests, qint64(3));
        QCOMPARE(totals->errors, qint64(1));
        QCOMPARE(totals->costUsd, 1.25);
        QCOMPARE(totals->maxId, countRows(*m_store));
        auto none = query.totalsSince(t0 + 2 * kDay);
        QVERIFY(none);
        QCOMPARE(none->requests, qint64(0));
        QCOMPARE(none->maxId, qint64(0));
    }

    void readerRunsOffTheCallingThreadOnAReadOnlyConnection()
    {
        RequestLogWriter writer;
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        QVERIFY(writer.addBuffer()->push(record(5, QStringLiteral("r"))));
        QVERIFY(writer.flush());
        RequestLogReader reader;
        auto closed = reader.logs({}).result();
        QVERIFY(!closed.value);
        QVERIFY(closed.error.contains(QStringLiteral("not open")));
        reader.setDatabasePath(dbPath());
        auto page = reader.logs({}).result();
        QVERIFY2(page.value, qPrintable(page.error));
        QCOMPARE(page.value->rows.size(), 1);
        QCOMPARE(page.value->rows.first().route, QStringLiteral("r"));
        auto usage = reader.usage({}).result();
        QVERIFY(usage.value);
        QCOMPARE(usage.value->total.requests, qint64(1));
        // Read-only: the connection cannot change the log.
        Database ro;
        QVERIFY(ro.open(dbPath(), Database::Mode::ReadOnly));
        QVERIFY(!ro.exec(QStringLiteral("DELETE FROM request_log")));
        QCOMPARE(countRows(*m_store), qint64(1));
        // A file that is not there fails with the reason, never creates it.
        reader.setDatabasePath(m_tmp->filePath(QStringLiteral("missing.db")));
        auto missing = reader.records({1}).result();
        QVERIFY(!missing.value);
        QVERIFY(missing.error.contains(QStringLiteral("cannot read the request log")));
        QVERIFY(!QFile::exists(m_tmp->filePath(QStringLiteral("missing.db"))));
    }

    // --- RequestLogQuery --------------------------------------------------------------

    void logFilterParameters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("error");
        QTest::newRow("defaults") << QString() << QString();
        QTest::newRow("all") << "limit=5&since=2025-01-31T12:00:00Z&route=r&model=m&consumer=c&"
                                "status=5xx&before_id=9"
                             << QString();
        QTest::newRow("limit 0") << "limit=0"
                                 << "limit must be a whole number from 1 to 1000, not \"0\"";
        QTest::newRow("limit big") << "limit=1001"
                                   << "limit must be a whole number from 1 to 1000, not \"1001\"";
        QTest::newRow("limit text") << "limit=ten"
                                    << "limit must be a whole number from 1 to 1000, not \"ten\"";
        QTest::newRow("since") << "since=yesterday"
                               << "since must be an RFC 3339 time like 2025-01-31T12:00:00Z or a "
                                  "date like 2025-01-31, not \"yesterday\"";
        QTest::newRow("since bad date")
            << "since=2025-02-30"
            << "since must be an RFC 3339 time like 2025-01-31T12:00:00Z or a date like "
               "2025-01-31, not \"2025-02-30\"";
        QTest::newRow("status")
            << "status=2xy"
            << "status must be a status code like 404 or a class like 5xx, not \"2xy\"";
        QTest::newRow("status 600")
            << "status=600"
            << "status must be a status code like 404 or a class like 5xx, not \"600\"";
        QTest::newRow("before_id")
            << "before_id=-3"
            << "before_id must be a log row id (a positive whole number), not \"-3\"";
        QTest::newRow("empty route") << "route="
                                     << "route must not be empty";
        QTest::newRow("unknown") << "limt=5"
                                 << "unknown parameter limt; use limit, since, before_id, route, "
                                    "model, consumer, status";
    }

    void logFilterParameters()
    {
        QFETCH(QString, query);
        QFETCH(QString, error);
        QString problem;
        const auto filter = RequestLogQuery::parseLogFilter(QUrlQuery(query), &problem);
        QCOMPARE(problem, error);
        QCOMPARE(filter.has_value(), error.isEmpty());
    }

    void usageFilterParameters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("error");
        QTest::newRow("none") << QString() << QString();
        QTest::newRow("dates") << "from=2025-01-01&to=2025-01-31&group_by=day" << QString();
        QTest::newRow("offset") << "from=2025-01-01T10:00:00%2B02:00&group_by=consumer"
                                << QString();
        QTest::newRow("bad from") << "from=1735689600"
                                  << "from must be an RFC 3339 time like 2025-01-31T12:00:00Z or a "
                                     "date like 2025-01-31, not \"1735689600\"";
        QTest::newRow("bad to") << "to=soon"
                                << "to must be an RFC 3339 time like 2025-01-31T12:00:00Z or a "
                                   "date like 2025-01-31, not \"soon\"";
        QTest::newRow("order") << "from=2025-02-01&to=2025-01-01"
                               << "from must be before to";
        QTest::newRow("group")
            << "group_by=week"
            << "group_by must be one of model, provider, consumer, route, day, not \"week\"";
        QTest::newRow("unknown") << "groupby=day"
                                 << "unknown parameter groupby; use from, to, group_by";
    }

    void usageFilterParameters()
    {
        QFETCH(QString, query);
        QFETCH(QString, error);
        QString problem;
        const auto filter = RequestLogQuery::parseUsageFilter(QUrlQuery(query), &problem);
        QCOMPARE(problem, error);
        QCOMPARE(filter.has_value(), error.isEmpty());
    }

    void parsesTimes()
    {
        const qint64 jan31 =
            QDateTime(QDate(2025, 1, 31), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        QCOMPARE(RequestLogQuery::parseTime(QStringLiteral("2025-01-31")), jan31);
        QCOMPARE(RequestLogQuery::parseTime(QStringLiteral("2025-01-31"), true), jan31 + kDay);
        QCOMPARE(RequestLogQuery::parseTime(QStringLiteral("2025-01-31T12:00:00Z")),
                 jan31 + 12 * 3600000);
        QCOMPARE(RequestLogQuery::parseTime(QStringLiteral("2025-01-31T12:00:00")),
                 jan31 + 12 * 3600000);
        QCOMPARE(RequestLogQuery::parseTime(QStringLiteral("2025-01-31T14:00:00.250+02:00")),
                 jan31 + 12 * 3600000 + 250);
        QCOMPARE(RequestLogQuery::formatTime(jan31 + 1),
                 QStringLiteral("2025-01-31T00:00:00.001Z"));
    }

    void logsFilterAndPageNewestFirst()
    {
        RequestLogWriter writer;
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        auto buffer = writer.addBuffer();
        const qint64 t0 = 1700000000000;
        for (int i = 0; i < 30; ++i) {
            RequestRecord r =
                record(t0 + i * 1000, i % 2 ? QStringLiteral("odd") : QStringLiteral("even"),
                       i % 3 == 0 ? 503 : 200);
            r.model = i < 10 ? QStringLiteral("m1") : QStringLiteral("m2");
            r.consumer = i % 5 == 0 ? QStringLiteral("five") : QString();
            QVERIFY(buffer->push(std::move(r)));
        }
        QVERIFY(writer.flush());
        RequestLogQuery query(m_store->database());
        RequestLogQuery::LogFilter filter;
        filter.limit = 4;
        filter.route = QStringLiteral("odd");
        QList<qint64> seen;
        for (int page = 0; page < 10; ++page) {
            const auto p = query.logs(filter);
            QVERIFY(p);
            for (const RequestRecord &r : p->rows) {
                QCOMPARE(r.route, QStringLiteral("odd"));
                seen.append((r.tsMs - t0) / 1000);
            }
            if (!p->hasMore)
                break;
            filter.beforeId = p->rows.last().id;
        }
        QCOMPARE(seen, (QList<qint64>{29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1}));

        RequestLogQuery::LogFilter f2;
        f2.statusFrom = 500;
        f2.statusTo = 599;
        f2.model = QStringLiteral("m1");
        const auto p2 = query.logs(f2);
        QVERIFY(p2);
        QList<qint64> errors;
        for (const RequestRecord &r : p2->rows)
            errors.append((r.tsMs - t0) / 1000);
        QCOMPARE(errors, (QList<qint64>{9, 6, 3, 0}));

        RequestLogQuery::LogFilter f3;
        f3.consumer = QStringLiteral("five");
        f3.sinceMs = t0 + 10 * 1000;
        const auto p3 = query.logs(f3);
        QVERIFY(p3);
        QCOMPARE(p3->rows.size(), 4); // 25, 20, 15, 10
        QVERIFY(!p3->hasMore);
    }

    void usageAggregatesExactly()
    {
        RequestLogWriter writer;
        QString error;
        QVERIFY2(writer.open(dbPath(), &error), qPrintable(error));
        auto buffer = writer.addBuffer();
        const qint64 day1 =
            QDateTime(QDate(2025, 3, 1), QTime(10, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        const qint64 day2 = day1 + kDay;
        // model a: latencies 1..20 on day 1, tokens 10/5 each, cost 0.001 each, every 4th 500.
        for (int i = 1; i <= 20; ++i) {
            RequestRecord r = record(day1 + i, QStringLiteral("ai"), i % 4 == 0 ? 500 : 200, i);
            r.model = QStringLiteral("a");
            r.provider = QStringLiteral("p1");
            r.consumer = QStringLiteral("alice");
            r.tokensIn = 10;
            r.tokensOut = 5;
            r.costUsd = 0.001;
            QVERIFY(buffer->push(std::move(r)));
        }
        // model b: 3 calls on day 2, one of them cut off mid-response (200 + error).
        for (int i = 1; i <= 3; ++i) {
            RequestRecord r = record(day2 + i, QStringLiteral("ai"), 200, 100 * i);
            r.model = QStringLiteral("b");
            r.provider = QStringLiteral("p2");
            r.consumer = QStringLiteral("bob");
            r.tokensIn = 7;
            r.tokensOut = 3;
            r.costUsd = 0.25;
            if (i == 2)
                r.error = QStringLiteral("cut off");
            QVERIFY(buffer->push(std::move(r)));
        }
        // a plain route without AI fields.
        QVERIFY(buffer->push(record(day2 + 10, QStringLiteral("web"), 404, 2)));
        QVERIFY(writer.flush());

        RequestLogQuery query(m_store->database());
        RequestLogQuery::UsageFilter filter;
        filter.groupBy = RequestLogQuery::GroupBy::Model;
        RequestLogQuery::UsageRow total;
        const auto rows = query.usage(filter, &total);
        QVERIFY2(rows, qPrintable(query.lastError()));
        QCOMPARE(rows->size(), 3);
        QVERIFY(rows->at(0).key.isNull()); // the plain route
        QCOMPARE(rows->at(0).requests, 1);
        QCOMPARE(rows->at(0).errors, 1);
        const RequestLogQuery::UsageRow &a = rows->at(1);
        QCOMPARE(a.key, QStringLiteral("a"));
        QCOMPARE(a.requests, 20);
        QCOMPARE(a.tokensIn, 200);
        QCOMPARE(a.tokensOut, 100);
        QVERIFY(qAbs(a.costUsd - 0.02) < 1e-12);
        QCOMPARE(a.errors, 5);
        QCOMPARE(a.p50LatencyMs, 10.0); // nearest rank: ceil(0.5 * 20) = 10th
        QCOMPARE(a.p95LatencyMs, 19.0); // ceil(0.95 * 20) = 19th
        const RequestLogQuery::UsageRow &b = rows->at(2);
        QCOMPARE(b.requests, 3);
        QCOMPARE(b.errors, 1);
        QCOMPARE(b.p50LatencyMs, 200.0);
        QCOMPARE(b.p95LatencyMs, 300.0);
        QCOMPARE(total.requests, 24);
        QCOMPARE(total.tokensIn, 221);
        QCOMPARE(total.errors, 7);

        filter.groupBy = RequestLogQuery::GroupBy::Day;
        const auto days = query.usage(filter);
        QVERIFY(days);
        QCOMPARE(days->size(), 2);
        QCOMPARE(days->at(0).key, QStringLiteral("2025-03-01"));
        QCOMPARE(days->at(0).requests, 20);
        QCOMPARE(days->at(1).key, QStringLiteral("2025-03-02"));
        QCOMPARE(days->at(1).requests, 4);

        filter.groupBy = RequestLogQuery::GroupBy::Consumer;
        filter.fromMs = day2;
        filter.toMs = day2 + 5;
        const auto bob = query.usage(filter, &total);
        QVERIFY(bob);
        QCOMPARE(bob->size(), 1);
        QCOMPARE(bob->at(0).key, QStringLiteral("bob"));
        QCOMPARE(bob->at(0).requests, 3);
        QVERIFY(qAbs(bob->at(0).costUsd - 0.75) < 1e-12);
        QCOMPARE(total.requests, 3);

        filter.fromMs = day2 + kDay; // nothing there
        filter.toMs.reset();
        const auto none = query.usage(filter, &total);
        QVERIFY(none);
        QVERIFY(none->isEmpty());
        QCOMPARE(total.requests, 0);
        QCOMPARE(total.p95LatencyMs, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestRequestLog)
#include "tst_requestlog.moc"
