#include "config/ConfigLoader.h"
#include "config/ConfigValidator.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gh;

namespace {

QStringList problemStrings(const ConfigProblems &problems)
{
    QStringList out;
    for (const ConfigProblem &problem : problems)
        out.append(problem.toString());
    return out;
}

// What the store holds while the snippets below are validated: sections a snippet
// leaves out resolve their references against these names.
ConfigContext storeContext()
{
    ConfigContext context;
    context.existingNames[EntityKind::Provider] = {"openai", "ollama"};
    context.existingNames[EntityKind::Model] = {"fast", "smart"};
    context.existingNames[EntityKind::Consumer] = {"me"};
    context.existingNames[EntityKind::Service] = {"billing"};
    context.existingNames[EntityKind::Route] = {"billing-api"};
    context.existingNames[EntityKind::PromptApi] = {"stored"};
    context.existingPaths[EntityKind::Route] = {{"billing-api", {"/billing", "/invoices/"}}};
    context.existingPaths[EntityKind::PromptApi] = {{"stored", {"/prompts/stored"}}};
    return context;
}

QJsonObject parseYaml(const QByteArray &yaml)
{
    const ConfigDocument doc = ConfigLoader::parse(yaml, ConfigFormat::Yaml);
    if (!doc.problems.isEmpty())
        qWarning() << "parse problems:" << problemStrings(doc.problems);
    return doc.root;
}

QJsonObject parseJson(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestConfigValidator : public QObject
{
    Q_OBJECT

private slots:
    void badInputs_data();
    void badInputs();
    void goodInputs_data();
    void goodInputs();
    void examplesValidate_data();
    void examplesValidate();
    void normalizationFillsDefaults();
    void normalizationCanonicalizes();
    void jsonAndYamlGiveSameTree();
    void documentSectionsShadowContext();
    void validateEntityUsesContext();
    void promptPathsCollideWithTheStore();
    void validateSettings();
    void entityKey();
};

void TestConfigValidator::badInputs_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("expected");

    // --- document structure
    QTest::newRow("unknown section")
        << QByteArray("provders: []\n")
        << QStringList{"provders: unknown section; expected one of providers, models, prices, "
                       "consumers, services, routes, prompt_apis, settings"};
    QTest::newRow("sections of the wrong shape")
        << QByteArray("providers: {name: openai}\nroutes:\nsettings: [ai_auth]\n")
        << QStringList{"providers: must be a list", "routes: must be a list",
                       "settings: must be a mapping"};
    QTest::newRow("route body limit and service CA file")
        << QByteArray("services:\n"
                      "  - {name: a, targets: [{url: 'https://x.test'}], ca_file: relative/ca.pem}\n"
                      "  - {name: b, targets: [{url: 'https://x.test'}], ca_file: /nonexistent/ca.pem}\n"
                      "routes:\n  - {name: r, service: a, match: {paths: [/r]}, max_body_bytes: 0}\n")
        << QStringList{"services[0].ca_file: must be an absolute path",
                       "services[1].ca_file: cannot read /nonexistent/ca.pem: No such file or directory",
                       "routes[0].max_body_bytes: must be greater than 0"};
    QTest::newRow("entity not a mapping")
        << QByteArray("services: [billing]\n") << QStringList{"services[0]: must be a mapping"};

    // --- unknown keys
    QTest::newRow("unknown key with hint")
        << QByteArray("routes:\n  - name: r\n    service: billing\n    match: {path: [/x]}\n")
        << QStringList{"routes[0].match.path: unknown key (did you mean \"paths\"?)",
                       "routes[0].match.paths: is required unless hosts are given"};
    QTest::newRow("unknown key without hint")
        << QByteArray("providers:\n  - {name: local, type: ollama, colour: blue}\n")
        << QStringList{"providers[0].colour: unknown key"};
    QTest::newRow("unknown key in nested settings")
        << QByteArray("settings:\n  log_bodys: true\n  cache: {max_mbs: 1}\n")
        << QStringList{"settings.log_bodys: unknown key (did you mean \"log_bodies\"?)",
                       "settings.cache.max_mbs: unknown key (did you mean \"max_mb\"?)"};

    // --- types
    QTest::newRow("type errors") << QByteArray("providers:\n"
                                               "  - name: 5\n"
                                               "    type: ollama\n"
                                               "    headers: [x]\n"
                                               "    timeout_ms: 10s\n"
                                               "routes:\n"
                                               "  - name: r\n"
                                               "    match: {paths: /x}\n"
                                               "    service: billing\n"
                                               "    strip_path: \"yes\"\n")
                                 << QStringList{"providers[0].name: must be a string",
                                                "providers[0].headers: must be a mapping",
                                                "providers[0].timeout_ms: must be an integer",
                                                "routes[0].match.paths: must be a list of strings",
                                                "routes[0].strip_path: must be a boolean"};
    QTest::newRow("number and list errors")
        << QByteArray("prices:\n  - {provider: openai, model: m, input: cheap, output: 1, cache_write: -1}\n"
                      "models:\n  - {name: m, targets: {provider: openai}, fallbacks: fast}\n")
        << QStringList{"models[0].targets: must be a list",
                       "models[0].fallbacks: must be a list of strings",
                       "prices[0].input: must be a number",
                       "prices[0].cache_write: must not be negative"};
    QTest::newRow("list item types")
        << QByteArray("consumers:\n  - name: c\n    allow_models: [fast, 3, [x]]\n")
        << QStringList{"consumers[0].allow_models[1]: must be a string",
                       "consumers[0].allow_models[2]: must be a string"};
    QTest::newRow("fractional integer")
        << QByteArray("services:\n  - {name: s, targets: [{url: \"http://h\", weight: 1.5}]}\n")
        << QStringList{"services[0].targets[0].weight: must be an integer"};

    // --- required and names
    QTest::newRow("required keys")
        << QByteArray("providers:\n  - name: x\nprices:\n  - {provider: openai}\n")
        << QStringList{"providers[0].type: is required",
                       // the document's providers replace the store's, so "openai" is gone
                       "prices[0].provider: unknown provider \"openai\"",
                       "prices[0].model: is required", "prices[0].input: is required",
                       "prices[0].output: is required"};
    QTest::newRow("empty and bad names")
        << QByteArray("services:\n"
                      "  - {name: \"\", targets: [{url: \"http://a\"}]}\n"
                      "  - {name: \"my api\", targets: [{url: \"http://a\"}]}\n"
                      "  - {name: \"-x\", targets: [{url: \"http://a\"}]}\n"
                      "models:\n"
                      "  - {name: \"openai/gpt-4o:latest\", targets: [{provider: openai, model: "
                      "gpt-4o}]}\n"
                      "  - {name: \"a b\", targets: [{provider: openai, model: gpt-4o}]}\n")
        << QStringList{"models[1].name: must start with a letter or digit and contain only "
                       "letters, digits, \".\", \"_\", \"-\", \":\" and \"/\"",
                       "services[0].name: must not be empty",
                       "services[1].name: must start with a letter or digit and contain only "
                       "letters, digits, \".\", \"_\" and \"-\"",
                       "services[2].name: must start with a letter or digit and contain only "
                       "letters, digits, \".\", \"_\" and \"-\""};

    // --- enumerations
    QTest::newRow("unknown provider type")
        << QByteArray("providers:\n  - {name: openai, type: opnai}\n")
        << QStringList{"providers[0].type: unknown provider type \"opnai\"; expected one of "
                       "openai, anthropic, gemini, azure-openai, ollama, mistral, deepseek, "
                       "groq, openrouter, together, xai, openai-compatible"};
    QTest::newRow("other enumerations")
        << QByteArray("services:\n"
                      "  - {name: s, targets: [{url: \"http://a\"}], balance: fastest}\n"
                      "routes:\n"
                      "  - name: r\n"
                      "    match: {paths: [/], methods: [get, FETCH]}\n"
                      "    service: s\n"
                      "    auth: oauth\n"
                      "    state: live\n"
                      "consumers:\n"
                      "  - {name: c, budget: {usd: 1, period: year}}\n"
                      "settings: {ai_auth: jwt}\n")
        << QStringList{"consumers[0].budget.period: unknown budget period \"year\"; expected one "
                       "of day, week, month",
                       "services[0].balance: unknown balance strategy \"fastest\"; expected one "
                       "of round-robin, least-connections, random",
                       "routes[0].match.methods[1]: unknown HTTP method \"FETCH\"; expected one "
                       "of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
                       "routes[0].auth: unknown auth mode \"oauth\"; expected one of none, key, "
                       "jwt",
                       "routes[0].state: unknown state \"live\"; expected one of draft, "
                       "published, deprecated, retired",
                       "settings.ai_auth: unknown auth mode \"jwt\"; expected one of key, none"};
    QTest::newRow("jwt algorithm and input type")
        << QByteArray("routes:\n"
                      "  - name: r\n"
                      "    match: {paths: [/]}\n"
                      "    service: billing\n"
                      "    auth: jwt\n"
                      "    jwt: {algorithms: [HS256, none], secret: \"${env:JWT}\"}\n"
                      "prompt_apis:\n"
                      "  - name: p\n"
                      "    path: /p\n"
                      "    model: fast\n"
                      "    template: \"{{x}}\"\n"
                      "    inputs: {x: {type: text}}\n")
        << QStringList{"routes[0].jwt.algorithms[1]: unknown JWT algorithm \"none\"; expected "
                       "one of HS256, HS384, HS512, RS256, ES256",
                       "prompt_apis[0].inputs.x.type: unknown input type \"text\"; expected one "
                       "of string, number, boolean, enum, array"};

    // --- duplicates
    QTest::newRow("duplicate names")
        << QByteArray("providers:\n"
                      "  - {name: openai, type: ollama}\n"
                      "  - {name: local, type: ollama}\n"
                      "  - {name: openai, type: ollama}\n"
                      "prices:\n"
                      "  - {provider: openai, model: m, input: 1, output: 2}\n"
                      "  - {provider: openai, model: m, input: 1, output: 3}\n")
        << QStringList{"providers[2].name: duplicate provider name \"openai\" (first at "
                       "providers[0])",
                       "prices[1].model: duplicate price for \"openai/m\" (first at prices[0])"};
    QTest::newRow("duplicate prompt API paths and consumer keys")
        << QByteArray("prompt_apis:\n"
                      "  - {name: a, path: /p, model: fast, template: t}\n"
                      "  - {name: b, path: /p, model: fast, template: t}\n"
                      "consumers:\n"
                      "  - {name: a, keys: [\"${env:K}\"]}\n"
                      "  - {name: b, keys: [\"${env:K}\"]}\n")
        << QStringList{"consumers[1].keys[0]: same key as consumers[0].keys[0]",
                       "prompt_apis[1].path: duplicate path \"/p\" (first at prompt_apis[0])"};

    // --- cross references
    QTest::newRow("model references")
        << QByteArray("models:\n"
                      "  - name: fast\n"
                      "    targets: [{provider: opneai, model: gpt-4o-mini}]\n"
                      "    fallbacks: [claud, fast]\n"
                      "  - {name: claude, targets: [{provider: openai, model: x}]}\n")
        << QStringList{"models[0].targets[0].provider: unknown provider \"opneai\"",
                       "models[0].fallbacks[0]: unknown model \"claud\"",
                       "models[0].fallbacks[1]: must not fall back to itself"};
    QTest::newRow("route, price and prompt references")
        << QByteArray("prices:\n  - {provider: x, model: m, input: 0, output: 0}\n"
                      "routes:\n"
                      "  - name: r\n"
                      "    match: {paths: [/b]}\n"
                      "    service: billng\n"
                      "    consumers: [\"*\", me, bob]\n"
                      "prompt_apis:\n  - {name: p, path: /p, model: fst, template: t}\n")
        << QStringList{"prices[0].provider: unknown provider \"x\"",
                       "routes[0].service: unknown service \"billng\"",
                       "routes[0].consumers[2]: unknown consumer \"bob\"",
                       "prompt_apis[0].model: unknown model \"fst\""};
    QTest::newRow("present section replaces the store's names")
        << QByteArray("services:\n  - {name: ledger, targets: [{url: \"http://a\"}]}\n"
                      "routes:\n  - {name: r, match: {paths: [/]}, service: billing}\n")
        << QStringList{"routes[0].service: unknown service \"billing\""};

    // --- values
    QTest::newRow("weights and targets")
        << QByteArray("models:\n"
                      "  - {name: a, targets: [{provider: openai, model: x, weight: 0}]}\n"
                      "  - {name: b, targets: []}\n"
                      "  - {name: c, targets: [{provider: openai, model: x, weight: -1}]}\n"
                      "  - {name: d, targets: [openai]}\n")
        << QStringList{"models[0].targets: at least one target needs a weight above 0",
                       "models[1].targets: must not be empty",
                       "models[2].targets[0].weight: must not be negative",
                       "models[3].targets[0]: must be a mapping"};
    QTest::newRow("number ranges")
        << QByteArray("providers:\n  - {name: l, type: ollama, timeout_ms: 0}\n"
                      "models:\n  - {name: m, targets: [{provider: l, model: x}], retries: 11}\n"
                      "prices:\n  - {provider: l, model: x, input: -1, output: 0, cached_input: "
                      "-0.5}\n"
                      "consumers:\n  - name: c\n    rate_limit: {requests_per_minute: 0}\n"
                      "    budget: {usd: -5}\n")
        << QStringList{"providers[0].timeout_ms: must be greater than 0",
                       "models[0].retries: must be between 0 and 10",
                       "prices[0].input: must not be negative",
                       "prices[0].cached_input: must not be negative",
                       "consumers[0].rate_limit.requests_per_minute: must be greater than 0",
                       "consumers[0].budget.usd: must not be negative"};
    QTest::newRow("urls")
        << QByteArray("providers:\n  - {name: o, type: openai-compatible, base_url: "
                      "api.example.com/v1}\n"
                      "services:\n  - name: s\n    targets: [{url: \"ftp://files\"}, {url: "
                      "\"http://\"}]\n")
        << QStringList{"providers[0].base_url: must be an absolute http:// or https:// URL",
                       "services[0].targets[0].url: must be an absolute http:// or https:// URL",
                       "services[0].targets[1].url: must be an absolute http:// or https:// URL"};
    QTest::newRow("route paths")
        << QByteArray("routes:\n"
                      "  - {name: a, match: {paths: [billing, /_gatehouse/x, \"/a?b\"]}, "
                      "service: billing}\n"
                      "  - {name: b, match: {paths: []}, service: billing}\n"
                      "  - {name: c, match: {methods: [GET]}, service: billing}\n")
        << QStringList{"routes[0].match.paths[0]: must start with \"/\"",
                       "routes[0].match.paths[1]: must not be under /_gatehouse/, which "
                       "Gatehouse reserves",
                       "routes[0].match.paths[2]: must be a plain path without spaces, \"?\" or "
                       "\"#\"",
                       "routes[1].match.paths: must not be empty unless hosts are given",
                       "routes[2].match.paths: is required unless hosts are given"};
    QTest::newRow("route extras")
        << QByteArray("routes:\n"
                      "  - name: r\n"
                      "    match: {paths: [/], hosts: [\"bad host\"]}\n"
                      "    service: billing\n"
                      "    rate_limit: {requests_per_second: 0}\n"
                      "    cache: {}\n"
                      "    cors: {origins: [\"localhost:3000\"]}\n")
        << QStringList{"routes[0].match.hosts[0]: must be a host name like api.example.com",
                       "routes[0].rate_limit.requests_per_second: must be greater than 0",
                       "routes[0].cache.ttl_s: is required",
                       "routes[0].cors.origins[0]: must be \"*\" or an origin like "
                       "https://example.com"};
    QTest::newRow("rate limits")
        << QByteArray("consumers:\n"
                      "  - {name: c, rate_limit: {concurrent: 0, tokens_per_minute: -1}}\n"
                      "  - {name: d, rate_limit: {requests_per_second: 5}}\n"
                      "routes:\n"
                      "  - {name: a, match: {paths: [/a]}, service: billing, rate_limit: {burst: 5}}\n"
                      "  - name: b\n"
                      "    match: {paths: [/b]}\n"
                      "    service: billing\n"
                      "    rate_limit: {requests_per_minute: 1.5, concurrent: 0, per_hour: 3}\n")
        << QStringList{"consumers[0].rate_limit.tokens_per_minute: must be greater than 0",
                       "consumers[0].rate_limit.concurrent: must be greater than 0",
                       "consumers[1].rate_limit.requests_per_second: unknown key",
                       "routes[0].rate_limit: needs requests_per_second, requests_per_minute or "
                       "concurrent",
                       "routes[1].rate_limit.per_hour: unknown key",
                       "routes[1].rate_limit.requests_per_minute: must be an integer",
                       "routes[1].rate_limit.concurrent: must be greater than 0"};
    QTest::newRow("jwt requirements")
        << QByteArray("routes:\n"
                      "  - {name: a, match: {paths: [/a]}, service: billing, auth: jwt}\n"
                      "  - {name: b, match: {paths: [/b]}, service: billing, auth: jwt, jwt: "
                      "{algorithms: [HS256]}}\n"
                      "  - name: c\n"
                      "    match: {paths: [/c]}\n"
                      "    service: billing\n"
                      "    auth: jwt\n"
                      "    jwt: {algorithms: [RS256, HS512], public_key: \"${file:/k.pem}\"}\n")
        << QStringList{"routes[0].jwt: is required when auth is jwt",
                       "routes[1].jwt: needs a secret or a public_key",
                       "routes[2].jwt.secret: is required for HS512"};
    QTest::newRow("jwt claims options")
        << QByteArray("routes:\n"
                      "  - name: a\n"
                      "    match: {paths: [/a]}\n"
                      "    service: billing\n"
                      "    auth: jwt\n"
                      "    jwt: {secret: \"${env:S}\", issuer: 7, audience: {x: 1}, leeway_s: "
                      "601, forward_token: yes please, kid: k1}\n"
                      "  - name: b\n"
                      "    match: {paths: [/b]}\n"
                      "    service: billing\n"
                      "    auth: jwt\n"
                      "    jwt: {secret: \"${env:S}\", issuer: \"\", audience: [], leeway_s: -1}\n"
                      "  - name: c\n"
                      "    match: {paths: [/c]}\n"
                      "    service: billing\n"
                      "    auth: jwt\n"
                      "    jwt: {secret: \"${env:S}\", audience: [api, 3]}\n")
        << QStringList{"routes[0].jwt.kid: unknown key",
                       "routes[0].jwt.issuer: must be a string",
                       "routes[0].jwt.audience: must be a string or a list of strings",
                       "routes[0].jwt.leeway_s: must be between 0 and 600",
                       "routes[0].jwt.forward_token: must be a boolean",
                       "routes[1].jwt.issuer: must not be empty",
                       "routes[1].jwt.audience: must not be empty",
                       "routes[1].jwt.leeway_s: must be between 0 and 600",
                       "routes[2].jwt.audience[1]: must be a string"};
    QTest::newRow("sunset dates")
        << QByteArray("routes:\n"
                      "  - {name: a, match: {paths: [/a]}, service: billing, state: deprecated, "
                      "sunset: June 2027}\n"
                      "  - {name: b, match: {paths: [/b]}, service: billing, sunset: "
                      "2027-02-30}\n"
                      "  - {name: c, match: {paths: [/c]}, service: billing, sunset: 2027-06-30}\n")
        << QStringList{"routes[0].sunset: must be a date like 2027-06-30",
                       "routes[1].sunset: must be a date like 2027-06-30"};
    QTest::newRow("descriptions")
        << (QByteArray("routes:\n"
                       "  - {name: a, match: {paths: [/a]}, service: billing, description: [x]}\n"
                       "  - {name: b, match: {paths: [/b]}, service: billing, description: \"")
            + QByteArray(2001, 'd') +
            "\"}\n"
            "  - {name: c, match: {paths: [/c]}, service: billing, description: \"")
               + QByteArray(2000, 'd') + "\"}\n"
        << QStringList{"routes[0].description: must be a string",
                       "routes[1].description: must be at most 2000 characters"};
    QTest::newRow("health check")
        << QByteArray("services:\n  - name: s\n    targets: [{url: \"http://a\"}]\n"
                      "    health_check: {path: health, interval_ms: -1}\n    retries: -1\n")
        << QStringList{"services[0].health_check.path: must start with \"/\"",
                       "services[0].health_check.interval_ms: must be greater than 0",
                       "services[0].retries: must be between 0 and 10"};

    // --- prompt APIs
    QTest::newRow("prompt API paths")
        << QByteArray("prompt_apis:\n"
                      "  - {name: a, path: /v1/chat/completions, model: fast, template: t}\n"
                      "  - {name: b, path: prompts/b, model: fast, template: t}\n"
                      "  - {name: c, path: /_gatehouse/c, model: fast, template: t}\n"
                      "  - {name: d, path: /v1, model: fast, template: t}\n")
        << QStringList{"prompt_apis[0].path: must not be under /v1/ or /_gatehouse/, which "
                       "Gatehouse reserves",
                       "prompt_apis[1].path: must start with \"/\"",
                       "prompt_apis[2].path: must not be under /v1/ or /_gatehouse/, which "
                       "Gatehouse reserves",
                       "prompt_apis[3].path: must not be under /v1/ or /_gatehouse/, which "
                       "Gatehouse reserves"};
    QTest::newRow("template variables")
        << QByteArray("prompt_apis:\n"
                      "  - name: p\n"
                      "    path: /p\n"
                      "    model: fast\n"
                      "    system: \"Be {{ tone }}.\"\n"
                      "    template: \"Classify {{txt}} and {{ text }}, then {{txt}} again\"\n"
                      "    inputs: {text: {type: string}}\n"
                      "  - {name: q, path: /q, model: fast}\n")
        << QStringList{"prompt_apis[0].system: uses undeclared input \"tone\"",
                       "prompt_apis[0].template: uses undeclared input \"txt\"",
                       "prompt_apis[1].template: is required"};
    QTest::newRow("prompt inputs")
        << QByteArray("prompt_apis:\n"
                      "  - name: p\n"
                      "    path: /p\n"
                      "    model: fast\n"
                      "    template: \"{{a}} {{b}} {{c}} {{d}}\"\n"
                      "    inputs:\n"
                      "      a: {type: enum}\n"
                      "      b: {type: string, max_length: 0, default: 5}\n"
                      "      c: {type: enum, values: [x, y], default: z}\n"
                      "      d: string\n"
                      "      e: {required: true, values: [x]}\n"
                      "      f-g: {type: boolean, default: \"true\"}\n"
                      "      stream: {type: boolean}\n")
        << QStringList{"prompt_apis[0].inputs.a.values: is required",
                       "prompt_apis[0].inputs.b.max_length: must be greater than 0",
                       "prompt_apis[0].inputs.b.default: must be a string",
                       "prompt_apis[0].inputs.c.default: must be one of x, y",
                       "prompt_apis[0].inputs.d: must be a mapping",
                       "prompt_apis[0].inputs.e.type: is required",
                       "prompt_apis[0].inputs.f-g: input names must start with a letter or "
                       "\"_\" and contain only letters, digits and \"_\"",
                       "prompt_apis[0].inputs.f-g.default: must be a boolean",
                       "prompt_apis[0].inputs.stream: \"stream\" is reserved: it asks for a "
                       "streamed answer",
                       "prompt_apis[0].inputs.e: is not used by the template or the system prompt",
                       "prompt_apis[0].inputs.f-g: is not used by the template or the system "
                       "prompt"};
    QTest::newRow("prompt params")
        << QByteArray("prompt_apis:\n"
                      "  - name: p\n"
                      "    path: /p\n"
                      "    model: fast\n"
                      "    template: t\n"
                      "    params:\n"
                      "      temprature: 1\n"
                      "      temperature: 3\n"
                      "      top_p: -0.1\n"
                      "      max_tokens: 0\n"
                      "      stop: [\"\\n\", 5]\n"
                      "      response_format: yaml\n"
                      "      json_schema: [x]\n"
                      "      logit_bias: {}\n"
                      "    auth: jwt\n")
        << QStringList{"prompt_apis[0].params.logit_bias: unknown key",
                       "prompt_apis[0].params.temprature: unknown key (did you mean "
                       "\"temperature\"?)",
                       "prompt_apis[0].params.temperature: must be between 0 and 2",
                       "prompt_apis[0].params.top_p: must be between 0 and 1",
                       "prompt_apis[0].params.max_tokens: must be greater than 0",
                       "prompt_apis[0].params.stop: must be a string or a list of strings",
                       "prompt_apis[0].params.response_format: unknown response format "
                       "\"yaml\"; expected one of text, json_object, json_schema",
                       "prompt_apis[0].params.json_schema: must be a mapping",
                       "prompt_apis[0].auth: unknown auth mode \"jwt\"; expected one of none, "
                       "key"};
    QTest::newRow("prompt input types and their options")
        << QByteArray(
               "prompt_apis:\n"
               "  - name: p\n"
               "    path: /p\n"
               "    model: fast\n"
               "    template: \"{{n}} {{s}} {{l}} {{m}} {{o}} {{q}} {{r}} {{t}}\"\n"
               "    inputs:\n"
               "      n: {type: number, max_length: 3}\n"
               "      s: {type: string, items: {type: string}, default: toolong, max_length: 3}\n"
               "      l: {type: array, items: {type: array}}\n"
               "      m: {type: array, items: {type: enum}}\n"
               "      o: {type: array, items: {type: number, max_length: 2, color: red}}\n"
               "      q: {type: array, items: {type: enum, values: [a, b]}, default: [a, c], "
               "max_length: 1}\n"
               "      r: {type: array, items: {type: number}, default: [1, \"2\"]}\n"
               "      t: {type: array, items: string}\n"
               "      unused: {type: string}\n")
        << QStringList{"prompt_apis[0].inputs.l.items.type: unknown item type \"array\"; "
                       "expected one of string, number, boolean, enum",
                       "prompt_apis[0].inputs.m.items.values: is required",
                       "prompt_apis[0].inputs.n.max_length: only applies to string and array "
                       "inputs",
                       "prompt_apis[0].inputs.o.items.color: unknown key",
                       "prompt_apis[0].inputs.o.items.max_length: only applies to string items",
                       "prompt_apis[0].inputs.q.default: must have at most 1 items",
                       "prompt_apis[0].inputs.q.default[1]: must be one of a, b",
                       "prompt_apis[0].inputs.r.default[1]: must be a number",
                       "prompt_apis[0].inputs.s.items: is only allowed with type array",
                       "prompt_apis[0].inputs.s.default: must be at most 3 characters",
                       "prompt_apis[0].inputs.t.items: must be a mapping",
                       "prompt_apis[0].inputs.unused: is not used by the template or the system "
                       "prompt"};
    QTest::newRow("prompt output")
        << QByteArray(
               "prompt_apis:\n"
               "  - {name: a, path: /a, model: fast, template: t, output: {format: yaml}}\n"
               "  - {name: b, path: /b, model: fast, template: t, output: {json_schema: "
               "[x]}}\n"
               "  - {name: c, path: /c, model: fast, template: t, output: {format: text, "
               "json_schema: {type: string}}}\n"
               "  - {name: d, path: /d, model: fast, template: t, output: {jsonschema: {}}}\n"
               "  - name: e\n"
               "    path: /e\n"
               "    model: fast\n"
               "    template: t\n"
               "    output:\n"
               "      json_schema:\n"
               "        type: object\n"
               "        properties: {mood: {type: mood}, at: {type: string, format: "
               "date, if: {}}}\n"
               "        required: mood\n"
               "  - {name: f, path: /f, model: fast, template: t, output: {format: json}, "
               "params: {response_format: json_object}}\n"
               "  - {name: g, path: /g, model: fast, template: t, params: {json_schema: "
               "{oneOf: []}, response_format: {type: json_schema, strict: true}}}\n")
        << QStringList{
               "prompt_apis[0].output.format: unknown output format \"yaml\"; expected "
               "one of text, json",
               "prompt_apis[1].output.json_schema: must be a mapping",
               "prompt_apis[2].output.json_schema: needs format json",
               "prompt_apis[3].output.jsonschema: unknown key (did you mean \"json_schema\"?)",
               "prompt_apis[4].output.json_schema.properties.at.if: unsupported JSON "
               "Schema keyword \"if\" (Gatehouse validates type, enum, const, minimum, "
               "maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, "
               "maxLength, pattern, properties, required, additionalProperties, "
               "minProperties, maxProperties, items, minItems, maxItems, uniqueItems, "
               "allOf, anyOf, oneOf, not, $defs, $ref)",
               "prompt_apis[4].output.json_schema.properties.mood.type: unknown type "
               "\"mood\"; expected string, number, integer, boolean, object, array or "
               "null",
               "prompt_apis[4].output.json_schema.required: must be a list of property "
               "names",
               "prompt_apis[5].params: response_format and json_schema are the older "
               "spelling of output: use one or the other",
               "prompt_apis[6].params.response_format.strict: unknown key; put the schema "
               "in output.json_schema",
               "prompt_apis[6].params.json_schema.oneOf: must be a non-empty list of "
               "schemas"};
    QTest::newRow("prompt paths collide with routes and each other")
        << QByteArray("services: [{name: s, targets: [{url: \"http://a\"}]}]\n"
                      "routes:\n"
                      "  - {name: r, match: {paths: [/api, /prompts/x/]}, service: s}\n"
                      "prompt_apis:\n"
                      "  - {name: a, path: /prompts/x, model: fast, template: t}\n"
                      "  - {name: b, path: /prompts/y, model: fast, template: t}\n"
                      "  - {name: c, path: /prompts/y/, model: fast, template: t}\n"
                      "  - {name: d, path: /api/sub, model: fast, template: t}\n"
                      "  - {name: e, path: /, model: fast, template: t}\n"
                      "  - {name: f, path: /billing, model: fast, template: t}\n")
        << QStringList{"prompt_apis[0].path: \"/prompts/x\" is also a route's path "
                       "(routes[0].match.paths[1]); a prompt API needs a path of its own",
                       "prompt_apis[2].path: duplicate path \"/prompts/y\" (first at "
                       "prompt_apis[1])",
                       "prompt_apis[4].path: must not be \"/\""};

    // --- secrets
    QTest::newRow("plain-text provider key")
        << QByteArray("providers:\n  - {name: openai, type: openai, api_key: sk-abc123}\n")
        << QStringList{"providers[0].api_key: must be a ${env:NAME}, ${file:PATH} or "
                       "${keychain:NAME} reference; Gatehouse never stores a key in plain text"};
    QTest::newRow("malformed references")
        << QByteArray("providers:\n"
                      "  - {name: a, type: openai, api_key: \"${vault:x}\"}\n"
                      "  - {name: b, type: openai, api_key: \"${env:}\"}\n"
                      "  - {name: c, type: openai, api_key: \"${env:KEY\"}\n"
                      "  - {name: d, type: openai, api_key: \"${OPENAI_KEY}\"}\n"
                      "  - {name: e, type: openai, api_key: \"${file:key.txt}\"}\n"
                      "  - {name: f, type: openai, api_key: \"${env:1KEY}\"}\n"
                      "  - {name: g, type: openai, api_key: \"${env:A}x\"}\n")
        << QStringList{"providers[0].api_key: invalid secret reference \"${vault:x}\": unknown "
                       "scheme \"vault\"",
                       "providers[1].api_key: invalid secret reference \"${env:}\": empty "
                       "variable name",
                       "providers[2].api_key: invalid secret reference \"${env:KEY\": missing "
                       "the closing \"}\"",
                       "providers[3].api_key: invalid secret reference \"${OPENAI_KEY}\": "
                       "expected ${env:NAME}, ${file:PATH} or ${keychain:NAME}",
                       "providers[4].api_key: invalid secret reference \"${file:key.txt}\": the "
                       "path must be absolute or start with ~/",
                       "providers[5].api_key: invalid secret reference \"${env:1KEY}\": \"1KEY\" "
                       "is not an environment variable name",
                       "providers[6].api_key: invalid secret reference \"${env:A}x\": "
                       "unexpected text after \"}\""};
    QTest::newRow("consumer keys and jwt secrets")
        << QByteArray("consumers:\n"
                      "  - name: c\n"
                      "    keys: [short, \"sha256:abc\", \"${keychain:bad name}\", "
                      "gh-0123456789abcdef, \"\"]\n"
                      "routes:\n"
                      "  - name: r\n"
                      "    match: {paths: [/]}\n"
                      "    service: billing\n"
                      "    auth: jwt\n"
                      "    jwt: {secret: hunter2, public_key: \"-----BEGIN PUBLIC KEY-----\"}\n")
        << QStringList{"consumers[0].keys[4]: must not be empty",
                       "consumers[0].keys[0]: must be at least 16 characters",
                       "consumers[0].keys[1]: must be \"sha256:\" followed by 64 lower-case hex "
                       "digits",
                       "consumers[0].keys[2]: invalid secret reference \"${keychain:bad "
                       "name}\": keychain entry names use letters, digits and _ . - @ / :",
                       "routes[0].jwt.secret: must be a ${env:NAME}, ${file:PATH} or "
                       "${keychain:NAME} reference; Gatehouse never stores a key in plain text",
                       "routes[0].jwt.public_key: must be a ${env:NAME}, ${file:PATH} or "
                       "${keychain:NAME} reference"};

    // --- provider types
    QTest::newRow("provider type requirements")
        << QByteArray("providers:\n"
                      "  - {name: az, type: azure-openai, api_key: \"${env:AZ}\"}\n"
                      "  - {name: compat, type: openai-compatible}\n"
                      "  - {name: claude, type: anthropic}\n"
                      "  - {name: mock, type: openai, base_url: \"http://127.0.0.1:8080/v1\"}\n"
                      "  - name: h\n"
                      "    type: ollama\n"
                      "    headers: {\"X Bad\": v, X-Ref: \"${env:}\", X-Num: 5}\n")
        << QStringList{"providers[0].base_url: is required for type azure-openai",
                       "providers[1].base_url: is required for type openai-compatible",
                       "providers[2].api_key: is required for type anthropic",
                       "providers[4].headers.X Bad: is not a valid HTTP header name",
                       "providers[4].headers.X-Num: must be a string",
                       "providers[4].headers.X-Ref: invalid secret reference \"${env:}\": empty "
                       "variable name"};

    QTest::newRow("azure api_version")
        << QByteArray("providers:\n"
                      "  - {name: az, type: azure-openai, base_url: \"https://r.openai.azure.com\", "
                      "api_key: \"${env:AZ}\", api_version: \"october\"}\n"
                      "  - {name: oa, type: openai, api_key: \"${env:OA}\", api_version: \"2024-10-21\"}\n")
        << QStringList{"providers[0].api_version: must look like 2024-10-21 or 2025-04-01-preview",
                       "providers[1].api_version: only applies to type azure-openai"};
    QTest::newRow("provider budget")
        << QByteArray("providers:\n"
                      "  - {name: a, type: ollama, budget: {usd: -1, period: day}}\n"
                      "  - {name: b, type: ollama, budget: {period: fortnight, cap: 3}}\n")
        << QStringList{"providers[0].budget.usd: must not be negative",
                       "providers[1].budget.cap: unknown key",
                       "providers[1].budget.usd: is required",
                       "providers[1].budget.period: unknown budget period \"fortnight\"; expected one "
                       "of day, week, month"};

    // --- settings
    QTest::newRow("settings values")
        << QByteArray("settings:\n  log_bodies: 1\n  log_retention_days: -1\n  cache: {max_mb: "
                      "big}\n")
        << QStringList{"settings.log_bodies: must be a boolean",
                       "settings.log_retention_days: must be greater than 0",
                       "settings.cache.max_mb: must be an integer"};
    QTest::newRow("settings log_requests")
        << QByteArray("settings:\n  log_requests: \"no\"\n")
        << QStringList{"settings.log_requests: must be a boolean"};

    // --- IP rules and CORS (routes[].ip, routes[].cors, settings.ip, settings.cors)
    QTest::newRow("ip rules and cors")
        << QByteArray("routes:\n"
                      "  - name: r\n"
                      "    match: {paths: [/r]}\n"
                      "    service: billing\n"
                      "    ip: {allow: [10.0.0.0/8, \"10.0.0.300/8\"], deny: [\"::1/129\", 7], "
                      "block: []}\n"
                      "    cors:\n"
                      "      origins: [\"*\", \"https://a.example/app\"]\n"
                      "      methods: [GET, FETCH]\n"
                      "      headers: [\"x ok\"]\n"
                      "      expose_headers: [\"a:b\"]\n"
                      "      credentials: true\n"
                      "      max_age_s: 100000\n"
                      "settings:\n"
                      "  ip: {allow: [\"192.168/16\"]}\n"
                      "  cors: {methods: [GET]}\n")
        << QStringList{"routes[0].cors.origins[1]: must be \"*\" or an origin like "
                       "https://example.com",
                       "routes[0].cors.methods[1]: unknown HTTP method \"FETCH\"; expected one "
                       "of *, GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
                       "routes[0].cors.headers[0]: \"x ok\" is not a header name",
                       "routes[0].cors.expose_headers[0]: \"a:b\" is not a header name",
                       "routes[0].cors.credentials: cannot be true with origin \"*\": list the "
                       "origins that may send credentials",
                       "routes[0].cors.max_age_s: must be between 0 and 86400",
                       "routes[0].ip.block: unknown key",
                       "routes[0].ip.allow[1]: \"10.0.0.300/8\" is not an IP address or CIDR "
                       "range",
                       "routes[0].ip.deny[1]: must be a string",
                       "routes[0].ip.deny[0]: \"::1/129\" is not an IP address or CIDR range",
                       "settings.ip.allow[0]: \"192.168/16\" is not an IP address or CIDR range",
                       "settings.cors.origins: is required"};

    // --- many problems at once: every one is reported, in document order of sections
    QTest::newRow("several problems in one document")
        << QByteArray("providers:\n"
                      "  - name: openai\n"
                      "    type: opnai\n"
                      "    api_key: sk-live\n"
                      "models:\n"
                      "  - name: fast\n"
                      "    targets: [{provider: openai, model: gpt-4o-mini, wieght: 2}]\n"
                      "    fallbacks: [claud]\n"
                      "routes:\n"
                      "  - name: billing-api\n"
                      "    match: {paths: [/billing], methods: [GET, FETCH]}\n"
                      "    service: billng\n"
                      "    auth: jwt\n"
                      "extras: {}\n")
        << QStringList{
               "extras: unknown section; expected one of providers, models, prices, consumers, "
               "services, routes, prompt_apis, settings",
               "providers[0].type: unknown provider type \"opnai\"; expected one of openai, "
               "anthropic, gemini, azure-openai, ollama, mistral, deepseek, groq, openrouter, "
               "together, xai, openai-compatible",
               "providers[0].api_key: must be a ${env:NAME}, ${file:PATH} or ${keychain:NAME} "
               "reference; Gatehouse never stores a key in plain text",
               "models[0].targets[0].wieght: unknown key (did you mean \"weight\"?)",
               "models[0].fallbacks[0]: unknown model \"claud\"",
               "routes[0].match.methods[1]: unknown HTTP method \"FETCH\"; expected one of GET, "
               "HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
               "routes[0].service: unknown service \"billng\"",
               "routes[0].jwt: is required when auth is jwt"};
}

void TestConfigValidator::badInputs()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, expected);

    const ConfigDocument doc = ConfigLoader::parse(yaml, ConfigFormat::Yaml);
    QVERIFY2(doc.problems.isEmpty(), qPrintable(problemStrings(doc.problems).join(u'\n')));
    QJsonObject root = doc.root;
    const QStringList actual = problemStrings(ConfigValidator::validate(root, storeContext()));
    if (actual != expected)
        qWarning().noquote() << "actual:\n  " + actual.join(QStringLiteral("\n  "));
    QCOMPARE(actual, expected);
}

