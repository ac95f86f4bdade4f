#include "PlaygroundSnippets.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gh {

namespace {

QString apiBase(const QString &gatewayUrl)
{
    QString base = gatewayUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    return base + QStringLiteral("/v1");
}

QString number(double value)
{
    return QString::number(value, 'g', 15);
}

// The keyword arguments (Python) or properties (JS) after model and messages, one per
// line, in the order the OpenAI docs list them.
QStringList parameters(const PlaygroundParams &params, bool python)
{
    const QString assign = python ? QStringLiteral("=") : QStringLiteral(": ");
    QStringList lines;
    if (params.temperature)
        lines.append(QStringLiteral("temperature") + assign + number(*params.temperature));
    if (params.maxTokens)
        lines.append(QStringLiteral("max_tokens") + assign + QString::number(*params.maxTokens));
    if (params.topP)
        lines.append(QStringLiteral("top_p") + assign + number(*params.topP));
    if (params.stream) {
        lines.append(QStringLiteral("stream") + assign +
                     (python ? QStringLiteral("True") : QStringLiteral("true")));
        lines.append(python ? QStringLiteral("stream_options={\"include_usage\": True}")
                            : QStringLiteral("stream_options: { include_usage: true }"));
    }
    return lines;
}

} // namespace

QString PlaygroundSnippets::keyVariable()
{
    return QStringLiteral("GATEHOUSE_API_KEY");
}

QString PlaygroundSnippets::quoted(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2)); // without the [ ]
}

QString PlaygroundSnippets::curl(const QString &gatewayUrl, const PlaygroundParams &params)
{
    QString json = QString::fromUtf8(
        QJsonDocument(PlaygroundRequest::body(params)).toJson(QJsonDocument::Indented));
    json = json.trimmed();
    // Inside '…' the shell takes everything literally, except ' itself.
    json.replace(u'\'', QStringLiteral("'\\''"));
    QString snippet = QStringLiteral("curl ");
    if (params.stream)
        snippet += QStringLiteral("-N "); // print events as they arrive
    snippet += apiBase(gatewayUrl) + QStringLiteral("/chat/completions \\\n");
    snippet += QStringLiteral("  -H \"Authorization: Bearer $%1\" \\\n").arg(keyVariable());
    snippet += QStringLiteral("  -H \"Content-Type: application/json\" \\\n");
    snippet += QStringLiteral("  -d '%1'\n").arg(json);
    return snippet;
}

QString PlaygroundSnippets::python(const QString &gatewayUrl, const PlaygroundParams &params)
{
    QString s;
    s += QStringLiteral("# pip install openai; then: %1=... python chat.py\n").arg(keyVariable());
    s += QStringLiteral("import os\n\nfrom openai import OpenAI\n\n");
    s += QStringLiteral("client = OpenAI(\n");
    s += QStringLiteral("    base_url=%1,\n").arg(quoted(apiBase(gatewayUrl)));
    s += QStringLiteral("    api_key=os.environ[%1],\n").arg(quoted(keyVariable()));
    s += QStringLiteral(")\n\n");
    s += params.stream ? QStringLiteral("stream") : QStringLiteral("completion");
    s += QStringLiteral(" = client.chat.completions.create(\n");
    s += QStringLiteral("    model=%1,\n").arg(quoted(params.model));
    s += QStringLiteral("    messages=[\n");
    if (!params.system.isEmpty())
        s += QStringLiteral("        {\"role\": \"system\", \"content\": %1},\n")
                 .arg(quoted(params.system));
    s += QStringLiteral("        {\"role\": \"user\", \"content\": %1},\n")
             .arg(quoted(params.prompt));
    s += QStringLiteral("    ],\n");
    for (const QString &line : parameters(params, true))
        s += QStringLiteral("    ") + line + QStringLiteral(",\n");
    s += QStringLiteral(")\n");
    if (params.stream) {
        s += QStringLiteral("for chunk in stream:\n"
                            "    if chunk.choices and chunk.choices[0].delta.content:\n"
                            "        print(chunk.choices[0].delta.content, end=\"\", flush=True)\n"
                            "print()\n");
    } else {
        s += QStringLiteral("print(completion.choices[0].message.content)\n");
    }
    return s;
}

QString PlaygroundSnippets::javaScript(const QString &gatewayUrl, const PlaygroundParams &params)
{
    QString s;
    s += QStringLiteral("// npm install openai; then: %1=... node chat.mjs\n").arg(keyVariable());
    s += QStringLiteral("import OpenAI from \"openai\";\n\n");
    s += QStringLiteral("const client = new OpenAI({\n");
    s += QStringLiteral("  baseURL: %1,\n").arg(quoted(apiBase(gatewayUrl)));
    s += QStringLiteral("  apiKey: process.env.%1,\n").arg(keyVariable());
    s += QStringLiteral("});\n\n");
    s += params.stream ? QStringLiteral("const stream") : QStringLiteral("const completion");
    s += QStringLiteral(" = await client.chat.completions.create({\n");
    s += QStringLiteral("  model: %1,\n").arg(quoted(params.model));
    s += QStringLiteral("  messages: [\n");
    if (!params.system.isEmpty())
        s += QStringLiteral("    { role: \"system\", content: %1 },\n").arg(quoted(params.system));
    s += QStringLiteral("    { role: \"user\", content: %1 },\n").arg(quoted(params.prompt));
    s += QStringLiteral("  ],\n");
    for (const QString &line : parameters(params, false))
        s += QStringLiteral("  ") + line + QStringLiteral(",\n");
    s += QStringLiteral("});\n");
    if (params.stream) {
        s += QStringLiteral("for await (const chunk of stream) {\n"
                            "  process.stdout.write(chunk.choices[0]?.delta?.content ?? \"\");\n"
                            "}\n"
                            "process.stdout.write(\"\\n\");\n");
    } else {
        s += QStringLiteral("console.log(completion.choices[0].message.content);\n");
    }
    return s;
}

} // namespace gh
