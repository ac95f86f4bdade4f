// Rate limits (docs/policies.md, Rate limits): the token bucket math with an injected
// clock (no sleeps), the concurrency limiter, what a config compiles to, which limit the
// headers describe, and that a bucket survives a reload only while its settings do.
#include "http/HttpHeaders.h"
#include "policy/ConcurrencyLimiter.h"
#include "policy/RateLimitGrant.h"
#include "policy/RateLimitSet.h"
#include "policy/RateLimiter.h"
#include "policy/TokenBucket.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace gh;

namespace {

constexpr qint64 Ms = 1000000;
constexpr qint64 S = 1000 * Ms;
constexpr qint64 T0 = 1000 * S; // any start: the clock is a steady one

QJsonObject route(const QString &name, const QJsonObject &limit)
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("rate_limit"), limit}};
}

QJsonObject consumer(const QString &name, const QJsonObject &limit)
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("rate_limit"), limit}};
}

QJsonObject config(const QJsonArray &routes, const QJsonArray &consumers = {})
{
    return {{QStringLiteral("routes"), routes}, {QStringLiteral("consumers"), consumers}};
}

} // namespace

class TestRateLimiter : public QObject
{
    Q_OBJECT

    std::atomic<qint64> m_now{T0};
    RateLimiter::Clock clock()
    {
        return [this] {
            return m_now.load();
        };
    }

private Q_SLOTS:
    void init() { m_now = T0; }

