#include "OpenApiDocument.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

namespace gh {

namespace {

const QStringList anyMethod = {QStringLiteral("get"), QStringLiteral("post"), QStringLiteral("put"),
                               QStringLiteral("patch"), QStringLiteral("delete")};

QJsonObject ref(const QString &name)
{
    return {{QStringLiteral("$ref"), QStringLiteral("#/components/schemas/") + name}};
}

QJsonObject errorResponse(const QString &description)
{
    return {{QStringLiteral("description"), description},
            {QStringLiteral("content"),
             QJsonObject{{QStringLiteral("application/json"),
                          QJsonObject{{QStringLiteral("schema"), ref(QStringLiteral("Error"))}}}}}};
}

QJsonArray security(ApiCatalog::Auth auth)
{
    switch (auth) {
    case ApiCatalog::Auth::None:
        return {};
    case ApiCatalog::Auth::Jwt:
        return {QJsonObject{{QStringLiteral("jwt"), QJsonArray{}}}};
    case ApiCatalog::Auth::Key:
        break;
    }
    // Either header carries a consumer key.
    return {QJsonObject{{QStringLiteral("consumerKey"), QJsonArray{}}},
            QJsonObject{{QStringLiteral("consumerKeyHeader"), QJsonArray{}}}};
}

void addAuthResponses(QJsonObject &responses, ApiCatalog::Auth auth)
{
    if (auth == ApiCatalog::Auth::None)
        return;
    responses.insert(QStringLiteral("401"),
                     errorResponse(QStringLiteral("No key or token, or a bad one")));
    responses.insert(QStringLiteral("403"),
                     errorResponse(QStringLiteral("Not allowed for this caller")));
}

QString lifecycleNote(const QString &state, const QString &sunset)
{
    if (state != QLatin1String("deprecated"))
        return {};
    return sunset.isEmpty()
               ? QStringLiteral("Deprecated.")
               : QStringLiteral("Deprecated; retired after %1 (answers 410 then).").arg(sunset);
}

QJsonObject inputSchema(const ApiCatalog::Input &input)
{
    QJsonObject schema;
    const auto scalar = [](const QString &type, const QStringList &values, qint64 maxLength) {
        QJsonObject s;
        if (type == QLatin1String("enum")) {
            s.insert(QStringLiteral("type"), QStringLiteral("string"));
            s.insert(QStringLiteral("enum"), QJsonArray::fromStringList(values));
        } else if (type == QLatin1String("number") || type == QLatin1String("boolean")) {
            s.insert(QStringLiteral("type"), type);
        } else {
            s.insert(QStringLiteral("type"), QStringLiteral("string"));
            if (maxLength >= 0)
                s.insert(QStringLiteral("maxLength"), maxLength);
        }
        return s;
    };
    if (input.type == QLatin1String("array")) {
        schema.insert(QStringLiteral("type"), QStringLiteral("array"));
        schema.insert(QStringLiteral("items"),
                      scalar(input.itemType.isEmpty() ? QStringLiteral("string") : input.itemType,
                             input.itemValues, input.maxLength));
    } else {
        schema = scalar(input.type, input.values, input.maxLength);
    }
    if (!input.description.isEmpty())
        schema.insert(QStringLiteral("description"), input.description);
    if (!input.defaultValue.isUndefined() && !input.defaultValue.isNull())
        schema.insert(QStringLiteral("default"), input.defaultValue);
    return schema;
}

QJsonObject promptOperation(const ApiCatalog::PromptApi &api)
{
    QJsonObject properties;
    QJsonArray required;
    for (const ApiCatalog::Input &input : api.inputs) {
        properties.insert(input.name, inputSchema(input));
        if (input.required)
            required.append(input.name);
    }
    properties.insert(QStringLiteral("stream"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("boolean")},
                                  {QStringLiteral("description"),
                                   QStringLiteral("Answer as server-sent events")}});
    QJsonObject body{{QStringLiteral("type"), QStringLiteral("object")},
                     {QStringLiteral("properties"), properties}};
    if (!required.isEmpty())
        body.insert(QStringLiteral("required"), required);

