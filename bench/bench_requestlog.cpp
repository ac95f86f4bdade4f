// bench_requestlog — sustained request-log throughput (docs/performance.md, Request log):
// P producer threads (the gateway workers) push realistic records into their own
// RequestLogBuffer as fast as the writer takes them for D seconds; the one
// RequestLogWriter thread drains, redacts and inserts them into a fresh, migrated
// gatehouse.db (WAL). A producer that finds its ring full counts a drop (as a worker
// would) and then backs off for 1 ms before offering the next record, so spinning
// producers do not starve the writer of CPU on a small machine: written/s is the
// writer's sustained capacity. Prints records/s written, drops, and the cost per push.
//
//   bench_requestlog [--producers P] [--seconds D] [--dir DIR]
#include "log/RequestLogBuffer.h"
#include "store/RequestLogWriter.h"
#include "store/Store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace gh;
using Clock = std::chrono::steady_clock;

namespace {

// What an AI call's record looks like: most fields set, a query to redact.
RequestRecord sample(int producer, qint64 n)
{
    RequestRecord r;
    r.tsMs = QDateTime::currentMSecsSinceEpoch();
    r.requestId = QByteArray::number(producer) + '-' + QByteArray::number(n);
    r.consumer = QStringLiteral("alice");
    r.route = n % 4 ? QString() : QStringLiteral("billing-api");
    r.provider = QStringLiteral("openai");
    r.model = QStringLiteral("gpt-4o-mini");
    r.method = "POST";
    r.path = n % 8 ? QByteArray("/v1/chat/completions")
                   : QByteArray("/v1beta/models?key=AIzaSyExample&alt=sse");
    r.status = n % 50 ? 200 : 429;
    r.latencyMs = 12.5 + double(n % 100);
    r.upstreamMs = 11.0;
    r.ttfbMs = 3.2;
    r.tokensIn = 120;
    r.tokensOut = 48;
    r.costUsd = 0.0000468;
    r.cache = "MISS";
    r.bytesIn = 310;
    r.bytesOut = 950;
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("producers"), QStringLiteral("producer threads"),
                      QStringLiteral("P"), QStringLiteral("2")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("seconds of load"),
                      QStringLiteral("D"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("dir"), QStringLiteral("data dir (default: a temp dir)"),
                      QStringLiteral("DIR")});
    parser.addHelpOption();
    parser.process(app);
    const int producers = qMax(1, parser.value(QStringLiteral("producers")).toInt());
    const int seconds = qMax(1, parser.value(QStringLiteral("seconds")).toInt());

    QTemporaryDir tmp;
    const QString dir =
        parser.isSet(QStringLiteral("dir")) ? parser.value(QStringLiteral("dir")) : tmp.path();
    Store store;
    QString error;
    if (!store.open(dir, &error)) {
        std::fprintf(stderr, "bench_requestlog: %s\n", qPrintable(error));
        return 1;
    }
    RequestLogWriter writer;
    if (!writer.open(store.database().path(), &error)) {
        std::fprintf(stderr, "bench_requestlog: %s\n", qPrintable(error));
        return 1;
    }

    std::atomic<bool> stop{false};
    std::atomic<quint64> offered{0};
    std::atomic<qint64> pushNs{0};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            auto buffer = writer.addBuffer();
            qint64 n = 0;
            qint64 spent = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                RequestRecord r = sample(p, n++);
                const auto t0 = Clock::now();
                const bool taken = buffer->push(std::move(r)); // never waits: full means dropped
                spent +=
                    std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
                if (!taken)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            offered.fetch_add(quint64(n));
            pushNs.fetch_add(spent);
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop.store(true);
    for (std::thread &t : threads)
        t.join();
    const quint64 writtenAtStop = writer.written();
    const double loadSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    writer.flush(60000);
    const double totalSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    const quint64 written = writer.written();
    const quint64 dropped = writer.dropped();

    std::printf("producers            %d\n", producers);
    std::printf("load seconds         %.2f\n", loadSeconds);
    std::printf("offered records      %llu (%.0f/s)\n",
                static_cast<unsigned long long>(offered.load()),
                double(offered.load()) / loadSeconds);
    std::printf("written during load  %llu (%.0f/s)\n",
                static_cast<unsigned long long>(writtenAtStop),
                double(writtenAtStop) / loadSeconds);
    std::printf("written in total     %llu (%.0f/s incl. final flush)\n",
                static_cast<unsigned long long>(written), double(written) / totalSeconds);
    std::printf("dropped              %llu (%.1f %%)\n", static_cast<unsigned long long>(dropped),
                offered.load() ? 100.0 * double(dropped) / double(offered.load()) : 0.0);
    std::printf("push cost            %.0f ns/record\n",
                offered.load() ? double(pushNs.load()) / double(offered.load()) : 0.0);
    std::printf("RESULT written_per_s=%.0f dropped=%llu offered_per_s=%.0f\n",
                double(writtenAtStop) / loadSeconds, static_cast<unsigned long long>(dropped),
                double(offered.load()) / loadSeconds);
    writer.stop();
    return 0;
}
