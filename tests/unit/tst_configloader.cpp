#include "config/ConfigLoader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
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

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void syntaxErrors_data();
    void syntaxErrors();
    void scalarTyping();
    void jsonNumbersMatchYaml();
    void duplicateKeys();
    void nonScalarKey();
    void rootMustBeMapping_data();
    void rootMustBeMapping();
    void emptyDocuments_data();
    void emptyDocuments();
    void multipleDocuments();
    void anchorsAndAliases();
    void aliasBomb();
    void unreadableFile();
    void formatFromExtension();
    void byteOrderMark();
};

void TestConfigLoader::syntaxErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("expected");

    QTest::newRow("yaml unclosed flow list")
        << QByteArray("providers: [a, b\nmodels: []\n") << int(ConfigFormat::Yaml)
        << "YAML syntax error at line 2, column 7: end of sequence flow not found";
    QTest::newRow("yaml unclosed flow map")
        << QByteArray("settings: {ai_auth: key\n") << int(ConfigFormat::Yaml)
        << "YAML syntax error at line 2, column 1: end of map flow not found";
    QTest::newRow("yaml bad indentation")
        << QByteArray("providers:\n  - name: a\n   type: openai\n") << int(ConfigFormat::Yaml)
        << "YAML syntax error at line 3, column 4: end of sequence not found";
    QTest::newRow("yaml value after value")
        << QByteArray("settings:\n  ai_auth: key: none\n") << int(ConfigFormat::Yaml)
        << "YAML syntax error at line 2, column 15: illegal map value";
    QTest::newRow("yaml tab indentation")
        << QByteArray("settings:\n\tai_auth: key\n") << int(ConfigFormat::Yaml)
        << "YAML syntax error at line 2, column 9: illegal map value";
    // Qt reports the offset just after the offending character.
    QTest::newRow("json trailing comma")
        << QByteArray("{\n  \"providers\": [],\n}\n") << int(ConfigFormat::Json)
        << "JSON syntax error at offset 22 (line 3, column 2): object is missing after a comma";
    QTest::newRow("json missing colon")
        << QByteArray("{\"settings\" {}}") << int(ConfigFormat::Json)
        << "JSON syntax error at offset 13 (line 1, column 14): missing name separator";
}

void TestConfigLoader::syntaxErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(int, format);
    QFETCH(QString, expected);

    const ConfigDocument doc = ConfigLoader::parse(text, ConfigFormat(format));
    QCOMPARE(problemStrings(doc.problems), QStringList{expected});
    QVERIFY(doc.problems.first().path.isEmpty());
}

void TestConfigLoader::scalarTyping()
{
    const QByteArray yaml = "quoted_true: \"true\"\n"
                            "single_quoted: '42'\n"
                            "plain_true: true\n"
                            "upper_false: FALSE\n"
                            "octal_looking: 010\n"
                            "negative: -7\n"
                            "hex: 0x1F\n"
                            "float: 1.5\n"
                            "exponent: 1e3\n"
                            "tilde: ~\n"
                            "null_word: null\n"
                            "empty:\n"
                            "quoted_tilde: \"~\"\n"
                            "yes_word: yes\n"
                            "date: 2027-06-30\n"
                            "infinity: .inf\n"
                            "version: v1\n"
                            "explicit_str: !!str 5\n"
                            "literal: |\n  two\n  lines\n"
                            "folded: >-\n  one\n  line\n"
                            "big: 9007199254740993\n"
                            "huge: 123456789012345678901234567890\n"
                            "list: [1, \"1\", a]\n";
    const ConfigDocument doc = ConfigLoader::parse(yaml, ConfigFormat::Yaml);
    QVERIFY2(doc.problems.isEmpty(), qPrintable(problemStrings(doc.problems).join(u'\n')));
    const QJsonObject &r = doc.root;

    QCOMPARE(r.value("quoted_true"), QJsonValue(QStringLiteral("true")));
    QCOMPARE(r.value("single_quoted"), QJsonValue(QStringLiteral("42")));
    QCOMPARE(r.value("plain_true"), QJsonValue(true));
    QCOMPARE(r.value("upper_false"), QJsonValue(false));
    QCOMPARE(r.value("octal_looking"), QJsonValue(10)); // YAML 1.2: decimal, not octal
    QCOMPARE(r.value("negative"), QJsonValue(-7));
    QCOMPARE(r.value("hex"), QJsonValue(31));
    QVERIFY(r.value("float").isDouble());
    QCOMPARE(r.value("float").toDouble(), 1.5);
    QCOMPARE(r.value("exponent").toDouble(), 1000.0);
    QVERIFY(r.value("tilde").isNull());
    QVERIFY(r.value("null_word").isNull());
    QVERIFY(r.value("empty").isNull());
    QCOMPARE(r.value("quoted_tilde"), QJsonValue(QStringLiteral("~")));
    QCOMPARE(r.value("yes_word"), QJsonValue(QStringLiteral("yes")));
    QCOMPARE(r.value("date"), QJsonValue(QStringLiteral("2027-06-30")));
    QCOMPARE(r.value("infinity"), QJsonValue(QStringLiteral(".inf")));
    QCOMPARE(r.value("version"), QJsonValue(QStringLiteral("v1")));
    QCOMPARE(r.value("explicit_str"), QJsonValue(QStringLiteral("5")));
    QCOMPARE(r.value("literal"), QJsonValue(QStringLiteral("two\nlines\n")));
    QCOMPARE(r.value("folded"), QJsonValue(QStringLiteral("one line")));
    QCOMPARE(r.value("big").toInteger(), Q_INT64_C(9007199254740993));
    QVERIFY(r.value("huge").isDouble());
    QCOMPARE(r.value("list"), QJsonValue(QJsonArray{1, QStringLiteral("1"), QStringLiteral("a")}));
}

