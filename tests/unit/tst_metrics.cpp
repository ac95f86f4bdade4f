// /metrics' pure parts: WorkerMetrics counting records, the per-worker sums, and the
// Prometheus text the registry writes, read back by a strict parser of the text format
// (exposition format 0.0.4: HELP/TYPE before samples, metric and label name grammar,
// escaped label values, float values, cumulative histogram buckets ending in +Inf equal
// to _count). tests/clients/metrics.test.mjs parses the live output with an npm parser.
#include "log/RequestRecord.h"
#include "metrics/MetricsRegistry.h"
#include "metrics/PrometheusWriter.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <cmath>
#include <thread>

using namespace gh;

namespace {

struct Sample
{
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

struct Family
{
    QString type;
    QString help;
    QList<Sample> samples;
};

// A strict reader of the text format; every violation is a failure message.
struct Exposition
{
    QMap<QString, Family> families;
    QStringList errors;

    static QString unescape(const QString &raw, bool *ok)
    {
        QString out;
        *ok = true;
        for (int i = 0; i < raw.size(); ++i) {
            if (raw[i] != u'\\') {
                out += raw[i];
                continue;
            }
            if (++i >= raw.size()) {
                *ok = false;
                break;
            }
            if (raw[i] == u'n')
                out += u'\n';
            else if (raw[i] == u'\\' || raw[i] == u'"')
                out += raw[i];
            else
                *ok = false;
        }
        return out;
    }

