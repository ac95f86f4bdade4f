#include "EntityColumns.h"

#include "secrets/SecretReference.h"

#include <QJsonArray>

namespace gh {

namespace {

QString field(const QJsonObject &entity, const QString &key)
{
    const QJsonValue value = entity.value(key);
    if (value.isDouble())
        return QString::number(value.toDouble());
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString();
}

QString fieldOr(const QJsonObject &entity, const QString &key, const QString &fallback)
{
    return entity.contains(key) ? field(entity, key) : fallback;
}

QString joined(const QJsonValue &list)
{
    QStringList parts;
    const QJsonArray array = list.toArray();
    for (const QJsonValue &item : array)
        parts.append(item.isString() ? item.toString() : QString::number(item.toDouble()));
    return parts.join(QStringLiteral(", "));
}

// "a (weight 3)" only when the weight is not the default 1, to keep cells short.
QString withWeight(const QString &target, const QJsonObject &item)
{
    const double weight = item.value(QStringLiteral("weight")).toDouble(1);
    if (weight == 1)
        return target;
    return EntityColumns::tr("%1 (weight %2)").arg(target).arg(weight);
}

QString serviceTargets(const QJsonObject &service)
{
    QStringList parts;
    const QJsonArray targets = service.value(QStringLiteral("targets")).toArray();
    for (const QJsonValue &target : targets) {
        const QJsonObject t = target.toObject();
        parts.append(withWeight(t.value(QStringLiteral("url")).toString(), t));
    }
    return parts.join(QStringLiteral(", "));
}

QString modelTargets(const QJsonObject &model)
{
    QStringList parts;
    const QJsonArray targets = model.value(QStringLiteral("targets")).toArray();
    for (const QJsonValue &target : targets) {
        const QJsonObject t = target.toObject();
        parts.append(withWeight(t.value(QStringLiteral("provider")).toString() + QLatin1Char('/') +
                                    t.value(QStringLiteral("model")).toString(),
                                t));
    }
    return parts.join(QStringLiteral(", "));
}

QString keyCount(const QJsonObject &consumer)
{
    const qsizetype count = consumer.value(QStringLiteral("keys")).toArray().size();
    return EntityColumns::tr("%n key(s)", nullptr, int(count));
}

} // namespace

QString EntityColumns::describeKey(const QJsonValue &apiKey)
{
    const QString text = apiKey.toString();
    if (text.isEmpty())
        return tr("none");
    if (const auto reference = SecretReference::parse(text))
        return QStringLiteral("%1: %2").arg(SecretReference::schemeName(reference->kind()),
                                            reference->name());
    // Whatever else is stored there, its value is not ours to show.
    return tr("set");
}

QList<EntityColumn> EntityColumns::forKind(EntityKind kind)
{
    const auto name = [](const QJsonObject &e) {
        return field(e, QStringLiteral("name"));
    };
    const EntityColumn nameColumn{tr("Name"), name};

    switch (kind) {
    case EntityKind::Route:
        return {nameColumn,
                {tr("Paths"),
                 [](const QJsonObject &e) {
                     return joined(e.value(QStringLiteral("match"))[QStringLiteral("paths")]);
                 }},
                {tr("Methods"),
                 [](const QJsonObject &e) {
                     const QString methods =
                         joined(e.value(QStringLiteral("match"))[QStringLiteral("methods")]);
                     return methods.isEmpty() ? tr("any") : methods;
                 }},
                {tr("Service"),
                 [](const QJsonObject &e) {
                     return field(e, QStringLiteral("service"));
                 }},
                // SPEC §3 defaults: auth key, state published.
                {tr("Auth"),
                 [](const QJsonObject &e) {
                     return fieldOr(e, QStringLiteral("auth"), QStringLiteral("key"));
                 }},
                {tr("State"), [](const QJsonObject &e) {
                     return fieldOr(e, QStringLiteral("state"), QStringLiteral("published"));
                 }}};
    case EntityKind::Service:
        return {nameColumn,
                {tr("Targets"), serviceTargets},
                {tr("Balance"), [](const QJsonObject &e) {
                     return field(e, QStringLiteral("balance"));
                 }}};
    case EntityKind::Provider:
        return {nameColumn,
                {tr("Type"),
                 [](const QJsonObject &e) {
                     return field(e, QStringLiteral("type"));
                 }},
                {tr("Base URL"),
                 [](const QJsonObject &e) {
                     return fieldOr(e, QStringLiteral("base_url"), tr("default for type"));
                 }},
                {tr("Key"), [](const QJsonObject &e) {
                     return describeKey(e.value(QStringLiteral("api_key")));
                 }}};
    case EntityKind::Model:
        return {nameColumn,
                {tr("Targets"), modelTargets},
                {tr("Fallbacks"), [](const QJsonObject &e) {
                     return joined(e.value(QStringLiteral("fallbacks")));
                 }}};
    case EntityKind::Consumer:
        return {nameColumn,
                {tr("Keys"), keyCount},
                {tr("Allowed models"), [](const QJsonObject &e) {
                     return joined(e.value(QStringLiteral("allow_models")));
                 }}};
    case EntityKind::PromptApi:
        return {nameColumn,
                {tr("Path"),
                 [](const QJsonObject &e) {
                     return field(e, QStringLiteral("path"));
                 }},
                {tr("Model"),
                 [](const QJsonObject &e) {
                     return field(e, QStringLiteral("model"));
                 }},
                {tr("State"), [](const QJsonObject &e) {
                     return fieldOr(e, QStringLiteral("state"), QStringLiteral("published"));
                 }}};
    case EntityKind::Price:
        return {{tr("Provider"),
                 [](const QJsonObject &e) {
                     return field(e, QStringLiteral("provider"));
                 }},
                {tr("Model"),
                 [](const QJsonObject &e) {
                     return field(e, QStringLiteral("model"));
                 }},
                {tr("Input $/1M"),
                 [](const QJsonObject &e) {
                     return field(e, QStringLiteral("input"));
                 }},
                {tr("Output $/1M"), [](const QJsonObject &e) {
                     return field(e, QStringLiteral("output"));
                 }}};
    }
    return {nameColumn};
}

} // namespace gh
