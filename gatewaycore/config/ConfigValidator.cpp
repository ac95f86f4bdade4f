#include "ConfigValidator.h"

#include "ConfigSchema.h"
#include "policy/CorsPolicy.h"
#include "policy/IpRules.h"
#include "prompt/JsonSchemaValidator.h"
#include "prompt/PromptTemplate.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QUrl>

#include <cmath>
#include <functional>
#include <optional>

namespace gh {

namespace {

enum class Need { Optional, Required };

// The bounds a number must respect, each with the message SPEC users see.
struct Limits
{
    enum Kind { Any, NonNegative, Positive, Range } kind = Any;
    double min = 0;
    double max = 0;

    static Limits any() { return {}; }
    static Limits nonNegative() { return {NonNegative}; }
    static Limits positive() { return {Positive}; }
    static Limits range(double low, double high) { return {Range, low, high}; }

    bool accepts(double value) const
    {
        switch (kind) {
        case Any:
            return true;
        case NonNegative:
            return value >= 0;
        case Positive:
            return value > 0;
        case Range:
            return value >= min && value <= max;
        }
        return true;
    }
    QString message() const
    {
        switch (kind) {
        case Any:
            break;
        case NonNegative:
            return QStringLiteral("must not be negative");
        case Positive:
            return QStringLiteral("must be greater than 0");
        case Range:
            return QStringLiteral("must be between %1 and %2")
                .arg(QString::number(min), QString::number(max));
        }
        return QString();
    }
};

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

QString indexed(const QString &path, qsizetype index)
{
    return path + u'[' + QString::number(index) + u']';
}

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

int editDistance(const QString &a, const QString &b)
{
    QList<int> previous(b.size() + 1);
    QList<int> current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int cost = a.at(i - 1).toLower() == b.at(j - 1).toLower() ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

const QStringList &providerTypes()
{
    static const QStringList types{
        QStringLiteral("openai"),     QStringLiteral("anthropic"),
        QStringLiteral("gemini"),     QStringLiteral("azure-openai"),
        QStringLiteral("ollama"),     QStringLiteral("mistral"),
        QStringLiteral("deepseek"),   QStringLiteral("groq"),
        QStringLiteral("openrouter"), QStringLiteral("together"),
        QStringLiteral("xai"),        QStringLiteral("openai-compatible")};
    return types;
}

QString defaultBaseUrl(const QString &type)
{
    static const QHash<QString, QString> urls{
        {QStringLiteral("openai"), QStringLiteral("https://api.openai.com/v1")},
        {QStringLiteral("anthropic"), QStringLiteral("https://api.anthropic.com")},
        {QStringLiteral("gemini"),
         QStringLiteral("https://generativelanguage.googleapis.com/v1beta")},
        {QStringLiteral("ollama"), QStringLiteral("http://127.0.0.1:11434")},
        {QStringLiteral("mistral"), QStringLiteral("https://api.mistral.ai/v1")},
        {QStringLiteral("deepseek"), QStringLiteral("https://api.deepseek.com/v1")},
        {QStringLiteral("groq"), QStringLiteral("https://api.groq.com/openai/v1")},
        {QStringLiteral("openrouter"), QStringLiteral("https://openrouter.ai/api/v1")},
        {QStringLiteral("together"), QStringLiteral("https://api.together.xyz/v1")},
        {QStringLiteral("xai"), QStringLiteral("https://api.x.ai/v1")},
    };
    return urls.value(type);
}

bool isHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !text.contains(u' ') &&
           (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) &&
           !url.host().isEmpty();
}

bool isLoopbackUrl(const QString &text)
{
    const QString host = QUrl(text).host();
    return host == QLatin1String("localhost") || host == QLatin1String("::1") ||
           host.startsWith(QLatin1String("127."));
}

// "/a/b/" and "/a/b" are one path to the route table and the prompt APIs alike.
QString normalizedUrlPath(QString path)
{
    while (path.size() > 1 && path.endsWith(u'/'))
        path.chop(1);
    return path;
}

bool isUnder(const QString &path, const QString &prefix)
{
    return path == prefix || path.startsWith(prefix + u'/');
}

// Why `text` (which starts with "${") is not a usable secret reference; empty when it
// is. Mirrors secrets/SecretReference so a config that validates also resolves.
QString referenceError(const QString &text)
{
    const qsizetype close = text.indexOf(u'}');
    if (close < 0)
        return QStringLiteral("missing the closing \"}\"");
    if (close != text.size() - 1)
        return QStringLiteral("unexpected text after \"}\"");
    const QString body = text.mid(2, text.size() - 3);
    const qsizetype colon = body.indexOf(u':');
    if (colon < 0)
        return QStringLiteral("expected ${env:NAME}, ${file:PATH} or ${keychain:NAME}");
    const QString scheme = body.left(colon);
    const QString name = body.mid(colon + 1);
    if (scheme == QLatin1String("env")) {
        static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (name.isEmpty())
            return QStringLiteral("empty variable name");
        if (!envName.match(name).hasMatch())
            return QStringLiteral("\"%1\" is not an environment variable name").arg(name);
    } else if (scheme == QLatin1String("file")) {
        if (name.isEmpty())
            return QStringLiteral("empty path");
        // A relative path would depend on whichever directory Gatehouse was started from.
        if (!name.startsWith(u'/') && !name.startsWith(QLatin1String("~/")))
            return QStringLiteral("the path must be absolute or start with ~/");
    } else if (scheme == QLatin1String("keychain")) {
        static const QRegularExpression entry(QStringLiteral("^[A-Za-z0-9_.@/:-]+$"));
        if (name.isEmpty())
            return QStringLiteral("empty keychain entry name");
        if (!entry.match(name).hasMatch())
            return QStringLiteral("keychain entry names use letters, digits and _ . - @ / :");
    } else {
        return QStringLiteral("unknown scheme \"%1\"").arg(scheme);
    }
    return QString();
}

bool looksLikeReference(const QString &text)
{
    return text.startsWith(QLatin1String("${"));
}

const QString referenceRequired()
{
    return QStringLiteral("must be a ${env:NAME}, ${file:PATH} or ${keychain:NAME} reference");
}

const QString plainTextKeyMessage()
{
    return referenceRequired() + QStringLiteral("; Gatehouse never stores a key in plain text");
}

// One validation pass: the problems found so far, plus the names each
// cross-reference is resolved against.
class Validation
{
public:
    explicit Validation(const ConfigContext &context)
        : m_context(context)
    {}

    ConfigProblems problems;

    void add(const QString &path, const QString &message) { problems.append({path, message}); }

    void setDocumentNames(EntityKind kind, const QSet<QString> &names)
    {
        m_documentNames.insert(kind, names);
    }

    bool exists(EntityKind kind, const QString &name) const
    {
        const auto it = m_documentNames.constFind(kind);
        if (it != m_documentNames.constEnd())
            return it->contains(name);
        return m_context.existingNames.value(kind).contains(name);
    }

    void entity(EntityKind kind, QJsonObject &object, const QString &path);
    void settings(QJsonObject &object, const QString &path);

    // Checks for duplicates within a section; `first` maps keys to their first path.
    void duplicate(EntityKind kind, const QJsonObject &object, const QString &path,
                   QHash<QString, QString> &first);

private:
    // --- generic field checks -------------------------------------------------
    void checkKeys(const QJsonObject &object, const QString &path, const QString &schemaPath);
    QJsonValue field(const QJsonObject &object, const QString &path, const QString &name,
                     Need need);

    std::optional<QString> stringValue(const QJsonValue &value, const QString &path,
                                       bool allowEmpty = false);
    std::optional<qint64> integerValue(const QJsonValue &value, const QString &path, Limits limits);
    std::optional<double> numberValue(const QJsonValue &value, const QString &path, Limits limits);

