#include "PlaygroundSnippets.h"
#include "ScriptedUpstream.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace gh;
using gh::test::ScriptedUpstream;
using gh::test::SeenRequest;
using gh::test::UpstreamReply;

namespace {

// What the Playground's fields hold: every parameter set, and text that needs escaping
// in each language (double and single quotes, a newline, non-ASCII).
PlaygroundParams fullParams(bool stream)
{
    PlaygroundParams params;
    params.model = QStringLiteral("fast");
    params.system = QStringLiteral("Be brief.");
    params.prompt = QStringLiteral("Say \"hi\" \u2014 it's 5\u00b0C\nthanks");
    params.temperature = 0.7;
    params.maxTokens = 256;
    params.topP = 0.9;
    params.stream = stream;
    return params;
}

const QString GatewayUrl = QStringLiteral("http://127.0.0.1:4141");

const char *const StreamCurl =
    "curl -N http://127.0.0.1:4141/v1/chat/completions \\\n"
    "  -H \"Authorization: Bearer $GATEHOUSE_API_KEY\" \\\n"
    "  -H \"Content-Type: application/json\" \\\n"
    "  -d '{\n"
    "    \"max_tokens\": 256,\n"
    "    \"messages\": [\n"
    "        {\n"
    "            \"content\": \"Be brief.\",\n"
    "            \"role\": \"system\"\n"
    "        },\n"
    "        {\n"
    "            \"content\": \"Say \\\"hi\\\" — it'\\''s 5°C\\nthanks\",\n"
    "            \"role\": \"user\"\n"
    "        }\n"
    "    ],\n"
    "    \"model\": \"fast\",\n"
    "    \"stream\": true,\n"
    "    \"stream_options\": {\n"
    "        \"include_usage\": true\n"
    "    },\n"
    "    \"temperature\": 0.7,\n"
    "    \"top_p\": 0.9\n"
    "}'\n";
const char *const StreamPython =
    "# pip install openai; then: GATEHOUSE_API_KEY=... python chat.py\n"
    "import os\n"
    "\n"
    "from openai import OpenAI\n"
    "\n"
    "client = OpenAI(\n"
    "    base_url=\"http://127.0.0.1:4141/v1\",\n"
    "    api_key=os.environ[\"GATEHOUSE_API_KEY\"],\n"
    ")\n"
    "\n"
    "stream = client.chat.completions.create(\n"
    "    model=\"fast\",\n"
    "    messages=[\n"
    "        {\"role\": \"system\", \"content\": \"Be brief.\"},\n"
    "        {\"role\": \"user\", \"content\": \"Say \\\"hi\\\" — it's 5°C\\nthanks\"},\n"
    "    ],\n"
    "    temperature=0.7,\n"
    "    max_tokens=256,\n"
    "    top_p=0.9,\n"
    "    stream=True,\n"
    "    stream_options={\"include_usage\": True},\n"
    ")\n"
    "for chunk in stream:\n"
    "    if chunk.choices and chunk.choices[0].delta.content:\n"
    "        print(chunk.choices[0].delta.content, end=\"\", flush=True)\n"
    "print()\n";
const char *const StreamJs =
    "// npm install openai; then: GATEHOUSE_API_KEY=... node chat.mjs\n"
    "import OpenAI from \"openai\";\n"
    "\n"
    "const client = new OpenAI({\n"
    "  baseURL: \"http://127.0.0.1:4141/v1\",\n"
    "  apiKey: process.env.GATEHOUSE_API_KEY,\n"
    "});\n"
    "\n"
    "const stream = await client.chat.completions.create({\n"
    "  model: \"fast\",\n"
    "  messages: [\n"
    "    { role: \"system\", content: \"Be brief.\" },\n"
    "    { role: \"user\", content: \"Say \\\"hi\\\" — it's 5°C\\nthanks\" },\n"
    "  ],\n"
    "  temperature: 0.7,\n"
    "  max_tokens: 256,\n"
    "  top_p: 0.9,\n"
    "  stream: true,\n"
    "  stream_options: { include_usage: true },\n"
    "});\n"
    "for await (const chunk of stream) {\n"
    "  process.stdout.write(chunk.choices[0]?.delta?.content ?? \"\");\n"
    "}\n"
    "process.stdout.write(\"\\n\");\n";
const char *const PlainCurl =
    "curl http://127.0.0.1:4141/v1/chat/completions \\\n"
    "  -H \"Authorization: Bearer $GATEHOUSE_API_KEY\" \\\n"
    "  -H \"Content-Type: application/json\" \\\n"
    "  -d '{\n"
    "    \"max_tokens\": 256,\n"
    "    \"messages\": [\n"
    "        {\n"
    "            \"content\": \"Be brief.\",\n"
    "            \"role\": \"system\"\n"
    "        },\n"
    "        {\n"
    "            \"content\": \"Say \\\"hi\\\" — it'\\''s 5°C\\nthanks\",\n"
    "            \"role\": \"user\"\n"
    "        }\n"
    "    ],\n"
    "    \"model\": \"fast\",\n"
    "    \"temperature\": 0.7,\n"
    "    \"top_p\": 0.9\n"
    "}'\n";
const char *const PlainPython =
    "# pip install openai; then: GATEHOUSE_API_KEY=... python chat.py\n"
    "import os\n"
    "\n"
    "from openai import OpenAI\n"
    "\n"
    "client = OpenAI(\n"
    "    base_url=\"http://127.0.0.1:4141/v1\",\n"
    "    api_key=os.environ[\"GATEHOUSE_API_KEY\"],\n"
    ")\n"
    "\n"
    "completion = client.chat.completions.create(\n"
    "    model=\"fast\",\n"
    "    messages=[\n"
    "        {\"role\": \"system\", \"content\": \"Be brief.\"},\n"
    "        {\"role\": \"user\", \"content\": \"Say \\\"hi\\\" — it's 5°C\\nthanks\"},\n"
    "    ],\n"
    "    temperature=0.7,\n"
    "    max_tokens=256,\n"
    "    top_p=0.9,\n"
    ")\n"
    "print(completion.choices[0].message.content)\n";
const char *const PlainJs =
    "// npm install openai; then: GATEHOUSE_API_KEY=... node chat.mjs\n"
    "import OpenAI from \"openai\";\n"
    "\n"
    "const client = new OpenAI({\n"
    "  baseURL: \"http://127.0.0.1:4141/v1\",\n"
    "  apiKey: process.env.GATEHOUSE_API_KEY,\n"
    "});\n"
    "\n"
    "const completion = await client.chat.completions.create({\n"
    "  model: \"fast\",\n"
    "  messages: [\n"
    "    { role: \"system\", content: \"Be brief.\" },\n"
    "    { role: \"user\", content: \"Say \\\"hi\\\" — it's 5°C\\nthanks\" },\n"
    "  ],\n"
    "  temperature: 0.7,\n"
    "  max_tokens: 256,\n"
    "  top_p: 0.9,\n"
    "});\n"
    "console.log(completion.choices[0].message.content);\n";
QString text(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

// An OpenAI-style chat completions endpoint answering "Hello there" as SSE chunks or as
// one JSON object (it cannot see the body, so it is told which).
UpstreamReply chatAnswer(bool stream)
{
    if (!stream) {
        return UpstreamReply::respond(
            200,
            "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
            "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            "\"Hello there\"},\"finish_reason\":\"stop\"}],"
            "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}",
            {{"Content-Type", "application/json"}});
    }
    QByteArray events;
    for (const char *piece : {"Hello", " there"}) {
        events +=
            QByteArray("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                       "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"") +
            piece + "\"},\"finish_reason\":null}]}\n\n";
    }
    events += "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
              "\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
              "\"total_tokens\":5}}\n\n";
    events += "data: [DONE]\n\n";
    return UpstreamReply::respond(200, events, {{"Content-Type", "text/event-stream"}});
}

// The test clients' node_modules (tests/clients, installed by packaging/install-deps.sh).
QString clientModules()
{
    return QStringLiteral(GATEHOUSE_SOURCE_DIR "/tests/clients/node_modules");
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QString &program, const QStringList &arguments, const QString &key,
        const QString &workDir = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(PlaygroundSnippets::keyVariable(), key);
    environment.remove(QStringLiteral("http_proxy"));
    environment.remove(QStringLiteral("HTTP_PROXY"));
    environment.remove(QStringLiteral("all_proxy"));
    process.setProcessEnvironment(environment);
    if (!workDir.isEmpty())
        process.setWorkingDirectory(workDir);
    process.start(program, arguments);
    if (!process.waitForFinished(60000))
        process.kill();
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class TestPlaygroundSnippets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void streamingSnippets();
    void wholeAnswerSnippets();
    void unsetParametersAreLeftOut();
    void curlRuns();
    void javaScriptRunsWithTheOfficialSdk_data();
    void javaScriptRunsWithTheOfficialSdk();
    void pythonIsValidSyntax();
};

void TestPlaygroundSnippets::streamingSnippets()
{
    const PlaygroundParams params = fullParams(true);
    QCOMPARE(PlaygroundSnippets::curl(GatewayUrl, params), text(StreamCurl));
    QCOMPARE(PlaygroundSnippets::python(GatewayUrl, params), text(StreamPython));
    QCOMPARE(PlaygroundSnippets::javaScript(GatewayUrl, params), text(StreamJs));
}

void TestPlaygroundSnippets::wholeAnswerSnippets()
{
    const PlaygroundParams params = fullParams(false);
    QCOMPARE(PlaygroundSnippets::curl(GatewayUrl, params), text(PlainCurl));
    QCOMPARE(PlaygroundSnippets::python(GatewayUrl, params), text(PlainPython));
    QCOMPARE(PlaygroundSnippets::javaScript(GatewayUrl, params), text(PlainJs));
}

void TestPlaygroundSnippets::unsetParametersAreLeftOut()
{
    PlaygroundParams params;
    params.model = QStringLiteral("local/llama3.2:latest");
    params.prompt = QStringLiteral("Hi");
    params.stream = false;
    const QString url = QStringLiteral("http://127.0.0.1:5000/"); // trailing slash
    const QString python = PlaygroundSnippets::python(url, params);
    QVERIFY2(python.contains(QLatin1String("base_url=\"http://127.0.0.1:5000/v1\",")),
             qPrintable(python));
    QVERIFY(python.contains(QLatin1String("    model=\"local/llama3.2:latest\",\n"
                                          "    messages=[\n"
                                          "        {\"role\": \"user\", \"content\": \"Hi\"},\n"
                                          "    ],\n"
                                          ")\n")));
    for (const QString &snippet : {python, PlaygroundSnippets::javaScript(url, params),
                                   PlaygroundSnippets::curl(url, params)}) {
        for (const char *absent : {"system", "temperature", "max_tokens", "top_p", "stream"})
            QVERIFY2(!snippet.contains(QLatin1String(absent)), absent);
        QVERIFY(snippet.contains(QLatin1String("127.0.0.1:5000/v1")));
        QVERIFY(!snippet.contains(QLatin1String("5000//v1")));
    }
    QCOMPARE(PlaygroundSnippets::quoted(QStringLiteral("a\\b\t\"c\"")),
             QStringLiteral("\"a\\\\b\\t\\\"c\\\"\""));
}

void TestPlaygroundSnippets::curlRuns()
{
    const QString bash = QStandardPaths::findExecutable(QStringLiteral("bash"));
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (bash.isEmpty() || curl.isEmpty())
        QSKIP("needs bash and curl");
    ScriptedUpstream upstream([](const SeenRequest &) { return chatAnswer(true); });
    QVERIFY(upstream.start());
    const QString snippet = PlaygroundSnippets::curl(upstream.url(), fullParams(true));
    const Run result = run(bash, {QStringLiteral("-c"), snippet}, QStringLiteral("gh-snippet-key"));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains("\"content\":\"Hello\"") &&
                 result.out.endsWith("data: [DONE]\n\n"),
             result.out.constData());
    const SeenRequest seen = upstream.last();
    QCOMPARE(seen.method, QByteArray("POST"));
    QCOMPARE(seen.target, QByteArray("/v1/chat/completions"));
    QCOMPARE(seen.header("authorization"), QByteArray("Bearer gh-snippet-key"));
    QCOMPARE(seen.header("content-type"), QByteArray("application/json"));
    // The body arrived whole: the shell quoting held (a ' in the prompt).
    QCOMPARE(seen.bodyBytes, qint64(QJsonDocument(PlaygroundRequest::body(fullParams(true)))
                                        .toJson(QJsonDocument::Indented)
                                        .trimmed()
                                        .size()));
}

void TestPlaygroundSnippets::javaScriptRunsWithTheOfficialSdk_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("stream") << true;
    QTest::newRow("whole answer") << false;
}

