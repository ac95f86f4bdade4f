#include "MetricsRegistry.h"

#include "PrometheusWriter.h"

#include <QFile>

#include <algorithm>
#include <unistd.h>

namespace gh {

namespace {

using Labels = PrometheusWriter::Labels;

// Sorted so a scrape reads the same from one time to the next.
template<typename Key, typename Value, typename Less>
QList<std::pair<Key, Value>> sorted(const QHash<Key, Value> &hash, Less less)
{
    QList<std::pair<Key, Value>> items;
    items.reserve(hash.size());
    for (auto it = hash.begin(); it != hash.end(); ++it)
        items.append({it.key(), it.value()});
    std::sort(items.begin(), items.end(), [&less](const auto &a, const auto &b) { return less(a.first, b.first); });
    return items;
}

void histogram(PrometheusWriter &out, const char *name, const Labels &labels, const WorkerMetrics::Histogram &h)
{
    const QByteArray bucket = QByteArray(name) + "_bucket";
    quint64 cumulative = 0;
    for (size_t i = 0; i < WorkerMetrics::Buckets.size(); ++i) {
        cumulative += h.buckets[i];
        Labels withLe = labels;
        withLe.append({QStringLiteral("le"), QString::fromLatin1(PrometheusWriter::formatValue(WorkerMetrics::Buckets[i]))});
        out.sample(bucket.constData(), withLe, cumulative);
    }
    Labels inf = labels;
    inf.append({QStringLiteral("le"), QStringLiteral("+Inf")});
    out.sample(bucket.constData(), inf, h.count);
    out.sample((QByteArray(name) + "_sum").constData(), labels, h.sum);
    out.sample((QByteArray(name) + "_count").constData(), labels, h.count);
}

} // namespace

std::shared_ptr<WorkerMetrics> MetricsRegistry::addWorker()
{
    auto worker = std::make_shared<WorkerMetrics>();
    QMutexLocker lock(&m_mutex);
    m_workers.push_back(worker);
    return worker;
}

WorkerMetrics::Totals MetricsRegistry::totals() const
{
    std::vector<std::shared_ptr<WorkerMetrics>> workers;
    {
        QMutexLocker lock(&m_mutex);
        workers = m_workers;
    }
    WorkerMetrics::Totals totals;
    for (const auto &worker : workers)
        totals.merge(worker->totals());
    return totals;
}

qint64 MetricsRegistry::residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    bool ok = false;
    const qint64 pages = fields.value(1).toLongLong(&ok);
    return ok ? pages * sysconf(_SC_PAGESIZE) : -1;
}

