// ResponseCache (LRU by bytes, TTL, Vary), CachePolicy (Cache-Control, RFC 9111) and
// AiCacheKey: pure logic, with an injected clock.
#include "cache/AiCacheKey.h"
#include "cache/CachePolicy.h"
#include "cache/ResponseCache.h"

#include <QJsonObject>
#include <QTest>

using namespace gh;

namespace {

HttpHeaders headers(std::initializer_list<std::pair<const char *, const char *>> list)
{
    HttpHeaders h;
    for (const auto &[name, value] : list)
        h.add(name, value);
    return h;
}

ResponseCache::Entry entry(const QByteArray &body, qint64 ttlMs = 60000,
                           HttpHeaders responseHeaders = {},
                           const QString &scope = QStringLiteral("r"))
{
    ResponseCache::Entry e;
    e.body = body;
    e.headers = std::move(responseHeaders);
    e.ttlMs = ttlMs;
    e.scope = scope;
    return e;
}

} // namespace

class TestResponseCacheUnit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storesAndHits();
    void getAndHeadShareTheKey();
    void lruEvictsByBytes();
    void hitRefreshesRecency();
    void ttlExpiresWithTheClock();
    void tooLargeEntryRefused();
    void smallerCapacityEvicts();
    void varySeparatesVariants();
    void varyStarNeverStored();
    void varyChangeDropsOldVariants();
    void purgeAllAndByRoute();
    void invalidateDropsEveryVariant();
    void ageOnHit();
    void directivesParse();
    void noStoreAndPrivateNeverStored();
    void maxAgeAndSMaxAgeCapTtl();
    void noCacheAndCookiesNotStored();
    void authorizationNeedsPublicOrSMaxAge();
    void requestBypass();
    void storableStatuses();
    void aiCacheAppliesAndKeys();
};

void TestResponseCacheUnit::storesAndHits()
{
    qint64 now = 1000;
    ResponseCache cache(1 << 20, [&now] { return now; });
    const QByteArray key = ResponseCache::routeKey(QStringLiteral("r"), "Example.com", "/a?x=1");
    QVERIFY(!cache.lookup(key, {}));
    QVERIFY(cache.insert(key, {}, entry("hello")));
    const auto hit = cache.lookup(key, {});
    QVERIFY(hit);
    QCOMPARE(hit->body, QByteArray("hello"));
    QCOMPARE(hit->storedMs, 1000);
    QCOMPARE(cache.count(), 1);
    QVERIFY(cache.bytes() > 5);
    // Host is case-insensitive; target and route are not.
    QVERIFY(
        cache.lookup(ResponseCache::routeKey(QStringLiteral("r"), "example.COM", "/a?x=1"), {}));
    QVERIFY(
        !cache.lookup(ResponseCache::routeKey(QStringLiteral("r"), "example.com", "/a?x=2"), {}));
    QVERIFY(!cache.lookup(ResponseCache::routeKey(QStringLiteral("other"), "example.com", "/a?x=1"),
                          {}));
}

void TestResponseCacheUnit::getAndHeadShareTheKey()
{
    // The method is not part of routeKey at all: the same call for both.
    QCOMPARE(ResponseCache::routeKey(QStringLiteral("r"), "h", "/p"),
             ResponseCache::routeKey(QStringLiteral("r"), "h", "/p"));
    QVERIFY(ResponseCache::routeKey(QStringLiteral("r"), "h", "/p") !=
            ResponseCache::routeKey(QStringLiteral("r"), "h", "/p/"));
}

void TestResponseCacheUnit::lruEvictsByBytes()
{
    ResponseCache cache(8 * 1000, [] { return 0; }); // per-entry cap 1000 bytes
    const QByteArray body(900, 'x');                 // 903 bytes with key and scope: 8 fit in 8000
    for (int i = 0; i < 10; ++i)
        QVERIFY(cache.insert(QByteArray::number(i), {}, entry(body)));
    QVERIFY(cache.bytes() <= 8000);
    QCOMPARE(cache.count(), 8);
    QCOMPARE(cache.bytes(), 8 * 903);
    // The oldest went first: 0 and 1 are gone, 2 and 9 are there.
    QVERIFY(!cache.lookup("0", {}));
    QVERIFY(!cache.lookup("1", {}));
    QVERIFY(cache.lookup("2", {}));
    QVERIFY(cache.lookup("9", {}));
}