    std::optional<QString> string(const QJsonObject &object, const QString &path,
                                  const QString &name, Need need, bool allowEmpty = false);
    std::optional<qint64> integer(QJsonObject &object, const QString &path, const QString &name,
                                  Need need, Limits limits, std::optional<qint64> fallback = {});
    std::optional<double> number(const QJsonObject &object, const QString &path,
                                 const QString &name, Need need, Limits limits);
    std::optional<bool> boolean(QJsonObject &object, const QString &path, const QString &name,
                                std::optional<bool> fallback = {});
    // Items that are not strings are reported; the valid ones come back with their index.
    std::optional<QList<std::pair<qsizetype, QString>>>
    stringList(const QJsonObject &object, const QString &path, const QString &name, Need need);
    std::optional<QString> choice(QJsonObject &object, const QString &path, const QString &name,
                                  const QStringList &allowed, const QString &what, Need need,
                                  const QString &fallback = QString());
    std::optional<QString> choiceValue(const QString &value, const QString &path,
                                       const QStringList &allowed, const QString &what);
    // Runs `check` on the nested mapping `name` and stores the result back.
    template <typename Check>
    bool nested(QJsonObject &object, const QString &path, const QString &name, Need need,
                Check check);

    std::optional<QString> entityName(const QJsonObject &object, const QString &path,
                                      EntityKind kind);
    void reference(EntityKind kind, const QString &name, const QString &path);
    void secret(const QJsonObject &object, const QString &path, const QString &name,
                const QString &literalMessage);
    void secretReference(const QString &text, const QString &path);
    void weightedTargets(QJsonObject &object, const QString &path, const QString &schemaPath,
                         const std::function<void(QJsonObject &, const QString &)> &target);

    // --- entities -------------------------------------------------------------
    void provider(QJsonObject &object, const QString &path);
    void budget(QJsonObject &object, const QString &path, const QString &schemaPath);
    void model(QJsonObject &object, const QString &path);
    void price(QJsonObject &object, const QString &path);
    void consumer(QJsonObject &object, const QString &path);
    void service(QJsonObject &object, const QString &path);
    void route(QJsonObject &object, const QString &path);
    void promptApi(QJsonObject &object, const QString &path);
    void routeMatch(QJsonObject &object, const QString &path);
    void routeJwt(QJsonObject &object, const QString &path);
    void ipSection(QJsonObject &object, const QString &path, const QString &schemaPath);
    void corsSection(QJsonObject &object, const QString &path, const QString &schemaPath);
    void promptInputs(QJsonObject &object, const QString &path);
    void promptInput(QJsonObject &object, const QString &path);
    void promptParams(QJsonObject &object, const QString &path);
    void promptOutput(QJsonObject &object, const QString &path);
    void jsonSchema(const QJsonObject &schema, const QString &path);
    // Prompt API paths are exact and looked up before route prefixes: one equal to a route's
    // path, or to another prompt API's, would hide it.
    void promptPathCollisions(const QString &normalized, const QString &name,
                              const QString &fieldPath);
    void routePathCollisions(const QString &normalized, const QString &fieldPath);
    void lifecycle(QJsonObject &object, const QString &path, const QStringList &authModes);

    const ConfigContext &m_context;
    QHash<EntityKind, QSet<QString>> m_documentNames;
    QHash<QString, QString> m_consumerKeys; // key text -> path of its first use
    QHash<QString, QString> m_promptPaths;  // prompt API path -> path of its first use
    QHash<QString, QString> m_routePaths;   // route path (normalized) -> its first use
};

void Validation::checkKeys(const QJsonObject &object, const QString &path,
                           const QString &schemaPath)
{
    const QStringList allowed = ConfigSchema::keys(schemaPath);
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (allowed.contains(it.key()))
            continue;
        QString best;
        int bestDistance = 3;
        for (const QString &candidate : allowed) {
            const int distance = editDistance(it.key(), candidate);
            if (distance < bestDistance && distance < candidate.size()) {
                best = candidate;
                bestDistance = distance;
            }
        }
        add(join(path, it.key()),
            best.isEmpty() ? QStringLiteral("unknown key")
                           : QStringLiteral("unknown key (did you mean \"%1\"?)").arg(best));
    }
}

QJsonValue Validation::field(const QJsonObject &object, const QString &path, const QString &name,
                             Need need)
{
    const auto it = object.constFind(name);
    if (it == object.constEnd()) {
        if (need == Need::Required)
            add(join(path, name), QStringLiteral("is required"));
        return QJsonValue(QJsonValue::Undefined);
    }
    return *it;
}

std::optional<QString> Validation::stringValue(const QJsonValue &value, const QString &path,
                                               bool allowEmpty)
{
    if (!value.isString()) {
        add(path, QStringLiteral("must be a string"));
        return std::nullopt;
    }
    if (!allowEmpty && value.toString().isEmpty()) {
        add(path, QStringLiteral("must not be empty"));
        return std::nullopt;
    }
    return value.toString();
}

std::optional<qint64> Validation::integerValue(const QJsonValue &value, const QString &path,
                                               Limits limits)
{
    const double number = value.toDouble();
    if (!value.isDouble() || std::trunc(number) != number || std::abs(number) > 9.0e18) {
        add(path, QStringLiteral("must be an integer"));
        return std::nullopt;
    }
    const qint64 integer = value.toInteger();
    if (!limits.accepts(double(integer))) {
        add(path, limits.message());
        return std::nullopt;
    }
    return integer;
}

std::optional<double> Validation::numberValue(const QJsonValue &value, const QString &path,
                                              Limits limits)
{
    if (!value.isDouble()) {
        add(path, QStringLiteral("must be a number"));
        return std::nullopt;
    }
    if (!limits.accepts(value.toDouble())) {
        add(path, limits.message());
        return std::nullopt;
    }
    return value.toDouble();
}

std::optional<QString> Validation::string(const QJsonObject &object, const QString &path,
                                          const QString &name, Need need, bool allowEmpty)
{
    const QJsonValue value = field(object, path, name, need);
    if (value.isUndefined())
        return std::nullopt;
    return stringValue(value, join(path, name), allowEmpty);
}

std::optional<qint64> Validation::integer(QJsonObject &object, const QString &path,
                                          const QString &name, Need need, Limits limits,
                                          std::optional<qint64> fallback)
{
    const QJsonValue value = field(object, path, name, need);
    if (value.isUndefined()) {
        if (fallback)
            object.insert(name, *fallback);
        return fallback;
    }
    const auto result = integerValue(value, join(path, name), limits);
    if (result)
        object.insert(name, *result); // 5.0 from JSON becomes the integer 5
    return result;
}

std::optional<double> Validation::number(const QJsonObject &object, const QString &path,
                                         const QString &name, Need need, Limits limits)
{
    const QJsonValue value = field(object, path, name, need);
    if (value.isUndefined())
        return std::nullopt;
    return numberValue(value, join(path, name), limits);
}

std::optional<bool> Validation::boolean(QJsonObject &object, const QString &path,
                                        const QString &name, std::optional<bool> fallback)
{
    const QJsonValue value = field(object, path, name, Need::Optional);
    if (value.isUndefined()) {
        if (fallback)
            object.insert(name, *fallback);
        return fallback;
    }
    if (!value.isBool()) {
        add(join(path, name), QStringLiteral("must be a boolean"));
        return std::nullopt;
    }
    return value.toBool();
}

std::optional<QList<std::pair<qsizetype, QString>>>
Validation::stringList(const QJsonObject &object, const QString &path, const QString &name,
                       Need need)
{
    const QJsonValue value = field(object, path, name, need);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isArray()) {
        add(join(path, name), QStringLiteral("must be a list of strings"));
        return std::nullopt;
    }
    QList<std::pair<qsizetype, QString>> items;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (const auto text = stringValue(array.at(i), indexed(join(path, name), i)))
            items.append({i, *text});
    }
    return items;
}

std::optional<QString> Validation::choiceValue(const QString &value, const QString &path,
                                               const QStringList &allowed, const QString &what)
{
    for (const QString &candidate : allowed) {
        if (candidate.compare(value, Qt::CaseInsensitive) == 0)
            return candidate;
    }
    add(path, QStringLiteral("unknown %1 \"%2\"; expected one of %3")
                  .arg(what, value, allowed.join(QStringLiteral(", "))));
    return std::nullopt;
}

std::optional<QString> Validation::choice(QJsonObject &object, const QString &path,
                                          const QString &name, const QStringList &allowed,
                                          const QString &what, Need need, const QString &fallback)
{
    const QJsonValue value = field(object, path, name, need);
    if (value.isUndefined()) {
        if (fallback.isEmpty())
            return std::nullopt;
        object.insert(name, fallback);
        return fallback;
    }
    const auto text = stringValue(value, join(path, name));
    if (!text)
        return std::nullopt;
    const auto canonical = choiceValue(*text, join(path, name), allowed, what);
    if (canonical)
        object.insert(name, *canonical); // accepted in any case, stored as spelled here
    return canonical;
}

