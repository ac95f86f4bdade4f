#include "PortalPage.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace gh {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString marker()
{
    return QString::fromLatin1(PortalPage::BaseUrlMarker);
}

QString stylesheet()
{
    QFile css(QStringLiteral(":/gatehouse/portal/portal.css"));
    return css.open(QIODevice::ReadOnly) ? QString::fromUtf8(css.readAll()) : QString();
}

QString badge(const QString &state, const QString &sunset)
{
    if (state == QLatin1String("deprecated")) {
        const QString text = sunset.isEmpty()
                                 ? QStringLiteral("deprecated")
                                 : QStringLiteral("deprecated · sunset %1").arg(sunset);
        return QStringLiteral("<span class=\"badge deprecated\">%1</span>").arg(esc(text));
    }
    return QStringLiteral("<span class=\"badge published\">published</span>");
}

QString authText(ApiCatalog::Auth auth)
{
    switch (auth) {
    case ApiCatalog::Auth::None:
        return QStringLiteral("None: open to every caller that can reach the gateway.");
    case ApiCatalog::Auth::Jwt:
        return QStringLiteral("A JWT as <code>Authorization: Bearer &lt;token&gt;</code>.");
    case ApiCatalog::Auth::Key:
        break;
    }
    return QStringLiteral("A Gatehouse consumer key as <code>Authorization: Bearer gh-…</code> or "
                          "<code>x-api-key: gh-…</code>.");
}

// Shell single quotes: a ' ends the quote, so it is written as '\''.
QString shellQuote(const QString &text)
{
    return QLatin1Char('\'') + QString(text).replace(QLatin1String("'"), QLatin1String("'\\''")) +
           QLatin1Char('\'');
}

struct Call
{
    QString method;
    QString path;
    QByteArray json; // empty: no body
    ApiCatalog::Auth auth = ApiCatalog::Auth::None;
};

QString authHeaderValue(ApiCatalog::Auth auth)
{
    return auth == ApiCatalog::Auth::Jwt ? QStringLiteral("Bearer $TOKEN")
                                         : QStringLiteral("Bearer $GATEHOUSE_KEY");
}

QString curlExample(const Call &call)
{
    QStringList lines;
    QString first = QStringLiteral("curl");
    if (call.method != QLatin1String("GET"))
        first += QStringLiteral(" -X ") + call.method;
    lines << first + QLatin1Char(' ') + shellQuote(marker() + call.path);
    if (call.auth != ApiCatalog::Auth::None)
        lines << QStringLiteral("  -H \"Authorization: %1\"").arg(authHeaderValue(call.auth));
    if (!call.json.isEmpty()) {
        lines << QStringLiteral("  -H 'Content-Type: application/json'");
        lines << QStringLiteral("  -d ") + shellQuote(QString::fromUtf8(call.json));
    }
    return lines.join(QStringLiteral(" \\\n"));
}

// A Python literal for a JSON value: true/false/null differ, the rest reads the same.
QString pythonLiteral(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("None");
    case QJsonValue::Array: {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items << pythonLiteral(item);
        return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        QStringList items;
        for (auto it = object.begin(); it != object.end(); ++it)
            items << pythonLiteral(it.key()) + QStringLiteral(": ") + pythonLiteral(it.value());
        return QLatin1Char('{') + items.join(QStringLiteral(", ")) + QLatin1Char('}');
    }
    default:
        // Strings and numbers: JSON's spelling is a valid Python literal.
        return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
            .mid(1)
            .chopped(1);
    }
}

QString pythonExample(const Call &call)
{
    QStringList lines{
        QStringLiteral("import os"), QStringLiteral("import requests"), QString(),
        QStringLiteral("base = os.environ.get(\"GATEHOUSE_URL\", \"%1\")").arg(marker())};
    // Inside a double-quoted f-string: backslashes and quotes escaped, braces doubled.
    QString path = call.path;
    path.replace(QLatin1String("\\"), QLatin1String("\\\\"))
        .replace(QLatin1String("\""), QLatin1String("\\\""))
        .replace(QLatin1String("{"), QLatin1String("{{"))
        .replace(QLatin1String("}"), QLatin1String("}}"));
    QString args = QStringLiteral("f\"{base}%1\"").arg(path);
    if (call.auth != ApiCatalog::Auth::None) {
        const QString variable = call.auth == ApiCatalog::Auth::Jwt
                                     ? QStringLiteral("TOKEN")
                                     : QStringLiteral("GATEHOUSE_KEY");
        args += QStringLiteral(",\n    headers={\"Authorization\": f\"Bearer {os.environ['%1']}\"}")
                    .arg(variable);
    }
    if (!call.json.isEmpty())
        args += QStringLiteral(",\n    json=%1")
                    .arg(pythonLiteral(QJsonDocument::fromJson(call.json).object()));
    lines << QStringLiteral("response = requests.%1(\n    %2,\n    timeout=60,\n)")
                 .arg(call.method.toLower(), args);
    lines << QStringLiteral("response.raise_for_status()");
    lines << QStringLiteral("print(response.json())");
    return lines.join(QLatin1Char('\n'));
}