    QJsonObject answer = ref(QStringLiteral("PromptAnswer"));
    if (api.jsonOutput) {
        // The parsed object replaces the text; the declared schema says what it holds.
        QJsonObject output = api.outputSchema.isEmpty()
                                 ? QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}
                                 : api.outputSchema;
        answer = QJsonObject{
            {QStringLiteral("allOf"),
             QJsonArray{ref(QStringLiteral("PromptAnswer")),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                    {QStringLiteral("properties"),
                                     QJsonObject{{QStringLiteral("output"), output}}}}}}};
    }

    QJsonObject responses{
        {QStringLiteral("200"),
         QJsonObject{
             {QStringLiteral("description"), QStringLiteral("The model's answer")},
             {QStringLiteral("content"),
              QJsonObject{
                  {QStringLiteral("application/json"),
                   QJsonObject{{QStringLiteral("schema"), answer}}},
                  {QStringLiteral("text/event-stream"),
                   QJsonObject{
                       {QStringLiteral("schema"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                    {QStringLiteral("description"),
                                     QStringLiteral("Server-sent events, with \"stream\": "
                                                    "true or Accept: text/event-stream")}}}}}}}}},
        {QStringLiteral("400"),
         errorResponse(QStringLiteral("A missing or invalid input (the field is named)"))},
        {QStringLiteral("429"), errorResponse(QStringLiteral("Rate limited or budget spent"))},
        {QStringLiteral("502"),
         errorResponse(QStringLiteral("The model could not be reached or its answer did not "
                                      "match the output schema"))},
    };
    addAuthResponses(responses, api.auth);

    QStringList notes;
    if (!api.description.isEmpty())
        notes << api.description;
    if (!api.model.isEmpty())
        notes << QStringLiteral("Model: %1.").arg(api.model);
    if (const QString note = lifecycleNote(api.state, api.sunset); !note.isEmpty())
        notes << note;

    QJsonObject operation{
        {QStringLiteral("operationId"), QStringLiteral("prompt_") + api.name},
        {QStringLiteral("summary"),
         api.version.isEmpty() ? api.name : QStringLiteral("%1 (%2)").arg(api.name, api.version)},
        {QStringLiteral("tags"), QJsonArray{QStringLiteral("Prompt APIs")}},
        {QStringLiteral("requestBody"),
         QJsonObject{{QStringLiteral("required"), true},
                     {QStringLiteral("content"),
                      QJsonObject{{QStringLiteral("application/json"),
                                   QJsonObject{{QStringLiteral("schema"), body}}}}}}},
        {QStringLiteral("responses"), responses},
        {QStringLiteral("security"), security(api.auth)},
    };
    if (!notes.isEmpty())
        operation.insert(QStringLiteral("description"), notes.join(QLatin1Char(' ')));
    if (api.state == QLatin1String("deprecated"))
        operation.insert(QStringLiteral("deprecated"), true);
    return operation;
}

