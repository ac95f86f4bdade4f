// The catalog's pure parts: what ApiCatalog publishes, the OpenAPI document's shape, and
// the portal page's escaping and example code (tests/clients/catalog.test.mjs validates
// the document with an OpenAPI validator and runs the examples).
#include "portal/ApiCatalog.h"
#include "portal/OpenApiDocument.h"
#include "portal/PortalDocuments.h"
#include "portal/PortalPage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <thread>
#include <vector>

using namespace gh;

namespace {

QJsonObject parse(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}

const char *config = R"({
  "routes": [
    {"name": "b-route", "match": {"paths": ["/b"], "methods": ["GET", "POST"]}, "service": "s",
     "auth": "key", "version": "v1", "description": "Billing"},
    {"name": "a-route", "match": {"paths": ["/a", "/a2/"]}, "service": "s", "auth": "none"},
    {"name": "jwt", "match": {"paths": ["/j"], "hosts": ["api.example.com"]}, "service": "s", "auth": "jwt"},
    {"name": "old", "match": {"paths": ["/old"]}, "service": "s", "state": "deprecated", "sunset": "2027-06-30"},
    {"name": "draft", "match": {"paths": ["/draft"]}, "service": "s", "state": "draft"},
    {"name": "retired", "match": {"paths": ["/retired"]}, "service": "s", "state": "retired"},
    {"name": "custom", "match": {"paths": ["/c"], "methods": ["PURGE"]}, "service": "s"},
    {"name": "twin", "match": {"paths": ["/b"], "methods": ["GET"], "hosts": ["other"]}, "service": "s"}
  ],
  "prompt_apis": [
    {"name": "summarize", "path": "/prompts/summarize", "model": "fast", "template": "{{text}} {{n}}",
     "description": "Summaries", "inputs": {
       "text": {"type": "string", "required": true, "max_length": 100, "description": "Text"},
       "n": {"type": "number", "default": 3},
       "tone": {"type": "enum", "values": ["dry", "warm"]},
       "tags": {"type": "array", "items": {"type": "string", "max_length": 20}},
       "flag": {"type": "boolean"}}},
    {"name": "json-out", "path": "/prompts/json", "model": "fast", "template": "x", "auth": "none",
     "output": {"format": "json", "json_schema": {"type": "object", "properties": {"label": {"type": "string"}}}}},
    {"name": "hidden", "path": "/prompts/hidden", "model": "fast", "template": "x", "state": "draft"}
  ]
})";

} // namespace

class TestPortal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void catalogPublishesOnlyListedEntities();
    void catalogReadsInputs();
    void exampleBodies();
    void openApiPathsAndMethods();
    void openApiSecurityAndLifecycle();
    void openApiPromptSchemas();
    void openApiIdsUniqueForOddNames();
    void portalEscapesEverything();
    void portalExamplesQuote();
    void portalEmpty();
    void baseUrlOnlyFromPlainHosts_data();
    void baseUrlOnlyFromPlainHosts();
    void documentsBuiltOnceAcrossThreads();
};

void TestPortal::catalogPublishesOnlyListedEntities()
{
    const ApiCatalog catalog = ApiCatalog::fromConfig(parse(config));
    QStringList routes;
    for (const auto &r : catalog.routes())
        routes << r.name;
    // Sorted by name; drafts and retired ones left out.
    QCOMPARE(routes, (QStringList{"a-route", "b-route", "custom", "jwt", "old", "twin"}));
    QStringList prompts;
    for (const auto &p : catalog.promptApis())
        prompts << p.name;
    QCOMPARE(prompts, (QStringList{"json-out", "summarize"}));
    QCOMPARE(catalog.routes().at(1).auth, ApiCatalog::Auth::Key);
    QCOMPARE(catalog.routes().at(0).auth, ApiCatalog::Auth::None);
    QCOMPARE(catalog.routes().at(3).auth, ApiCatalog::Auth::Jwt);
    QCOMPARE(catalog.routes().at(4).state, QStringLiteral("deprecated"));
    QCOMPARE(catalog.routes().at(4).sunset, QStringLiteral("2027-06-30"));
    QVERIFY(ApiCatalog::fromConfig({}).isEmpty());
}

