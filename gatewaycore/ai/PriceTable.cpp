#include "PriceTable.h"

#include "ProviderType.h"

#include <QDate>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace gh {

namespace {

Q_LOGGING_CATEGORY(lcPrices, "gatehouse.prices")

const QString wildcard = QStringLiteral("*");

bool isPrice(const QJsonValue &value)
{
    return value.isDouble() && std::isfinite(value.toDouble()) && value.toDouble() >= 0;
}

std::optional<double> optionalPrice(const QJsonObject &object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    if (isPrice(value))
        return value.toDouble();
    return std::nullopt;
}

// OpenRouter's vendor prefixes and the provider type whose list prices it passes on.
std::optional<QString> vendorType(const QString &vendor)
{
    static const QHash<QString, QString> vendors{
        {QStringLiteral("openai"), QStringLiteral("openai")},
        {QStringLiteral("anthropic"), QStringLiteral("anthropic")},
        {QStringLiteral("google"), QStringLiteral("gemini")},
        {QStringLiteral("mistralai"), QStringLiteral("mistral")},
        {QStringLiteral("deepseek"), QStringLiteral("deepseek")},
        {QStringLiteral("x-ai"), QStringLiteral("xai")},
    };
    const auto it = vendors.constFind(vendor);
    if (it == vendors.constEnd())
        return std::nullopt;
    return *it;
}

// Parses one prices.json entry; an empty string on success, else what is wrong with it.
QString parseEntry(const QJsonValue &value, PriceTable::Entry *entry)
{
    if (!value.isObject())
        return QStringLiteral("must be an object");
    const QJsonObject object = value.toObject();

    const QJsonValue provider = object.value(QLatin1String("provider"));
    if (!provider.isString() || provider.toString().isEmpty())
        return QStringLiteral("provider: must be a provider type");
    if (!ProviderTypes::fromName(provider.toString()))
        return QStringLiteral("provider: unknown provider type \"%1\"").arg(provider.toString());
    const QJsonValue model = object.value(QLatin1String("model"));
    if (!model.isString() || model.toString().isEmpty())
        return QStringLiteral("model: must be a non-empty string");
    entry->provider = provider.toString();
    entry->model = model.toString();

    static const QSet<QString> known{
        QStringLiteral("provider"), QStringLiteral("model"),        QStringLiteral("input"),
        QStringLiteral("output"),   QStringLiteral("cached_input"), QStringLiteral("cache_write"),
        QStringLiteral("source"),   QStringLiteral("date"),         QStringLiteral("note")};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return QStringLiteral("unknown key \"%1\"").arg(it.key());
    }

    for (const char *key : {"input", "output"}) {
        const QJsonValue price = object.value(QLatin1String(key));
        if (price.isUndefined())
            return QStringLiteral("%1: missing").arg(QLatin1String(key));
        if (!isPrice(price))
            return QStringLiteral("%1: must be a non-negative number").arg(QLatin1String(key));
    }
    for (const char *key : {"cached_input", "cache_write"}) {
        const QJsonValue price = object.value(QLatin1String(key));
        if (!price.isUndefined() && !isPrice(price))
            return QStringLiteral("%1: must be a non-negative number").arg(QLatin1String(key));
    }

    const QJsonValue source = object.value(QLatin1String("source"));
    if (!source.isString() || source.toString().isEmpty())
        return QStringLiteral("source: must name the pricing page");
    const QJsonValue date = object.value(QLatin1String("date"));
    if (!date.isString() || date.toString().size() != 10 ||
        !QDate::fromString(date.toString(), Qt::ISODate).isValid())
        return QStringLiteral("date: must be a YYYY-MM-DD date");
    const QJsonValue note = object.value(QLatin1String("note"));
    if (!note.isUndefined() && !note.isString())
        return QStringLiteral("note: must be a string");

    ModelPrice &price = entry->price;
    price.input = object.value(QLatin1String("input")).toDouble();
    price.output = object.value(QLatin1String("output")).toDouble();
    price.cachedInput = optionalPrice(object, QLatin1String("cached_input"));
    price.cacheWrite = optionalPrice(object, QLatin1String("cache_write"));
    price.source = source.toString();
    price.date = date.toString();
    price.note = note.toString();
    return QString();
}

} // namespace