void TestConfigLoader::jsonNumbersMatchYaml()
{
    const ConfigDocument yaml = ConfigLoader::parse(
        "a: 1\nb: 1.5\nc: [true, null, \"x\"]\nd: {e: -2}\n", ConfigFormat::Yaml);
    const ConfigDocument json = ConfigLoader::parse(
        R"({"a": 1, "b": 1.5, "c": [true, null, "x"], "d": {"e": -2}})", ConfigFormat::Json);
    QVERIFY(yaml.problems.isEmpty());
    QVERIFY(json.problems.isEmpty());
    QCOMPARE(yaml.root, json.root);
}

void TestConfigLoader::duplicateKeys()
{
    const QByteArray yaml = "settings:\n"
                            "  ai_auth: key\n"
                            "  ai_auth: none\n"
                            "providers:\n"
                            "  - name: a\n"
                            "    type: openai\n"
                            "    name: b\n"
                            "settings: {}\n";
    const ConfigDocument doc = ConfigLoader::parse(yaml, ConfigFormat::Yaml);
    QCOMPARE(problemStrings(doc.problems),
             QStringList({"settings.ai_auth: duplicate key \"ai_auth\"",
                          "providers[0].name: duplicate key \"name\"",
                          "settings: duplicate key \"settings\""}));
    QCOMPARE(doc.problems.at(1).path, QStringLiteral("providers[0].name"));
    // The first occurrence wins, so the tree is still inspectable.
    QCOMPARE(doc.root.value("settings").toObject().value("ai_auth").toString(), "key");
}

void TestConfigLoader::nonScalarKey()
{
    const ConfigDocument doc =
        ConfigLoader::parse("settings:\n  ? [a, b]\n  : 1\n", ConfigFormat::Yaml);
    QCOMPARE(problemStrings(doc.problems),
             QStringList{"settings: keys must be plain text, not a list or a mapping"});
}

void TestConfigLoader::rootMustBeMapping_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("format");
    QTest::newRow("yaml list") << QByteArray("- providers\n- models\n") << int(ConfigFormat::Yaml);
    QTest::newRow("yaml scalar") << QByteArray("42\n") << int(ConfigFormat::Yaml);
    QTest::newRow("yaml string") << QByteArray("providers\n") << int(ConfigFormat::Yaml);
    QTest::newRow("json array") << QByteArray("[{\"providers\": []}]") << int(ConfigFormat::Json);
}

void TestConfigLoader::rootMustBeMapping()
{
    QFETCH(QByteArray, text);
    QFETCH(int, format);
    const ConfigDocument doc = ConfigLoader::parse(text, ConfigFormat(format));
    QCOMPARE(problemStrings(doc.problems),
             QStringList{"the config must be a mapping of sections (providers, models, ...)"});
}

void TestConfigLoader::emptyDocuments_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("format");
    QTest::newRow("yaml empty") << QByteArray() << int(ConfigFormat::Yaml);
    QTest::newRow("yaml comments")
        << QByteArray("# nothing yet\n\n# really\n") << int(ConfigFormat::Yaml);
    QTest::newRow("yaml marker") << QByteArray("---\n") << int(ConfigFormat::Yaml);
    QTest::newRow("yaml empty map") << QByteArray("{}\n") << int(ConfigFormat::Yaml);
    QTest::newRow("json empty") << QByteArray("  \n") << int(ConfigFormat::Json);
    QTest::newRow("json empty object") << QByteArray("{}") << int(ConfigFormat::Json);
}