template <typename Check>
bool Validation::nested(QJsonObject &object, const QString &path, const QString &name, Need need,
                        Check check)
{
    const QJsonValue value = field(object, path, name, need);
    if (value.isUndefined())
        return false;
    if (!value.isObject()) {
        add(join(path, name), QStringLiteral("must be a mapping"));
        return false;
    }
    QJsonObject child = value.toObject();
    check(child, join(path, name));
    object.insert(name, child);
    return true;
}

std::optional<QString> Validation::entityName(const QJsonObject &object, const QString &path,
                                              EntityKind kind)
{
    const auto name = string(object, path, key("name"), Need::Required);
    if (!name)
        return std::nullopt;
    static const QRegularExpression modelName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._:/-]*$"));
    static const QRegularExpression plainName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*$"));
    if (kind == EntityKind::Model) {
        if (!modelName.match(*name).hasMatch()) {
            add(join(path, key("name")),
                QStringLiteral("must start with a letter or digit and contain only letters, "
                               "digits, \".\", \"_\", \"-\", \":\" and \"/\""));
        }
    } else if (!plainName.match(*name).hasMatch()) {
        add(join(path, key("name")),
            QStringLiteral("must start with a letter or digit and contain only letters, "
                           "digits, \".\", \"_\" and \"-\""));
    }
    if (name->size() > 128)
        add(join(path, key("name")), QStringLiteral("must be at most 128 characters"));
    return name;
}

void Validation::reference(EntityKind kind, const QString &name, const QString &path)
{
    if (!exists(kind, name))
        add(path, QStringLiteral("unknown %1 \"%2\"").arg(displayName(kind), name));
}

void Validation::secretReference(const QString &text, const QString &path)
{
    const QString error = referenceError(text);
    if (!error.isEmpty())
        add(path, QStringLiteral("invalid secret reference \"%1\": %2").arg(text, error));
}

void Validation::secret(const QJsonObject &object, const QString &path, const QString &name,
                        const QString &literalMessage)
{
    const auto text = string(object, path, name, Need::Optional);
    if (!text)
        return;
    if (!looksLikeReference(*text))
        add(join(path, name), literalMessage);
    else
        secretReference(*text, join(path, name));
}

void Validation::weightedTargets(QJsonObject &object, const QString &path,
                                 const QString &schemaPath,
                                 const std::function<void(QJsonObject &, const QString &)> &target)
{
    const QString targetsPath = join(path, key("targets"));
    const QJsonValue value = field(object, path, key("targets"), Need::Required);
    if (value.isUndefined())
        return;
    if (!value.isArray()) {
        add(targetsPath, QStringLiteral("must be a list"));
        return;
    }
    QJsonArray targets = value.toArray();
    if (targets.isEmpty()) {
        add(targetsPath, QStringLiteral("must not be empty"));
        return;
    }
    bool weightsValid = true;
    qint64 totalWeight = 0;
    for (qsizetype i = 0; i < targets.size(); ++i) {
        const QString itemPath = indexed(targetsPath, i);
        if (!targets.at(i).isObject()) {
            add(itemPath, QStringLiteral("must be a mapping"));
            weightsValid = false;
            continue;
        }
        QJsonObject item = targets.at(i).toObject();
        checkKeys(item, itemPath, schemaPath);
        target(item, itemPath);
        const auto weight =
            integer(item, itemPath, key("weight"), Need::Optional, Limits::nonNegative(), 1);
        if (weight)
            totalWeight += *weight;
        else
            weightsValid = false;
        targets[i] = item;
    }
    object.insert(key("targets"), targets);
    if (weightsValid && totalWeight == 0)
        add(targetsPath, QStringLiteral("at least one target needs a weight above 0"));
}

void Validation::entity(EntityKind kind, QJsonObject &object, const QString &path)
{
    switch (kind) {
    case EntityKind::Provider:
        provider(object, path);
        break;
    case EntityKind::Model:
        model(object, path);
        break;
    case EntityKind::Price:
        price(object, path);
        break;
    case EntityKind::Consumer:
        consumer(object, path);
        break;
    case EntityKind::Service:
        service(object, path);
        break;
    case EntityKind::Route:
        route(object, path);
        break;
    case EntityKind::PromptApi:
        promptApi(object, path);
        break;
    }
}

void Validation::duplicate(EntityKind kind, const QJsonObject &object, const QString &path,
                           QHash<QString, QString> &first)
{
    const QString entityKey = ConfigValidator::entityKey(kind, object);
    if (entityKey.isEmpty())
        return;
    const auto it = first.constFind(entityKey);
    if (it == first.constEnd()) {
        first.insert(entityKey, path);
        return;
    }
    if (kind == EntityKind::Price) {
        add(join(path, key("model")),
            QStringLiteral("duplicate price for \"%1\" (first at %2)").arg(entityKey, *it));
    } else {
        add(join(path, key("name")), QStringLiteral("duplicate %1 name \"%2\" (first at %3)")
                                         .arg(displayName(kind), entityKey, *it));
    }
}

void Validation::provider(QJsonObject &object, const QString &path)
{
    checkKeys(object, path, key("providers"));
    entityName(object, path, EntityKind::Provider);
    const auto type = choice(object, path, key("type"), providerTypes(),
                             QStringLiteral("provider type"), Need::Required);

    const auto baseUrl = string(object, path, key("base_url"), Need::Optional);
    if (baseUrl && !isHttpUrl(*baseUrl))
        add(join(path, key("base_url")),
            QStringLiteral("must be an absolute http:// or https:// URL"));
    const bool hasBaseUrl = object.contains(key("base_url"));
    if (!hasBaseUrl && type) {
        const QString url = defaultBaseUrl(*type);
        if (url.isEmpty())
            add(join(path, key("base_url")), QStringLiteral("is required for type %1").arg(*type));
        else
            object.insert(key("base_url"), url);
    }

    secret(object, path, key("api_key"), plainTextKeyMessage());
    // Cloud APIs need a key; local servers (and mocks on loopback) usually do not.
    const bool keyOptional = !type || *type == QLatin1String("ollama") ||
                             *type == QLatin1String("openai-compatible") ||
                             (hasBaseUrl && baseUrl && isLoopbackUrl(*baseUrl));
    if (!object.contains(key("api_key")) && !keyOptional)
        add(join(path, key("api_key")), QStringLiteral("is required for type %1").arg(*type));

    if (!object.contains(key("headers")))
        object.insert(key("headers"), QJsonObject());
    nested(object, path, key("headers"), Need::Optional,
           [this](QJsonObject &headers, const QString &headersPath) {
               static const QRegularExpression token(
                   QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
               for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
                   const QString headerPath = join(headersPath, it.key());
                   if (!token.match(it.key()).hasMatch())
                       add(headerPath, QStringLiteral("is not a valid HTTP header name"));
                   const auto text = stringValue(it.value(), headerPath, true);
                   if (!text)
                       continue;
                   if (text->contains(u'\r') || text->contains(u'\n'))
                       add(headerPath, QStringLiteral("must not contain line breaks"));
                   else if (looksLikeReference(*text))
                       secretReference(*text, headerPath);
               }
           });
    integer(object, path, key("timeout_ms"), Need::Optional, Limits::positive(), 600000);

    // Azure OpenAI versions its REST API per request (?api-version=); no other type has one.
    // USD per day/week/month at this provider, from recorded cost: once spent, its
    // targets are skipped (fallbacks still apply).
    budget(object, path, QStringLiteral("providers.budget"));

    static const QRegularExpression apiVersion(
        QStringLiteral("^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$|^v1$|^latest$|^preview$"));
    if (const auto version = string(object, path, key("api_version"), Need::Optional)) {
        if (type && *type != QLatin1String("azure-openai"))
            add(join(path, key("api_version")), QStringLiteral("only applies to type azure-openai"));
        else if (!apiVersion.match(*version).hasMatch())
            add(join(path, key("api_version")),
                QStringLiteral("must look like 2024-10-21 or 2025-04-01-preview"));
    }
}