void TestResponseCacheUnit::hitRefreshesRecency()
{
    ResponseCache cache(8 * 1000, [] { return 0; });
    const QByteArray body(900, 'x');
    for (int i = 0; i < 8; ++i)
        QVERIFY(cache.insert(QByteArray::number(i), {}, entry(body)));
    QCOMPARE(cache.count(), 8);
    QVERIFY(cache.lookup("0", {})); // 0 is now the most recently used
    QVERIFY(cache.insert("new", {}, entry(body)));
    QVERIFY(cache.lookup("0", {}));
    QVERIFY(!cache.lookup("1", {})); // the least recently used went instead
}

void TestResponseCacheUnit::ttlExpiresWithTheClock()
{
    qint64 now = 0;
    ResponseCache cache(1 << 20, [&now] { return now; });
    QVERIFY(cache.insert("k", {}, entry("v", 5000)));
    now = 4999;
    QVERIFY(cache.lookup("k", {}));
    now = 5000;
    QVERIFY(!cache.lookup("k", {}));
    QCOMPARE(cache.count(), 0); // dropped, not only hidden
    QCOMPARE(cache.bytes(), 0);
    QVERIFY(!cache.insert("k", {}, entry("v", 0))); // no freshness, nothing stored
}

void TestResponseCacheUnit::tooLargeEntryRefused()
{
    ResponseCache cache(8000, [] { return 0; });
    QCOMPARE(cache.maxEntryBytes(), 1000);
    QVERIFY(!cache.insert("k", {}, entry(QByteArray(1001, 'x'))));
    QCOMPARE(cache.count(), 0);
    ResponseCache big(qint64(1) << 30, [] { return 0; });
    QCOMPARE(big.maxEntryBytes(), ResponseCache::MaxEntryCap);
    ResponseCache off(0, [] { return 0; });
    QVERIFY(!off.insert("k", {}, entry("v")));
}

void TestResponseCacheUnit::smallerCapacityEvicts()
{
    ResponseCache cache(80000, [] { return 0; });
    for (int i = 0; i < 20; ++i)
        QVERIFY(cache.insert(QByteArray::number(i), {}, entry(QByteArray(900, 'x'))));
    QCOMPARE(cache.count(), 20);
    cache.setCapacity(4000);
    QVERIFY(cache.bytes() <= 4000);
    QCOMPARE(cache.count(), 4);
    QVERIFY(cache.lookup("19", {}));
    cache.setCapacity(0);
    QCOMPARE(cache.count(), 0);
}

void TestResponseCacheUnit::varySeparatesVariants()
{
    ResponseCache cache(1 << 20, [] { return 0; });
    const HttpHeaders vary = headers({{"Vary", "Accept-Encoding"}});
    QVERIFY(
        cache.insert("k", headers({{"Accept-Encoding", "gzip"}}), entry("zipped", 60000, vary)));
    QVERIFY(cache.insert("k", headers({{"accept-encoding", "br"}}), entry("brotli", 60000, vary)));
    QCOMPARE(cache.count(), 2);
    QCOMPARE(cache.lookup("k", headers({{"ACCEPT-ENCODING", "gzip"}}))->body, QByteArray("zipped"));
    QCOMPARE(cache.lookup("k", headers({{"Accept-Encoding", "br"}}))->body, QByteArray("brotli"));
    QVERIFY(!cache.lookup("k", headers({{"Accept-Encoding", "identity"}})));
    QVERIFY(!cache.lookup("k", {})); // absent is its own variant
    // Headers not named by Vary do not matter.
    QVERIFY(cache.lookup("k", headers({{"Accept-Encoding", "br"}, {"Accept", "text/html"}})));
    // Several Vary names, in any order and case.
    const HttpHeaders two = headers({{"Vary", "accept, Accept-Language"}});
    QVERIFY(cache.insert("m", headers({{"Accept", "a"}, {"Accept-Language", "de"}}),
                         entry("de", 60000, two)));
    QVERIFY(cache.lookup("m", headers({{"accept-language", "de"}, {"accept", "a"}})));
    QVERIFY(!cache.lookup("m", headers({{"accept-language", "fr"}, {"accept", "a"}})));
}

void TestResponseCacheUnit::varyStarNeverStored()
{
    ResponseCache cache(1 << 20, [] { return 0; });
    QVERIFY(!cache.insert("k", {}, entry("v", 60000, headers({{"Vary", "*"}}))));
    QVERIFY(!cache.insert("k", {}, entry("v", 60000, headers({{"Vary", "Accept, *"}}))));
    QCOMPARE(cache.count(), 0);
}

