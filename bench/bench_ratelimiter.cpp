// What a rate limit costs per request: one bucket take (a CAS on one atomic), a whole
// admit (route + consumer buckets, a concurrency slot, the grant and its headers), and
// the same under contention from several threads hitting the one shared bucket — the
// case a gateway-wide limit creates when every worker serves the same route.
#include "http/HttpHeaders.h"
#include "policy/RateLimitGrant.h"
#include "policy/RateLimitSet.h"
#include "policy/RateLimiter.h"
#include "policy/TokenBucket.h"

#include <QJsonArray>
#include <QJsonObject>

#include <benchmark/benchmark.h>

namespace {

// Never empties: the benchmark measures the bookkeeping, not refusals.
constexpr double Huge = 1e12;

void BM_BucketTake(benchmark::State &state)
{
    static gh::TokenBucket bucket(Huge, 1000000000, Huge);
    for (auto _ : state)
        benchmark::DoNotOptimize(bucket.take(gh::RateLimiter::steadyNowNs()));
}
// Threads > 1: every thread takes from the same bucket (CAS retries under contention).
BENCHMARK(BM_BucketTake)->Threads(1)->Threads(2)->Threads(4);

std::shared_ptr<const gh::RateLimitSet> limits()
{
    static gh::RateLimiter limiter;
    static const auto set = limiter.compile(QJsonObject{
        {"routes", QJsonArray{QJsonObject{{"name", "api"},
                                          {"rate_limit", QJsonObject{{"requests_per_second", Huge},
                                                                     {"burst", Huge},
                                                                     {"concurrent", 1000000}}}}}},
        {"consumers",
         QJsonArray{QJsonObject{{"name", "me"},
                                {"rate_limit", QJsonObject{{"requests_per_minute", Huge},
                                                           {"tokens_per_minute", Huge}}}}}}});
    return set;
}

void BM_Admit(benchmark::State &state)
{
    const auto set = limits();
    const QString route = QStringLiteral("api");
    const QString consumer = QStringLiteral("me");
    for (auto _ : state) {
        auto grant = set->admit(route, consumer, false);
        gh::HttpHeaders headers;
        grant->applyHeaders(headers);
        benchmark::DoNotOptimize(headers);
    }
}
BENCHMARK(BM_Admit)->Threads(1)->Threads(2)->Threads(4);

void BM_AdmitNoLimit(benchmark::State &state)
{
    const auto set = limits();
    const QString route = QStringLiteral("free");
    const QString consumer = QStringLiteral("you");
    for (auto _ : state)
        benchmark::DoNotOptimize(set->admit(route, consumer, false));
}
BENCHMARK(BM_AdmitNoLimit);

} // namespace

BENCHMARK_MAIN();