void Validation::model(QJsonObject &object, const QString &path)
{
    checkKeys(object, path, key("models"));
    const auto name = entityName(object, path, EntityKind::Model);
    weightedTargets(
        object, path, QStringLiteral("models.targets"),
        [this](QJsonObject &target, const QString &targetPath) {
            if (const auto provider = string(target, targetPath, key("provider"), Need::Required))
                reference(EntityKind::Provider, *provider, join(targetPath, key("provider")));
            string(target, targetPath, key("model"), Need::Required);
        });
    if (!object.contains(key("fallbacks")))
        object.insert(key("fallbacks"), QJsonArray());
    if (const auto fallbacks = stringList(object, path, key("fallbacks"), Need::Optional)) {
        for (const auto &[index, fallback] : *fallbacks) {
            const QString itemPath = indexed(join(path, key("fallbacks")), index);
            if (name && fallback == *name)
                add(itemPath, QStringLiteral("must not fall back to itself"));
            else
                reference(EntityKind::Model, fallback, itemPath);
        }
    }
    integer(object, path, key("retries"), Need::Optional, Limits::range(0, 10), 0);
}

void Validation::price(QJsonObject &object, const QString &path)
{
    checkKeys(object, path, key("prices"));
    if (const auto provider = string(object, path, key("provider"), Need::Required))
        reference(EntityKind::Provider, *provider, join(path, key("provider")));
    string(object, path, key("model"), Need::Required);
    number(object, path, key("input"), Need::Required, Limits::nonNegative());
    number(object, path, key("output"), Need::Required, Limits::nonNegative());
    number(object, path, key("cached_input"), Need::Optional, Limits::nonNegative());
    // Anthropic bills prompt-cache writes apart from plain input.
    number(object, path, key("cache_write"), Need::Optional, Limits::nonNegative());
}

void Validation::consumer(QJsonObject &object, const QString &path)
{
    checkKeys(object, path, key("consumers"));
    entityName(object, path, EntityKind::Consumer);

    static const QRegularExpression hash(QStringLiteral("^sha256:[0-9a-f]{64}$"));
    if (const auto keys = stringList(object, path, key("keys"), Need::Optional)) {
        for (const auto &[index, text] : *keys) {
            const QString itemPath = indexed(join(path, key("keys")), index);
            // Messages never quote a literal key: it is a secret.
            if (looksLikeReference(text)) {
                secretReference(text, itemPath);
            } else if (text.startsWith(QLatin1String("sha256:"))) {
                if (!hash.match(text).hasMatch())
                    add(itemPath,
                        QStringLiteral("must be \"sha256:\" followed by 64 lower-case hex digits"));
            } else if (text.size() < 16) {
                add(itemPath, QStringLiteral("must be at least 16 characters"));
            }
            const auto first = m_consumerKeys.constFind(text);
            if (first != m_consumerKeys.constEnd())
                add(itemPath, QStringLiteral("same key as %1").arg(*first));
            else
                m_consumerKeys.insert(text, itemPath);
        }
    }

    if (!object.contains(key("allow_models")))
        object.insert(key("allow_models"), QJsonArray{QStringLiteral("*")});
    stringList(object, path, key("allow_models"), Need::Optional);

    nested(object, path, key("rate_limit"), Need::Optional,
           [this](QJsonObject &limit, const QString &limitPath) {
               checkKeys(limit, limitPath, QStringLiteral("consumers.rate_limit"));
               integer(limit, limitPath, key("requests_per_minute"), Need::Optional,
                       Limits::positive());
               integer(limit, limitPath, key("tokens_per_minute"), Need::Optional,
                       Limits::positive());
               integer(limit, limitPath, key("concurrent"), Need::Optional, Limits::positive());
           });
    budget(object, path, QStringLiteral("consumers.budget"));
}

void Validation::budget(QJsonObject &object, const QString &path, const QString &schemaPath)
{
    nested(object, path, key("budget"), Need::Optional,
           [this, schemaPath](QJsonObject &budget, const QString &budgetPath) {
               static const QStringList periods{QStringLiteral("day"), QStringLiteral("week"),
                                                QStringLiteral("month")};
               checkKeys(budget, budgetPath, schemaPath);
               number(budget, budgetPath, key("usd"), Need::Required, Limits::nonNegative());
               choice(budget, budgetPath, key("period"), periods, QStringLiteral("budget period"),
                      Need::Optional, QStringLiteral("month"));
           });
}

void Validation::service(QJsonObject &object, const QString &path)
{
    checkKeys(object, path, key("services"));
    entityName(object, path, EntityKind::Service);
    weightedTargets(object, path, QStringLiteral("services.targets"),
                    [this](QJsonObject &target, const QString &targetPath) {
                        const auto url = string(target, targetPath, key("url"), Need::Required);
                        if (url && !isHttpUrl(*url))
                            add(join(targetPath, key("url")),
                                QStringLiteral("must be an absolute http:// or https:// URL"));
                    });
    static const QStringList strategies{QStringLiteral("round-robin"),
                                        QStringLiteral("least-connections"),
                                        QStringLiteral("random")};
    choice(object, path, key("balance"), strategies, QStringLiteral("balance strategy"),
           Need::Optional, QStringLiteral("round-robin"));
    nested(object, path, key("health_check"), Need::Optional,
           [this](QJsonObject &check, const QString &checkPath) {
               checkKeys(check, checkPath, QStringLiteral("services.health_check"));
               const auto checkUrlPath = string(check, checkPath, key("path"), Need::Required);
               if (checkUrlPath && !checkUrlPath->startsWith(u'/'))
                   add(join(checkPath, key("path")), QStringLiteral("must start with \"/\""));
               integer(check, checkPath, key("interval_ms"), Need::Optional, Limits::positive(),
                       10000);
           });
    integer(object, path, key("timeout_ms"), Need::Optional, Limits::positive(), 30000);
    integer(object, path, key("retries"), Need::Optional, Limits::range(0, 10), 0);
    // A private CA for https targets (instead of the system CAs).
    if (const auto caFile = string(object, path, key("ca_file"), Need::Optional)) {
        const QString expanded = caFile->startsWith(QLatin1String("~/"))
                                     ? QDir::homePath() + caFile->mid(1)
                                     : *caFile;
        if (!QDir::isAbsolutePath(expanded)) {
            add(join(path, key("ca_file")), QStringLiteral("must be an absolute path"));
        } else {
            QFile file(expanded);
            if (!file.open(QIODevice::ReadOnly))
                add(join(path, key("ca_file")),
                    QStringLiteral("cannot read %1: %2").arg(expanded, file.errorString()));
            else if (QSslCertificate::fromDevice(&file, QSsl::Pem).isEmpty())
                add(join(path, key("ca_file")),
                    QStringLiteral("%1 holds no PEM certificate").arg(expanded));
        }
    }
}