void TestConfigValidator::goodInputs_data()
{
    QTest::addColumn<QByteArray>("yaml");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("empty sections") << QByteArray("providers: []\nroutes: []\nsettings: {}\n");
    QTest::newRow("price with cache prices")
        << QByteArray("providers: [{name: an, type: anthropic, api_key: \"${env:AN}\"}]\n"
                      "prices: [{provider: an, model: claude-x, input: 3, output: 15, cached_input: 0.3, "
                      "cache_write: 3.75}]\n");
    QTest::newRow("azure with api_version")
        << QByteArray("providers: [{name: az, type: azure-openai, base_url: \"https://r.openai.azure.com\", "
                      "api_key: \"${env:AZ}\", api_version: \"2025-04-01-preview\"}]\n");
    QTest::newRow("local provider without key")
        << QByteArray("providers: [{name: local, type: ollama}]\n");
    QTest::newRow("mock provider on loopback")
        << QByteArray("providers: [{name: mock, type: anthropic, base_url: "
                      "\"http://localhost:9999\"}]\n");
    QTest::newRow("all secret forms")
        << QByteArray("providers:\n"
                      "  - {name: a, type: openai, api_key: \"${env:OPENAI_API_KEY}\"}\n"
                      "  - {name: b, type: openai, api_key: \"${file:~/keys/openai}\"}\n"
                      "  - {name: c, type: openai, api_key: \"${keychain:openai}\"}\n"
                      "consumers:\n"
                      "  - name: me\n"
                      "    keys:\n"
                      "      - gh-7hJk2LmNoPqRsTuVwXyZ0123456789\n"
                      "      - \"sha256:" +
                      QByteArray(64, 'a') + "\"\n");
    QTest::newRow("host-only route")
        << QByteArray("routes: [{name: r, match: {hosts: [\"*.example.com\", "
                      "\"API.example.com:8443\"]}, service: billing}]\n");
    QTest::newRow("references resolve forward")
        << QByteArray("models:\n  - {name: a, targets: [{provider: p, model: m}], fallbacks: "
                      "[b]}\n  - {name: b, targets: [{provider: p, model: m}]}\n"
                      "providers: [{name: p, type: ollama}]\n");
    QTest::newRow("standby target")
        << QByteArray("models: [{name: a, targets: [{provider: openai, model: m, weight: 0}, "
                      "{provider: openai, model: n}]}]\n");
    QTest::newRow("rate limits of every kind")
        << QByteArray("consumers:\n"
                      "  - {name: c, rate_limit: {requests_per_minute: 600, tokens_per_minute: "
                      "200000, concurrent: 4}}\n"
                      "routes:\n"
                      "  - {name: a, match: {paths: [/a]}, service: billing,\n"
                      "     rate_limit: {requests_per_second: 0.5, requests_per_minute: 20, burst: 3}}\n"
                      "  - {name: b, match: {paths: [/b]}, service: billing, rate_limit: "
                      "{concurrent: 2}}\n");
    QTest::newRow("prompt inputs of every type")
        << QByteArray("prompt_apis:\n"
                      "  - name: p\n"
                      "    path: /prompts/p\n"
                      "    model: fast\n"
                      "    template: \"{{s}} {{n}} {{b}} {{e}} {{a}}\"\n"
                      "    inputs:\n"
                      "      s: {type: string, default: x, max_length: 10, description: text}\n"
                      "      n: {type: number, default: 1.5}\n"
                      "      b: {type: boolean, default: false}\n"
                      "      e: {type: enum, values: [x, y], default: y}\n"
                      "      a: {type: array, default: []}\n"
                      "    params: {temperature: 0.7, top_p: 1, stop: END, seed: 42, "
                      "response_format: {type: json_object}, presence_penalty: -1}\n"
                      "    state: deprecated\n"
                      "    sunset: 2030-01-31\n"
                      "    description: Classifies things.\n");
    QTest::newRow("ip rules and cors")
        << QByteArray("routes:\n"
                      "  - name: r\n"
                      "    match: {paths: [/r]}\n"
                      "    service: billing\n"
                      "    ip: {allow: [10.0.0.0/8, \"::1\", \"fd00::/8\", 192.168.1.5], deny: "
                      "[10.1.0.0/16, \"::ffff:10.2.0.0/112\"]}\n"
                      "    cors: {origins: [\"https://app.example.com\", "
                      "\"http://localhost:3000/\"], methods: [get, POST], headers: "
                      "[Content-Type, \"*\"], expose_headers: [x-gatehouse-request-id], "
                      "credentials: true, max_age_s: 0}\n"
                      "settings:\n"
                      "  ip: {deny: [0.0.0.0/0]}\n"
                      "  cors: {origins: [\"*\"]}\n");
    QTest::newRow("jwt with every option")
        << QByteArray("routes:\n"
                      "  - name: r\n"
                      "    match: {paths: [/r]}\n"
                      "    service: billing\n"
                      "    auth: jwt\n"
                      "    jwt: {algorithms: [HS256, ES256], secret: \"${env:S}\", public_key: "
                      "\"${file:/k.pem}\", issuer: \"https://id.example.com/\", audience: "
                      "[api, billing], leeway_s: 0, forward_token: true}\n"
                      "  - name: s\n"
                      "    match: {paths: [/s]}\n"
                      "    service: billing\n"
                      "    auth: jwt\n"
                      "    jwt: {public_key: \"${file:/k.pem}\", audience: api, leeway_s: 600}\n");
}

