#include "RateLimiter.h"

#include "ConcurrencyLimiter.h"
#include "TokenBucket.h"

#include <QJsonArray>
#include <QMutexLocker>

#include <chrono>
#include <cmath>

namespace gh {

namespace {

constexpr qint64 SecondNs = 1000000000;
constexpr qint64 MinuteNs = 60 * SecondNs;

QString keyNumber(double value)
{
    return QString::number(value, 'g', 17);
}

} // namespace

RateLimiter::RateLimiter(Clock clock)
    : m_clock(clock ? std::move(clock) : Clock(&RateLimiter::steadyNowNs))
{}

qint64 RateLimiter::steadyNowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

std::shared_ptr<const RateLimitSet> RateLimiter::limitsFor(quint64 generation,
                                                           const QJsonObject &config)
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_current && m_generation == generation)
            return m_current;
    }
    std::shared_ptr<const RateLimitSet> set = compile(config);
    QMutexLocker lock(&m_mutex);
    // Two workers may compile the same generation; the buckets are shared either way.
    if (!m_current || generation >= m_generation) {
        m_current = set;
        m_generation = generation;
    }
    return set;
}

std::shared_ptr<const RateLimitSet> RateLimiter::compile(const QJsonObject &config)
{
    auto set = std::make_shared<RateLimitSet>(m_clock);
    QMutexLocker lock(&m_mutex);
    for (const QJsonValue &value : config.value(QLatin1String("routes")).toArray()) {
        const QJsonObject route = value.toObject();
        const QJsonObject limit = route.value(QLatin1String("rate_limit")).toObject();
        if (limit.isEmpty())
            continue;
        const QString key =
            QLatin1String("route\x1f") + route.value(QLatin1String("name")).toString();
        RateLimitSet::Limits limits;
        const double perSecond = limit.value(QLatin1String("requests_per_second")).toDouble();
        const qint64 perMinute = limit.value(QLatin1String("requests_per_minute")).toInteger();
        const qint64 burst = limit.value(QLatin1String("burst")).toInteger();
        // burst sizes the finest bucket: the per-second one, else the per-minute one.
        if (perSecond > 0) {
            const double capacity = burst > 0 ? double(burst) : std::max(1.0, std::ceil(perSecond));
            limits.perSecond = bucket(key + QLatin1String("\x1fsecond\x1f") + keyNumber(perSecond) +
                                          QLatin1Char('\x1f') + keyNumber(capacity),
                                      perSecond, SecondNs, capacity);
            limits.perSecondRate = perSecond;
        }
        if (perMinute > 0) {
            const double capacity = burst > 0 && perSecond <= 0 ? double(burst) : double(perMinute);
            limits.perMinute = bucket(key + QLatin1String("\x1fminute\x1f") + keyNumber(perMinute) +
                                          QLatin1Char('\x1f') + keyNumber(capacity),
                                      double(perMinute), MinuteNs, capacity);
        }
        const qint64 concurrent = limit.value(QLatin1String("concurrent")).toInteger();
        if (concurrent > 0)
            limits.concurrent =
                concurrency(key + QLatin1String("\x1f") + keyNumber(concurrent), int(concurrent));
        set->setRoute(route.value(QLatin1String("name")).toString(), std::move(limits));
    }
    for (const QJsonValue &value : config.value(QLatin1String("consumers")).toArray()) {
        const QJsonObject consumer = value.toObject();
        const QJsonObject limit = consumer.value(QLatin1String("rate_limit")).toObject();
        if (limit.isEmpty())
            continue;
        const QString key =
            QLatin1String("consumer\x1f") + consumer.value(QLatin1String("name")).toString();
        RateLimitSet::Limits limits;
        const qint64 perMinute = limit.value(QLatin1String("requests_per_minute")).toInteger();
        if (perMinute > 0)
            limits.perMinute = bucket(key + QLatin1String("\x1fminute\x1f") + keyNumber(perMinute),
                                      double(perMinute), MinuteNs, double(perMinute));
        const qint64 tokens = limit.value(QLatin1String("tokens_per_minute")).toInteger();
        if (tokens > 0)
            limits.tokens = bucket(key + QLatin1String("\x1ftokens\x1f") + keyNumber(tokens),
                                   double(tokens), MinuteNs, double(tokens));
        const qint64 concurrent = limit.value(QLatin1String("concurrent")).toInteger();
        if (concurrent > 0)
            limits.concurrent =
                concurrency(key + QLatin1String("\x1f") + keyNumber(concurrent), int(concurrent));
        set->setConsumer(consumer.value(QLatin1String("name")).toString(), std::move(limits));
    }
    // Limits no config uses any more are forgotten.
    m_buckets.removeIf([](const auto &entry) { return entry.value().expired(); });
    m_limiters.removeIf([](const auto &entry) { return entry.value().expired(); });
    return set;
}

std::shared_ptr<TokenBucket> RateLimiter::bucket(const QString &key, double amount, qint64 periodNs,
                                                 double capacity)
{
    if (std::shared_ptr<TokenBucket> existing = m_buckets.value(key).lock())
        return existing;
    auto created = std::make_shared<TokenBucket>(amount, periodNs, capacity);
    m_buckets.insert(key, created);
    return created;
}

std::shared_ptr<ConcurrencyLimiter> RateLimiter::concurrency(const QString &key, int limit)
{
    if (std::shared_ptr<ConcurrencyLimiter> existing = m_limiters.value(key).lock())
        return existing;
    auto created = std::make_shared<ConcurrencyLimiter>(limit);
    m_limiters.insert(key, created);
    return created;
}

QByteArray RateLimiter::formatDuration(qint64 ns)
{
    if (ns <= 0)
        return QByteArrayLiteral("0s");
    const qint64 ms = (ns + 999999) / 1000000;
    if (ms < 1000)
        return QByteArray::number(ms) + "ms";
    const qint64 hours = ms / 3600000;
    const qint64 minutes = ms / 60000 % 60;
    const qint64 wholeSeconds = ms / 1000 % 60;
    const qint64 millis = ms % 1000;
    QByteArray seconds = QByteArray::number(wholeSeconds);
    if (millis) {
        QByteArray fraction = QByteArray::number(millis).rightJustified(3, '0');
        while (fraction.endsWith('0'))
            fraction.chop(1);
        seconds += '.' + fraction;
    }
    seconds += 's';
    if (hours)
        return QByteArray::number(hours) + 'h' + QByteArray::number(minutes) + 'm' + seconds;
    if (minutes)
        return QByteArray::number(minutes) + 'm' + seconds;
    return seconds;
}

} // namespace gh
