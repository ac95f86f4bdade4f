// ConfigBundle: what an export picks (selection + dependencies, never consumers or
// settings) and what an import would add, change and remove in merge and replace mode,
// including the refusals. End to end through the admin API: tst_bundles.
// (URLs in the JSON fixtures are written http:\/\/…: moc takes "//" in a raw string for a
// comment.)
#include "config/ConfigBundle.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gh;

namespace {

QJsonObject parse(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s at %d", qPrintable(error.errorString()), error.offset);
    return doc.object();
}

// A normalized store export (as ConfigExporter gives it): defaults already filled.
QJsonObject store()
{
    QJsonObject root = parse(R"({
      "providers": [
        {"name": "oa", "type": "openai", "api_key": "${keychain:provider/oa}"},
        {"name": "an", "type": "anthropic", "api_key": "${env:ANTHROPIC_KEY}"},
        {"name": "unused", "type": "ollama"}],
      "models": [
        {"name": "fast", "targets": [{"provider": "oa", "model": "gpt-4o-mini", "weight": 1}], "fallbacks": ["smart"], "retries": 1},
        {"name": "smart", "targets": [{"provider": "an", "model": "claude", "weight": 1}], "fallbacks": [], "retries": 1}],
      "prices": [
        {"provider": "oa", "model": "gpt-4o-mini", "input": 0.15, "output": 0.6},
        {"provider": "oa", "model": "other", "input": 1, "output": 2}],
      "consumers": [{"name": "me", "keys": ["sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"], "allow_models": ["*"]}],
      "services": [{"name": "billing", "targets": [{"url": "http:\/\/127.0.0.1:9000", "weight": 1}]},
                   {"name": "spare", "targets": [{"url": "http:\/\/127.0.0.1:9001", "weight": 1}]}],
      "routes": [{"name": "bills", "match": {"paths": ["/billing"]}, "service": "billing"},
                 {"name": "spare-route", "match": {"paths": ["/spare"]}, "service": "spare"}],
      "prompt_apis": [{"name": "sentiment", "path": "/prompts/sentiment", "model": "fast", "template": "x"}],
      "settings": {"ai_auth": "key"}
    })");
    // As the store holds it: validated, defaults filled.
    const ConfigProblems problems = ConfigValidator::validate(root);
    if (!problems.isEmpty())
        qFatal("bad store fixture: %s", qPrintable(problems.first().toString()));
    return root;
}

QStringList names(const QJsonObject &document, const char *section)
{
    QStringList out;
    for (const QJsonValue &v : document.value(QLatin1String(section)).toArray()) {
        const QJsonObject o = v.toObject();
        out << (o.contains("name") ? o.value("name").toString()
                                   : o.value("provider").toString() + "/" + o.value("model").toString());
    }
    return out;
}

ConfigContext contextOf(const QJsonObject &exported)
{
    ConfigContext context;
    for (EntityKind kind : allEntityKinds()) {
        for (const QJsonValue &v : exported.value(sectionName(kind)).toArray())
            context.existingNames[kind].insert(ConfigValidator::entityKey(kind, v.toObject()));
    }
    return context;
}

QStringList describe(const QList<ConfigBundle::Change> &changes)
{
    QStringList out;
    for (const ConfigBundle::Change &c : changes)
        out << sectionName(c.kind) + ":" + c.key + (c.fields.isEmpty() ? QString() : "[" + c.fields.join(",") + "]");
    return out;
}

} // namespace

class TestConfigBundle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportFollowsDependencies();
    void exportWithoutDependencies();
    void exportRefusals();
    void mergeAddsAndChanges();
    void mergeNeverRemoves();
    void replaceRemovesAndGuardsReferences();
    void planRefusals();
    void warningsForKeys();
};

void TestConfigBundle::exportFollowsDependencies()
{
    ConfigBundle::Selection selection;
    selection.names[EntityKind::PromptApi] = {"sentiment"};
    selection.names[EntityKind::Route] = {"bills"};
    const ConfigBundle::Export e = ConfigBundle::exportSelection(store(), selection, "2026-11-27T00:00:00Z");
    QVERIFY(e.problems.isEmpty());
    // prompt API → model fast → provider oa, fallback smart → provider an; fast's price.
    QCOMPARE(names(e.document, "prompt_apis"), QStringList{"sentiment"});
    QCOMPARE(names(e.document, "models"), (QStringList{"fast", "smart"}));
    QCOMPARE(names(e.document, "providers"), (QStringList{"an", "oa"}));
    QCOMPARE(names(e.document, "prices"), QStringList{"oa/gpt-4o-mini"});
    QCOMPARE(names(e.document, "routes"), QStringList{"bills"});
    QCOMPARE(names(e.document, "services"), QStringList{"billing"});
    QVERIFY(!e.document.contains("consumers"));
    QVERIFY(!e.document.contains("settings"));
    const QJsonObject header = e.document.value(ConfigBundle::HeaderKey).toObject();
    QCOMPARE(header.value("format").toInt(), 1);
    QCOMPARE(header.value("exported_at").toString(), QStringLiteral("2026-11-27T00:00:00Z"));
    // Secrets stay references.
    const QByteArray text = QJsonDocument(e.document).toJson();
    QVERIFY(text.contains("${keychain:provider/oa}"));
}

