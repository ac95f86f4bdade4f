#include "ApiCatalog.h"

#include <QJsonArray>

#include <algorithm>

namespace gh {

namespace {

bool isListed(const QJsonObject &entity)
{
    const QString state =
        entity.value(QLatin1String("state")).toString(QStringLiteral("published"));
    return state == QLatin1String("published") || state == QLatin1String("deprecated");
}

ApiCatalog::Auth authOf(const QJsonObject &entity)
{
    const QString auth = entity.value(QLatin1String("auth")).toString(QStringLiteral("key"));
    if (auth == QLatin1String("none"))
        return ApiCatalog::Auth::None;
    if (auth == QLatin1String("jwt"))
        return ApiCatalog::Auth::Jwt;
    return ApiCatalog::Auth::Key;
}

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out.append(item.toVariant().toString());
    return out;
}

} // namespace

ApiCatalog ApiCatalog::fromConfig(const QJsonObject &config)
{
    ApiCatalog catalog;
    for (const QJsonValue &value : config.value(QLatin1String("prompt_apis")).toArray()) {
        const QJsonObject o = value.toObject();
        if (!isListed(o))
            continue;
        PromptApi api;
        api.name = o.value(QLatin1String("name")).toString();
        api.path = o.value(QLatin1String("path")).toString();
        api.version = o.value(QLatin1String("version")).toString();
        api.description = o.value(QLatin1String("description")).toString();
        api.state = o.value(QLatin1String("state")).toString(QStringLiteral("published"));
        api.sunset = o.value(QLatin1String("sunset")).toString();
        api.auth = authOf(o);
        api.model = o.value(QLatin1String("model")).toString();
        const QJsonObject inputs = o.value(QLatin1String("inputs")).toObject();
        for (auto it = inputs.begin(); it != inputs.end(); ++it) {
            const QJsonObject spec = it.value().toObject();
            Input input;
            input.name = it.key();
            input.type = spec.value(QLatin1String("type")).toString(QStringLiteral("string"));
            input.description = spec.value(QLatin1String("description")).toString();
            input.required = spec.value(QLatin1String("required")).toBool();
            input.defaultValue = spec.value(QLatin1String("default"));
            input.values = strings(spec.value(QLatin1String("values")));
            const QJsonObject items = spec.value(QLatin1String("items")).toObject();
            input.itemType = items.value(QLatin1String("type")).toString();
            input.itemValues = strings(items.value(QLatin1String("values")));
            const QJsonValue maxLength = spec.contains(QLatin1String("max_length"))
                                             ? spec.value(QLatin1String("max_length"))
                                             : items.value(QLatin1String("max_length"));
            input.maxLength = maxLength.isDouble() ? maxLength.toInteger() : -1;
            api.inputs.append(input);
        }
        const QJsonObject output = o.value(QLatin1String("output")).toObject();
        api.outputSchema = output.value(QLatin1String("json_schema")).toObject();
        api.jsonOutput =
            output.value(QLatin1String("format")).toString() == QLatin1String("json") ||
            !api.outputSchema.isEmpty();
        catalog.m_promptApis.append(api);
    }
    for (const QJsonValue &value : config.value(QLatin1String("routes")).toArray()) {
        const QJsonObject o = value.toObject();
        if (!isListed(o))
            continue;
        Route route;
        route.name = o.value(QLatin1String("name")).toString();
        const QJsonObject match = o.value(QLatin1String("match")).toObject();
        route.paths = strings(match.value(QLatin1String("paths")));
        route.methods = strings(match.value(QLatin1String("methods")));
        route.hosts = strings(match.value(QLatin1String("hosts")));
        route.version = o.value(QLatin1String("version")).toString();
        route.description = o.value(QLatin1String("description")).toString();
        route.state = o.value(QLatin1String("state")).toString(QStringLiteral("published"));
        route.sunset = o.value(QLatin1String("sunset")).toString();
        route.auth = authOf(o);
        catalog.m_routes.append(route);
    }
    const auto byName = [](const auto &a, const auto &b) {
        return a.name < b.name;
    };
    std::sort(catalog.m_promptApis.begin(), catalog.m_promptApis.end(), byName);
    std::sort(catalog.m_routes.begin(), catalog.m_routes.end(), byName);
    return catalog;
}

QString ApiCatalog::authName(Auth auth)
{
    switch (auth) {
    case Auth::None:
        return QStringLiteral("none");
    case Auth::Jwt:
        return QStringLiteral("jwt");
    case Auth::Key:
        break;
    }
    return QStringLiteral("key");
}

QJsonValue ApiCatalog::exampleValue(const Input &input)
{
    if (!input.defaultValue.isUndefined() && !input.defaultValue.isNull())
        return input.defaultValue;
    if (input.type == QLatin1String("number"))
        return 1;
    if (input.type == QLatin1String("boolean"))
        return true;
    if (input.type == QLatin1String("enum"))
        return input.values.value(0);
    if (input.type == QLatin1String("array")) {
        if (input.itemType == QLatin1String("number"))
            return QJsonArray{1, 2};
        if (input.itemType == QLatin1String("enum"))
            return QJsonArray{input.itemValues.value(0)};
        return QJsonArray{QStringLiteral("first"), QStringLiteral("second")};
    }
    return QStringLiteral("example");
}

QJsonObject ApiCatalog::exampleBody(const PromptApi &api)
{
    QJsonObject body;
    for (const Input &input : api.inputs) {
        if (input.required)
            body.insert(input.name, exampleValue(input));
    }
    if (body.isEmpty()) {
        for (const Input &input : api.inputs)
            body.insert(input.name, exampleValue(input));
    }
    return body;
}

} // namespace gh