void TestResponseCacheUnit::varyChangeDropsOldVariants()
{
    ResponseCache cache(1 << 20, [] { return 0; });
    QVERIFY(cache.insert("k", headers({{"Accept", "a"}}),
                         entry("a", 60000, headers({{"Vary", "Accept"}}))));
    QVERIFY(cache.insert("k", headers({{"Accept", "b"}}),
                         entry("b", 60000, headers({{"Vary", "Accept"}}))));
    QCOMPARE(cache.count(), 2);
    QVERIFY(cache.insert("k", headers({{"Accept", "a"}}), entry("plain")));
    QCOMPARE(cache.count(), 1);
    QCOMPARE(cache.lookup("k", headers({{"Accept", "b"}}))->body, QByteArray("plain"));
}

void TestResponseCacheUnit::purgeAllAndByRoute()
{
    ResponseCache cache(1 << 20, [] { return 0; });
    QVERIFY(cache.insert("a1", {}, entry("x", 60000, {}, QStringLiteral("a"))));
    QVERIFY(cache.insert("a2", {}, entry("x", 60000, {}, QStringLiteral("a"))));
    QVERIFY(cache.insert("b1", {}, entry("x", 60000, {}, QStringLiteral("b"))));
    QCOMPARE(cache.purgeScope(QStringLiteral("a")), 2);
    QCOMPARE(cache.purgeScope(QStringLiteral("a")), 0);
    QVERIFY(cache.lookup("b1", {}));
    QVERIFY(!cache.lookup("a1", {}));
    QCOMPARE(cache.purge(), 1);
    QCOMPARE(cache.count(), 0);
    QCOMPARE(cache.bytes(), 0);
}

void TestResponseCacheUnit::invalidateDropsEveryVariant()
{
    ResponseCache cache(1 << 20, [] { return 0; });
    QCOMPARE(cache.invalidate("nothing"), 0);
    QVERIFY(cache.insert("plain", {}, entry("p")));
    QVERIFY(cache.insert("other", {}, entry("o")));
    const HttpHeaders vary = headers({{"Vary", "Accept"}});
    QVERIFY(cache.insert("varied", headers({{"Accept", "a"}}), entry("a", 60000, vary)));
    QVERIFY(cache.insert("varied", headers({{"Accept", "b"}}), entry("b", 60000, vary)));
    const qint64 before = cache.bytes();

    QCOMPARE(cache.invalidate("plain"), 1);
    QVERIFY(!cache.lookup("plain", {}));
    QCOMPARE(cache.invalidate("plain"), 0);
    QCOMPARE(cache.invalidate("varied"), 2);
    QVERIFY(!cache.lookup("varied", headers({{"Accept", "a"}})));
    QVERIFY(!cache.lookup("varied", headers({{"Accept", "b"}})));
    // Others stay, and the byte count follows.
    QVERIFY(cache.lookup("other", {}));
    QCOMPARE(cache.count(), 1);
    QVERIFY(cache.bytes() < before && cache.bytes() > 0);
    // The key space is reusable afterwards.
    QVERIFY(cache.insert("varied", {}, entry("again")));
    QCOMPARE(cache.lookup("varied", {})->body, QByteArray("again"));
}

void TestResponseCacheUnit::ageOnHit()
{
    qint64 now = 10000;
    ResponseCache cache(1 << 20, [&now] { return now; });
    ResponseCache::Entry e = entry("v", 60000, headers({{"Content-Type", "text/plain"}}));
    e.initialAgeS = 3;
    e.status = 404;
    QVERIFY(cache.insert("k", {}, e));
    now += 7500;
    const HttpResponse response = cache.hitResponse(*cache.lookup("k", {}));
    QCOMPARE(response.status, 404);
    QCOMPARE(response.body, QByteArray("v"));
    QCOMPARE(response.headers.value("age"), QByteArray("10"));
    QCOMPARE(response.headers.value("x-gatehouse-cache"), QByteArray("HIT"));
    QCOMPARE(response.headers.value("content-type"), QByteArray("text/plain"));
}