void Validation::routeMatch(QJsonObject &match, const QString &path)
{
    checkKeys(match, path, QStringLiteral("routes.match"));

    const auto hosts = stringList(match, path, key("hosts"), Need::Optional);
    static const QRegularExpression hostName(
        QStringLiteral("^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"));
    if (hosts) {
        QJsonArray normalized = match.value(key("hosts")).toArray();
        for (const auto &[index, host] : *hosts) {
            if (!hostName.match(host).hasMatch())
                add(indexed(join(path, key("hosts")), index),
                    QStringLiteral("must be a host name like api.example.com"));
            else
                normalized[index] = host.toLower();
        }
        match.insert(key("hosts"), normalized);
    }
    const bool hasHosts = hosts && !hosts->isEmpty();

    const QString pathsPath = join(path, key("paths"));
    if (!match.contains(key("paths"))) {
        if (hasHosts)
            match.insert(key("paths"), QJsonArray{QStringLiteral("/")});
        else if (!hosts) // a bad hosts value was reported already
            add(pathsPath, QStringLiteral("is required unless hosts are given"));
    } else if (const auto paths = stringList(match, path, key("paths"), Need::Optional)) {
        if (match.value(key("paths")).toArray().isEmpty() && !hasHosts)
            add(pathsPath, QStringLiteral("must not be empty unless hosts are given"));
        for (const auto &[index, prefix] : *paths) {
            const QString itemPath = indexed(pathsPath, index);
            if (!prefix.startsWith(u'/'))
                add(itemPath, QStringLiteral("must start with \"/\""));
            else if (prefix.contains(u'?') || prefix.contains(u'#') || prefix.contains(u' '))
                add(itemPath,
                    QStringLiteral("must be a plain path without spaces, \"?\" or \"#\""));
            else if (isUnder(prefix, QStringLiteral("/_gatehouse")))
                add(itemPath,
                    QStringLiteral("must not be under /_gatehouse/, which Gatehouse reserves"));
        }
    }

    static const QStringList methods{QStringLiteral("GET"),    QStringLiteral("HEAD"),
                                     QStringLiteral("POST"),   QStringLiteral("PUT"),
                                     QStringLiteral("PATCH"),  QStringLiteral("DELETE"),
                                     QStringLiteral("OPTIONS")};
    if (!match.contains(key("methods")))
        match.insert(key("methods"), QJsonArray());
    if (const auto list = stringList(match, path, key("methods"), Need::Optional)) {
        QJsonArray normalized = match.value(key("methods")).toArray();
        for (const auto &[index, method] : *list) {
            if (const auto canonical =
                    choiceValue(method, indexed(join(path, key("methods")), index), methods,
                                QStringLiteral("HTTP method")))
                normalized[index] = *canonical;
        }
        match.insert(key("methods"), normalized);
    }
    if (!match.contains(key("hosts")))
        match.insert(key("hosts"), QJsonArray());
}

void Validation::routeJwt(QJsonObject &jwt, const QString &path)
{
    static const QStringList algorithms{QStringLiteral("HS256"), QStringLiteral("HS384"),
                                        QStringLiteral("HS512"), QStringLiteral("RS256"),
                                        QStringLiteral("ES256")};
    checkKeys(jwt, path, QStringLiteral("routes.jwt"));
    secret(jwt, path, key("secret"), plainTextKeyMessage());
    secret(jwt, path, key("public_key"), referenceRequired());

    const bool hasSecret = jwt.contains(key("secret"));
    const bool hasPublicKey = jwt.contains(key("public_key"));
    if (!hasSecret && !hasPublicKey)
        add(path, QStringLiteral("needs a secret or a public_key"));

    if (const auto list = stringList(jwt, path, key("algorithms"), Need::Optional)) {
        QJsonArray normalized = jwt.value(key("algorithms")).toArray();
        bool missingSecret = false;
        bool missingPublicKey = false;
        for (const auto &[index, algorithm] : *list) {
            const auto canonical =
                choiceValue(algorithm, indexed(join(path, key("algorithms")), index), algorithms,
                            QStringLiteral("JWT algorithm"));
            if (!canonical)
                continue;
            normalized[index] = *canonical;
            // Only one message per missing key, naming the first algorithm that needs it.
            if (canonical->startsWith(u'H') && !hasSecret && hasPublicKey && !missingSecret) {
                add(join(path, key("secret")),
                    QStringLiteral("is required for %1").arg(*canonical));
                missingSecret = true;
            } else if (!canonical->startsWith(u'H') && !hasPublicKey && hasSecret &&
                       !missingPublicKey) {
                add(join(path, key("public_key")),
                    QStringLiteral("is required for %1").arg(*canonical));
                missingPublicKey = true;
            }
        }
        jwt.insert(key("algorithms"), normalized);
    }
    // iss / aud checks (RFC 7519 §4.1.1, §4.1.3); aud may list several accepted audiences.
    string(jwt, path, key("issuer"), Need::Optional);
    const QJsonValue audience = jwt.value(key("audience"));
    if (audience.isArray()) {
        if (audience.toArray().isEmpty())
            add(join(path, key("audience")), QStringLiteral("must not be empty"));
        stringList(jwt, path, key("audience"), Need::Optional);
    } else if (!audience.isUndefined()) {
        if (!audience.isString())
            add(join(path, key("audience")), QStringLiteral("must be a string or a list of strings"));
        else
            string(jwt, path, key("audience"), Need::Optional);
    }
    integer(jwt, path, key("leeway_s"), Need::Optional, Limits::range(0, 600));
    boolean(jwt, path, key("forward_token"));
}