void TestConfigValidator::goodInputs()
{
    QFETCH(QByteArray, yaml);
    QJsonObject root = parseYaml(yaml);
    const ConfigProblems problems = ConfigValidator::validate(root, storeContext());
    QVERIFY2(problems.isEmpty(), qPrintable(problemStrings(problems).join(u'\n')));
}

void TestConfigValidator::examplesValidate_data()
{
    // Every config in examples/: what users copy from must always validate.
    QTest::addColumn<QString>("file");
    const QDir examples(QStringLiteral(GATEHOUSE_SOURCE_DIR "/examples"));
    const QStringList files = examples.entryList(
        {QStringLiteral("*.yaml"), QStringLiteral("*.yml"), QStringLiteral("*.json")}, QDir::Files);
    QVERIFY(files.size() >= 2);
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << examples.filePath(file);
}

void TestConfigValidator::examplesValidate()
{
    QFETCH(QString, file);
    ConfigDocument doc = ConfigLoader::loadFile(file);
    QVERIFY2(doc.problems.isEmpty(), qPrintable(problemStrings(doc.problems).join(u'\n')));
    QVERIFY(doc.root.contains("providers"));
    // With an empty store: the example must stand on its own.
    const ConfigProblems problems = ConfigValidator::validate(doc.root);
    QVERIFY2(problems.isEmpty(), qPrintable(problemStrings(problems).join(u'\n')));
    // Validating normalized output again changes nothing.
    QJsonObject again = doc.root;
    QVERIFY(ConfigValidator::validate(again).isEmpty());
    QCOMPARE(again, doc.root);
}