void TestResponseCacheUnit::directivesParse()
{
    const auto d = CachePolicy::Directives::parse(headers(
        {{"Cache-Control", "Public, MAX-AGE=60"}, {"cache-control", "s-maxage=\"30\", x-ext=1"}}));
    QVERIFY(d.isPublic);
    QVERIFY(!d.isPrivate && !d.noStore && !d.noCache);
    QCOMPARE(d.maxAge.value_or(-1), 60);
    QCOMPARE(d.sMaxAge.value_or(-1), 30);
    const auto bad = CachePolicy::Directives::parse(headers({{"Cache-Control", "max-age=soon"}}));
    QCOMPARE(bad.maxAge.value_or(-1), 0); // invalid: stale
    const auto none = CachePolicy::Directives::parse({});
    QVERIFY(!none.maxAge && !none.sMaxAge && !none.noStore);
    QVERIFY(CachePolicy::Directives::parse(headers({{"Cache-Control", "private=\"set-cookie\""}}))
                .isPrivate);
}

void TestResponseCacheUnit::noStoreAndPrivateNeverStored()
{
    QCOMPARE(CachePolicy::storableTtl(60, 200, {}, {}), 60);
    QCOMPARE(CachePolicy::storableTtl(60, 200, {}, headers({{"Cache-Control", "no-store"}})), 0);
    QCOMPARE(
        CachePolicy::storableTtl(60, 200, {}, headers({{"Cache-Control", "max-age=60, private"}})),
        0);
    QCOMPARE(
        CachePolicy::storableTtl(60, 200, {}, headers({{"Cache-Control", "public, no-store"}})), 0);
    // A request's own no-store keeps its answer out of the cache too.
    QCOMPARE(CachePolicy::storableTtl(60, 200, headers({{"Cache-Control", "no-store"}}), {}), 0);
}

void TestResponseCacheUnit::maxAgeAndSMaxAgeCapTtl()
{
    QCOMPARE(CachePolicy::storableTtl(60, 200, {}, headers({{"Cache-Control", "max-age=10"}})), 10);
    QCOMPARE(CachePolicy::storableTtl(5, 200, {}, headers({{"Cache-Control", "max-age=10"}})), 5);
    // s-maxage wins over max-age for a shared cache, both ways.
    QCOMPARE(CachePolicy::storableTtl(60, 200, {},
                                      headers({{"Cache-Control", "max-age=10, s-maxage=30"}})),
             30);
    QCOMPARE(CachePolicy::storableTtl(60, 200, {},
                                      headers({{"Cache-Control", "max-age=30, s-maxage=10"}})),
             10);
    QCOMPARE(CachePolicy::storableTtl(60, 200, {}, headers({{"Cache-Control", "max-age=0"}})), 0);
    // The upstream's own Age counts against max-age.
    QCOMPARE(CachePolicy::storableTtl(60, 200, {},
                                      headers({{"Cache-Control", "max-age=10"}, {"Age", "4"}})),
             6);
    QCOMPARE(CachePolicy::storableTtl(60, 200, {},
                                      headers({{"Cache-Control", "max-age=10"}, {"Age", "40"}})),
             0);
    QCOMPARE(CachePolicy::storableTtl(0, 200, {}, {}), 0);
}

void TestResponseCacheUnit::noCacheAndCookiesNotStored()
{
    QCOMPARE(CachePolicy::storableTtl(60, 200, {}, headers({{"Cache-Control", "no-cache"}})), 0);
    QCOMPARE(CachePolicy::storableTtl(60, 200, {}, headers({{"Set-Cookie", "s=1"}})), 0);
    QCOMPARE(CachePolicy::storableTtl(60, 200, {}, headers({{"Vary", "*"}})), 0);
}

void TestResponseCacheUnit::authorizationNeedsPublicOrSMaxAge()
{
    const HttpHeaders authorized = headers({{"Authorization", "Bearer t"}});
    QVERIFY(CachePolicy::isAuthorized(authorized));
    QVERIFY(!CachePolicy::isAuthorized({}));
    QCOMPARE(CachePolicy::storableTtl(60, 200, authorized, {}), 0);
    QCOMPARE(
        CachePolicy::storableTtl(60, 200, authorized, headers({{"Cache-Control", "max-age=30"}})),
        0);
    QCOMPARE(CachePolicy::storableTtl(60, 200, authorized, headers({{"Cache-Control", "public"}})),
             60);
    QCOMPARE(
        CachePolicy::storableTtl(60, 200, authorized, headers({{"Cache-Control", "s-maxage=20"}})),
        20);
    QVERIFY(!CachePolicy::authorizedMayUse({}));
    QVERIFY(CachePolicy::authorizedMayUse(headers({{"Cache-Control", "public, max-age=5"}})));
    QVERIFY(CachePolicy::authorizedMayUse(headers({{"Cache-Control", "s-maxage=5"}})));
}