void TestConfigBundle::exportWithoutDependencies()
{
    ConfigBundle::Selection selection;
    selection.withDependencies = false;
    selection.names[EntityKind::Model] = {"fast"};
    selection.names[EntityKind::Price] = {"oa/other"};
    const ConfigBundle::Export e = ConfigBundle::exportSelection(store(), selection);
    QVERIFY(e.problems.isEmpty());
    QCOMPARE(names(e.document, "models"), QStringList{"fast"});
    QCOMPARE(names(e.document, "prices"), QStringList{"oa/other"});
    QVERIFY(!e.document.contains("providers"));
}

void TestConfigBundle::exportRefusals()
{
    ConfigBundle::Selection unknown;
    unknown.names[EntityKind::Route] = {"bills", "nope"};
    ConfigBundle::Export e = ConfigBundle::exportSelection(store(), unknown);
    QCOMPARE(e.problems.size(), 1);
    QCOMPARE(e.problems.first().toString(), QStringLiteral("routes: no route \"nope\""));
    QVERIFY(e.document.isEmpty());

    ConfigBundle::Selection consumers;
    consumers.names[EntityKind::Consumer] = {"me"};
    e = ConfigBundle::exportSelection(store(), consumers);
    QCOMPARE(e.problems.size(), 1);
    QVERIFY(e.problems.first().message.startsWith(QLatin1String("a bundle cannot carry consumers")));
}

void TestConfigBundle::mergeAddsAndChanges()
{
    const QJsonObject bundle = parse(R"({
      "gatehouse_bundle": {"format": 1},
      "services": [{"name": "billing", "targets": [{"url": "http:\/\/127.0.0.1:9999"}]},
                   {"name": "new-svc", "targets": [{"url": "http:\/\/127.0.0.1:9002"}]}],
      "routes": [{"name": "bills", "match": {"paths": ["/billing"]}, "service": "billing"},
                 {"name": "new-route", "match": {"paths": ["/new"]}, "service": "new-svc"}]
    })");
    const ConfigBundle::Plan plan =
        ConfigBundle::plan(store(), bundle, ConfigBundle::Mode::Merge, contextOf(store()));
    QVERIFY2(plan.ok(), qPrintable(plan.problems.value(0).toString()));
    QCOMPARE(describe(plan.ofType(ConfigBundle::ChangeType::Add)),
             (QStringList{"services:new-svc", "routes:new-route"}));
    QCOMPARE(describe(plan.ofType(ConfigBundle::ChangeType::Change)), QStringList{"services:billing[targets]"});
    QCOMPARE(describe(plan.ofType(ConfigBundle::ChangeType::Unchanged)), QStringList{"routes:bills"});
    QVERIFY(plan.ofType(ConfigBundle::ChangeType::Remove).isEmpty());
    // The document keeps everything stored and carries the bundle's versions.
    QCOMPARE(names(plan.document, "services"), (QStringList{"spare", "billing", "new-svc"}));
    QCOMPARE(names(plan.document, "routes"), (QStringList{"spare-route", "bills", "new-route"}));
    QVERIFY(!plan.document.contains("providers")); // untouched sections stay out
    QVERIFY(!plan.document.contains(ConfigBundle::HeaderKey));
}

void TestConfigBundle::mergeNeverRemoves()
{
    const QJsonObject bundle = parse(R"({"routes": [{"name": "only", "match": {"paths": ["/o"]}, "service": "billing"}]})");
    const ConfigBundle::Plan plan =
        ConfigBundle::plan(store(), bundle, ConfigBundle::Mode::Merge, contextOf(store()));
    QVERIFY(plan.ok());
    QVERIFY(plan.ofType(ConfigBundle::ChangeType::Remove).isEmpty());
    QCOMPARE(names(plan.document, "routes"), (QStringList{"bills", "spare-route", "only"}));
}