void TestPortal::catalogReadsInputs()
{
    const ApiCatalog catalog = ApiCatalog::fromConfig(parse(config));
    const ApiCatalog::PromptApi &api = catalog.promptApis().at(1);
    QCOMPARE(api.inputs.size(), 5);
    QHash<QString, ApiCatalog::Input> byName;
    for (const auto &input : api.inputs)
        byName.insert(input.name, input);
    QVERIFY(byName["text"].required);
    QCOMPARE(byName["text"].maxLength, 100);
    QCOMPARE(byName["n"].defaultValue.toInt(), 3);
    QCOMPARE(byName["tone"].values, (QStringList{"dry", "warm"}));
    QCOMPARE(byName["tags"].itemType, QStringLiteral("string"));
    QCOMPARE(byName["tags"].maxLength, 20);
    QCOMPARE(byName["flag"].maxLength, -1);
    QVERIFY(!api.jsonOutput);
    QVERIFY(catalog.promptApis().at(0).jsonOutput);
    QCOMPARE(catalog.promptApis().at(0).outputSchema.value("type").toString(),
             QStringLiteral("object"));
}

void TestPortal::exampleBodies()
{
    const ApiCatalog catalog = ApiCatalog::fromConfig(parse(config));
    // Only the required input.
    QCOMPARE(ApiCatalog::exampleBody(catalog.promptApis().at(1)), parse(R"({"text": "example"})"));
    ApiCatalog::PromptApi optional;
    ApiCatalog::Input n;
    n.name = QStringLiteral("n");
    n.type = QStringLiteral("number");
    n.defaultValue = 7;
    ApiCatalog::Input tone;
    tone.name = QStringLiteral("tone");
    tone.type = QStringLiteral("enum");
    tone.values = {QStringLiteral("dry")};
    ApiCatalog::Input list;
    list.name = QStringLiteral("list");
    list.type = QStringLiteral("array");
    list.itemType = QStringLiteral("number");
    optional.inputs = {n, tone, list};
    // None required: every input, defaults where declared.
    QCOMPARE(ApiCatalog::exampleBody(optional),
             parse(R"({"n": 7, "tone": "dry", "list": [1, 2]})"));
}

void TestPortal::openApiPathsAndMethods()
{
    const QJsonObject doc = OpenApiDocument::build(ApiCatalog::fromConfig(parse(config)));
    QCOMPARE(doc.value("openapi").toString(), QStringLiteral("3.1.0"));
    QCOMPARE(doc.value("servers").toArray().first().toObject().value("url").toString(),
             QStringLiteral("/"));
    const QJsonObject paths = doc.value("paths").toObject();
    QStringList keys = paths.keys();
    keys.sort();
    QCOMPARE(keys, (QStringList{"/a", "/a/{subpath}", "/a2/", "/a2/{subpath}", "/b", "/b/{subpath}",
                                "/j", "/j/{subpath}", "/old", "/old/{subpath}", "/prompts/json",
                                "/prompts/summarize"}));
    QCOMPARE(paths.value("/b").toObject().keys(), (QStringList{"get", "post"}));
    // The twin route on another host does not replace b-route's GET.
    QCOMPARE(paths.value("/b").toObject().value("get").toObject().value("summary").toString(),
             QStringLiteral("b-route (v1)"));
    QCOMPARE(paths.value("/a").toObject().keys(),
             (QStringList{"delete", "get", "patch", "post", "put"}));
    // A custom method has no OpenAPI operation: the route has no path item at all.
    QVERIFY(!paths.contains("/c"));
    const QJsonObject sub = paths.value("/a/{subpath}").toObject().value("get").toObject();
    const QJsonObject parameter = sub.value("parameters").toArray().first().toObject();
    QCOMPARE(parameter.value("in").toString(), QStringLiteral("path"));
    QCOMPARE(parameter.value("name").toString(), QStringLiteral("subpath"));
    QVERIFY(parameter.value("required").toBool());
    QVERIFY(paths.value("/b").toObject().value("post").toObject().contains("requestBody"));
    QVERIFY(!paths.value("/b").toObject().value("get").toObject().contains("requestBody"));
    QVERIFY(paths.value("/j")
                .toObject()
                .value("get")
                .toObject()
                .value("description")
                .toString()
                .contains(QStringLiteral("api.example.com")));
}

void TestPortal::openApiSecurityAndLifecycle()
{
    const QJsonObject paths =
        OpenApiDocument::build(ApiCatalog::fromConfig(parse(config))).value("paths").toObject();
    const auto op = [&](const char *path, const char *method) {
        return paths.value(QLatin1String(path)).toObject().value(QLatin1String(method)).toObject();
    };
    QCOMPARE(op("/a", "get").value("security").toArray(), QJsonArray());
    QVERIFY(!op("/a", "get").value("responses").toObject().contains("401"));
    QCOMPARE(op("/b", "get").value("security").toArray().size(), 2);
    QVERIFY(op("/b", "get").value("responses").toObject().contains("401"));
    QVERIFY(op("/b", "get").value("responses").toObject().contains("403"));
    QCOMPARE(op("/j", "get").value("security").toArray().first().toObject().keys(),
             QStringList{"jwt"});
    QVERIFY(op("/old", "get").value("deprecated").toBool());
    QVERIFY(op("/old", "get").value("description").toString().contains("2027-06-30"));
    QVERIFY(!op("/b", "get").contains("deprecated"));
}