void TestPlaygroundSnippets::javaScriptRunsWithTheOfficialSdk()
{
    QFETCH(bool, stream);
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty() || !QFile::exists(clientModules() + QStringLiteral("/openai/package.json")))
        QSKIP("needs node and the openai SDK in tests/clients (packaging/install-deps.sh)");
    ScriptedUpstream upstream([stream](const SeenRequest &) { return chatAnswer(stream); });
    QVERIFY(upstream.start());
    QTemporaryDir dir;
    QVERIFY(QFile::link(clientModules(), dir.filePath(QStringLiteral("node_modules"))));
    QFile file(dir.filePath(QStringLiteral("chat.mjs")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(PlaygroundSnippets::javaScript(upstream.url(), fullParams(stream)).toUtf8());
    file.close();

    const Run result = run(node, {file.fileName()}, QStringLiteral("gh-snippet-key"), dir.path());
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.out, QByteArray("Hello there\n"));
    const SeenRequest seen = upstream.last();
    QCOMPARE(seen.target, QByteArray("/v1/chat/completions"));
    QCOMPARE(seen.header("authorization"), QByteArray("Bearer gh-snippet-key"));
}

void TestPlaygroundSnippets::pythonIsValidSyntax()
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP("needs python3");
    for (bool stream : {true, false}) {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("chat.py")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(PlaygroundSnippets::python(GatewayUrl, fullParams(stream)).toUtf8());
        file.close();
        // Parsed, not run: the openai package is not among the test dependencies.
        const Run result = run(python,
                               {QStringLiteral("-c"),
                                QStringLiteral("import ast, sys; ast.parse(open(sys.argv[1], "
                                               "encoding='utf-8').read())"),
                                file.fileName()},
                               {});
        QVERIFY2(result.exitCode == 0, result.err.constData());
    }
}

QTEST_MAIN(TestPlaygroundSnippets)
#include "tst_playgroundsnippets.moc"