QByteArray MetricsRegistry::render(const Gauges &gauges) const
{
    const WorkerMetrics::Totals t = totals();
    PrometheusWriter out;

    out.family("gatehouse_requests_total", "counter",
               "Requests answered by the gateway listener, by route, prompt API, model and status.");
    for (const auto &[key, count] : sorted(t.requests, [](const auto &a, const auto &b) {
             return std::tie(a.route, a.promptApi, a.model, a.status) < std::tie(b.route, b.promptApi, b.model, b.status);
         })) {
        out.sample("gatehouse_requests_total",
                   {{QStringLiteral("route"), key.route},
                    {QStringLiteral("prompt_api"), key.promptApi},
                    {QStringLiteral("model"), key.model},
                    {QStringLiteral("status"), QString::number(key.status)}},
                   count);
    }

    const auto latencyLess = [](const auto &a, const auto &b) { return std::tie(a.route, a.model) < std::tie(b.route, b.model); };
    out.family("gatehouse_request_duration_seconds", "histogram",
               "Time from the request head to the end of the response.");
    for (const auto &[key, h] : sorted(t.latency, latencyLess))
        histogram(out, "gatehouse_request_duration_seconds", {{QStringLiteral("route"), key.route}, {QStringLiteral("model"), key.model}}, h);
    out.family("gatehouse_upstream_duration_seconds", "histogram",
               "Time waiting for upstreams (request sent to response head), summed over retries and fallbacks.");
    for (const auto &[key, h] : sorted(t.upstream, latencyLess))
        histogram(out, "gatehouse_upstream_duration_seconds", {{QStringLiteral("route"), key.route}, {QStringLiteral("model"), key.model}}, h);

    const auto usage = sorted(t.usage, [](const auto &a, const auto &b) {
        return std::tie(a.provider, a.model, a.consumer) < std::tie(b.provider, b.model, b.consumer);
    });
    out.family("gatehouse_tokens_total", "counter", "AI tokens as providers reported them, by direction.");
    for (const auto &[key, u] : usage) {
        const Labels labels{{QStringLiteral("provider"), key.provider}, {QStringLiteral("model"), key.model}, {QStringLiteral("consumer"), key.consumer}};
        Labels in = labels;
        in.append({QStringLiteral("direction"), QStringLiteral("in")});
        Labels outLabels = labels;
        outLabels.append({QStringLiteral("direction"), QStringLiteral("out")});
        out.sample("gatehouse_tokens_total", in, u.tokensIn);
        out.sample("gatehouse_tokens_total", outLabels, u.tokensOut);
    }
    out.family("gatehouse_cost_usd_total", "counter", "AI spend in US dollars from the price table.");
    for (const auto &[key, u] : usage)
        out.sample("gatehouse_cost_usd_total",
                   {{QStringLiteral("provider"), key.provider}, {QStringLiteral("model"), key.model}, {QStringLiteral("consumer"), key.consumer}},
                   u.costUsd);

    out.family("gatehouse_cache_requests_total", "counter", "Answers where a cache applied, by cache and result.");
    for (const auto &[key, count] : sorted(t.cache, [](const auto &a, const auto &b) { return std::tie(a.kind, a.result) < std::tie(b.kind, b.result); }))
        out.sample("gatehouse_cache_requests_total", {{QStringLiteral("cache"), key.kind}, {QStringLiteral("result"), key.result.toLower()}}, count);
    out.family("gatehouse_cache_entries", "gauge", "Responses held by the response cache.");
    out.sample("gatehouse_cache_entries", {}, double(gauges.cacheEntries));
    out.family("gatehouse_cache_bytes", "gauge", "Bytes held by the response cache.");
    out.sample("gatehouse_cache_bytes", {}, double(gauges.cacheBytes));

    out.family("gatehouse_request_bytes_total", "counter", "Request body bytes received.");
    out.sample("gatehouse_request_bytes_total", {}, t.bytesIn);
    out.family("gatehouse_response_bytes_total", "counter", "Response body bytes sent.");
    out.sample("gatehouse_response_bytes_total", {}, t.bytesOut);

    out.family("gatehouse_upstream_up", "gauge", "1 while an upstream target takes traffic (not ejected, not failing its health check).");
    QList<Upstream> upstreams = gauges.upstreams;
    std::sort(upstreams.begin(), upstreams.end(), [](const Upstream &a, const Upstream &b) { return std::tie(a.service, a.target) < std::tie(b.service, b.target); });
    for (const Upstream &u : upstreams)
        out.sample("gatehouse_upstream_up", {{QStringLiteral("service"), u.service}, {QStringLiteral("target"), u.target}}, u.up ? 1.0 : 0.0);
    out.family("gatehouse_upstream_ejected", "gauge", "1 while passive health checks keep an upstream target out.");
    for (const Upstream &u : upstreams)
        out.sample("gatehouse_upstream_ejected", {{QStringLiteral("service"), u.service}, {QStringLiteral("target"), u.target}}, u.ejected ? 1.0 : 0.0);

    out.family("gatehouse_open_connections", "gauge", "Client connections open on the gateway listener.");
    out.sample("gatehouse_open_connections", {}, double(gauges.openConnections));
    out.family("gatehouse_log_records_written_total", "counter", "Request log rows written.");
    out.sample("gatehouse_log_records_written_total", {}, gauges.logWritten);
    out.family("gatehouse_log_records_dropped_total", "counter", "Request log records lost because the disk could not keep up.");
    out.sample("gatehouse_log_records_dropped_total", {}, gauges.logDropped);
    out.family("gatehouse_config_generation", "gauge", "Generation of the config in effect (grows with every change).");
    out.sample("gatehouse_config_generation", {}, double(gauges.configGeneration));
    out.family("gatehouse_build_info", "gauge", "Always 1; the version is a label.");
    out.sample("gatehouse_build_info", {{QStringLiteral("version"), QStringLiteral(GATEHOUSE_VERSION)}}, 1.0);
    out.family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.");
    out.sample("process_start_time_seconds", {}, gauges.startTimeSeconds);
    if (gauges.residentBytes >= 0) {
        out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        out.sample("process_resident_memory_bytes", {}, double(gauges.residentBytes));
    }
    return out.text();
}

} // namespace gh