void TestConfigBundle::replaceRemovesAndGuardsReferences()
{
    // Replacing routes alone: the other routes go.
    QJsonObject bundle = parse(R"({"routes": [{"name": "only", "match": {"paths": ["/o"]}, "service": "billing"}]})");
    ConfigBundle::Plan plan = ConfigBundle::plan(store(), bundle, ConfigBundle::Mode::Replace, contextOf(store()));
    QVERIFY(plan.ok());
    QCOMPARE(describe(plan.ofType(ConfigBundle::ChangeType::Remove)), (QStringList{"routes:bills", "routes:spare-route"}));
    QCOMPARE(names(plan.document, "routes"), QStringList{"only"});

    // Replacing services without "spare" while route spare-route (not in the bundle) uses it.
    bundle = parse(R"({"services": [{"name": "billing", "targets": [{"url": "http:\/\/127.0.0.1:9000"}]}]})");
    plan = ConfigBundle::plan(store(), bundle, ConfigBundle::Mode::Replace, contextOf(store()));
    QVERIFY(!plan.ok());
    QCOMPARE(plan.problems.size(), 1);
    QCOMPARE(plan.problems.first().toString(),
             QStringLiteral("routes[spare-route]: still uses service \"spare\", which this bundle would remove"));

    // Providers replaced without "oa": models and prices outside the bundle still use it.
    bundle = parse(R"({"providers": [{"name": "an", "type": "anthropic", "api_key": "${env:ANTHROPIC_KEY}"}]})");
    plan = ConfigBundle::plan(store(), bundle, ConfigBundle::Mode::Replace, contextOf(store()));
    QVERIFY(!plan.ok());
    QStringList problems;
    for (const ConfigProblem &p : plan.problems)
        problems << p.toString();
    QVERIFY2(problems.contains(QStringLiteral("models[fast]: still uses provider \"oa\", which this bundle would remove")),
             qPrintable(problems.join('\n')));
    QVERIFY(problems.contains(QStringLiteral("prices[oa/gpt-4o-mini]: still uses provider \"oa\", which this bundle would remove")));
}

void TestConfigBundle::planRefusals()
{
    const ConfigContext context = contextOf(store());
    // Sections a bundle cannot carry.
    for (const char *json : {R"({"consumers": [{"name": "x", "keys": []}]})", R"({"settings": {"ai_auth": "none"}})"}) {
        const ConfigBundle::Plan plan = ConfigBundle::plan(store(), parse(json), ConfigBundle::Mode::Merge, context);
        QVERIFY(!plan.ok());
        QVERIFY(plan.problems.first().message.startsWith(QLatin1String("a bundle cannot carry")));
        QVERIFY(plan.document.isEmpty());
    }
    // Invalid entities, with their paths, as the validator words them.
    ConfigBundle::Plan plan = ConfigBundle::plan(
        store(), parse(R"({"routes": [{"name": "r", "match": {"paths": ["/r"]}, "service": "ghost"}]})"),
        ConfigBundle::Mode::Merge, context);
    QVERIFY(!plan.ok());
    QCOMPARE(plan.problems.first().path, QStringLiteral("routes[0].service"));
    // A plain-text key is refused like anywhere else.
    plan = ConfigBundle::plan(store(), parse(R"({"providers": [{"name": "p", "type": "openai", "api_key": "sk-plain"}]})"),
                              ConfigBundle::Mode::Merge, context);
    QVERIFY(!plan.ok());
    QCOMPARE(plan.problems.first().path, QStringLiteral("providers[0].api_key"));
    QVERIFY(!plan.problems.first().message.contains(QLatin1String("sk-plain")));
    // Unknown keys.
    plan = ConfigBundle::plan(store(), parse(R"({"routez": []})"), ConfigBundle::Mode::Merge, context);
    QVERIFY(!plan.ok());
}

void TestConfigBundle::warningsForKeys()
{
    const QJsonObject bundle = parse(R"({"providers": [
        {"name": "k", "type": "openai", "api_key": "${keychain:provider/k}"},
        {"name": "e", "type": "openai", "api_key": "${env:E_KEY}"},
        {"name": "o", "type": "ollama"}]})");
    const ConfigBundle::Plan plan = ConfigBundle::plan(store(), bundle, ConfigBundle::Mode::Merge, contextOf(store()));
    QVERIFY(plan.ok());
    QCOMPARE(plan.warnings.size(), 2);
    QVERIFY(plan.warnings.at(0).contains(QLatin1String("keychain")));
    QVERIFY(plan.warnings.at(1).contains(QLatin1String("${env:E_KEY}")));
}

QTEST_GUILESS_MAIN(TestConfigBundle)
#include "tst_configbundle.moc"