QString javascriptExample(const Call &call)
{
    QStringList headers;
    if (call.auth != ApiCatalog::Auth::None) {
        const QString variable = call.auth == ApiCatalog::Auth::Jwt
                                     ? QStringLiteral("TOKEN")
                                     : QStringLiteral("GATEHOUSE_KEY");
        headers << QStringLiteral("Authorization: `Bearer ${process.env.%1}`").arg(variable);
    }
    if (!call.json.isEmpty())
        headers << QStringLiteral("'Content-Type': 'application/json'");
    QStringList options{QStringLiteral("method: '%1'").arg(call.method)};
    if (!headers.isEmpty())
        options << QStringLiteral("headers: { %1 }").arg(headers.join(QStringLiteral(", ")));
    if (!call.json.isEmpty())
        options << QStringLiteral("body: JSON.stringify(%1)").arg(QString::fromUtf8(call.json));
    // Inside a template literal a backtick or "${" would end or open an expression.
    QString path = call.path;
    path.replace(QLatin1String("\\"), QLatin1String("\\\\"))
        .replace(QLatin1String("`"), QLatin1String("\\`"))
        .replace(QLatin1String("${"), QLatin1String("\\${"));
    return QStringLiteral("const base = process.env.GATEHOUSE_URL ?? '%1';\n"
                          "const response = await fetch(`${base}%2`, {\n  %3,\n});\n"
                          "console.log(await response.json());")
        .arg(marker(), path, options.join(QStringLiteral(",\n  ")));
}

QString examples(const Call &call)
{
    return QStringLiteral(
               "<details class=\"examples\"><summary>Example calls</summary>"
               "<h4>curl</h4><pre><code>%1</code></pre>"
               "<h4>Python</h4><pre><code>%2</code></pre>"
               "<h4>JavaScript (Node 18+, as an ES module)</h4><pre><code>%3</code></pre>"
               "</details>")
        .arg(esc(curlExample(call)), esc(pythonExample(call)), esc(javascriptExample(call)));
}

QString inputRow(const ApiCatalog::Input &input)
{
    QString type = input.type;
    QStringList constraints;
    if (input.type == QLatin1String("enum"))
        constraints << QStringLiteral("one of ") + input.values.join(QStringLiteral(", "));
    if (input.type == QLatin1String("array")) {
        type = QStringLiteral("array of %1")
                   .arg(input.itemType.isEmpty() ? QStringLiteral("string") : input.itemType);
        if (!input.itemValues.isEmpty())
            constraints << QStringLiteral("items one of ") +
                               input.itemValues.join(QStringLiteral(", "));
    }
    if (input.maxLength >= 0)
        constraints << QStringLiteral("at most %1 characters").arg(input.maxLength);
    if (!input.defaultValue.isUndefined() && !input.defaultValue.isNull())
        constraints << QStringLiteral("default ") +
                           QString::fromUtf8(QJsonDocument(QJsonArray{input.defaultValue})
                                                 .toJson(QJsonDocument::Compact))
                               .mid(1)
                               .chopped(1);
    if (!input.description.isEmpty())
        constraints.prepend(input.description);
    return QStringLiteral("<tr><td><code>%1</code></td><td>%2</td><td>%3</td><td>%4</td></tr>")
        .arg(esc(input.name), esc(type),
             input.required ? QStringLiteral("yes") : QStringLiteral("no"),
             esc(constraints.join(QStringLiteral(" · "))));
}

