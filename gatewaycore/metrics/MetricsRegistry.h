#pragma once

#include "WorkerMetrics.h"

#include <QByteArray>
#include <QList>
#include <QMutex>

#include <memory>
#include <vector>

namespace gh {

// GET /metrics (docs/metrics.md): the Gateway's registry of per-worker counters (one
// WorkerMetrics per gateway worker, asked for on the worker's thread) plus gauges the
// Gateway reads at scrape time. Counters live as long as the Gateway: a restart of the
// listeners keeps them, a new process starts at zero (as Prometheus expects).
class MetricsRegistry
{
public:
    struct Upstream
    {
        QString service;
        QString target;
        bool up = true;      // not ejected and not failing its active check
        bool ejected = false;
    };
    // Read by the Gateway when scraped.
    struct Gauges
    {
        int openConnections = 0;
        quint64 logWritten = 0;
        quint64 logDropped = 0;
        QList<Upstream> upstreams;
        qint64 residentBytes = -1; // -1: unknown
        double startTimeSeconds = 0;
        quint64 configGeneration = 0;
        int cacheEntries = 0;
        qint64 cacheBytes = 0;
    };

    std::shared_ptr<WorkerMetrics> addWorker();
    WorkerMetrics::Totals totals() const;
    QByteArray render(const Gauges &gauges) const;

    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";
    // This process's resident set size (Linux /proc/self/statm), -1 elsewhere.
    static qint64 residentBytes();

private:
    mutable QMutex m_mutex;
    std::vector<std::shared_ptr<WorkerMetrics>> m_workers;
};

} // namespace gh
