#include "config/ConfigLoader.h"
#include "config/ConfigValidator.h"
#include "config/YamlWriter.h"

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

// Writes `root`, reads it back, and checks that nothing changed on the way.
bool roundTrips(const QJsonObject &root, QByteArray *written = nullptr)
{
    const QByteArray yaml = YamlWriter::write(root);
    if (written)
        *written = yaml;
    const ConfigDocument doc = ConfigLoader::parse(yaml, ConfigFormat::Yaml);
    if (!doc.problems.isEmpty() || doc.root != root) {
        qWarning().noquote() << "written:\n" + QString::fromUtf8(yaml);
        qWarning().noquote() << "problems:" << problemStrings(doc.problems);
        qWarning().noquote() << "read back:\n" +
                                    QString::fromUtf8(QJsonDocument(doc.root).toJson());
        qWarning().noquote() << "expected:\n" + QString::fromUtf8(QJsonDocument(root).toJson());
        return false;
    }
    return true;
}

} // namespace

class TestYamlWriter : public QObject
{
    Q_OBJECT

private slots:
    void exampleRoundTrips_data();
    void exampleRoundTrips();
    void trickyStrings_data();
    void trickyStrings();
    void numbersAndOtherScalars();
    void emptyCollections();
    void nestedLists();
    void referencesAlwaysQuoted();
    void keyOrderFollowsSpec();
    void exactOutput();
};

void TestYamlWriter::exampleRoundTrips_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("yaml") << QStringLiteral(GATEHOUSE_SOURCE_DIR "/examples/gatehouse.yaml");
    QTest::newRow("json") << QStringLiteral(GATEHOUSE_SOURCE_DIR "/examples/gatehouse.json");
}

void TestYamlWriter::exampleRoundTrips()
{
    QFETCH(QString, file);
    ConfigDocument doc = ConfigLoader::loadFile(file);
    QVERIFY(doc.problems.isEmpty());
    // As written by the user...
    QVERIFY(roundTrips(doc.root));
    // ...and normalized, as an export would write it; the export validates cleanly.
    QVERIFY(ConfigValidator::validate(doc.root).isEmpty());
    QByteArray written;
    QVERIFY(roundTrips(doc.root, &written));
    ConfigDocument again = ConfigLoader::parse(written, ConfigFormat::Yaml);
    QVERIFY(ConfigValidator::validate(again.root).isEmpty());
    QCOMPARE(again.root, doc.root);
}

void TestYamlWriter::trickyStrings_data()
{
    QTest::addColumn<QString>("text");
    const QStringList texts{
        "plain",
        "a: b",
        "a:b",
        "ends with colon:",
        "#comment",
        "a #b",
        "a#b",
        " leading space",
        "trailing space ",
        "  ",
        "",
        "yes",
        "No",
        "on",
        "y",
        "null",
        "Null",
        "~",
        "true",
        "TRUE",
        "123",
        "010",
        "-5",
        "1.5",
        "1e3",
        ".5",
        "0x1F",
        "0o17",
        ".inf",
        ".NaN",
        "2027-06-30",
        "multi\nline",
        "multi\nline\n",
        "ends with blank lines\n\n\n",
        "inner\n\nblank line",
        "\nleading newline",
        "  indented\nsecond",
        "first\n  indented second\n",
        "trailing spaces  \non a line",
        "tab\there",
        "carriage\r\nreturn",
        "unicode é 日本語 🎉",
        "quote \" and \\ backslash",
        "'single'",
        "\"double\"",
        "${env:OPENAI_API_KEY}",
        "${file:/a b.pem}",
        "[x]",
        "{x}",
        "a, b",
        "a,b",
        "-",
        "- x",
        "-x",
        "?",
        "? x",
        "*star",
        "&anchor",
        "!tag",
        "%pct",
        "@at",
        "`tick",
        "|",
        ">",
        "=",
        "<<",
        "http://127.0.0.1:9000/a?b=c#frag",
        "{{text}} is a template",
        QString(QChar(0x2028)) + "separator",
        QString(QChar(0x01)) + "control",
        QString(QChar(0xfeff)) + "bom",
        "\x7f"
        "delete",
        QString(QChar(0x85)) + "next line",
    };
    for (const QString &text : texts)
        QTest::newRow(qPrintable(
            QString::fromLatin1(QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact))))
            << text;
}

void TestYamlWriter::trickyStrings()
{
    QFETCH(QString, text);
    // In block and flow context, as a value, a list item and a key.
    QJsonObject root{{"value", text},
                     {"list", QJsonArray{text, "other"}},
                     {"long_list", QJsonArray{text, QString(90, u'x')}},
                     {"nested", QJsonObject{{"deeper", QJsonArray{QJsonObject{{"v", text}}}}}}};
    if (!text.isEmpty())
        root.insert(text, 1);
    QVERIFY(roundTrips(root));
}