    void bucketStartsFullAndEmptiesAtBurst()
    {
        TokenBucket bucket(10, S, 5); // 10/s, burst 5
        for (int i = 4; i >= 0; --i) {
            const TokenBucket::State state = bucket.take(T0);
            QVERIFY(state.allowed);
            QCOMPARE(state.remaining, qint64(i));
        }
        const TokenBucket::State refused = bucket.take(T0);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.remaining, qint64(0));
        QCOMPARE(refused.retryAfterNs, 100 * Ms); // one token per 100 ms
        QCOMPARE(refused.resetNs, 500 * Ms);      // 5 tokens to refill
    }

    void bucketRefillsAtTheRate()
    {
        TokenBucket bucket(10, S, 5);
        for (int i = 0; i < 5; ++i)
            QVERIFY(bucket.take(T0).allowed);
        QVERIFY(!bucket.take(T0 + 99 * Ms).allowed);
        QVERIFY(bucket.take(T0 + 100 * Ms).allowed);
        QVERIFY(!bucket.take(T0 + 100 * Ms).allowed);
        // Long idle: full again, never more than the burst.
        QCOMPARE(bucket.peek(T0 + 60 * S).remaining, qint64(5));
        int taken = 0;
        while (bucket.take(T0 + 60 * S).allowed)
            ++taken;
        QCOMPARE(taken, 5);
    }

    void bucketSustainedRateIsExact()
    {
        // 100 requests/s offered 1000/s for 10 s: burst + 100 per second get through.
        TokenBucket bucket(100, S, 20);
        int allowed = 0;
        for (qint64 t = 0; t < 10 * S; t += Ms)
            allowed += bucket.take(T0 + t).allowed ? 1 : 0;
        QVERIFY2(allowed >= 20 + 999 && allowed <= 20 + 1000, qPrintable(QString::number(allowed)));
    }

    void bucketPerMinuteWithFractions()
    {
        TokenBucket bucket(3, 60 * S, 3); // 3 per minute: one every 20 s
        for (int i = 0; i < 3; ++i)
            QVERIFY(bucket.take(T0).allowed);
        const TokenBucket::State refused = bucket.take(T0 + S);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterNs, 19 * S);
        QVERIFY(bucket.take(T0 + 20 * S).allowed);
    }

    void bucketRefundGivesBack()
    {
        TokenBucket bucket(1, S, 2);
        QVERIFY(bucket.take(T0).allowed);
        QVERIFY(bucket.take(T0).allowed);
        QVERIFY(!bucket.take(T0).allowed);
        bucket.refund();
        const TokenBucket::State state = bucket.take(T0);
        QVERIFY(state.allowed);
        QCOMPARE(state.remaining, qint64(0));
    }

    void bucketDebitGoesIntoDebt()
    {
        TokenBucket tokens(6000, 60 * S, 6000); // 100 tokens per second
        QVERIFY(tokens.peek(T0).allowed);
        tokens.debit(T0, 5000);
        TokenBucket::State state = tokens.peek(T0);
        QVERIFY(state.allowed);
        QCOMPARE(state.remaining, qint64(1000));
        tokens.debit(T0, 3000); // 2000 in debt
        state = tokens.peek(T0);
        QVERIFY(!state.allowed);
        QCOMPARE(state.remaining, qint64(0));
        QCOMPARE(state.retryAfterNs, 20 * S + 1); // until more than zero is left
        QCOMPARE(state.resetNs, 80 * S);          // 8000 tokens at 100/s
        QVERIFY(!tokens.peek(T0 + 20 * S).allowed);
        QVERIFY(tokens.peek(T0 + 20 * S + 1).allowed);
        QCOMPARE(tokens.peek(T0 + 80 * S).remaining, qint64(6000));
    }

    void bucketTakesAllOrNothing()
    {
        TokenBucket bucket(10, S, 10);
        QVERIFY(bucket.take(T0, 7).allowed);
        QVERIFY(!bucket.take(T0, 4).allowed);
        QCOMPARE(bucket.peek(T0).remaining, qint64(3));
    }

    void bucketHoldsAcrossThreads()
    {
        // 4 threads race for a 1000-token bucket at a frozen time: exactly 1000 succeed.
        TokenBucket bucket(1, S, 1000);
        std::atomic<int> allowed{0};
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back(QThread::create([&] {
                for (int i = 0; i < 1000; ++i)
                    allowed += bucket.take(T0).allowed ? 1 : 0;
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(10000));
        QCOMPARE(allowed.load(), 1000);
    }

    void concurrencyLimiter()
    {
        ConcurrencyLimiter limiter(2);
        QVERIFY(limiter.tryAcquire());
        QVERIFY(limiter.tryAcquire());
        QVERIFY(!limiter.tryAcquire());
        QCOMPARE(limiter.inFlight(), 2);
        limiter.release();
        QCOMPARE(limiter.inFlight(), 1);
        QVERIFY(limiter.tryAcquire());
        QVERIFY(!limiter.tryAcquire());
    }

    void concurrencyLimiterAcrossThreads()
    {
        ConcurrencyLimiter limiter(3);
        std::atomic<int> inside{0};
        std::atomic<int> most{0};
        std::atomic<int> refused{0};
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back(QThread::create([&] {
                for (int i = 0; i < 20000; ++i) {
                    if (!limiter.tryAcquire()) {
                        ++refused;
                        continue;
                    }
                    const int now = ++inside;
                    int seen = most.load();
                    while (now > seen && !most.compare_exchange_weak(seen, now)) {
                    }
                    --inside;
                    limiter.release();
                }
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(20000));
        QVERIFY(most.load() <= 3);
        QCOMPARE(limiter.inFlight(), 0);
    }

    void formatDuration_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("zero") << qint64(0) << QByteArray("0s");
        QTest::newRow("sub-ms rounds up") << qint64(1) << QByteArray("1ms");
        QTest::newRow("ms") << 20 * Ms << QByteArray("20ms");
        QTest::newRow("1s") << S << QByteArray("1s");
        QTest::newRow("fraction") << 8640 * Ms << QByteArray("8.64s");
        QTest::newRow("6m0s") << 360 * S << QByteArray("6m0s");
        QTest::newRow("m s ms") << 61 * S + 5 * Ms << QByteArray("1m1.005s");
        QTest::newRow("hours") << 3723 * S << QByteArray("1h2m3s");
    }

    void formatDuration()
    {
        QFETCH(qint64, ns);
        QFETCH(QByteArray, text);
        QCOMPARE(RateLimiter::formatDuration(ns), text);
    }

    void compileRouteLimits()
    {
        RateLimiter limiter(clock());
        const auto set = limiter.compile(
            config({route("a", {{"requests_per_second", 2}, {"burst", 4}}),
                    route("b", {{"requests_per_second", 0.5}}),
                    route("c", {{"requests_per_minute", 30}, {"concurrent", 2}}),
                    route("d", {{"requests_per_minute", 30}, {"burst", 5}}),
                    QJsonObject{{"name", "free"}}},
                   {consumer("me", {{"requests_per_minute", 600}, {"tokens_per_minute", 1000}})}));
        QVERIFY(set->route("a") && set->route("a")->perSecond);
        QCOMPARE(set->route("a")->perSecond->capacity(), qint64(4));
        QVERIFY(!set->route("a")->perMinute);
        QCOMPARE(set->route("b")->perSecond->capacity(), qint64(1)); // burst: at least 1
        QVERIFY(!set->route("c")->perSecond);
        QCOMPARE(set->route("c")->perMinute->capacity(), qint64(30));
        QCOMPARE(set->route("c")->concurrent->limit(), 2);
        QCOMPARE(set->route("d")->perMinute->capacity(), qint64(5)); // burst sizes it
        QVERIFY(!set->route("free"));
        QCOMPARE(set->consumer("me")->perMinute->capacity(), qint64(600));
        QCOMPARE(set->consumer("me")->tokens->capacity(), qint64(1000));
        QVERIFY(!set->consumer("me")->concurrent);
        QVERIFY(!set->admit(QStringLiteral("free"), QStringLiteral("other"), false));
    }

    void admitRefusesWithHeaders()
    {
        RateLimiter limiter(clock());
        const auto set =
            limiter.compile(config({route("a", {{"requests_per_second", 2}, {"burst", 3}})}));
        for (int left = 2; left >= 0; --left) {
            const auto grant = set->admit(QStringLiteral("a"), {}, false);
            QVERIFY(grant && grant->allowed());
            HttpHeaders headers;
            grant->applyHeaders(headers);
            QCOMPARE(headers.value("x-ratelimit-limit-requests"), QByteArray("3"));
            QCOMPARE(headers.value("x-ratelimit-remaining-requests"), QByteArray::number(left));
            QCOMPARE(headers.value("x-ratelimit-reset-requests"),
                     RateLimiter::formatDuration((3 - left) * 500 * Ms));
            QVERIFY(!headers.contains("retry-after"));
            QVERIFY(!headers.contains("x-ratelimit-limit-tokens"));
        }
        m_now += 100 * Ms;
        const auto refused = set->admit(QStringLiteral("a"), {}, false);
        QVERIFY(!refused->allowed());
        QCOMPARE(refused->refusal(), RateLimitGrant::Refusal::Requests);
        QCOMPARE(refused->message(),
                 QStringLiteral("rate limit reached for route a: 2 requests per second (burst 3)"));
        QCOMPARE(refused->retryAfterS(), qint64(1)); // 400 ms, rounded up
        HttpHeaders headers;
        refused->applyHeaders(headers);
        QCOMPARE(headers.value("retry-after"), QByteArray("1"));
        QCOMPARE(headers.value("x-ratelimit-limit-requests"), QByteArray("3"));
        QCOMPARE(headers.value("x-ratelimit-remaining-requests"), QByteArray("0"));
        QCOMPARE(headers.value("x-ratelimit-reset-requests"), QByteArray("1.4s"));
        m_now += 400 * Ms;
        QVERIFY(set->admit(QStringLiteral("a"), {}, false)->allowed());
    }

    void retryAfterCountsWholeSeconds()
    {
        RateLimiter limiter(clock());
        const auto set = limiter.compile(config({route("m", {{"requests_per_minute", 2}})}));
        QVERIFY(set->admit(QStringLiteral("m"), {}, false)->allowed());
        QVERIFY(set->admit(QStringLiteral("m"), {}, false)->allowed());
        const auto refused = set->admit(QStringLiteral("m"), {}, false);
        QCOMPARE(refused->retryAfterS(), qint64(30));
        QCOMPARE(refused->message(),
                 QStringLiteral("rate limit reached for route m: 2 requests per minute"));
        HttpHeaders headers;
        refused->applyHeaders(headers);
        QCOMPARE(headers.value("x-ratelimit-reset-requests"), QByteArray("1m0s"));
    }

    void tightestLimitIsReported()
    {
        RateLimiter limiter(clock());
        const auto set =
            limiter.compile(config({route("r", {{"requests_per_second", 100}, {"burst", 100}})},
                                   {consumer("me", {{"requests_per_minute", 3}})}));
        auto grant = set->admit(QStringLiteral("r"), QStringLiteral("me"), false);
        HttpHeaders headers;
        grant->applyHeaders(headers);
        QCOMPARE(headers.value("x-ratelimit-limit-requests"), QByteArray("3"));
        QCOMPARE(headers.value("x-ratelimit-remaining-requests"), QByteArray("2"));
        QVERIFY(set->admit(QStringLiteral("r"), QStringLiteral("me"), false)->allowed());
        QVERIFY(set->admit(QStringLiteral("r"), QStringLiteral("me"), false)->allowed());
        const auto refused = set->admit(QStringLiteral("r"), QStringLiteral("me"), false);
        QVERIFY(!refused->allowed());
        QCOMPARE(refused->message(),
                 QStringLiteral("rate limit reached for consumer me: 3 requests per minute"));
        // The consumer's refusal gave the route its token back: 97 taken of 100, not 98.
        HttpHeaders routeOnly;
        set->admit(QStringLiteral("r"), {}, false)->applyHeaders(routeOnly);
        QCOMPARE(routeOnly.value("x-ratelimit-remaining-requests"), QByteArray("96"));
    }

    void routeAndConsumerAreIndependent()
    {
        RateLimiter limiter(clock());
        const auto set = limiter.compile(config(
            {route("a", {{"requests_per_minute", 1}}), route("b", {{"requests_per_minute", 1}})},
            {consumer("me", {{"requests_per_minute", 10}}),
             consumer("you", {{"requests_per_minute", 1}})}));
        QVERIFY(set->admit(QStringLiteral("a"), QStringLiteral("me"), false)->allowed());
        QVERIFY(!set->admit(QStringLiteral("a"), QStringLiteral("me"), false)->allowed());
        QVERIFY(set->admit(QStringLiteral("b"), QStringLiteral("me"), false)->allowed());
        QVERIFY(set->admit({}, QStringLiteral("you"), false)->allowed());
        QVERIFY(!set->admit({}, QStringLiteral("you"), false)->allowed());
        QVERIFY(set->admit({}, QStringLiteral("me"), false)->allowed());
    }

    void concurrencyThroughGrants()
    {
        RateLimiter limiter(clock());
        const auto set = limiter.compile(
            config({route("slow", {{"concurrent", 2}})}, {consumer("me", {{"concurrent", 1}})}));
        auto first = set->admit(QStringLiteral("slow"), {}, false);
        auto second = set->admit(QStringLiteral("slow"), {}, false);
        QVERIFY(first->allowed() && second->allowed());
        const auto third = set->admit(QStringLiteral("slow"), {}, false);
        QCOMPARE(third->refusal(), RateLimitGrant::Refusal::Concurrent);
        QCOMPARE(third->message(),
                 QStringLiteral("concurrency limit reached for route slow: 2 requests at once"));
        QCOMPARE(third->retryAfterS(), qint64(1));
        first->release();
        first->release(); // twice is once
        QCOMPARE(set->route("slow")->concurrent->inFlight(), 1);
        second.reset(); // destruction releases too
        QCOMPARE(set->route("slow")->concurrent->inFlight(), 0);

        // The consumer's slot is refused after the route's was taken: the route's is
        // given back.
        auto mine = set->admit(QStringLiteral("slow"), QStringLiteral("me"), false);
        QVERIFY(mine->allowed());
        const auto again = set->admit(QStringLiteral("slow"), QStringLiteral("me"), false);
        QCOMPARE(again->refusal(), RateLimitGrant::Refusal::Concurrent);
        QCOMPARE(set->route("slow")->concurrent->inFlight(), 1);
        QCOMPARE(set->consumer("me")->concurrent->inFlight(), 1);
    }

    void tokensChargedAfterAndRefusedWhenEmpty()
    {
        RateLimiter limiter(clock());
        const auto set =
            limiter.compile(config({}, {consumer("me", {{"tokens_per_minute", 600}})}));
        auto grant = set->admit({}, QStringLiteral("me"), true);
        QVERIFY(grant->allowed());
        HttpHeaders before;
        grant->applyHeaders(before);
        QCOMPARE(before.value("x-ratelimit-limit-tokens"), QByteArray("600"));
        QCOMPARE(before.value("x-ratelimit-remaining-tokens"), QByteArray("600"));
        QCOMPARE(before.value("x-ratelimit-reset-tokens"), QByteArray("0s"));
        QVERIFY(!before.contains("x-ratelimit-limit-requests"));
        grant->chargeTokens(900); // more than the bucket: 300 in debt
        HttpHeaders after;
        grant->applyHeaders(after);
        QCOMPARE(after.value("x-ratelimit-remaining-tokens"), QByteArray("0"));
        QCOMPARE(after.value("x-ratelimit-reset-tokens"), QByteArray("1m30s"));

        const auto refused = set->admit({}, QStringLiteral("me"), true);
        QCOMPARE(refused->refusal(), RateLimitGrant::Refusal::Tokens);
        QCOMPARE(refused->message(),
                 QStringLiteral("token rate limit reached for consumer me: 600 tokens per minute"));
        QCOMPARE(refused->retryAfterS(), qint64(31)); // 300 tokens at 10/s, then a little
        // Not an AI call: tokens do not apply.
        QVERIFY(!set->admit({}, QStringLiteral("me"), false));
        m_now += 31 * S;
        QVERIFY(set->admit({}, QStringLiteral("me"), true)->allowed());
    }

    void bucketsSurviveReloadUnlessChanged()
    {
        RateLimiter limiter(clock());
        const QJsonObject first = config(
            {route("a", {{"requests_per_minute", 2}}), route("b", {{"requests_per_minute", 2}})});
        auto one = limiter.limitsFor(1, first);
        QCOMPARE(limiter.limitsFor(1, first), one); // once per generation
        QVERIFY(one->admit(QStringLiteral("a"), {}, false)->allowed());
        QVERIFY(one->admit(QStringLiteral("a"), {}, false)->allowed());
        QVERIFY(one->admit(QStringLiteral("b"), {}, false)->allowed());
        QVERIFY(one->admit(QStringLiteral("b"), {}, false)->allowed());

        // Generation 2: a unchanged (still empty), b's limit changed (starts full).
        const QJsonObject second = config(
            {route("a", {{"requests_per_minute", 2}}), route("b", {{"requests_per_minute", 3}})});
        auto two = limiter.limitsFor(2, second);
        QVERIFY(two != one);
        QCOMPARE(two->route("a")->perMinute, one->route("a")->perMinute);
        QVERIFY(!two->admit(QStringLiteral("a"), {}, false)->allowed());
        QVERIFY(two->admit(QStringLiteral("b"), {}, false)->allowed());

        // A limit dropped and added again starts over.
        one.reset();
        limiter.limitsFor(3, config({}));
        two.reset();
        auto four = limiter.limitsFor(4, first);
        QVERIFY(four->admit(QStringLiteral("a"), {}, false)->allowed());
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