void TestConfigLoader::emptyDocuments()
{
    QFETCH(QByteArray, text);
    QFETCH(int, format);
    const ConfigDocument doc = ConfigLoader::parse(text, ConfigFormat(format));
    QVERIFY(doc.problems.isEmpty());
    QVERIFY(doc.root.isEmpty());
}

void TestConfigLoader::multipleDocuments()
{
    const ConfigDocument doc =
        ConfigLoader::parse("providers: []\n---\nmodels: []\n", ConfigFormat::Yaml);
    QCOMPARE(problemStrings(doc.problems),
             QStringList{"the config must be a single YAML document, found 2"});
    // A trailing document marker alone is harmless.
    QVERIFY(ConfigLoader::parse("providers: []\n---\n", ConfigFormat::Yaml).problems.isEmpty());
}

void TestConfigLoader::anchorsAndAliases()
{
    const ConfigDocument doc = ConfigLoader::parse(
        "base: &target {provider: openai, model: gpt-4o-mini}\nother: *target\n",
        ConfigFormat::Yaml);
    QVERIFY(doc.problems.isEmpty());
    QCOMPARE(doc.root.value("other"), doc.root.value("base"));
    QCOMPARE(doc.root.value("other").toObject().value("model").toString(), "gpt-4o-mini");
}

void TestConfigLoader::aliasBomb()
{
    QByteArray yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i) {
        yaml += QStringLiteral("a%1: &a%1 [*a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, "
                               "*a%2]\n")
                    .arg(i)
                    .arg(i - 1)
                    .toUtf8();
    }
    const ConfigDocument doc = ConfigLoader::parse(yaml, ConfigFormat::Yaml);
    QCOMPARE(problemStrings(doc.problems),
             QStringList{"the config is too large (more than 1000000 values)"});
}

void TestConfigLoader::unreadableFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath("missing.yaml");
    ConfigDocument doc = ConfigLoader::loadFile(missing);
    QCOMPARE(problemStrings(doc.problems),
             QStringList{"cannot read " + missing + ": No such file or directory"});
    QVERIFY(doc.problems.first().path.isEmpty());

    doc = ConfigLoader::loadFile(dir.path());
    QCOMPARE(problemStrings(doc.problems),
             QStringList{"cannot read " + dir.path() + ": it is a directory"});
}

void TestConfigLoader::formatFromExtension()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto writeFile = [&](const QString &name, const QByteArray &text) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            return QString();
        file.write(text);
        return file.fileName();
    };

    // .json is parsed as JSON even when YAML could read it.
    ConfigDocument doc = ConfigLoader::loadFile(writeFile("a.json", "settings: {}\n"));
    QCOMPARE(doc.problems.size(), 1);
    QVERIFY(doc.problems.first().message.startsWith("JSON syntax error"));

    doc = ConfigLoader::loadFile(writeFile("a.yml", "settings: {log_bodies: true}\n"));
    QVERIFY(doc.problems.isEmpty());
    QCOMPARE(doc.root.value("settings").toObject().value("log_bodies"), QJsonValue(true));

    doc = ConfigLoader::loadFile(writeFile("a.YAML", "settings: {}\n"));
    QVERIFY(doc.problems.isEmpty());

    // Without a known extension, a leading '{' means JSON.
    doc = ConfigLoader::loadFile(writeFile("a.conf", "\n  {\"settings\": {}, }"));
    QCOMPARE(doc.problems.size(), 1);
    QVERIFY(doc.problems.first().message.startsWith("JSON syntax error"));
    doc = ConfigLoader::loadFile(writeFile("b.conf", "settings: {}\n"));
    QVERIFY(doc.problems.isEmpty());
    QVERIFY(doc.root.contains("settings"));
    QCOMPARE(ConfigLoader::sniffFormat("  {"), ConfigFormat::Json);
    QCOMPARE(ConfigLoader::sniffFormat("# {"), ConfigFormat::Yaml);
}

void TestConfigLoader::byteOrderMark()
{
    const QByteArray bom = "\xEF\xBB\xBF";
    QVERIFY(ConfigLoader::parse(bom + "{\"settings\": {}}", ConfigFormat::Json).problems.isEmpty());
    QVERIFY(ConfigLoader::parse(bom + "settings: {}\n", ConfigFormat::Yaml).problems.isEmpty());
    QCOMPARE(ConfigLoader::sniffFormat(bom + "{}"), ConfigFormat::Json);
}

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