void TestPortal::openApiPromptSchemas()
{
    const QJsonObject paths =
        OpenApiDocument::build(ApiCatalog::fromConfig(parse(config))).value("paths").toObject();
    const QJsonObject post = paths.value("/prompts/summarize").toObject().value("post").toObject();
    const QJsonObject schema = post.value("requestBody")
                                   .toObject()
                                   .value("content")
                                   .toObject()
                                   .value("application/json")
                                   .toObject()
                                   .value("schema")
                                   .toObject();
    QCOMPARE(schema.value("required").toArray(), QJsonArray{"text"});
    const QJsonObject properties = schema.value("properties").toObject();
    QCOMPARE(properties.value("text").toObject(),
             parse(R"({"type": "string", "maxLength": 100, "description": "Text"})"));
    QCOMPARE(properties.value("n").toObject(), parse(R"({"type": "number", "default": 3})"));
    QCOMPARE(properties.value("tone").toObject(),
             parse(R"({"type": "string", "enum": ["dry", "warm"]})"));
    QCOMPARE(properties.value("tags").toObject(),
             parse(R"({"type": "array", "items": {"type": "string", "maxLength": 20}})"));
    QCOMPARE(properties.value("flag").toObject(), parse(R"({"type": "boolean"})"));
    QCOMPARE(properties.value("stream").toObject().value("type").toString(),
             QStringLiteral("boolean"));
    const QJsonObject responses = post.value("responses").toObject();
    for (const char *status : {"200", "400", "401", "403", "429", "502"})
        QVERIFY2(responses.contains(QLatin1String(status)), status);
    const QJsonObject content = responses.value("200").toObject().value("content").toObject();
    QVERIFY(content.contains("application/json"));
    QVERIFY(content.contains("text/event-stream"));

    // JSON output mode: the declared schema describes `output`; no auth → no 401.
    const QJsonObject json = paths.value("/prompts/json").toObject().value("post").toObject();
    const QJsonObject answer = json.value("responses")
                                   .toObject()
                                   .value("200")
                                   .toObject()
                                   .value("content")
                                   .toObject()
                                   .value("application/json")
                                   .toObject()
                                   .value("schema")
                                   .toObject();
    const QJsonArray allOf = answer.value("allOf").toArray();
    QCOMPARE(allOf.size(), 2);
    QCOMPARE(allOf.at(1).toObject().value("properties").toObject().value("output").toObject(),
             parse(R"({"type": "object", "properties": {"label": {"type": "string"}}})"));
    QVERIFY(!json.value("responses").toObject().contains("401"));
}

void TestPortal::openApiIdsUniqueForOddNames()
{
    // Names differing only in characters an operation id cannot hold still get distinct ids.
    const QJsonObject doc = OpenApiDocument::build(ApiCatalog::fromConfig(parse(R"({"routes": [
        {"name": "a.b", "match": {"paths": ["/x"], "methods": ["GET"]}, "service": "s"},
        {"name": "a-b", "match": {"paths": ["/y"], "methods": ["GET"]}, "service": "s"}]})")));
    QSet<QString> ids;
    int operations = 0;
    const QJsonObject paths = doc.value("paths").toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QJsonObject item = it.value().toObject();
        for (auto op = item.begin(); op != item.end(); ++op) {
            ++operations;
            const QString id = op.value().toObject().value("operationId").toString();
            QVERIFY2(QRegularExpression(QStringLiteral("^[A-Za-z0-9_]+$")).match(id).hasMatch(),
                     qPrintable(id));
            ids.insert(id);
        }
    }
    QCOMPARE(operations, 4);
    QCOMPARE(ids.size(), 4);
}