void TestConfigValidator::normalizationFillsDefaults()
{
    QJsonObject root = parseYaml("providers:\n"
                                 "  - {name: openai, type: openai, api_key: \"${env:K}\"}\n"
                                 "  - {name: local, type: ollama}\n"
                                 "models:\n"
                                 "  - {name: fast, targets: [{provider: openai, model: m}]}\n"
                                 "consumers:\n"
                                 "  - {name: me, budget: {usd: 1}}\n"
                                 "services:\n"
                                 "  - {name: s, targets: [{url: \"http://a\"}], health_check: "
                                 "{path: /h}}\n"
                                 "routes:\n"
                                 "  - {name: r, match: {paths: [/]}, service: s}\n"
                                 "  - {name: h, match: {hosts: [a.example]}, service: s}\n"
                                 "prompt_apis:\n"
                                 "  - {name: p, path: /p, model: fast, template: \"t {{x}}\", "
                                 "inputs: {x: {type: string}}}\n"
                                 "settings: {}\n");
    const ConfigProblems problems = ConfigValidator::validate(root);
    QVERIFY2(problems.isEmpty(), qPrintable(problemStrings(problems).join(u'\n')));

    const QJsonObject expected = parseJson(R"({
      "providers": [
        {"name": "openai", "type": "openai", "api_key": "${env:K}",
         "base_url": "https://api.openai.com/v1", "headers": {}, "timeout_ms": 600000},
        {"name": "local", "type": "ollama", "base_url": "http://127.0.0.1:11434",
         "headers": {}, "timeout_ms": 600000}
      ],
      "models": [
        {"name": "fast", "targets": [{"provider": "openai", "model": "m", "weight": 1}],
         "fallbacks": [], "retries": 0}
      ],
      "consumers": [
        {"name": "me", "allow_models": ["*"], "budget": {"usd": 1, "period": "month"}}
      ],
      "services": [
        {"name": "s", "targets": [{"url": "http://a", "weight": 1}], "balance": "round-robin",
         "health_check": {"path": "/h", "interval_ms": 10000}, "timeout_ms": 30000, "retries": 0}
      ],
      "routes": [
        {"name": "r", "match": {"paths": ["/"], "methods": [], "hosts": []}, "service": "s",
         "strip_path": false, "auth": "key", "state": "published", "consumers": ["*"],
         "max_body_bytes": 10485760},
        {"name": "h", "match": {"paths": ["/"], "methods": [], "hosts": ["a.example"]},
         "service": "s", "strip_path": false, "auth": "key", "state": "published",
         "consumers": ["*"], "max_body_bytes": 10485760}
      ],
      "prompt_apis": [
        {"name": "p", "path": "/p", "model": "fast", "template": "t {{x}}",
         "inputs": {"x": {"type": "string", "required": false}},
         "auth": "key", "state": "published"}
      ],
      "settings": {"ai_auth": "key", "log_bodies": false, "log_retention_days": 30,
                   "cache": {"max_mb": 256}}
    })");
    QVERIFY(!expected.isEmpty());
    for (const QString &section : expected.keys()) {
        if (root.value(section) != expected.value(section)) {
            qWarning().noquote() << section << QJsonDocument(root.value(section).toArray()).toJson()
                                 << QJsonDocument(root.value(section).toObject()).toJson();
        }
        QCOMPARE(root.value(section), expected.value(section));
    }
    QCOMPARE(root, expected);
}

