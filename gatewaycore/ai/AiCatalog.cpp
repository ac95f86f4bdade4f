#include "AiCatalog.h"

#include "secrets/SecretResolver.h"

#include <QJsonObject>
#include <QSet>
#include <QUrl>

namespace gh {

namespace {

CompiledProvider compileProvider(const QJsonObject &json, const SecretResolver &resolver)
{
    CompiledProvider provider;
    provider.name = json.value(QLatin1String("name")).toString();
    provider.type = ProviderTypes::fromName(json.value(QLatin1String("type")).toString())
                        .value_or(ProviderType::OpenAiCompatible);
    provider.dialect = ProviderTypes::dialect(provider.type);
    provider.timeoutMs = json.value(QLatin1String("timeout_ms")).toInt(600000);
    provider.apiVersion = json.value(QLatin1String("api_version")).toString();
    provider.budget = Budget::fromJson(json.value(QLatin1String("budget")).toObject());
    if (provider.type == ProviderType::AzureOpenAi && provider.apiVersion.isEmpty())
        provider.apiVersion = ProviderTypes::defaultAzureApiVersion();

    provider.baseUrl = json.value(QLatin1String("base_url")).toString();
    if (provider.baseUrl.isEmpty())
        provider.baseUrl = ProviderTypes::defaultBaseUrl(provider.type);
    const QUrl url(provider.baseUrl);
    const bool https = url.scheme() == QLatin1String("https");
    if (!url.isValid() || url.host().isEmpty() ||
        (!https && url.scheme() != QLatin1String("http"))) {
        provider.problem = QStringLiteral("provider %1 has no usable base_url").arg(provider.name);
    } else {
        const quint16 port = quint16(url.port(https ? 443 : 80));
        provider.origin = https ? UpstreamOrigin::https(url.host(), port)
                                : UpstreamOrigin::http(url.host(), port);
        QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
        while (path.endsWith('/'))
            path.chop(1);
        provider.basePath = path;
    }

    const QString keyText = json.value(QLatin1String("api_key")).toString();
    if (!keyText.isEmpty()) {
        const SecretResult key = resolver.resolve(keyText);
        if (key.ok)
            provider.headers = ProviderTypes::authHeaders(provider.type, key.value.toUtf8());
        else if (provider.problem.isEmpty())
            provider.problem =
                QStringLiteral("the API key of provider %1 could not be resolved: %2")
                    .arg(provider.name, key.message);
    }
    const QJsonObject headers = json.value(QLatin1String("headers")).toObject();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
        const SecretResult value = resolver.resolve(it.value().toString());
        if (!value.ok) {
            if (provider.problem.isEmpty())
                provider.problem =
                    QStringLiteral("header %1 of provider %2 could not be resolved: %3")
                        .arg(it.key(), provider.name, value.message);
            continue;
        }
        provider.headers.append({it.key().toLatin1().toLower(), value.value.toUtf8()});
    }
    return provider;
}

// "*" any run of characters ("/" included: model ids like "openai/gpt-4o"), "?" one.
QRegularExpression globExpression(const QString &glob)
{
    QString pattern = QRegularExpression::escape(glob);
    pattern.replace(QLatin1String("\\*"), QLatin1String(".*"));
    pattern.replace(QLatin1String("\\?"), QLatin1String("."));
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
}

} // namespace