const PriceTable &PriceTable::builtIn()
{
    static const PriceTable table = [] {
        QFile file(QStringLiteral(":/gatehouse/prices.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcPrices) << "built-in price table missing:" << file.errorString();
            return PriceTable();
        }
        QString error;
        std::optional<PriceTable> parsed = fromJson(file.readAll(), &error);
        if (!parsed) {
            qCWarning(lcPrices).noquote() << "built-in price table invalid:" << error;
            return PriceTable();
        }
        return std::move(*parsed);
    }();
    return table;
}

std::optional<PriceTable> PriceTable::fromJson(const QByteArray &json, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<PriceTable> {
        if (error)
            *error = message;
        return std::nullopt;
    };

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (document.isNull())
        return fail(QStringLiteral("not JSON: %1 at offset %2")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
    if (!document.isObject())
        return fail(QStringLiteral("must be a JSON object"));
    const QJsonObject root = document.object();
    if (root.value(QLatin1String("version")).toInt(-1) != 1)
        return fail(QStringLiteral("version: must be 1"));
    const QJsonValue updated = root.value(QLatin1String("updated"));
    if (!updated.isUndefined() && !updated.isString())
        return fail(QStringLiteral("updated: must be a YYYY-MM-DD date"));
    const QJsonValue prices = root.value(QLatin1String("prices"));
    if (!prices.isArray())
        return fail(QStringLiteral("prices: must be an array"));

    PriceTable table;
    table.m_updated = updated.toString();
    const QJsonArray entries = prices.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        Entry entry;
        const QString problem = parseEntry(entries.at(i), &entry);
        const QString where =
            entry.model.isEmpty()
                ? QStringLiteral("prices[%1]").arg(i)
                : QStringLiteral("prices[%1] (%2/%3)").arg(i).arg(entry.provider, entry.model);
        if (!problem.isEmpty())
            return fail(where + QStringLiteral(": ") + problem);
        ModelMap &models = table.m_byType[entry.provider];
        if (models.contains(entry.model))
            return fail(where + QStringLiteral(": duplicate provider/model"));
        models.insert(entry.model, entry.price);
        table.m_builtIn.append(entry);
    }
    return table;
}

PriceTable PriceTable::withOverrides(const QJsonArray &configPrices) const
{
    PriceTable table = *this;
    for (const QJsonValue &value : configPrices) {
        const QJsonObject object = value.toObject();
        const QString provider = object.value(QLatin1String("provider")).toString();
        const QString model = object.value(QLatin1String("model")).toString();
        const QJsonValue input = object.value(QLatin1String("input"));
        const QJsonValue output = object.value(QLatin1String("output"));
        if (provider.isEmpty() || model.isEmpty() || !isPrice(input) || !isPrice(output))
            continue;
        Entry entry{provider, model, {}};
        entry.price.input = input.toDouble();
        entry.price.output = output.toDouble();
        entry.price.cachedInput = optionalPrice(object, QLatin1String("cached_input"));
        entry.price.cacheWrite = optionalPrice(object, QLatin1String("cache_write"));
        entry.price.source = QStringLiteral("config");

        const auto same = [&entry](const Entry &e) {
            return e.provider == entry.provider && e.model == entry.model;
        };
        const auto existing =
            std::find_if(table.m_overrides.begin(), table.m_overrides.end(), same);
        if (existing != table.m_overrides.end())
            *existing = entry;
        else
            table.m_overrides.append(entry);
        table.m_byName[provider].insert(model, entry.price);
    }
    return table;
}

std::optional<ModelPrice> PriceTable::match(const ModelMap &models, const QString &model,
                                            bool exactOnly)
{
    if (models.isEmpty())
        return std::nullopt;
    const auto exact = models.constFind(model);
    if (exact != models.constEnd())
        return *exact;
    if (exactOnly)
        return std::nullopt;
    // Walk the separators from the right so the longest listed prefix wins.
    for (qsizetype i = model.size() - 1; i > 0; --i) {
        const QChar c = model.at(i);
        if (c != u'-' && c != u':' && c != u'@')
            continue;
        const auto prefix = models.constFind(model.left(i));
        if (prefix != models.constEnd())
            return *prefix;
    }
    const auto any = models.constFind(wildcard);
    if (any != models.constEnd())
        return *any;
    return std::nullopt;
}

std::optional<ModelPrice> PriceTable::vendorPrice(const QString &model) const
{
    const qsizetype slash = model.indexOf(u'/');
    if (slash <= 0)
        return std::nullopt;
    const std::optional<QString> type = vendorType(model.left(slash));
    if (!type)
        return std::nullopt;
    const ModelMap &models = m_byType.value(*type);
    const QString id = model.mid(slash + 1);
    if (auto price = match(models, id))
        return price;
    // OpenRouter writes Anthropic versions with dots ("claude-sonnet-4.5"), Anthropic
    // with dashes ("claude-sonnet-4-5").
    if (*type == QLatin1String("anthropic") && id.contains(u'.'))
        return match(models, QString(id).replace(u'.', u'-'));
    return std::nullopt;
}

std::optional<ModelPrice> PriceTable::find(const QString &providerType, const QString &providerName,
                                           const QString &model) const
{
    if (model.isEmpty())
        return std::nullopt;
    // Gemini's REST resource names carry a "models/" prefix.
    if (providerType == QLatin1String("gemini") && model.startsWith(QLatin1String("models/")))
        return find(providerType, providerName, model.mid(7));

    if (!providerName.isEmpty()) {
        if (auto price = match(m_byName.value(providerName), model))
            return price;
    }
    const ModelMap &builtIn = m_byType.value(providerType);
    if (providerType == QLatin1String("openrouter")) {
        // OpenRouter bills the vendor's list price. The vendor's own entries come before
        // OpenRouter prefix entries, or "google/gemini-2.5-flash" would price
        // "google/gemini-2.5-flash-lite".
        if (auto price = match(builtIn, model, true))
            return price;
        if (auto price = vendorPrice(model))
            return price;
    }
    return match(builtIn, model);
}

double PriceTable::cost(const ModelPrice &price, const ChatUsage &usage)
{
    const qint64 cached = std::max<qint64>(usage.cachedInput, 0);
    const qint64 written = std::max<qint64>(usage.cacheCreationInput, 0);
    // A provider reporting more cache tokens than prompt tokens must not yield a credit.
    const qint64 plain = std::max<qint64>(usage.input - cached - written, 0);
    const double total = double(plain) * price.input +
                         double(cached) * price.cachedInput.value_or(price.input) +
                         double(written) * price.cacheWrite.value_or(price.input) +
                         double(std::max<qint64>(usage.output, 0)) * price.output;
    return total / 1e6;
}

} // namespace gh