void Validation::lifecycle(QJsonObject &object, const QString &path, const QStringList &authModes)
{
    static const QStringList states{QStringLiteral("draft"), QStringLiteral("published"),
                                    QStringLiteral("deprecated"), QStringLiteral("retired")};
    choice(object, path, key("auth"), authModes, QStringLiteral("auth mode"), Need::Optional,
           QStringLiteral("key"));
    choice(object, path, key("state"), states, QStringLiteral("state"), Need::Optional,
           QStringLiteral("published"));
    static const QRegularExpression dateFormat(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (const auto sunset = string(object, path, key("sunset"), Need::Optional)) {
        if (!dateFormat.match(*sunset).hasMatch() ||
            !QDate::fromString(*sunset, Qt::ISODate).isValid())
            add(join(path, key("sunset")), QStringLiteral("must be a date like 2027-06-30"));
    }
    string(object, path, key("version"), Need::Optional);
    // Shown in the catalog (/_gatehouse/portal/, openapi.json).
    if (const auto description = string(object, path, key("description"), Need::Optional);
        description && description->size() > 2000)
        add(join(path, key("description")), QStringLiteral("must be at most 2000 characters"));
}

void Validation::route(QJsonObject &object, const QString &path)
{
    checkKeys(object, path, key("routes"));
    entityName(object, path, EntityKind::Route);
    nested(object, path, key("match"), Need::Required,
           [this](QJsonObject &match, const QString &matchPath) { routeMatch(match, matchPath); });
    const QJsonArray routePaths =
        object.value(key("match")).toObject().value(key("paths")).toArray();
    for (qsizetype i = 0; i < routePaths.size(); ++i) {
        if (!routePaths.at(i).isString() || !routePaths.at(i).toString().startsWith(u'/'))
            continue;
        const QString normalized = normalizedUrlPath(routePaths.at(i).toString());
        const QString itemPath = indexed(join(join(path, key("match")), key("paths")), i);
        routePathCollisions(normalized, itemPath);
        if (!m_routePaths.contains(normalized))
            m_routePaths.insert(normalized, itemPath);
    }
    if (const auto service = string(object, path, key("service"), Need::Required))
        reference(EntityKind::Service, *service, join(path, key("service")));
    boolean(object, path, key("strip_path"), false);
    integer(object, path, key("max_body_bytes"), Need::Optional, Limits::positive(),
            10 * 1024 * 1024);

    static const QStringList authModes{QStringLiteral("none"), QStringLiteral("key"),
                                       QStringLiteral("jwt")};
    lifecycle(object, path, authModes);
    nested(object, path, key("jwt"), Need::Optional,
           [this](QJsonObject &jwt, const QString &jwtPath) { routeJwt(jwt, jwtPath); });
    if (object.value(key("auth")).toString() == QLatin1String("jwt") &&
        !object.contains(key("jwt")))
        add(join(path, key("jwt")), QStringLiteral("is required when auth is jwt"));

    if (!object.contains(key("consumers")))
        object.insert(key("consumers"), QJsonArray{QStringLiteral("*")});
    if (const auto consumers = stringList(object, path, key("consumers"), Need::Optional)) {
        for (const auto &[index, consumer] : *consumers) {
            if (consumer != QLatin1String("*"))
                reference(EntityKind::Consumer, consumer,
                          indexed(join(path, key("consumers")), index));
        }
    }

    nested(object, path, key("rate_limit"), Need::Optional,
           [this](QJsonObject &limit, const QString &limitPath) {
               checkKeys(limit, limitPath, QStringLiteral("routes.rate_limit"));
               number(limit, limitPath, key("requests_per_second"), Need::Optional,
                      Limits::positive());
               integer(limit, limitPath, key("requests_per_minute"), Need::Optional,
                       Limits::positive());
               integer(limit, limitPath, key("burst"), Need::Optional, Limits::positive());
               integer(limit, limitPath, key("concurrent"), Need::Optional, Limits::positive());
               // docs/policies.md, Rate limits: a limit that limits nothing is a mistake.
               if (!limit.contains(key("requests_per_second")) &&
                   !limit.contains(key("requests_per_minute")) && !limit.contains(key("concurrent")))
                   add(limitPath, QStringLiteral("needs requests_per_second, requests_per_minute "
                                                 "or concurrent"));
           });
    nested(object, path, key("cache"), Need::Optional,
           [this](QJsonObject &cache, const QString &cachePath) {
               checkKeys(cache, cachePath, QStringLiteral("routes.cache"));
               integer(cache, cachePath, key("ttl_s"), Need::Required, Limits::positive());
           });
    nested(object, path, key("cors"), Need::Optional,
           [this](QJsonObject &cors, const QString &corsPath) {
               corsSection(cors, corsPath, QStringLiteral("routes.cors"));
           });
    nested(object, path, key("ip"), Need::Optional, [this](QJsonObject &ip, const QString &ipPath) {
        ipSection(ip, ipPath, QStringLiteral("routes.ip"));
    });
}

void Validation::ipSection(QJsonObject &ip, const QString &path, const QString &schemaPath)
{
    checkKeys(ip, path, schemaPath);
    for (const QString &list : {key("allow"), key("deny")}) {
        const auto entries = stringList(ip, path, list, Need::Optional);
        if (!entries)
            continue;
        for (const auto &[index, entry] : *entries) {
            if (!IpRules::parseRange(entry))
                add(indexed(join(path, list), index),
                    QStringLiteral("\"%1\" is not an IP address or CIDR range").arg(entry));
        }
    }
}

void Validation::corsSection(QJsonObject &cors, const QString &path, const QString &schemaPath)
{
    checkKeys(cors, path, schemaPath);
    const auto origins = stringList(cors, path, key("origins"), Need::Required);
    bool anyOrigin = false;
    if (origins) {
        for (const auto &[index, origin] : *origins) {
            if (origin == QLatin1String("*"))
                anyOrigin = true;
            else if (CorsPolicy::normalizeOrigin(origin).isEmpty())
                add(indexed(join(path, key("origins")), index),
                    QStringLiteral("must be \"*\" or an origin like https://example.com"));
        }
    }
    static const QStringList methods{QStringLiteral("*"),      QStringLiteral("GET"),
                                     QStringLiteral("HEAD"),   QStringLiteral("POST"),
                                     QStringLiteral("PUT"),    QStringLiteral("PATCH"),
                                     QStringLiteral("DELETE"), QStringLiteral("OPTIONS")};
    if (const auto list = stringList(cors, path, key("methods"), Need::Optional)) {
        QJsonArray normalized = cors.value(key("methods")).toArray();
        for (const auto &[index, method] : *list) {
            const QString itemPath = indexed(join(path, key("methods")), index);
            if (const auto canonical =
                    choiceValue(method, itemPath, methods, QStringLiteral("HTTP method")))
                normalized[index] = *canonical;
        }
        cors.insert(key("methods"), normalized);
    }
    // RFC 9110 §5.1 field names (tokens), or "*".
    static const QRegularExpression fieldName(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
    for (const QString &list : {key("headers"), key("expose_headers")}) {
        const auto names = stringList(cors, path, list, Need::Optional);
        if (!names)
            continue;
        for (const auto &[index, name] : *names) {
            if (!fieldName.match(name).hasMatch())
                add(indexed(join(path, list), index),
                    QStringLiteral("\"%1\" is not a header name").arg(name));
        }
    }
    const auto credentials = boolean(cors, path, key("credentials"));
    // Fetch forbids "*" with credentials; echoing every origin instead would let any
    // website act with the user's cookies.
    if (credentials && *credentials && anyOrigin)
        add(join(path, key("credentials")),
            QStringLiteral("cannot be true with origin \"*\": list the origins that may send "
                           "credentials"));
    integer(cors, path, key("max_age_s"), Need::Optional, Limits::range(0, 86400));
}

void Validation::promptInput(QJsonObject &input, const QString &path)
{
    static const QStringList types{QStringLiteral("string"), QStringLiteral("number"),
                                   QStringLiteral("boolean"), QStringLiteral("enum"),
                                   QStringLiteral("array")};
    checkKeys(input, path, QStringLiteral("prompt_apis.inputs.*"));
    const auto type =
        choice(input, path, key("type"), types, QStringLiteral("input type"), Need::Required);
    string(input, path, key("description"), Need::Optional, true);
    boolean(input, path, key("required"), false);
    const auto maxLength =
        integer(input, path, key("max_length"), Need::Optional, Limits::positive());
    // string: characters; array: items. Elsewhere it would limit nothing.
    if (type && maxLength && *type != QLatin1String("string") && *type != QLatin1String("array"))
        add(join(path, key("max_length")),
            QStringLiteral("only applies to string and array inputs"));

    // An enum's values (the input's own, or an array's items').
    const auto enumValues = [this](QJsonObject &object, const QString &objectPath,
                                   const QString &objectType, QStringList *values) {
        if (objectType == QLatin1String("enum")) {
            if (const auto list = stringList(object, objectPath, key("values"), Need::Required)) {
                for (const auto &item : *list)
                    values->append(item.second);
                if (object.value(key("values")).toArray().isEmpty())
                    add(join(objectPath, key("values")), QStringLiteral("must not be empty"));
                return list->size() == object.value(key("values")).toArray().size();
            }
        } else if (object.contains(key("values"))) {
            add(join(objectPath, key("values")), QStringLiteral("is only allowed with type enum"));
        }
        return false;
    };
    QStringList values;
    const bool valuesValid = type && enumValues(input, path, *type, &values);

    // Arrays: what each item is (strings unless said otherwise).
    QString itemType;
    QStringList itemValues;
    qint64 itemMaxLength = -1;
    if (type == QLatin1String("array")) {
        if (!input.contains(key("items")))
            input.insert(key("items"), QJsonObject{{key("type"), QStringLiteral("string")}});
        nested(input, path, key("items"), Need::Optional,
               [&](QJsonObject &items, const QString &itemsPath) {
                   static const QStringList itemTypes{
                       QStringLiteral("string"), QStringLiteral("number"),
                       QStringLiteral("boolean"), QStringLiteral("enum")};
                   checkKeys(items, itemsPath, QStringLiteral("prompt_apis.inputs.*.items"));
                   const auto parsed = choice(items, itemsPath, key("type"), itemTypes,
                                              QStringLiteral("item type"), Need::Required);
                   if (parsed)
                       itemType = *parsed;
                   if (parsed)
                       enumValues(items, itemsPath, *parsed, &itemValues);
                   const auto itemMax = integer(items, itemsPath, key("max_length"), Need::Optional,
                                                Limits::positive());
                   if (itemMax && parsed && *parsed != QLatin1String("string"))
                       add(join(itemsPath, key("max_length")),
                           QStringLiteral("only applies to string items"));
                   itemMaxLength = itemMax.value_or(-1);
               });
    } else if (type && input.contains(key("items"))) {
        add(join(path, key("items")), QStringLiteral("is only allowed with type array"));
    }

    if (!type || !input.contains(key("default")))
        return;
    const QJsonValue value = input.value(key("default"));
    const QString defaultPath = join(path, key("default"));
    if (*type == QLatin1String("number")) {
        if (!value.isDouble())
            add(defaultPath, QStringLiteral("must be a number"));
    } else if (*type == QLatin1String("boolean")) {
        if (!value.isBool())
            add(defaultPath, QStringLiteral("must be a boolean"));
    } else if (*type == QLatin1String("array")) {
        if (!value.isArray()) {
            add(defaultPath, QStringLiteral("must be a list"));
            return;
        }
        const QJsonArray items = value.toArray();
        if (maxLength && items.size() > *maxLength)
            add(defaultPath, QStringLiteral("must have at most %1 items").arg(*maxLength));
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QJsonValue item = items.at(i);
            const QString itemPath = indexed(defaultPath, i);
            if (itemType == QLatin1String("number") && !item.isDouble())
                add(itemPath, QStringLiteral("must be a number"));
            else if (itemType == QLatin1String("boolean") && !item.isBool())
                add(itemPath, QStringLiteral("must be a boolean"));
            else if ((itemType == QLatin1String("string") || itemType == QLatin1String("enum")) &&
                     !item.isString())
                add(itemPath, QStringLiteral("must be a string"));
            else if (itemType == QLatin1String("enum") && !itemValues.isEmpty() &&
                     !itemValues.contains(item.toString()))
                add(itemPath,
                    QStringLiteral("must be one of %1").arg(itemValues.join(QStringLiteral(", "))));
            else if (itemType == QLatin1String("string") && itemMaxLength > 0 &&
                     item.toString().size() > itemMaxLength)
                add(itemPath, QStringLiteral("must be at most %1 characters").arg(itemMaxLength));
        }
    } else if (!value.isString()) {
        add(defaultPath, QStringLiteral("must be a string"));
    } else if (*type == QLatin1String("enum") && valuesValid &&
               !values.contains(value.toString())) {
        add(defaultPath,
            QStringLiteral("must be one of %1").arg(values.join(QStringLiteral(", "))));
    } else if (*type == QLatin1String("string") && maxLength &&
               value.toString().size() > *maxLength) {
        add(defaultPath, QStringLiteral("must be at most %1 characters").arg(*maxLength));
    }
}

void Validation::promptInputs(QJsonObject &inputs, const QString &path)
{
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    const QStringList names = inputs.keys();
    for (const QString &name : names) {
        const QString inputPath = join(path, name);
        if (!identifier.match(name).hasMatch())
            add(inputPath, QStringLiteral("input names must start with a letter or \"_\" and "
                                          "contain only letters, digits and \"_\""));
        else if (name == QLatin1String("stream"))
            add(inputPath, QStringLiteral("\"stream\" is reserved: it asks for a streamed answer"));
        nested(inputs, path, name, Need::Required,
               [this](QJsonObject &input, const QString &p) { promptInput(input, p); });
    }
}

void Validation::promptParams(QJsonObject &params, const QString &path)
{
    checkKeys(params, path, QStringLiteral("prompt_apis.params"));
    number(params, path, key("temperature"), Need::Optional, Limits::range(0, 2));
    number(params, path, key("top_p"), Need::Optional, Limits::range(0, 1));
    integer(params, path, key("max_tokens"), Need::Optional, Limits::positive());
    number(params, path, key("presence_penalty"), Need::Optional, Limits::range(-2, 2));
    number(params, path, key("frequency_penalty"), Need::Optional, Limits::range(-2, 2));
    integer(params, path, key("seed"), Need::Optional, Limits::any());

    const QJsonValue stop = params.value(key("stop"));
    if (!stop.isUndefined()) {
        bool valid = stop.isString() || stop.isArray();
        const QJsonArray items = stop.toArray();
        for (const QJsonValue &item : items)
            valid = valid && item.isString();
        if (!valid)
            add(join(path, key("stop")), QStringLiteral("must be a string or a list of strings"));
    }

    const QJsonValue format = params.value(key("response_format"));
    if (format.isString()) {
        static const QStringList formats{QStringLiteral("text"), QStringLiteral("json_object"),
                                         QStringLiteral("json_schema")};
        choice(params, path, key("response_format"), formats, QStringLiteral("response format"),
               Need::Optional);
    } else if (!format.isUndefined() && !format.isObject()) {
        add(join(path, key("response_format")), QStringLiteral("must be a string or a mapping"));
    }
    if (format.isObject()) {
        // OpenAI's {type: ...}: the type is what counts; the schema goes in json_schema.
        QJsonObject formatObject = format.toObject();
        const QString formatPath = join(path, key("response_format"));
        for (auto it = formatObject.constBegin(); it != formatObject.constEnd(); ++it) {
            if (it.key() != QLatin1String("type"))
                add(join(formatPath, it.key()),
                    QStringLiteral("unknown key; put the schema in output.json_schema"));
        }
        static const QStringList formats{QStringLiteral("text"), QStringLiteral("json_object"),
                                         QStringLiteral("json_schema")};
        choice(formatObject, formatPath, key("type"), formats, QStringLiteral("response format"),
               Need::Required);
        params.insert(key("response_format"), formatObject);
    }
    const QJsonValue schema = params.value(key("json_schema"));
    if (!schema.isUndefined() && !schema.isObject())
        add(join(path, key("json_schema")), QStringLiteral("must be a mapping"));
    else if (schema.isObject())
        jsonSchema(schema.toObject(), join(path, key("json_schema")));
}

void Validation::jsonSchema(const QJsonObject &schema, const QString &path)
{
    QList<JsonSchemaValidator::Problem> problems;
    JsonSchemaValidator::compile(schema, &problems);
    for (const JsonSchemaValidator::Problem &problem : std::as_const(problems))
        add(join(path, problem.path), problem.message);
}

void Validation::promptOutput(QJsonObject &output, const QString &path)
{
    static const QStringList formats{QStringLiteral("text"), QStringLiteral("json")};
    checkKeys(output, path, QStringLiteral("prompt_apis.output"));
    const bool hasSchema = output.contains(key("json_schema"));
    const auto format =
        choice(output, path, key("format"), formats, QStringLiteral("output format"),
               Need::Optional, hasSchema ? QStringLiteral("json") : QStringLiteral("text"));
    const QJsonValue schema = output.value(key("json_schema"));
    if (!hasSchema)
        return;
    if (!schema.isObject()) {
        add(join(path, key("json_schema")), QStringLiteral("must be a mapping"));
        return;
    }
    if (format == QLatin1String("text"))
        add(join(path, key("json_schema")), QStringLiteral("needs format json"));
    jsonSchema(schema.toObject(), join(path, key("json_schema")));
}

void Validation::promptPathCollisions(const QString &normalized, const QString &name,
                                      const QString &fieldPath)
{
    const auto first = m_promptPaths.constFind(normalized);
    if (first != m_promptPaths.constEnd()) {
        add(fieldPath,
            QStringLiteral("duplicate path \"%1\" (first at %2)").arg(normalized, *first));
        return;
    }
    m_promptPaths.insert(normalized, fieldPath.chopped(QStringLiteral(".path").size()));
    // Routes: this document's, or the store's when the document has none.
    if (m_documentNames.contains(EntityKind::Route)) {
        const auto route = m_routePaths.constFind(normalized);
        if (route != m_routePaths.constEnd())
            add(fieldPath, QStringLiteral("\"%1\" is also a route's path (%2); a prompt API "
                                          "needs a path of its own")
                               .arg(normalized, *route));
    } else {
        const QHash<QString, QStringList> routes = m_context.existingPaths.value(EntityKind::Route);
        for (auto it = routes.constBegin(); it != routes.constEnd(); ++it) {
            for (const QString &other : it.value()) {
                if (normalizedUrlPath(other) == normalized)
                    add(fieldPath, QStringLiteral("\"%1\" is also the path of route \"%2\"; a "
                                                  "prompt API needs a path of its own")
                                       .arg(normalized, it.key()));
            }
        }
    }
    // One prompt API validated alone (admin PUT): the stored others, itself excepted.
    if (!m_documentNames.contains(EntityKind::PromptApi)) {
        const QHash<QString, QStringList> prompts =
            m_context.existingPaths.value(EntityKind::PromptApi);
        for (auto it = prompts.constBegin(); it != prompts.constEnd(); ++it) {
            if (it.key() == name)
                continue;
            for (const QString &other : it.value()) {
                if (normalizedUrlPath(other) == normalized)
                    add(fieldPath, QStringLiteral("\"%1\" is already the path of prompt API \"%2\"")
                                       .arg(normalized, it.key()));
            }
        }
    }
}

void Validation::routePathCollisions(const QString &normalized, const QString &fieldPath)
{
    // A document with prompt APIs reports collisions on their side; otherwise the store's.
    if (m_documentNames.contains(EntityKind::PromptApi))
        return;
    const QHash<QString, QStringList> prompts =
        m_context.existingPaths.value(EntityKind::PromptApi);
    for (auto it = prompts.constBegin(); it != prompts.constEnd(); ++it) {
        for (const QString &other : it.value()) {
            if (normalizedUrlPath(other) == normalized)
                add(fieldPath, QStringLiteral("\"%1\" is the path of prompt API \"%2\"; a "
                                              "route cannot also use it")
                                   .arg(normalized, it.key()));
        }
    }
}

void Validation::promptApi(QJsonObject &object, const QString &path)
{
    checkKeys(object, path, key("prompt_apis"));
    entityName(object, path, EntityKind::PromptApi);

    if (const auto urlPath = string(object, path, key("path"), Need::Required)) {
        const QString fieldPath = join(path, key("path"));
        if (!urlPath->startsWith(u'/'))
            add(fieldPath, QStringLiteral("must start with \"/\""));
        else if (urlPath->contains(u'?') || urlPath->contains(u'#') || urlPath->contains(u' '))
            add(fieldPath, QStringLiteral("must be a plain path without spaces, \"?\" or \"#\""));
        else if (isUnder(*urlPath, QStringLiteral("/v1")) ||
                 isUnder(*urlPath, QStringLiteral("/_gatehouse")))
            add(fieldPath,
                QStringLiteral("must not be under /v1/ or /_gatehouse/, which Gatehouse reserves"));
        else if (*urlPath == QLatin1String("/"))
            add(fieldPath, QStringLiteral("must not be \"/\""));
        else
            promptPathCollisions(normalizedUrlPath(*urlPath), object.value(key("name")).toString(),
                                 fieldPath);
    }
    if (const auto model = string(object, path, key("model"), Need::Required))
        reference(EntityKind::Model, *model, join(path, key("model")));
    const auto system = string(object, path, key("system"), Need::Optional, true);
    const auto templateText = string(object, path, key("template"), Need::Required);

    const bool inputsValid =
        !object.contains(key("inputs")) || object.value(key("inputs")).isObject();
    nested(object, path, key("inputs"), Need::Optional,
           [this](QJsonObject &inputs, const QString &p) { promptInputs(inputs, p); });
    if (inputsValid) {
        // The same parser the gateway renders with, so what validates is what runs.
        const QJsonObject inputs = object.value(key("inputs")).toObject();
        const std::pair<QString, std::optional<QString>> texts[] = {
            {key("system"), system}, {key("template"), templateText}};
        QSet<QString> used;
        for (const auto &[field, text] : texts) {
            if (!text)
                continue;
            for (const QString &name : PromptTemplate::parse(*text).variables()) {
                used.insert(name);
                if (!inputs.contains(name))
                    add(join(path, field),
                        QStringLiteral("uses undeclared input \"%1\"").arg(name));
            }
        }
        // A declared input no template uses would take the caller's value and drop it.
        if (templateText) {
            for (auto it = inputs.constBegin(); it != inputs.constEnd(); ++it) {
                if (!used.contains(it.key()) && it.key() != QLatin1String("stream"))
                    add(join(join(path, key("inputs")), it.key()),
                        QStringLiteral("is not used by the template or the system prompt"));
            }
        }
    }
    nested(object, path, key("params"), Need::Optional,
           [this](QJsonObject &params, const QString &p) { promptParams(params, p); });
    nested(object, path, key("output"), Need::Optional,
           [this](QJsonObject &output, const QString &p) { promptOutput(output, p); });
    const QJsonObject params = object.value(key("params")).toObject();
    if (object.contains(key("output")) &&
        (params.contains(key("response_format")) || params.contains(key("json_schema"))))
        add(join(path, key("params")),
            QStringLiteral("response_format and json_schema are the older spelling of output: "
                           "use one or the other"));

    static const QStringList authModes{QStringLiteral("none"), QStringLiteral("key")};
    lifecycle(object, path, authModes);
}

void Validation::settings(QJsonObject &object, const QString &path)
{
    checkKeys(object, path, key("settings"));
    static const QStringList aiAuth{QStringLiteral("key"), QStringLiteral("none")};
    choice(object, path, key("ai_auth"), aiAuth, QStringLiteral("auth mode"), Need::Optional,
           QStringLiteral("key"));
    // The request log (docs/logging.md): on when absent, so older exports stay unchanged.
    boolean(object, path, key("log_requests"));
    boolean(object, path, key("log_bodies"), false);
    integer(object, path, key("log_retention_days"), Need::Optional, Limits::positive(), 30);
    if (!object.contains(key("cache")))
        object.insert(key("cache"), QJsonObject());
    nested(object, path, key("cache"), Need::Optional,
           [this](QJsonObject &cache, const QString &cachePath) {
               checkKeys(cache, cachePath, QStringLiteral("settings.cache"));
               integer(cache, cachePath, key("max_mb"), Need::Optional, Limits::nonNegative(), 256);
           });
    // The opt-in exact-match AI cache (docs/policies.md, Response cache); off when absent.
    nested(object, path, key("ai_cache"), Need::Optional,
           [this](QJsonObject &aiCache, const QString &aiCachePath) {
               checkKeys(aiCache, aiCachePath, QStringLiteral("settings.ai_cache"));
               boolean(aiCache, aiCachePath, key("enabled"), false);
               integer(aiCache, aiCachePath, key("ttl_s"), Need::Optional, Limits::positive(), 300);
           });
    nested(object, path, key("ip"), Need::Optional, [this](QJsonObject &ip, const QString &ipPath) {
        ipSection(ip, ipPath, QStringLiteral("settings.ip"));
    });
    // CORS on the AI endpoints, for browser apps calling the gateway; off when absent.
    nested(object, path, key("cors"), Need::Optional,
           [this](QJsonObject &cors, const QString &corsPath) {
               corsSection(cors, corsPath, QStringLiteral("settings.cors"));
           });
}

} // namespace