void TestPortal::portalEscapesEverything()
{
    const QJsonObject hostile = parse(R"({"routes": [
        {"name": "r<script>", "match": {"paths": ["/x<img src=x onerror=alert(1)>"]}, "service": "s",
         "description": "<script>alert('d')</script> & \"q\"", "version": "<v>"}],
      "prompt_apis": [{"name": "p", "path": "/p", "model": "m", "template": "x",
         "inputs": {"in<b>": {"type": "string", "description": "</td><script>x</script>", "default": "<i>"}}}]})");
    const QByteArray page = PortalPage::render(ApiCatalog::fromConfig(hostile));
    QVERIFY(!page.contains("<script"));
    QVERIFY(!page.contains("<img"));
    QVERIFY(!page.contains("<b>"));
    QVERIFY(!page.contains("<i>"));
    QVERIFY(!page.contains("<v>"));
    QVERIFY(
        page.contains("&lt;script&gt;alert(&#x27;d&#x27;)&lt;/script&gt; &amp; &quot;q&quot;") ||
        page.contains("&lt;script&gt;alert('d')&lt;/script&gt; &amp; &quot;q&quot;"));
    QVERIFY(page.contains("<!DOCTYPE html>"));
    // Nothing loaded from anywhere: no src, no external links.
    const QString html = QString::fromUtf8(page);
    QVERIFY(!html.contains(QRegularExpression(QStringLiteral("<[^>]*\\ssrc="))));
    QVERIFY(!html.contains(QStringLiteral("href=\"http")));
    // The stylesheet is inlined from the resource.
    QVERIFY(page.contains("<style>/* The API catalog"));
}

void TestPortal::portalExamplesQuote()
{
    const QJsonObject tricky = parse(R"({"routes": [
        {"name": "q", "match": {"paths": ["/it's/{x}/`y`/${z}/\"w\""], "methods": ["POST"]}, "service": "s", "auth": "none"}]})");
    const QByteArray page =
        PortalPage::withBaseUrl(PortalPage::render(ApiCatalog::fromConfig(tricky)), "http://h:1");
    const QString html = QString::fromUtf8(page);
    // Shell: the single quote closes, is escaped and reopens.
    QVERIFY2(
        html.contains(QStringLiteral("curl -X POST &#x27;http://h:1/it&#x27;\\&#x27;&#x27;s/")) ||
            html.contains(QStringLiteral("curl -X POST 'http://h:1/it'\\''s/")),
        qPrintable(html));
    // Python f-string: braces doubled, double quotes escaped.
    QVERIFY(html.contains(QStringLiteral("{{x}}")));
    QVERIFY(html.contains(QStringLiteral("\\&quot;w\\&quot;")));
    // JavaScript template literal: backtick and ${ escaped.
    QVERIFY(html.contains(QStringLiteral("\\`y\\`")));
    QVERIFY(html.contains(QStringLiteral("\\${z}")));
    QVERIFY(!page.contains(PortalPage::BaseUrlMarker));
}

void TestPortal::portalEmpty()
{
    const QByteArray page = PortalPage::render(ApiCatalog::fromConfig({}));
    QVERIFY(page.contains("Nothing is published yet."));
    QVERIFY(!page.contains("<h2>"));
}

void TestPortal::baseUrlOnlyFromPlainHosts_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("secure");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray fallback = "http://127.0.0.1:4141";
    QTest::newRow("host:port") << QByteArray("localhost:4141") << false
                               << QByteArray("http://localhost:4141");
    QTest::newRow("ipv4") << QByteArray("127.0.0.1:8080") << false
                          << QByteArray("http://127.0.0.1:8080");
    QTest::newRow("ipv6") << QByteArray("[::1]:4141") << true << QByteArray("https://[::1]:4141");
    QTest::newRow("name") << QByteArray("api.example.com") << true
                          << QByteArray("https://api.example.com");
    QTest::newRow("empty") << QByteArray() << false << fallback;
    QTest::newRow("markup") << QByteArray("h\"><script>") << false << fallback;
    QTest::newRow("path") << QByteArray("evil.com/x") << false << fallback;
    QTest::newRow("userinfo") << QByteArray("a@b") << false << fallback;
    QTest::newRow("space") << QByteArray("a b") << false << fallback;
    QTest::newRow("quote") << QByteArray("a'b") << false << fallback;
    QTest::newRow("long port") << QByteArray("a:123456") << false << fallback;
}

void TestPortal::baseUrlOnlyFromPlainHosts()
{
    QFETCH(QByteArray, host);
    QFETCH(bool, secure);
    QFETCH(QByteArray, expected);
    const QByteArray base = PortalPage::baseUrlFor(host, secure, "127.0.0.1:4141");
    QCOMPARE(base, expected);
}

void TestPortal::documentsBuiltOnceAcrossThreads()
{
    const PortalDocuments documents(parse(config));
    std::vector<std::thread> threads;
    std::vector<const QByteArray *> seen(8);
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] { seen[size_t(i)] = &documents.openApiJson(); });
    for (std::thread &t : threads)
        t.join();
    for (const QByteArray *p : seen)
        QCOMPARE(p, seen.front());
    QVERIFY(QJsonDocument::fromJson(*seen.front()).isObject());
    QVERIFY(documents.portalPage().startsWith("<!DOCTYPE html>"));
}

QTEST_GUILESS_MAIN(TestPortal)
#include "tst_portal.moc"