AiCatalog AiCatalog::build(const QJsonObject &config, const SecretResolver &resolver,
                           QStringList *warnings, std::shared_ptr<SpendLedger> ledger)
{
    AiCatalog catalog;
    catalog.m_ledger = std::move(ledger);
    const QJsonArray providers = config.value(QLatin1String("providers")).toArray();
    const QJsonArray models = config.value(QLatin1String("models")).toArray();
    const QJsonArray prices = config.value(QLatin1String("prices")).toArray();
    for (const QJsonValue &value : providers) {
        CompiledProvider provider = compileProvider(value.toObject(), resolver);
        if (catalog.m_providerIndex.contains(provider.name))
            continue;
        if (!provider.problem.isEmpty() && warnings)
            warnings->append(provider.problem);
        catalog.m_providerIndex.insert(provider.name, int(catalog.m_providers.size()));
        catalog.m_providers.push_back(std::move(provider));
    }
    for (const QJsonValue &value : models) {
        const QJsonObject json = value.toObject();
        CompiledModel model;
        model.name = json.value(QLatin1String("name")).toString();
        model.retries = json.value(QLatin1String("retries")).toInt(0);
        for (const QJsonValue &fallback : json.value(QLatin1String("fallbacks")).toArray())
            model.fallbacks.append(fallback.toString());
        for (const QJsonValue &targetValue : json.value(QLatin1String("targets")).toArray()) {
            const QJsonObject targetJson = targetValue.toObject();
            CompiledModel::Target target;
            target.provider = catalog.m_providerIndex.value(
                targetJson.value(QLatin1String("provider")).toString(), -1);
            target.model = targetJson.value(QLatin1String("model")).toString();
            target.weight = targetJson.value(QLatin1String("weight")).toInt(1);
            if (target.provider < 0) {
                if (warnings)
                    warnings->append(
                        QStringLiteral("model %1: unknown provider %2")
                            .arg(model.name,
                                 targetJson.value(QLatin1String("provider")).toString()));
                continue;
            }
            model.targets.append(target);
        }
        if (catalog.m_modelIndex.contains(model.name))
            continue;
        catalog.m_modelIndex.insert(model.name, int(catalog.m_models.size()));
        catalog.m_models.push_back(std::move(model));
    }
    for (int i = 0; i < int(catalog.m_models.size()); ++i)
        catalog.m_chains.push_back(catalog.computeChain(i));
    catalog.m_prices = PriceTable::builtIn().withOverrides(prices);

    for (const QJsonValue &value : config.value(QLatin1String("consumers")).toArray()) {
        const QJsonObject consumer = value.toObject();
        QList<QRegularExpression> globs;
        const QJsonArray allow =
            consumer.value(QLatin1String("allow_models")).toArray({QStringLiteral("*")});
        for (const QJsonValue &glob : allow)
            globs.append(globExpression(glob.toString()));
        const QString name = consumer.value(QLatin1String("name")).toString();
        catalog.m_allowModels.insert(name, globs);
        if (const auto budget = Budget::fromJson(consumer.value(QLatin1String("budget")).toObject()))
            catalog.m_consumerBudgets.insert(name, *budget);
    }
    return catalog;
}

std::optional<Budget> AiCatalog::consumerBudget(const QString &consumer) const
{
    const auto it = m_consumerBudgets.constFind(consumer);
    if (it == m_consumerBudgets.constEnd())
        return std::nullopt;
    return *it;
}

bool AiCatalog::consumerMayUse(const QString &consumer, const QString &model) const
{
    const auto it = m_allowModels.constFind(consumer);
    if (it == m_allowModels.constEnd())
        return true;
    for (const QRegularExpression &glob : *it) {
        if (glob.match(model).hasMatch())
            return true;
    }
    return false;
}

const CompiledProvider *AiCatalog::provider(int index) const
{
    if (index < 0 || size_t(index) >= m_providers.size())
        return nullptr;
    return &m_providers[size_t(index)];
}

const CompiledProvider *AiCatalog::provider(const QString &name) const
{
    return provider(m_providerIndex.value(name, -1));
}

const CompiledModel *AiCatalog::model(const QString &name) const
{
    const int index = m_modelIndex.value(name, -1);
    return index < 0 ? nullptr : &m_models[size_t(index)];
}

QStringList AiCatalog::modelNames() const
{
    QStringList names;
    names.reserve(qsizetype(m_models.size()));
    for (const CompiledModel &model : m_models)
        names.append(model.name);
    return names;
}

std::optional<ModelPrice> AiCatalog::price(const CompiledProvider &provider,
                                           const QString &model) const
{
    return m_prices.find(ProviderTypes::name(provider.type), provider.name, model);
}

QList<const CompiledModel *> AiCatalog::fallbackChain(const QString &name) const
{
    QList<const CompiledModel *> chain;
    const int index = m_modelIndex.value(name, -1);
    if (index < 0)
        return chain;
    const QList<int> &indexes = m_chains[size_t(index)];
    chain.reserve(indexes.size());
    for (int model : indexes)
        chain.append(&m_models[size_t(model)]);
    return chain;
}

QList<int> AiCatalog::computeChain(int model) const
{
    // Breadth-first: this model's own fallbacks, in the order listed, come before the
    // fallbacks of those fallbacks; each model once (fallback cycles are allowed).
    QList<int> chain;
    QSet<int> seen;
    QList<int> queue{model};
    while (!queue.isEmpty()) {
        const int next = queue.takeFirst();
        if (next < 0 || seen.contains(next))
            continue;
        seen.insert(next);
        chain.append(next);
        for (const QString &fallback : m_models[size_t(next)].fallbacks)
            queue.append(m_modelIndex.value(fallback, -1));
    }
    return chain;
}

} // namespace gh