void TestConfigValidator::normalizationCanonicalizes()
{
    // Enumerations are accepted in any case and stored canonically; integral numbers
    // from JSON (5.0) become integers.
    QJsonObject root = parseJson(R"({
      "providers": [{"name": "l", "type": "Ollama", "timeout_ms": 5000.0}],
      "routes": [{"name": "r", "match": {"paths": ["/"], "methods": ["get", "Post"],
                  "hosts": ["API.Example.com"]},
                  "service": "billing", "auth": "JWT",
                  "jwt": {"algorithms": ["hs256"], "secret": "${env:S}"}}]
    })");
    const ConfigProblems problems = ConfigValidator::validate(root, storeContext());
    QVERIFY2(problems.isEmpty(), qPrintable(problemStrings(problems).join(u'\n')));
    const QJsonObject provider = root.value("providers").toArray().first().toObject();
    QCOMPARE(provider.value("type").toString(), "ollama");
    QCOMPARE(provider.value("timeout_ms"), QJsonValue(5000));
    const QJsonObject route = root.value("routes").toArray().first().toObject();
    QCOMPARE(route.value("match").toObject().value("methods"),
             QJsonValue(QJsonArray{"GET", "POST"}));
    QCOMPARE(route.value("match").toObject().value("hosts"),
             QJsonValue(QJsonArray{"api.example.com"}));
    QCOMPARE(route.value("auth").toString(), "jwt");
    QCOMPARE(route.value("jwt").toObject().value("algorithms"), QJsonValue(QJsonArray{"HS256"}));
}