void TestResponseCacheUnit::requestBypass()
{
    QVERIFY(!CachePolicy::bypassesLookup({}));
    QVERIFY(CachePolicy::bypassesLookup(headers({{"Cache-Control", "no-cache"}})));
    QVERIFY(CachePolicy::bypassesLookup(headers({{"Cache-Control", "max-age=0, no-store"}})));
    QVERIFY(CachePolicy::bypassesLookup(headers({{"Pragma", "no-cache"}})));
    QVERIFY(!CachePolicy::bypassesLookup(headers({{"Cache-Control", "max-stale=5"}})));
    QVERIFY(!CachePolicy::forbidsStore(headers({{"Cache-Control", "no-cache"}})));
    QVERIFY(CachePolicy::forbidsStore(headers({{"Cache-Control", "no-store"}})));
}

void TestResponseCacheUnit::storableStatuses()
{
    for (int status : {200, 301, 404})
        QVERIFY2(CachePolicy::storableTtl(60, status, {}, {}) == 60, QByteArray::number(status));
    for (int status : {201, 204, 206, 302, 304, 400, 401, 403, 500, 502, 503})
        QVERIFY2(CachePolicy::storableTtl(60, status, {}, {}) == 0, QByteArray::number(status));
}

void TestResponseCacheUnit::aiCacheAppliesAndKeys()
{
    QCOMPARE(AiCacheKey::ttlSeconds({}), 0);
    QCOMPARE(AiCacheKey::ttlSeconds(
                 QJsonObject{{"ai_cache", QJsonObject{{"enabled", false}, {"ttl_s", 60}}}}),
             0);
    QCOMPARE(AiCacheKey::ttlSeconds(
                 QJsonObject{{"ai_cache", QJsonObject{{"enabled", true}, {"ttl_s", 60}}}}),
             60);

    const QJsonObject zero{{"model", "m"}, {"temperature", 0}};
    const QJsonObject warm{{"model", "m"}, {"temperature", 0.7}};
    const QJsonObject unset{{"model", "m"}};
    QVERIFY(AiCacheKey::applies(zero, {}));
    QVERIFY(!AiCacheKey::applies(warm, {}));
    QVERIFY(!AiCacheKey::applies(unset, {})); // providers default to a temperature above 0
    QVERIFY(AiCacheKey::applies(warm, headers({{"x-gatehouse-cache", "on"}})));
    QVERIFY(!AiCacheKey::applies(zero, headers({{"x-gatehouse-cache", "off"}})));
    QVERIFY(!AiCacheKey::applies(zero, headers({{"Cache-Control", "no-cache"}})));

    const QString alice = QStringLiteral("alice");
    const QByteArray key = AiCacheKey::key(ChatDialect::OpenAi, alice, zero);
    // Key order does not matter; dialect, consumer, stream mode and content do.
    QJsonObject reordered;
    reordered.insert(QStringLiteral("temperature"), 0.0);
    reordered.insert(QStringLiteral("model"), QStringLiteral("m"));
    QCOMPARE(AiCacheKey::key(ChatDialect::OpenAi, alice, reordered), key);
    QJsonObject explicitNoStream = zero;
    explicitNoStream.insert(QStringLiteral("stream"), false);
    QCOMPARE(AiCacheKey::key(ChatDialect::OpenAi, alice, explicitNoStream), key);
    QJsonObject streamed = zero;
    streamed.insert(QStringLiteral("stream"), true);
    QVERIFY(AiCacheKey::key(ChatDialect::OpenAi, alice, streamed) != key);
    QVERIFY(AiCacheKey::key(ChatDialect::Anthropic, alice, zero) != key);
    QVERIFY(AiCacheKey::key(ChatDialect::OpenAi, QStringLiteral("bob"), zero) != key);
    QVERIFY(AiCacheKey::key(ChatDialect::OpenAi, alice,
                            QJsonObject{{"model", "m"}, {"temperature", 0}, {"seed", 1}}) != key);
}

QTEST_APPLESS_MAIN(TestResponseCacheUnit)
#include "tst_responsecacheunit.moc"