QJsonObject routeOperation(const ApiCatalog::Route &route, const QString &method,
                           const QString &operationId, bool withSubpath)
{
    QJsonObject responses{
        {QStringLiteral("default"),
         QJsonObject{{QStringLiteral("description"), QStringLiteral("The upstream's answer")}}},
        {QStringLiteral("429"), errorResponse(QStringLiteral("Rate limited"))},
        {QStringLiteral("502"), errorResponse(QStringLiteral("The upstream could not be reached"))},
        {QStringLiteral("504"),
         errorResponse(QStringLiteral("The upstream did not answer in time"))},
    };
    addAuthResponses(responses, route.auth);
    QStringList notes;
    if (!route.description.isEmpty())
        notes << route.description;
    if (!route.hosts.isEmpty())
        notes << QStringLiteral("Only for Host: %1.").arg(route.hosts.join(QStringLiteral(", ")));
    if (const QString note = lifecycleNote(route.state, route.sunset); !note.isEmpty())
        notes << note;
    QJsonObject operation{
        {QStringLiteral("operationId"), operationId},
        {QStringLiteral("summary"), route.version.isEmpty()
                                        ? route.name
                                        : QStringLiteral("%1 (%2)").arg(route.name, route.version)},
        {QStringLiteral("tags"), QJsonArray{QStringLiteral("Routes")}},
        {QStringLiteral("responses"), responses},
        {QStringLiteral("security"), security(route.auth)},
    };
    if (withSubpath) {
        operation.insert(QStringLiteral("parameters"),
                         QJsonArray{QJsonObject{
                             {QStringLiteral("name"), QStringLiteral("subpath")},
                             {QStringLiteral("in"), QStringLiteral("path")},
                             {QStringLiteral("required"), true},
                             {QStringLiteral("description"),
                              QStringLiteral("Anything below the prefix; passed to the upstream")},
                             {QStringLiteral("schema"),
                              QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}}});
    }
    if (method == QLatin1String("post") || method == QLatin1String("put") ||
        method == QLatin1String("patch")) {
        operation.insert(
            QStringLiteral("requestBody"),
            QJsonObject{
                {QStringLiteral("description"), QStringLiteral("Passed to the upstream as is")},
                {QStringLiteral("content"),
                 QJsonObject{{QStringLiteral("*/*"),
                              QJsonObject{{QStringLiteral("schema"), QJsonObject{}}}}}}});
    }
    if (!notes.isEmpty())
        operation.insert(QStringLiteral("description"), notes.join(QLatin1Char(' ')));
    if (route.state == QLatin1String("deprecated"))
        operation.insert(QStringLiteral("deprecated"), true);
    return operation;
}

QJsonObject components()
{
    const QJsonObject string{{QStringLiteral("type"), QStringLiteral("string")}};
    const QJsonObject error{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("required"), QJsonArray{QStringLiteral("error")}},
        {QStringLiteral("properties"),
         QJsonObject{
             {QStringLiteral("error"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                          {QStringLiteral("required"), QJsonArray{QStringLiteral("message")}},
                          {QStringLiteral("properties"),
                           QJsonObject{{QStringLiteral("message"), string},
                                       {QStringLiteral("type"), string},
                                       {QStringLiteral("code"),
                                        QJsonObject{{QStringLiteral("type"),
                                                     QJsonArray{QStringLiteral("string"),
                                                                QStringLiteral("null")}}}}}}}}}}};
    const QJsonObject integer{{QStringLiteral("type"), QStringLiteral("integer")}};
    const QJsonObject answer{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("required"),
         QJsonArray{QStringLiteral("output"), QStringLiteral("model"), QStringLiteral("usage"),
                    QStringLiteral("cost_usd")}},
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("output"),
                      QJsonObject{{QStringLiteral("description"),
                                   QStringLiteral("The answer: text, or the parsed "
                                                  "object in JSON output mode")}}},
                     {QStringLiteral("model"), string},
                     {QStringLiteral("usage"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                  {QStringLiteral("properties"),
                                   QJsonObject{{QStringLiteral("input_tokens"), integer},
                                               {QStringLiteral("output_tokens"), integer}}}}},
                     {QStringLiteral("cost_usd"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("number")}}}}}};
    return {
        {QStringLiteral("schemas"),
         QJsonObject{{QStringLiteral("Error"), error}, {QStringLiteral("PromptAnswer"), answer}}},
        {QStringLiteral("securitySchemes"),
         QJsonObject{
             {QStringLiteral("consumerKey"),
              QJsonObject{
                  {QStringLiteral("type"), QStringLiteral("http")},
                  {QStringLiteral("scheme"), QStringLiteral("bearer")},
                  {QStringLiteral("description"),
                   QStringLiteral("A Gatehouse consumer key (gh-…) as Authorization: Bearer")}}},
             {QStringLiteral("consumerKeyHeader"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("apiKey")},
                          {QStringLiteral("in"), QStringLiteral("header")},
                          {QStringLiteral("name"), QStringLiteral("x-api-key")},
                          {QStringLiteral("description"),
                           QStringLiteral("A Gatehouse consumer key (gh-…)")}}},
             {QStringLiteral("jwt"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("http")},
                          {QStringLiteral("scheme"), QStringLiteral("bearer")},
                          {QStringLiteral("bearerFormat"), QStringLiteral("JWT")}}}}},
    };
}