void TestConfigValidator::jsonAndYamlGiveSameTree()
{
    const QByteArray yaml = "providers:\n"
                            "  - name: openai\n"
                            "    type: openai\n"
                            "    api_key: \"${env:OPENAI_API_KEY}\"\n"
                            "    timeout_ms: 1000\n"
                            "prices:\n"
                            "  - {provider: openai, model: gpt-4o-mini, input: 0.15, output: 0.6}\n"
                            "settings: {log_bodies: true}\n";
    const QByteArray json = R"({
      "providers": [{"name": "openai", "type": "openai", "api_key": "${env:OPENAI_API_KEY}",
                     "timeout_ms": 1000}],
      "prices": [{"provider": "openai", "model": "gpt-4o-mini", "input": 0.15, "output": 0.6}],
      "settings": {"log_bodies": true}
    })";
    ConfigDocument fromYaml = ConfigLoader::parse(yaml, ConfigFormat::Yaml);
    ConfigDocument fromJson = ConfigLoader::parse(json, ConfigFormat::Json);
    QVERIFY(fromYaml.problems.isEmpty());
    QVERIFY(fromJson.problems.isEmpty());
    QCOMPARE(fromYaml.root, fromJson.root);
    QVERIFY(ConfigValidator::validate(fromYaml.root).isEmpty());
    QVERIFY(ConfigValidator::validate(fromJson.root).isEmpty());
    QCOMPARE(fromYaml.root, fromJson.root);

    // The YAML example, re-read as JSON text, gives the same tree as well.
    ConfigDocument example =
        ConfigLoader::loadFile(QStringLiteral(GATEHOUSE_SOURCE_DIR "/examples/gatehouse.yaml"));
    QVERIFY(example.problems.isEmpty());
    const ConfigDocument asJson =
        ConfigLoader::parse(QJsonDocument(example.root).toJson(), ConfigFormat::Json);
    QVERIFY(asJson.problems.isEmpty());
    QCOMPARE(asJson.root, example.root);
}

