#include "ai/PriceTable.h"
#include "ai/ProviderType.h"

#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace gh;

namespace {

QJsonObject entry(const QString &provider, const QString &model, double input, double output)
{
    return QJsonObject{{QStringLiteral("provider"), provider},
                       {QStringLiteral("model"), model},
                       {QStringLiteral("input"), input},
                       {QStringLiteral("output"), output},
                       {QStringLiteral("source"), QStringLiteral("https://example.com/pricing")},
                       {QStringLiteral("date"), QStringLiteral("2026-11-26")}};
}

QByteArray document(const QJsonArray &prices)
{
    const QJsonObject root{{QStringLiteral("version"), 1},
                           {QStringLiteral("updated"), QStringLiteral("2026-11-26")},
                           {QStringLiteral("prices"), prices}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

// A small table whose every lookup result is known.
PriceTable sample()
{
    QJsonObject cached = entry(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 0.15, 0.6);
    cached.insert(QStringLiteral("cached_input"), 0.075);
    const QJsonArray prices{
        entry(QStringLiteral("openai"), QStringLiteral("gpt-4o"), 2.5, 10),
        cached,
        entry(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4"), 3, 15),
        entry(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-5"), 3.5, 16),
        entry(QStringLiteral("gemini"), QStringLiteral("gemini-2.5-flash"), 0.3, 2.5),
        entry(QStringLiteral("ollama"), QStringLiteral("*"), 0, 0),
        entry(QStringLiteral("ollama"), QStringLiteral("llama3.2"), 0.01, 0.02),
        entry(QStringLiteral("gemini"), QStringLiteral("gemini-2.5-flash-lite"), 0.1, 0.4),
        entry(QStringLiteral("openrouter"), QStringLiteral("openai/gpt-4o"), 2.6, 10.5),
        entry(QStringLiteral("openrouter"), QStringLiteral("google/gemini-2.5-flash"), 0.35, 2.6),
        entry(QStringLiteral("openrouter"), QStringLiteral("meta-llama/llama-3.3-70b"), 0.13, 0.4),
        entry(QStringLiteral("together"), QStringLiteral("meta-llama/Llama-3.3-70B"), 0.88, 0.88),
    };
    QString error;
    const std::optional<PriceTable> table = PriceTable::fromJson(document(prices), &error);
    if (!table)
        qFatal("sample table: %s", qPrintable(error));
    return *table;
}

} // namespace

class TestPriceTable : public QObject
{
    Q_OBJECT

private slots:
    void builtInLoadsFromTheResource();
    void builtInMatchesTheSourceFile();
    void builtInEntriesAreComplete();
    void builtInCoversEveryProviderType();
    void builtInLookups_data();
    void builtInLookups();
    void lookups_data();
    void lookups();
    void overridesComeFirstPerProviderName();
    void overridesSkipMalformedAndReplaceDuplicates();
    void cost_data();
    void cost();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
};

void TestPriceTable::builtInLoadsFromTheResource()
{
    // The resource is linked into every binary that links gatewaycore (this one included).
    QVERIFY(QFile::exists(QStringLiteral(":/gatehouse/prices.json")));
    const PriceTable &table = PriceTable::builtIn();
    QVERIFY2(table.size() > 60, qPrintable(QString::number(table.size())));
    QCOMPARE(table.builtInEntries().size(), table.size());
    QVERIFY(QDate::fromString(table.updated(), Qt::ISODate).isValid());
    // Parsed once: the same object every time.
    QCOMPARE(&PriceTable::builtIn(), &table);
}

void TestPriceTable::builtInMatchesTheSourceFile()
{
    QFile file(QStringLiteral(GATEHOUSE_SOURCE_DIR "/resources/prices.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QString error;
    const std::optional<PriceTable> fromSource = PriceTable::fromJson(file.readAll(), &error);
    QVERIFY2(fromSource, qPrintable(error));
    QCOMPARE(fromSource->builtInEntries(), PriceTable::builtIn().builtInEntries());
}

void TestPriceTable::builtInEntriesAreComplete()
{
    QSet<QString> keys;
    for (const PriceTable::Entry &e : PriceTable::builtIn().builtInEntries()) {
        const QString key = e.provider + u'/' + e.model;
        QVERIFY2(!keys.contains(key), qPrintable(QStringLiteral("duplicate ") + key));
        keys.insert(key);
        QVERIFY2(ProviderTypes::fromName(e.provider), qPrintable(key));
        QVERIFY2(e.price.source.startsWith(QLatin1String("https://")), qPrintable(key));
        QVERIFY2(QDate::fromString(e.price.date, Qt::ISODate).isValid(), qPrintable(key));
        QVERIFY2(e.price.input >= 0 && e.price.output >= 0, qPrintable(key));
        QVERIFY2(e.price.cachedInput.value_or(0) >= 0, qPrintable(key));
        QVERIFY2(e.price.cacheWrite.value_or(0) >= 0, qPrintable(key));
        // A cache read never costs more than a fresh token.
        QVERIFY2(e.price.cachedInput.value_or(0) <= e.price.input, qPrintable(key));
    }
}

void TestPriceTable::builtInCoversEveryProviderType()
{
    QSet<QString> covered;
    for (const PriceTable::Entry &e : PriceTable::builtIn().builtInEntries())
        covered.insert(e.provider);
    for (ProviderType type : ProviderTypes::all()) {
        // An openai-compatible server can be anything: only the user knows its price.
        if (type == ProviderType::OpenAiCompatible)
            continue;
        QVERIFY2(covered.contains(ProviderTypes::name(type)),
                 qPrintable(ProviderTypes::name(type)));
    }
}

void TestPriceTable::builtInLookups_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("input");
    QTest::addColumn<double>("output");

    QTest::newRow("dated openai snapshot")
        << QStringLiteral("openai") << QStringLiteral("gpt-4o-mini-2024-07-18") << 0.15 << 0.6;
    QTest::newRow("anthropic dated id")
        << QStringLiteral("anthropic") << QStringLiteral("claude-sonnet-4-5-20250929") << 3.0
        << 15.0;
    QTest::newRow("anthropic alias of a shorter entry")
        << QStringLiteral("anthropic") << QStringLiteral("claude-opus-4-0") << 15.0 << 75.0;
    QTest::newRow("newer opus is not the 4.0 price")
        << QStringLiteral("anthropic") << QStringLiteral("claude-opus-4-5-20251101") << 5.0 << 25.0;
    QTest::newRow("ollama local model")
        << QStringLiteral("ollama") << QStringLiteral("llama3.2:latest") << 0.0 << 0.0;
    QTest::newRow("openrouter vendor fallback")
        << QStringLiteral("openrouter") << QStringLiteral("openai/gpt-4o") << 2.5 << 10.0;
    QTest::newRow("openrouter anthropic dots")
        << QStringLiteral("openrouter") << QStringLiteral("anthropic/claude-haiku-4.5") << 1.0
        << 5.0;
    QTest::newRow("openrouter prefix entry does not shadow a vendor model")
        << QStringLiteral("openrouter") << QStringLiteral("google/gemini-2.5-flash-lite") << 0.1
        << 0.4;
    QTest::newRow("azure at openai list price")
        << QStringLiteral("azure-openai") << QStringLiteral("gpt-4.1-mini") << 0.4 << 1.6;
    QTest::newRow("gemini preview id")
        << QStringLiteral("gemini") << QStringLiteral("gemini-3.1-pro-preview") << 2.0 << 12.0;
}

void TestPriceTable::builtInLookups()
{
    QFETCH(QString, type);
    QFETCH(QString, model);
    QFETCH(double, input);
    QFETCH(double, output);
    const std::optional<ModelPrice> price = PriceTable::builtIn().find(type, QString(), model);
    QVERIFY(price);
    QCOMPARE(price->input, input);
    QCOMPARE(price->output, output);
}

void TestPriceTable::lookups_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("input"); // -1: no price

    const QString openai = QStringLiteral("openai");
    QTest::newRow("exact") << openai << QStringLiteral("gpt-4o") << 2.5;
    QTest::newRow("exact beats shorter prefix") << openai << QStringLiteral("gpt-4o-mini") << 0.15;
    QTest::newRow("dated snapshot, longest prefix")
        << openai << QStringLiteral("gpt-4o-mini-2024-07-18") << 0.15;
    QTest::newRow("dated snapshot of shorter entry")
        << openai << QStringLiteral("gpt-4o-2024-08-06") << 2.5;
    QTest::newRow("prefix needs a separator") << openai << QStringLiteral("gpt-4omni") << -1.0;
    QTest::newRow("unknown model") << openai << QStringLiteral("davinci-002") << -1.0;
    QTest::newRow("no openai wildcard") << openai << QStringLiteral("whatever") << -1.0;
    QTest::newRow("other type's model")
        << QStringLiteral("anthropic") << QStringLiteral("gpt-4o") << -1.0;
    QTest::newRow("unknown type") << QStringLiteral("acme") << QStringLiteral("gpt-4o") << -1.0;
    QTest::newRow("empty model") << openai << QString() << -1.0;
    QTest::newRow("colon tag") << QStringLiteral("ollama") << QStringLiteral("llama3.2:latest")
                               << 0.01;
    QTest::newRow("wildcard") << QStringLiteral("ollama") << QStringLiteral("qwen3:8b") << 0.0;
    QTest::newRow("at snapshot") << QStringLiteral("anthropic")
                                 << QStringLiteral("claude-sonnet-4-5@20250929") << 3.5;
    QTest::newRow("shorter anthropic entry")
        << QStringLiteral("anthropic") << QStringLiteral("claude-sonnet-4-20250514") << 3.0;
    QTest::newRow("gemini resource name")
        << QStringLiteral("gemini") << QStringLiteral("models/gemini-2.5-flash") << 0.3;
    QTest::newRow("openrouter own entry")
        << QStringLiteral("openrouter") << QStringLiteral("openai/gpt-4o") << 2.6;
    QTest::newRow("openrouter vendor fallback")
        << QStringLiteral("openrouter") << QStringLiteral("openai/gpt-4o-mini-2024-07-18") << 0.15;
    QTest::newRow("openrouter variant tag")
        << QStringLiteral("openrouter") << QStringLiteral("openai/gpt-4o-mini:free") << 0.15;
    QTest::newRow("openrouter anthropic dots")
        << QStringLiteral("openrouter") << QStringLiteral("anthropic/claude-sonnet-4.5") << 3.5;
    QTest::newRow("openrouter google vendor")
        << QStringLiteral("openrouter") << QStringLiteral("google/gemini-2.5-flash-001") << 0.3;
    QTest::newRow("openrouter prefix does not shadow the vendor's model")
        << QStringLiteral("openrouter") << QStringLiteral("google/gemini-2.5-flash-lite") << 0.1;
    QTest::newRow("openrouter exact entry beats the vendor")
        << QStringLiteral("openrouter") << QStringLiteral("google/gemini-2.5-flash") << 0.35;
    QTest::newRow("openrouter prefix for a vendor without a table")
        << QStringLiteral("openrouter") << QStringLiteral("meta-llama/llama-3.3-70b:free") << 0.13;
    QTest::newRow("openrouter unknown vendor")
        << QStringLiteral("openrouter") << QStringLiteral("acme/gpt-4o") << -1.0;
    QTest::newRow("vendor fallback is openrouter's only")
        << QStringLiteral("together") << QStringLiteral("openai/gpt-4o") << -1.0;
    QTest::newRow("together slash id")
        << QStringLiteral("together") << QStringLiteral("meta-llama/Llama-3.3-70B") << 0.88;
}

void TestPriceTable::lookups()
{
    QFETCH(QString, type);
    QFETCH(QString, model);
    QFETCH(double, input);
    const std::optional<ModelPrice> price = sample().find(type, QStringLiteral("main"), model);
    if (input < 0) {
        QVERIFY2(!price, qPrintable(QString::number(price ? price->input : 0)));
        return;
    }
    QVERIFY(price);
    QCOMPARE(price->input, input);
}

void TestPriceTable::overridesComeFirstPerProviderName()
{
    const PriceTable base = sample();
    QJsonObject cheap{{QStringLiteral("provider"), QStringLiteral("work")},
                      {QStringLiteral("model"), QStringLiteral("gpt-4o")},
                      {QStringLiteral("input"), 1.0},
                      {QStringLiteral("output"), 2.0},
                      {QStringLiteral("cached_input"), 0.5}};
    const QJsonObject anything{{QStringLiteral("provider"), QStringLiteral("lab")},
                               {QStringLiteral("model"), QStringLiteral("*")},
                               {QStringLiteral("input"), 7.0},
                               {QStringLiteral("output"), 8.0}};
    const PriceTable table = base.withOverrides(QJsonArray{cheap, anything});

    QCOMPARE(table.size(), base.size() + 2);
    QCOMPARE(table.overrides().size(), 2);
    QCOMPARE(table.overrides().first().provider, QStringLiteral("work"));

    const std::optional<ModelPrice> work =
        table.find(QStringLiteral("openai"), QStringLiteral("work"), QStringLiteral("gpt-4o"));
    QVERIFY(work);
    QCOMPARE(work->input, 1.0);
    QCOMPARE(work->output, 2.0);
    QCOMPARE(work->cachedInput, std::optional<double>(0.5));
    QCOMPARE(work->source, QStringLiteral("config"));
    // An override's prefix match beats the built-in's exact entry.
    QCOMPARE(table
                 .find(QStringLiteral("openai"), QStringLiteral("work"),
                       QStringLiteral("gpt-4o-2024-08-06"))
                 ->input,
             1.0);
    // Another provider of the same type keeps the built-in price.
    QCOMPARE(table.find(QStringLiteral("openai"), QStringLiteral("home"), QStringLiteral("gpt-4o"))
                 ->input,
             2.5);
    // The override's name is not a type: it does not leak into type lookups.
    QCOMPARE(table.find(QStringLiteral("openai"), QString(), QStringLiteral("gpt-4o-mini"))->input,
             0.15);
    // A wildcard override prices every model of that provider, known or not.
    QCOMPARE(table.find(QStringLiteral("openai"), QStringLiteral("lab"), QStringLiteral("gpt-4o"))
                 ->input,
             7.0);
    QCOMPARE(table
                 .find(QStringLiteral("openai-compatible"), QStringLiteral("lab"),
                       QStringLiteral("my-finetune"))
                 ->output,
             8.0);
    // The base table is unchanged.
    QCOMPARE(base.find(QStringLiteral("openai"), QStringLiteral("work"), QStringLiteral("gpt-4o"))
                 ->input,
             2.5);
    QVERIFY(base.overrides().isEmpty());
}

void TestPriceTable::overridesSkipMalformedAndReplaceDuplicates()
{
    const auto price = [](const QString &provider, const QString &model, const QJsonValue &input) {
        return QJsonObject{{QStringLiteral("provider"), provider},
                           {QStringLiteral("model"), model},
                           {QStringLiteral("input"), input},
                           {QStringLiteral("output"), 1.0}};
    };
    const QJsonArray config{
        price(QStringLiteral("p"), QStringLiteral("m"), 1.0),
        price(QStringLiteral("p"), QStringLiteral("m"), 2.0), // replaces the first
        price(QStringLiteral("p"), QStringLiteral("n"), -1.0),
        price(QStringLiteral("p"), QStringLiteral("o"), QStringLiteral("cheap")),
        price(QString(), QStringLiteral("m"), 1.0),
        price(QStringLiteral("p"), QString(), 1.0),
        QJsonValue(42),
    };
    const PriceTable table = PriceTable().withOverrides(config);
    QCOMPARE(table.size(), 1);
    QCOMPARE(table.overrides().first().price.input, 2.0);
    QCOMPARE(table.find(QStringLiteral("openai"), QStringLiteral("p"), QStringLiteral("m"))->input,
             2.0);
    QVERIFY(!table.find(QStringLiteral("openai"), QStringLiteral("p"), QStringLiteral("n")));
    QVERIFY(!table.find(QStringLiteral("openai"), QStringLiteral("p"), QStringLiteral("o")));
}

void TestPriceTable::cost_data()
{
    QTest::addColumn<double>("input");
    QTest::addColumn<double>("output");
    QTest::addColumn<double>("cachedPrice"); // -1: unset
    QTest::addColumn<double>("writePrice");  // -1: unset
    QTest::addColumn<qint64>("inputTokens");
    QTest::addColumn<qint64>("cachedTokens");
    QTest::addColumn<qint64>("writtenTokens");
    QTest::addColumn<qint64>("outputTokens");
    QTest::addColumn<double>("usd");

    // 1M in at $2.50 + 1M out at $10.
    QTest::newRow("plain") << 2.5 << 10.0 << -1.0 << -1.0 << qint64(1000000) << qint64(0)
                           << qint64(0) << qint64(1000000) << 12.5;
    // 8,000 fresh * 0.15 + 2,000 cached * 0.075 + 500 out * 0.6, per 1M:
    // (1200 + 150 + 300) / 1e6.
    QTest::newRow("openai cached input") << 0.15 << 0.6 << 0.075 << -1.0 << qint64(10000)
                                         << qint64(2000) << qint64(0) << qint64(500) << 0.00165;
    // Anthropic: 5,000 fresh * 3 + 2,000 read * 0.3 + 3,000 written * 3.75 + 1,000 out * 15:
    // (15000 + 600 + 11250 + 15000) / 1e6.
    QTest::newRow("anthropic cache read and write")
        << 3.0 << 15.0 << 0.3 << 3.75 << qint64(10000) << qint64(2000) << qint64(3000)
        << qint64(1000) << 0.04185;
    // No cache prices: every prompt token at the input price. (10000 * 3 + 1000 * 15) / 1e6.
    QTest::newRow("cache tokens without cache prices")
        << 3.0 << 15.0 << -1.0 << -1.0 << qint64(10000) << qint64(2000) << qint64(3000)
        << qint64(1000) << 0.045;
    // More cache tokens reported than prompt tokens: the cache tokens are billed, and the
    // "remainder" is not negative. (600 * 0.3 + 500 * 3.75) / 1e6.
    QTest::newRow("inconsistent usage") << 3.0 << 15.0 << 0.3 << 3.75 << qint64(1000) << qint64(600)
                                        << qint64(500) << qint64(0) << 0.002055;
    QTest::newRow("local model") << 0.0 << 0.0 << -1.0 << -1.0 << qint64(123456) << qint64(0)
                                 << qint64(0) << qint64(654321) << 0.0;
}

void TestPriceTable::cost()
{
    QFETCH(double, input);
    QFETCH(double, output);
    QFETCH(double, cachedPrice);
    QFETCH(double, writePrice);
    QFETCH(qint64, inputTokens);
    QFETCH(qint64, cachedTokens);
    QFETCH(qint64, writtenTokens);
    QFETCH(qint64, outputTokens);
    QFETCH(double, usd);

    ModelPrice price;
    price.input = input;
    price.output = output;
    if (cachedPrice >= 0)
        price.cachedInput = cachedPrice;
    if (writePrice >= 0)
        price.cacheWrite = writePrice;
    ChatUsage usage;
    usage.input = inputTokens;
    usage.cachedInput = cachedTokens;
    usage.cacheCreationInput = writtenTokens;
    usage.output = outputTokens;
    usage.present = true;

    const double actual = PriceTable::cost(price, usage);
    if (usd == 0) {
        QCOMPARE(actual, 0.0); // qFuzzyCompare cannot compare with 0
        return;
    }
    QVERIFY2(qFuzzyCompare(actual, usd),
             qPrintable(QStringLiteral("%1 != %2").arg(actual, 0, 'g', 17).arg(usd, 0, 'g', 17)));
}

void TestPriceTable::rejectsBadFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    const QJsonObject good = entry(QStringLiteral("openai"), QStringLiteral("m"), 1, 2);
    const auto with = [&good](const QString &key, const QJsonValue &value) {
        QJsonObject e = good;
        e.insert(key, value);
        return e;
    };
    const auto without = [&good](const QString &key) {
        QJsonObject e = good;
        e.remove(key);
        return e;
    };

    QTest::newRow("malformed") << QByteArray("{\"version\": 1, \"prices\": [")
                               << QStringLiteral("not JSON");
    QTest::newRow("not an object") << QByteArray("[]") << QStringLiteral("must be a JSON object");
    QTest::newRow("no version") << QByteArray("{\"prices\": []}")
                                << QStringLiteral("version: must be 1");
    QTest::newRow("future version")
        << QByteArray("{\"version\": 2, \"prices\": []}") << QStringLiteral("version: must be 1");
    QTest::newRow("no prices") << QByteArray("{\"version\": 1}")
                               << QStringLiteral("prices: must be an array");
    QTest::newRow("entry not an object")
        << document({good, 7}) << QStringLiteral("prices[1]: must be an object");
    QTest::newRow("missing provider") << document({without(QStringLiteral("provider"))})
                                      << QStringLiteral("prices[0]: provider:");
    QTest::newRow("unknown provider type")
        << document({good, with(QStringLiteral("provider"), QStringLiteral("acme"))})
        << QStringLiteral("prices[1]: provider: unknown provider type \"acme\"");
    QTest::newRow("missing model")
        << document({without(QStringLiteral("model"))}) << QStringLiteral("prices[0]: model:");
    QTest::newRow("missing input") << document({good, without(QStringLiteral("input"))})
                                   << QStringLiteral("prices[1] (openai/m): input: missing");
    QTest::newRow("missing output") << document({without(QStringLiteral("output"))})
                                    << QStringLiteral("prices[0] (openai/m): output: missing");
    QTest::newRow("negative output")
        << document({with(QStringLiteral("output"), -0.5)})
        << QStringLiteral("prices[0] (openai/m): output: must be a non-negative number");
    QTest::newRow("string price")
        << document({with(QStringLiteral("input"), QStringLiteral("1"))})
        << QStringLiteral("prices[0] (openai/m): input: must be a non-negative number");
    QTest::newRow("negative cached input")
        << document({with(QStringLiteral("cached_input"), -1)})
        << QStringLiteral("prices[0] (openai/m): cached_input: must be a non-negative number");
    QTest::newRow("negative cache write")
        << document({with(QStringLiteral("cache_write"), -1)})
        << QStringLiteral("prices[0] (openai/m): cache_write: must be a non-negative number");
    QTest::newRow("missing source") << document({without(QStringLiteral("source"))})
                                    << QStringLiteral("prices[0] (openai/m): source:");
    QTest::newRow("missing date") << document({without(QStringLiteral("date"))})
                                  << QStringLiteral("prices[0] (openai/m): date:");
    QTest::newRow("impossible date")
        << document({with(QStringLiteral("date"), QStringLiteral("2026-13-01"))})
        << QStringLiteral("prices[0] (openai/m): date: must be a YYYY-MM-DD date");
    QTest::newRow("unknown key") << document({with(QStringLiteral("cached"), 1)})
                                 << QStringLiteral("prices[0] (openai/m): unknown key \"cached\"");
    QTest::newRow("duplicate") << document({good, good})
                               << QStringLiteral("prices[1] (openai/m): duplicate provider/model");
}

void TestPriceTable::rejectsBadFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!PriceTable::fromJson(json, &actual));
    QVERIFY2(actual.contains(error), qPrintable(actual));
    // The same input is accepted by nothing else: a null error pointer is fine too.
    QVERIFY(!PriceTable::fromJson(json, nullptr));
}

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