// Operation ids must be unique and are best kept to [A-Za-z0-9_].
QString identifier(const QString &text)
{
    static const QRegularExpression other(QStringLiteral("[^A-Za-z0-9_]"));
    return QString(text).replace(other, QStringLiteral("_"));
}

} // namespace

QJsonObject OpenApiDocument::build(const ApiCatalog &catalog)
{
    QJsonObject paths;
    QSet<QString> operationIds;
    const auto uniqueId = [&operationIds](QString id) {
        const QString base = id;
        for (int n = 2; operationIds.contains(id); ++n)
            id = QStringLiteral("%1_%2").arg(base).arg(n);
        operationIds.insert(id);
        return id;
    };
    // Two entries on one path and method (routes told apart by Host): the first keeps
    // the operation, the document stays valid.
    const auto add = [&paths](const QString &path, const QString &method,
                              const QJsonObject &operation) {
        QJsonObject item = paths.value(path).toObject();
        if (item.contains(method))
            return;
        item.insert(method, operation);
        paths.insert(path, item);
    };

    for (const ApiCatalog::PromptApi &api : catalog.promptApis()) {
        QJsonObject operation = promptOperation(api);
        operation.insert(QStringLiteral("operationId"),
                         uniqueId(identifier(QStringLiteral("prompt_") + api.name)));
        add(api.path, QStringLiteral("post"), operation);
    }
    for (const ApiCatalog::Route &route : catalog.routes()) {
        QStringList methods;
        for (const QString &method : route.methods)
            methods.append(method.toLower());
        if (methods.isEmpty())
            methods = anyMethod;
        for (const QString &prefix : route.paths) {
            const QString trimmed = prefix.endsWith(QLatin1Char('/')) ? prefix.chopped(1) : prefix;
            for (const QString &method : methods) {
                if (!anyMethod.contains(method) && method != QLatin1String("head") &&
                    method != QLatin1String("options"))
                    continue; // not an OpenAPI operation (e.g. a custom method)
                const QString id =
                    identifier(QStringLiteral("route_%1_%2").arg(route.name, method));
                add(prefix.isEmpty() ? QStringLiteral("/") : prefix, method,
                    routeOperation(route, method, uniqueId(id), false));
                add(trimmed + QStringLiteral("/{subpath}"), method,
                    routeOperation(route, method, uniqueId(id + QStringLiteral("_subpath")), true));
            }
        }
    }

    return {
        {QStringLiteral("openapi"), QStringLiteral("3.1.0")},
        {QStringLiteral("info"),
         QJsonObject{
             {QStringLiteral("title"), QStringLiteral("Gatehouse APIs")},
             {QStringLiteral("version"), QStringLiteral(GATEHOUSE_VERSION)},
             {QStringLiteral("description"),
              QStringLiteral("The prompt APIs and routes this Gatehouse publishes. The catalog "
                             "is at /_gatehouse/portal/.")}}},
        {QStringLiteral("servers"),
         QJsonArray{QJsonObject{{QStringLiteral("url"), QStringLiteral("/")}}}},
        {QStringLiteral("tags"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Prompt APIs")}},
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("Routes")}}}},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"), components()},
    };
}

} // namespace gh