void TestConfigValidator::documentSectionsShadowContext()
{
    // A model referring to a provider only the store has is fine while the document
    // has no providers section...
    QJsonObject root = parseYaml("models: [{name: m, targets: [{provider: ollama, model: x}]}]\n");
    QVERIFY(ConfigValidator::validate(root, storeContext()).isEmpty());
    // ...and not once the document replaces the providers.
    root = parseYaml("providers: [{name: other, type: ollama}]\n"
                     "models: [{name: m, targets: [{provider: ollama, model: x}]}]\n");
    QCOMPARE(problemStrings(ConfigValidator::validate(root, storeContext())),
             QStringList{"models[0].targets[0].provider: unknown provider \"ollama\""});
    // Without a context nothing outside the document exists.
    root = parseYaml("models: [{name: m, targets: [{provider: ollama, model: x}]}]\n");
    QCOMPARE(problemStrings(ConfigValidator::validate(root)),
             QStringList{"models[0].targets[0].provider: unknown provider \"ollama\""});
}

void TestConfigValidator::validateEntityUsesContext()
{
    QJsonObject route = parseJson(R"({"name": "x", "match": {"paths": ["/billing"]},
                                       "service": "billing", "consumers": ["me"]})");
    ConfigProblems problems =
        ConfigValidator::validateEntity(EntityKind::Route, route, "routes[x]", storeContext());
    QVERIFY2(problems.isEmpty(), qPrintable(problemStrings(problems).join(u'\n')));
    QCOMPARE(route.value("auth").toString(), "key");
    QCOMPARE(route.value("state").toString(), "published");
    QCOMPARE(route.value("strip_path"), QJsonValue(false));

    route = parseJson(R"({"name": "x", "match": {"paths": ["/billing"]}, "service": "billng",
                          "consumers": ["you"]})");
    problems =
        ConfigValidator::validateEntity(EntityKind::Route, route, "routes[x]", storeContext());
    QCOMPARE(problemStrings(problems), QStringList({"routes[x].service: unknown service \"billng\"",
                                                    "routes[x].consumers[0]: unknown consumer "
                                                    "\"you\""}));

    QJsonObject model = parseJson(R"({"name": "fast", "targets": [{"provider": "openai",
                                      "model": "m"}], "fallbacks": ["fast", "smart", "slow"]})");
    problems =
        ConfigValidator::validateEntity(EntityKind::Model, model, "models[fast]", storeContext());
    QCOMPARE(problemStrings(problems),
             QStringList({"models[fast].fallbacks[0]: must not fall back to itself",
                          "models[fast].fallbacks[2]: unknown model \"slow\""}));

    QJsonObject price = parseJson(R"({"provider": "nobody", "model": "m", "input": 1})");
    problems = ConfigValidator::validateEntity(EntityKind::Price, price, "prices[nobody/m]", {});
    QCOMPARE(problemStrings(problems),
             QStringList({"prices[nobody/m].provider: unknown provider \"nobody\"",
                          "prices[nobody/m].output: is required"}));
}