void TestYamlWriter::numbersAndOtherScalars()
{
    const QJsonObject root{
        {"zero", 0},
        {"negative", -5},
        {"big", Q_INT64_C(9007199254740993)},
        {"price", 0.075},
        {"third", 1.0 / 3.0},
        {"tiny", 1.5e-7},
        {"huge", 1e20},
        {"integral_double", 20.0},
        {"yes", true},
        {"no", false},
        {"nothing", QJsonValue::Null},
        {"mixed", QJsonArray{1, 2.5, true, QJsonValue::Null, "1", "true"}},
    };
    QByteArray written;
    QVERIFY(roundTrips(root, &written));
    QVERIFY(written.contains("price: 0.075\n"));
    QVERIFY(written.contains("big: 9007199254740993\n"));
    QVERIFY(written.contains("mixed: [1, 2.5, true, null, \"1\", \"true\"]\n"));
}

void TestYamlWriter::emptyCollections()
{
    QByteArray written;
    QVERIFY(roundTrips(QJsonObject(), &written));
    QCOMPARE(written, QByteArray("{}\n"));
    const QJsonObject root{
        {"list", QJsonArray()},
        {"map", QJsonObject()},
        {"nested", QJsonArray{QJsonArray(), QJsonObject()}},
        {"providers", QJsonArray{QJsonObject{{"name", "a"}, {"headers", QJsonObject()}}}}};
    QVERIFY(roundTrips(root, &written));
    QVERIFY(written.contains("list: []\n"));
    QVERIFY(written.contains("map: {}\n"));
    QVERIFY(written.contains("    headers: {}\n"));
}

void TestYamlWriter::nestedLists()
{
    const QJsonObject root{
        {"matrix",
         QJsonArray{QJsonArray{1, 2}, QJsonArray{QJsonArray{"a"}, QJsonObject{{"k", "v"}}},
                    QJsonArray{QJsonObject{{"a", 1}, {"b", QJsonArray{QJsonObject{{"c", 2}}}}}}}},
        {"text_list", QJsonArray{"one\ntwo", "three"}},
    };
    QVERIFY(roundTrips(root));
}

void TestYamlWriter::referencesAlwaysQuoted()
{
    const QJsonObject root{
        {"providers", QJsonArray{QJsonObject{
                          {"name", "openai"}, {"type", "openai"}, {"api_key", "${env:KEY}"}}}},
        {"consumers",
         QJsonArray{QJsonObject{{"name", "me"}, {"keys", QJsonArray{"${env:GATEHOUSE_KEY}"}}}}},
    };
    QByteArray written;
    QVERIFY(roundTrips(root, &written));
    QVERIFY(written.contains("    api_key: \"${env:KEY}\"\n"));
    QVERIFY(written.contains("    keys: [\"${env:GATEHOUSE_KEY}\"]\n"));
}

void TestYamlWriter::keyOrderFollowsSpec()
{
    ConfigDocument doc =
        ConfigLoader::loadFile(QStringLiteral(GATEHOUSE_SOURCE_DIR "/examples/gatehouse.yaml"));
    QVERIFY(ConfigValidator::validate(doc.root).isEmpty());
    const QString yaml = QString::fromUtf8(YamlWriter::write(doc.root));

    // Sections in SPEC order.
    qsizetype last = -1;
    const QStringList sections{"providers:", "models:", "prices:",      "consumers:",
                               "services:",  "routes:", "prompt_apis:", "settings:"};
    for (const QString &section : sections) {
        const qsizetype at = yaml.indexOf(u'\n' + section);
        QVERIFY2(at > last || (last == -1 && yaml.startsWith(section)), qPrintable(section));
        last = std::max(at, qsizetype(0));
    }
    // Entity keys in SPEC order, name first.
    QVERIFY(yaml.startsWith("providers:\n"
                            "  - name: openai\n"
                            "    type: openai\n"
                            "    base_url: https://api.openai.com/v1\n"
                            "    api_key: \"${env:OPENAI_API_KEY}\"\n"
                            "    headers: {}\n"
                            "    timeout_ms: 600000\n"));
    QVERIFY(yaml.contains("    match:\n"
                          "      paths: [/billing]\n"
                          "      methods: [GET, POST]\n"
                          "      hosts: []\n"
                          "    service: billing\n"));
}

void TestYamlWriter::exactOutput()
{
    const QJsonObject root{
        {"settings", QJsonObject{{"ai_auth", "key"}, {"cache", QJsonObject{{"max_mb", 256}}}}},
        {"prompt_apis",
         QJsonArray{QJsonObject{
             {"name", "p"},
             {"path", "/p"},
             {"template", "Line one: {{text}}\nLine two\n"},
             {"inputs", QJsonObject{{"text", QJsonObject{{"type", "string"}, {"required", true}}}}},
         }}},
        {"zeta", "unknown sections come last"},
    };
    const QByteArray expected = "prompt_apis:\n"
                                "  - name: p\n"
                                "    path: /p\n"
                                "    template: |\n"
                                "      Line one: {{text}}\n"
                                "      Line two\n"
                                "    inputs:\n"
                                "      text:\n"
                                "        type: string\n"
                                "        required: true\n"
                                "\n"
                                "settings:\n"
                                "  ai_auth: key\n"
                                "  cache:\n"
                                "    max_mb: 256\n"
                                "\n"
                                "zeta: unknown sections come last\n";
    QCOMPARE(YamlWriter::write(root), expected);
    QVERIFY(roundTrips(root));
}

QTEST_GUILESS_MAIN(TestYamlWriter)
#include "tst_yamlwriter.moc"