ConfigProblems ConfigValidator::validate(QJsonObject &root, const ConfigContext &context)
{
    Validation validation(context);

    const QStringList &sections = ConfigSchema::sectionNames();
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        if (!sections.contains(it.key())) {
            validation.add(it.key(), QStringLiteral("unknown section; expected one of %1")
                                         .arg(sections.join(QStringLiteral(", "))));
        }
    }

    // Names first, so that a reference may point forward or into a later section.
    for (EntityKind kind : allEntityKinds()) {
        const QString section = sectionName(kind);
        if (!root.contains(section))
            continue;
        QSet<QString> names;
        const QJsonArray entities = root.value(section).toArray();
        for (const QJsonValue &value : entities) {
            const QString name = value.toObject().value(QLatin1String("name")).toString();
            if (!name.isEmpty())
                names.insert(name);
        }
        validation.setDocumentNames(kind, names);
    }

    for (EntityKind kind : allEntityKinds()) {
        const QString section = sectionName(kind);
        if (!root.contains(section))
            continue;
        if (!root.value(section).isArray()) {
            validation.add(section, QStringLiteral("must be a list"));
            continue;
        }
        QJsonArray entities = root.value(section).toArray();
        QHash<QString, QString> firstByKey;
        for (qsizetype i = 0; i < entities.size(); ++i) {
            const QString path = indexed(section, i);
            if (!entities.at(i).isObject()) {
                validation.add(path, QStringLiteral("must be a mapping"));
                continue;
            }
            QJsonObject entity = entities.at(i).toObject();
            validation.entity(kind, entity, path);
            validation.duplicate(kind, entity, path, firstByKey);
            entities[i] = entity;
        }
        root.insert(section, entities);
    }

    const QString settingsSection = QStringLiteral("settings");
    if (root.contains(settingsSection)) {
        if (!root.value(settingsSection).isObject()) {
            validation.add(settingsSection, QStringLiteral("must be a mapping"));
        } else {
            QJsonObject settings = root.value(settingsSection).toObject();
            validation.settings(settings, settingsSection);
            root.insert(settingsSection, settings);
        }
    }
    return validation.problems;
}

ConfigProblems ConfigValidator::validateEntity(EntityKind kind, QJsonObject &entity,
                                               const QString &path, const ConfigContext &context)
{
    Validation validation(context);
    validation.entity(kind, entity, path);
    return validation.problems;
}

ConfigProblems ConfigValidator::validateSettings(QJsonObject &settings, const QString &path)
{
    const ConfigContext none;
    Validation validation(none);
    validation.settings(settings, path);
    return validation.problems;
}

QString ConfigValidator::entityKey(EntityKind kind, const QJsonObject &entity)
{
    if (kind != EntityKind::Price)
        return entity.value(QLatin1String("name")).toString();
    const QJsonValue provider = entity.value(QLatin1String("provider"));
    const QJsonValue model = entity.value(QLatin1String("model"));
    if (!provider.isString() || !model.isString() || provider.toString().isEmpty() ||
        model.toString().isEmpty())
        return QString();
    return provider.toString() + u'/' + model.toString();
}

} // namespace gh