void TestConfigValidator::promptPathsCollideWithTheStore()
{
    // A prompt API put alone (admin PUT) meets the stored routes and the other stored
    // prompt APIs...
    QJsonObject prompt = parseJson(R"({"name": "p", "path": "/invoices", "model": "fast",
                                       "template": "t"})");
    QCOMPARE(problemStrings(ConfigValidator::validateEntity(EntityKind::PromptApi, prompt,
                                                            "prompt_apis[p]", storeContext())),
             QStringList{"prompt_apis[p].path: \"/invoices\" is also the path of route "
                         "\"billing-api\"; a prompt API needs a path of its own"});
    prompt = parseJson(R"({"name": "p", "path": "/prompts/stored/", "model": "fast",
                           "template": "t"})");
    QCOMPARE(problemStrings(ConfigValidator::validateEntity(EntityKind::PromptApi, prompt,
                                                            "prompt_apis[p]", storeContext())),
             QStringList{"prompt_apis[p].path: \"/prompts/stored\" is already the path of "
                         "prompt API \"stored\""});
    // ...but not itself: replacing a prompt API keeps its path.
    prompt = parseJson(R"({"name": "stored", "path": "/prompts/stored", "model": "fast",
                           "template": "t"})");
    QVERIFY(ConfigValidator::validateEntity(EntityKind::PromptApi, prompt, "prompt_apis[stored]",
                                            storeContext())
                .isEmpty());
    // A route put alone meets the stored prompt APIs.
    QJsonObject route = parseJson(R"({"name": "x", "match": {"paths": ["/ok", "/prompts/stored"]},
                                      "service": "billing"})");
    QCOMPARE(problemStrings(ConfigValidator::validateEntity(EntityKind::Route, route, "routes[x]",
                                                            storeContext())),
             QStringList{"routes[x].match.paths[1]: \"/prompts/stored\" is the path of prompt "
                         "API \"stored\"; a route cannot also use it"});
    // A document with routes only meets the stored prompt APIs; one with prompt APIs only
    // meets the stored routes; one with both is checked on its own.
    QJsonObject root = parseYaml("routes: [{name: x, match: {paths: [/prompts/stored]}, "
                                 "service: billing}]\n");
    QCOMPARE(problemStrings(ConfigValidator::validate(root, storeContext())),
             QStringList{"routes[0].match.paths[0]: \"/prompts/stored\" is the path of prompt "
                         "API \"stored\"; a route cannot also use it"});
    root = parseYaml("prompt_apis: [{name: q, path: /billing, model: fast, template: t}]\n");
    QCOMPARE(problemStrings(ConfigValidator::validate(root, storeContext())),
             QStringList{"prompt_apis[0].path: \"/billing\" is also the path of route "
                         "\"billing-api\"; a prompt API needs a path of its own"});
    root = parseYaml("routes: [{name: x, match: {paths: [/prompts/stored]}, service: billing}]\n"
                     "prompt_apis: [{name: q, path: /billing, model: fast, template: t}]\n");
    QVERIFY(ConfigValidator::validate(root, storeContext()).isEmpty());
}

void TestConfigValidator::validateSettings()
{
    QJsonObject settings;
    QVERIFY(ConfigValidator::validateSettings(settings).isEmpty());
    QCOMPARE(settings, parseJson(R"({"ai_auth": "key", "log_bodies": false,
                                     "log_retention_days": 30, "cache": {"max_mb": 256}})"));

    settings = parseJson(R"({"ai_auth": "none", "cache": {}, "colour": 1})");
    QCOMPARE(problemStrings(ConfigValidator::validateSettings(settings, "body")),
             QStringList{"body.colour: unknown key"});
    QCOMPARE(settings.value("ai_auth").toString(), "none");
    QCOMPARE(settings.value("cache").toObject().value("max_mb"), QJsonValue(256));
}

void TestConfigValidator::entityKey()
{
    QCOMPARE(ConfigValidator::entityKey(EntityKind::Route, parseJson(R"({"name": "r"})")), "r");
    QCOMPARE(ConfigValidator::entityKey(EntityKind::Price, parseJson(R"({"provider": "openrouter",
                                                      "model": "anthropic/claude-3.5"})")),
             "openrouter/anthropic/claude-3.5");
    QCOMPARE(ConfigValidator::entityKey(EntityKind::Price, parseJson(R"({"model": "m"})")),
             QString());
    QCOMPARE(ConfigValidator::entityKey(EntityKind::Provider, parseJson(R"({"name": 5})")),
             QString());
}

QTEST_GUILESS_MAIN(TestConfigValidator)
#include "tst_configvalidator.moc"