QString promptCard(const ApiCatalog::PromptApi &api)
{
    QString html =
        QStringLiteral("<section class=\"card\" id=\"prompt-%1\"><header><h3>%2</h3>%3%4</header>")
            .arg(esc(api.name), esc(api.name),
                 api.version.isEmpty() ? QString()
                                       : QStringLiteral("<span class=\"badge version\">%1</span>")
                                             .arg(esc(api.version)),
                 badge(api.state, api.sunset));
    if (!api.description.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(esc(api.description));
    html += QStringLiteral(
                "<p class=\"endpoint\"><span class=\"method\">POST</span> <code>%1</code></p>")
                .arg(esc(api.path));
    html += QStringLiteral("<p><strong>Auth:</strong> %1</p>").arg(authText(api.auth));
    if (api.inputs.isEmpty()) {
        html += QStringLiteral("<p><strong>Inputs:</strong> none.</p>");
    } else {
        html += QStringLiteral("<table><thead><tr><th>Input</th><th>Type</th><th>Required</"
                               "th><th>Notes</th></tr></thead><tbody>");
        for (const ApiCatalog::Input &input : api.inputs)
            html += inputRow(input);
        html += QStringLiteral("</tbody></table>");
    }
    html +=
        QStringLiteral("<p><strong>Answer:</strong> %1 Add <code>\"stream\": true</code> for "
                       "server-sent events.</p>")
            .arg(
                api.jsonOutput
                    ? QStringLiteral(
                          "<code>{\"output\": {…}, \"model\", \"usage\", \"cost_usd\"}</code>, "
                          "<code>output</code> being a JSON object checked against the "
                          "declared schema.")
                    : QStringLiteral(
                          "<code>{\"output\": \"…\", \"model\", \"usage\", \"cost_usd\"}</code>."));
    const Call call{QStringLiteral("POST"), api.path,
                    QJsonDocument(ApiCatalog::exampleBody(api)).toJson(QJsonDocument::Compact),
                    api.auth};
    html += examples(call);
    return html + QStringLiteral("</section>");
}

QString routeCard(const ApiCatalog::Route &route)
{
    QString html =
        QStringLiteral("<section class=\"card\" id=\"route-%1\"><header><h3>%2</h3>%3%4</header>")
            .arg(esc(route.name), esc(route.name),
                 route.version.isEmpty() ? QString()
                                         : QStringLiteral("<span class=\"badge version\">%1</span>")
                                               .arg(esc(route.version)),
                 badge(route.state, route.sunset));
    if (!route.description.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(esc(route.description));
    const QString methods = route.methods.isEmpty() ? QStringLiteral("any method")
                                                    : route.methods.join(QStringLiteral(", "));
    QStringList paths;
    for (const QString &path : route.paths)
        paths << QStringLiteral("<code>%1</code>").arg(esc(path));
    html += QStringLiteral("<p class=\"endpoint\"><span class=\"method\">%1</span> %2 <span "
                           "class=\"hint\">and every "
                           "path below</span></p>")
                .arg(esc(methods), paths.join(QStringLiteral(", ")));
    if (!route.hosts.isEmpty())
        html += QStringLiteral("<p><strong>Host:</strong> %1</p>")
                    .arg(esc(route.hosts.join(QStringLiteral(", "))));
    html += QStringLiteral("<p><strong>Auth:</strong> %1</p>").arg(authText(route.auth));
    const QString method =
        route.methods.isEmpty() ? QStringLiteral("GET") : route.methods.first().toUpper();
    const bool withBody = method == QLatin1String("POST") || method == QLatin1String("PUT") ||
                          method == QLatin1String("PATCH");
    html += examples(Call{method, route.paths.value(0, QStringLiteral("/")),
                          withBody ? QByteArray("{}") : QByteArray(), route.auth});
    return html + QStringLiteral("</section>");
}

} // namespace

QByteArray PortalPage::render(const ApiCatalog &catalog)
{
    QString html =
        QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                       "<title>Gatehouse API catalog</title><style>%1</style></head><body><main>"
                       "<h1>API catalog</h1><p class=\"lead\">What this Gatehouse publishes at "
                       "<code>%2</code>. "
                       "Machine-readable: <a href=\"../openapi.json\">OpenAPI 3.1</a>.</p>")
            .arg(stylesheet(), esc(marker()));
    if (catalog.isEmpty())
        html += QStringLiteral("<p class=\"empty\">Nothing is published yet.</p>");
    if (!catalog.promptApis().isEmpty()) {
        html += QStringLiteral("<h2>Prompt APIs <span class=\"count\">%1</span></h2>")
                    .arg(catalog.promptApis().size());
        for (const ApiCatalog::PromptApi &api : catalog.promptApis())
            html += promptCard(api);
    }
    if (!catalog.routes().isEmpty()) {
        html += QStringLiteral("<h2>Routes <span class=\"count\">%1</span></h2>")
                    .arg(catalog.routes().size());
        for (const ApiCatalog::Route &route : catalog.routes())
            html += routeCard(route);
    }
    html += QStringLiteral("<footer>Gatehouse %1</footer></main></body></html>\n")
                .arg(QStringLiteral(GATEHOUSE_VERSION));
    return html.toUtf8();
}

QByteArray PortalPage::withBaseUrl(const QByteArray &page, const QByteArray &baseUrl)
{
    return QByteArray(page).replace(BaseUrlMarker,
                                    QString::fromLatin1(baseUrl).toHtmlEscaped().toLatin1());
}

QByteArray PortalPage::baseUrlFor(const QByteArray &host, bool secure,
                                  const QByteArray &fallbackHost)
{
    // A host name, an IPv4 address or a bracketed IPv6 address, with an optional port.
    static const QRegularExpression plain(
        QStringLiteral("^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}"
                       "\\])(?::[0-9]{1,5})?$"));
    const QByteArray chosen =
        plain.match(QString::fromLatin1(host)).hasMatch() ? host : fallbackHost;
    return (secure ? "https://" : "http://") + chosen;
}

} // namespace gh