    static Exposition parse(const QByteArray &text)
    {
        Exposition e;
        static const QRegularExpression metricName(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
        static const QRegularExpression labelName(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
        if (!text.endsWith('\n'))
            e.errors << QStringLiteral("the text must end with a newline");
        QString current;
        QSet<QString> seenSeries;
        const QList<QByteArray> lines = text.split('\n');
        for (int n = 0; n < lines.size(); ++n) {
            const QString line = QString::fromUtf8(lines[n]);
            if (line.isEmpty())
                continue;
            const QString where = QStringLiteral("line %1: ").arg(n + 1);
            if (line.startsWith(QLatin1String("# HELP "))) {
                const QString rest = line.mid(7);
                const QString name = rest.section(u' ', 0, 0);
                if (!metricName.match(name).hasMatch())
                    e.errors << where + QStringLiteral("bad metric name in HELP");
                if (e.families.contains(name))
                    e.errors << where + QStringLiteral("second HELP for ") + name;
                e.families[name].help = rest.section(u' ', 1);
                current = name;
                continue;
            }
            if (line.startsWith(QLatin1String("# TYPE "))) {
                const QString name = line.mid(7).section(u' ', 0, 0);
                const QString type = line.mid(7).section(u' ', 1);
                if (name != current)
                    e.errors << where + QStringLiteral("TYPE for %1 does not follow its HELP").arg(name);
                if (!QStringList{"counter", "gauge", "histogram", "summary", "untyped"}.contains(type))
                    e.errors << where + QStringLiteral("bad type ") + type;
                if (!e.families[name].samples.isEmpty())
                    e.errors << where + QStringLiteral("TYPE after samples");
                e.families[name].type = type;
                continue;
            }
            if (line.startsWith(u'#'))
                continue;
            // name{labels} value
            Sample sample;
            int i = 0;
            while (i < line.size() && line[i] != u'{' && line[i] != u' ')
                ++i;
            sample.name = line.left(i);
            if (!metricName.match(sample.name).hasMatch())
                e.errors << where + QStringLiteral("bad metric name ") + sample.name;
            QString labelText;
            if (i < line.size() && line[i] == u'{') {
                const int start = ++i;
                bool quoted = false;
                while (i < line.size() && (quoted || line[i] != u'}')) {
                    if (line[i] == u'\\' && quoted)
                        ++i;
                    else if (line[i] == u'"')
                        quoted = !quoted;
                    ++i;
                }
                if (i >= line.size()) {
                    e.errors << where + QStringLiteral("unterminated labels");
                    continue;
                }
                labelText = line.mid(start, i - start);
                ++i;
                // label="value",label="value"
                static const QRegularExpression pair(QStringLiteral("([^=,]+)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)"));
                int pos = 0;
                while (pos < labelText.size()) {
                    const QRegularExpressionMatch m = pair.match(labelText, pos, QRegularExpression::NormalMatch,
                                                                 QRegularExpression::AnchorAtOffsetMatchOption);
                    if (!m.hasMatch()) {
                        e.errors << where + QStringLiteral("bad label syntax: ") + labelText.mid(pos);
                        break;
                    }
                    if (!labelName.match(m.captured(1)).hasMatch())
                        e.errors << where + QStringLiteral("bad label name ") + m.captured(1);
                    bool ok = false;
                    const QString value = unescape(m.captured(2), &ok);
                    if (!ok)
                        e.errors << where + QStringLiteral("bad escape in ") + m.captured(2);
                    if (sample.labels.contains(m.captured(1)))
                        e.errors << where + QStringLiteral("label twice: ") + m.captured(1);
                    sample.labels.insert(m.captured(1), value);
                    pos = m.capturedEnd();
                }
            }
            if (i >= line.size() || line[i] != u' ') {
                e.errors << where + QStringLiteral("no space before the value");
                continue;
            }
            const QString valueText = line.mid(i + 1).section(u' ', 0, 0);
            bool ok = true;
            if (valueText == QLatin1String("+Inf"))
                sample.value = INFINITY;
            else if (valueText == QLatin1String("-Inf"))
                sample.value = -INFINITY;
            else if (valueText == QLatin1String("NaN"))
                sample.value = NAN;
            else
                sample.value = valueText.toDouble(&ok);
            if (!ok)
                e.errors << where + QStringLiteral("bad value ") + valueText;
            // The family: the name itself, or a histogram's _bucket/_sum/_count.
            QString family = sample.name;
            for (const char *suffix : {"_bucket", "_sum", "_count"}) {
                const QString base = sample.name.chopped(0).endsWith(QLatin1String(suffix))
                                         ? sample.name.left(sample.name.size() - int(strlen(suffix)))
                                         : QString();
                if (!base.isEmpty() && e.families.value(base).type == QLatin1String("histogram"))
                    family = base;
            }
            if (family != current)
                e.errors << where + QStringLiteral("sample %1 outside its family block (%2)").arg(sample.name, current);
            const QString series = line.left(i);
            if (seenSeries.contains(series))
                e.errors << where + QStringLiteral("duplicate series ") + series;
            seenSeries.insert(series);
            e.families[family].samples.append(sample);
        }
        for (auto it = e.families.begin(); it != e.families.end(); ++it) {
            if (it.value().type.isEmpty())
                e.errors << QStringLiteral("%1 has no TYPE").arg(it.key());
            if (it.value().type == QLatin1String("histogram"))
                e.checkHistogram(it.key(), it.value());
        }
        return e;
    }

    void checkHistogram(const QString &name, const Family &family)
    {
        // Group by labels without le.
        QMap<QString, QList<Sample>> buckets;
        QMap<QString, double> counts;
        for (const Sample &s : family.samples) {
            QMap<QString, QString> labels = s.labels;
            labels.remove(QStringLiteral("le"));
            QStringList key;
            for (auto it = labels.begin(); it != labels.end(); ++it)
                key << it.key() + u'=' + it.value();
            const QString k = key.join(u',');
            if (s.name == name + QLatin1String("_bucket"))
                buckets[k].append(s);
            else if (s.name == name + QLatin1String("_count"))
                counts[k] = s.value;
        }
        for (auto it = buckets.begin(); it != buckets.end(); ++it) {
            double previousLe = -INFINITY;
            double previous = 0;
            for (const Sample &b : it.value()) {
                const double le = b.labels.value(QStringLiteral("le")) == QLatin1String("+Inf")
                                      ? INFINITY
                                      : b.labels.value(QStringLiteral("le")).toDouble();
                if (le <= previousLe)
                    errors << QStringLiteral("%1{%2}: le not increasing").arg(name, it.key());
                if (b.value < previous)
                    errors << QStringLiteral("%1{%2}: buckets not cumulative").arg(name, it.key());
                previousLe = le;
                previous = b.value;
            }
            if (!std::isinf(previousLe))
                errors << QStringLiteral("%1{%2}: no +Inf bucket").arg(name, it.key());
            if (!counts.contains(it.key()) || counts.value(it.key()) != previous)
                errors << QStringLiteral("%1{%2}: +Inf bucket differs from _count").arg(name, it.key());
        }
    }

    double value(const QString &name, const QMap<QString, QString> &labels) const
    {
        for (const Family &f : families) {
            for (const Sample &s : f.samples) {
                if (s.name != name)
                    continue;
                bool match = true;
                for (auto it = labels.begin(); it != labels.end(); ++it)
                    match = match && s.labels.value(it.key()) == it.value();
                if (match)
                    return s.value;
            }
        }
        return NAN;
    }
};

RequestRecord record(const QString &route, const QString &model, int status, double latencyMs)
{
    RequestRecord r;
    r.route = route;
    r.model = model;
    r.status = status;
    r.latencyMs = latencyMs;
    return r;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsRequestsByLabels();
    void histogramBuckets();
    void usageAndCache();
    void workersAreSummed();
    void textFormatIsStrictlyValid();
    void labelValuesEscaped();
    void parserRejectsBrokenText();
    void valuesFormatted();
};

void TestMetrics::countsRequestsByLabels()
{
    WorkerMetrics m;
    m.record(record("a", {}, 200, 1));
    m.record(record("a", {}, 200, 1));
    m.record(record("a", {}, 502, 1));
    m.record(record({}, "gpt", 200, 1));
    const WorkerMetrics::Totals t = m.totals();
    QCOMPARE(t.requests.value({"a", {}, {}, 200}), 2u);
    QCOMPARE(t.requests.value({"a", {}, {}, 502}), 1u);
    QCOMPARE(t.requests.value({{}, {}, "gpt", 200}), 1u);
    QCOMPARE(t.requests.size(), 3);
}

void TestMetrics::histogramBuckets()
{
    WorkerMetrics::Histogram h;
    h.add(0.001);  // 0.005
    h.add(0.005);  // le is inclusive
    h.add(0.2);    // 0.25
    h.add(1000.0); // only +Inf
    QCOMPARE(h.count, 4u);
    QCOMPARE(h.buckets[0], 2u);
    QCOMPARE(h.buckets[5], 1u);
    quint64 finite = 0;
    for (quint64 b : h.buckets)
        finite += b;
    QCOMPARE(finite, 3u);
    QVERIFY(qFuzzyCompare(h.sum, 1000.206));
}

void TestMetrics::usageAndCache()
{
    WorkerMetrics m;
    RequestRecord ai = record({}, "gpt-4o-mini", 200, 10);
    ai.provider = QStringLiteral("oa");
    ai.consumer = QStringLiteral("me");
    ai.tokensIn = 100;
    ai.tokensOut = 20;
    ai.costUsd = 0.25;
    ai.cache = "MISS";
    m.record(ai);
    ai.cache = "HIT";
    ai.costUsd = 0.0;
    ai.tokensIn = 100;
    m.record(ai);
    RequestRecord route = record("r", {}, 200, 1);
    route.cache = "HIT";
    route.bytesIn = 10;
    route.bytesOut = 1000;
    route.upstreamMs = 3;
    m.record(route);
    const WorkerMetrics::Totals t = m.totals();
    const WorkerMetrics::Usage usage = t.usage.value({"oa", "gpt-4o-mini", "me"});
    QCOMPARE(usage.tokensIn, 200u);
    QCOMPARE(usage.tokensOut, 40u);
    QCOMPARE(usage.costUsd, 0.25);
    QCOMPARE(t.cache.value({"ai", "MISS"}), 1u);
    QCOMPARE(t.cache.value({"ai", "HIT"}), 1u);
    QCOMPARE(t.cache.value({"route", "HIT"}), 1u);
    QCOMPARE(t.bytesOut, 1000u);
    QCOMPARE(t.upstream.value({"r", {}}).count, 1u);
    QVERIFY(!t.upstream.contains({{}, "gpt-4o-mini"})); // no upstream time recorded there
}

void TestMetrics::workersAreSummed()
{
    MetricsRegistry registry;
    std::vector<std::thread> threads;
    for (int w = 0; w < 4; ++w) {
        threads.emplace_back([&registry] {
            const std::shared_ptr<WorkerMetrics> mine = registry.addWorker();
            for (int i = 0; i < 5000; ++i)
                mine->record(record("r", {}, i % 10 == 0 ? 500 : 200, 2));
        });
    }
    // Scrapes while the workers count: never a torn or lost update.
    for (int i = 0; i < 20; ++i)
        registry.render({});
    for (std::thread &t : threads)
        t.join();
    const WorkerMetrics::Totals t = registry.totals();
    QCOMPARE(t.requests.value({"r", {}, {}, 200}), 18000u);
    QCOMPARE(t.requests.value({"r", {}, {}, 500}), 2000u);
    QCOMPARE(t.latency.value({"r", {}}).count, 20000u);
}

void TestMetrics::textFormatIsStrictlyValid()
{
    MetricsRegistry registry;
    const auto worker = registry.addWorker();
    worker->record(record("billing", {}, 200, 12));
    worker->record(record("billing", {}, 404, 0.3));
    RequestRecord ai = record({}, "claude", 200, 900);
    ai.provider = QStringLiteral("an");
    ai.consumer = QStringLiteral("me");
    ai.tokensIn = 5;
    ai.tokensOut = 7;
    ai.costUsd = 0.000123;
    ai.promptApi = QStringLiteral("summarize");
    worker->record(ai);
    MetricsRegistry::Gauges gauges;
    gauges.openConnections = 3;
    gauges.logWritten = 42;
    gauges.logDropped = 1;
    gauges.upstreams = {{"billing", "http://127.0.0.1:9000", true, false}, {"billing", "http://127.0.0.1:9001", false, true}};
    gauges.residentBytes = 1 << 20;
    gauges.startTimeSeconds = 1700000000.5;
    const QByteArray text = registry.render(gauges);
    const Exposition e = Exposition::parse(text);
    QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(u'\n') + QLatin1Char('\n') + QString::fromUtf8(text)));

    QCOMPARE(e.families.value("gatehouse_requests_total").type, QStringLiteral("counter"));
    QCOMPARE(e.families.value("gatehouse_request_duration_seconds").type, QStringLiteral("histogram"));
    QCOMPARE(e.value("gatehouse_requests_total", {{"route", "billing"}, {"status", "404"}}), 1.0);
    QCOMPARE(e.value("gatehouse_requests_total", {{"prompt_api", "summarize"}, {"model", "claude"}}), 1.0);
    QCOMPARE(e.value("gatehouse_request_duration_seconds_count", {{"route", "billing"}}), 2.0);
    QCOMPARE(e.value("gatehouse_request_duration_seconds_bucket", {{"route", "billing"}, {"le", "0.005"}}), 1.0);
    QCOMPARE(e.value("gatehouse_request_duration_seconds_bucket", {{"route", "billing"}, {"le", "0.025"}}), 2.0);
    QCOMPARE(e.value("gatehouse_tokens_total", {{"provider", "an"}, {"direction", "out"}}), 7.0);
    QCOMPARE(e.value("gatehouse_cost_usd_total", {{"consumer", "me"}}), 0.000123);
    QCOMPARE(e.value("gatehouse_upstream_up", {{"target", "http://127.0.0.1:9001"}}), 0.0);
    QCOMPARE(e.value("gatehouse_upstream_ejected", {{"target", "http://127.0.0.1:9001"}}), 1.0);
    QCOMPARE(e.value("gatehouse_open_connections", {}), 3.0);
    QCOMPARE(e.value("gatehouse_log_records_dropped_total", {}), 1.0);
    QCOMPARE(e.value("process_start_time_seconds", {}), 1700000000.5);
    QCOMPARE(e.value("process_resident_memory_bytes", {}), double(1 << 20));
    // Deterministic: a second scrape of the same counts reads the same.
    QCOMPARE(registry.render(gauges), text);
}

void TestMetrics::labelValuesEscaped()
{
    MetricsRegistry registry;
    registry.addWorker()->record(record(QStringLiteral("we\"ird\\route\nname ü"), {}, 200, 1));
    const QByteArray text = registry.render({});
    QVERIFY(text.contains(R"(route="we\"ird\\route\nname ü")"));
    const Exposition e = Exposition::parse(text);
    QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(u'\n')));
    QCOMPARE(e.value("gatehouse_requests_total", {{"route", QStringLiteral("we\"ird\\route\nname ü")}}), 1.0);
}

void TestMetrics::parserRejectsBrokenText()
{
    // The checker above is only worth something if it can fail.
    const QList<QByteArray> broken = {
        "x_total 1\n",                                                          // no HELP/TYPE
        "# HELP x a\n# TYPE x counter\nx{a=\"1\" 1\n",                          // unterminated
        "# HELP x a\n# TYPE x counter\nx{a=\"\\q\"} 1\n",                       // bad escape
        "# HELP x a\n# TYPE x counter\nx 1\nx 2\n",                             // duplicate series
        "# HELP x a\n# TYPE x counter\nx one\n",                                // bad value
        "# HELP h a\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", // not cumulative
        "# HELP h a\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",                      // no +Inf
        "# HELP x a\n# TYPE x counter\nx 1",                                    // no final newline
        "# HELP x a\n# TYPE x counter\n# HELP y b\n# TYPE y gauge\nx 1\n",      // outside its block
    };
    for (const QByteArray &text : broken)
        QVERIFY2(!Exposition::parse(text).errors.isEmpty(), text.constData());
}

void TestMetrics::valuesFormatted()
{
    QCOMPARE(PrometheusWriter::formatValue(3), QByteArray("3"));
    QCOMPARE(PrometheusWriter::formatValue(0.005), QByteArray("0.005"));
    QCOMPARE(PrometheusWriter::formatValue(1e-7), QByteArray("1e-07"));
    QCOMPARE(PrometheusWriter::formatValue(INFINITY), QByteArray("+Inf"));
    QCOMPARE(PrometheusWriter::formatValue(NAN), QByteArray("NaN"));
    QCOMPARE(PrometheusWriter::formatValue(1e20), QByteArray("1e+20"));
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
