#include "secrets/MemorySecretStore.h"
#include "secrets/SecretReference.h"
#include "secrets/SecretResolver.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace gh;

Q_DECLARE_METATYPE(gh::SecretReference::Kind)
Q_DECLARE_METATYPE(gh::SecretResult::Error)

class TestSecretReference : public QObject
{
    Q_OBJECT

private:
    static QString noKeychain()
    {
        return QStringLiteral("no OS keychain available (no Secret Service on D-Bus); "
                              "use ${env:NAME} or ${file:PATH} references instead");
    }

    static void writeFile(const QString &path, const QByteArray &data)
    {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(file.errorString()));
        QCOMPARE(file.write(data), data.size());
    }

private Q_SLOTS:
    void looksLikeReference()
    {
        QVERIFY(SecretReference::looksLikeReference(QStringLiteral("${env:X}")));
        QVERIFY(SecretReference::looksLikeReference(QStringLiteral("${")));
        QVERIFY(!SecretReference::looksLikeReference(QStringLiteral("sk-abc")));
        QVERIFY(!SecretReference::looksLikeReference(QStringLiteral(" ${env:X}")));
        QVERIFY(!SecretReference::looksLikeReference(QStringLiteral("$env:X")));
        QVERIFY(!SecretReference::looksLikeReference(QString()));
    }

    void parseValid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<SecretReference::Kind>("kind");
        QTest::addColumn<QString>("name");

        using Kind = SecretReference::Kind;
        QTest::newRow("env") << "${env:OPENAI_API_KEY}" << Kind::Env << "OPENAI_API_KEY";
        QTest::newRow("env underscore") << "${env:_x9}" << Kind::Env << "_x9";
        QTest::newRow("env lower") << "${env:key}" << Kind::Env << "key";
        QTest::newRow("file absolute")
            << "${file:/run/secrets/openai}" << Kind::File << "/run/secrets/openai";
        QTest::newRow("file home")
            << "${file:~/.config/key.txt}" << Kind::File << "~/.config/key.txt";
        QTest::newRow("file spaces") << "${file:/my keys/a b}" << Kind::File << "/my keys/a b";
        QTest::newRow("file colon") << "${file:/a:b}" << Kind::File << "/a:b";
        QTest::newRow("keychain") << "${keychain:openai}" << Kind::Keychain << "openai";
        QTest::newRow("keychain punctuation")
            << "${keychain:provider/openai-api_key.v2@me:1}" << Kind::Keychain
            << "provider/openai-api_key.v2@me:1";
    }

    void parseValid()
    {
        QFETCH(QString, text);
        QFETCH(SecretReference::Kind, kind);
        QFETCH(QString, name);

        const auto reference = SecretReference::parse(text);
        QVERIFY(reference);
        QCOMPARE(reference->kind(), kind);
        QCOMPARE(reference->name(), name);
        QCOMPARE(reference->toString(), text);
        QCOMPARE(SecretReference::parse(reference->toString()), reference);

        const auto orError = SecretReference::parseOrError(text);
        QVERIFY(std::holds_alternative<SecretReference>(orError));
        QCOMPARE(std::get<SecretReference>(orError), *reference);
    }

    void parseMalformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");

        QTest::newRow("literal") << "sk-abc"
                                 << "not a secret reference (expected ${env:NAME}, ${file:PATH} "
                                    "or ${keychain:NAME})";
        QTest::newRow("empty env name") << "${env:}"
                                        << "secret reference \"${env:}\" has an empty name";
        QTest::newRow("empty file path") << "${file:}"
                                         << "secret reference \"${file:}\" has an empty path";
        QTest::newRow("empty keychain name")
            << "${keychain:}"
            << "secret reference \"${keychain:}\" has an empty name";
        QTest::newRow("unknown scheme") << "${vault:x}"
                                        << "unknown secret reference scheme \"vault\" in "
                                           "\"${vault:x}\" (expected env, file or keychain)";
        QTest::newRow("scheme is case sensitive")
            << "${ENV:X}"
            << "unknown secret reference scheme \"ENV\" in \"${ENV:X}\" (expected env, file or "
               "keychain)";
        QTest::newRow("empty scheme")
            << "${:x}"
            << "unknown secret reference scheme \"\" in \"${:x}\" (expected env, file or keychain)";
        QTest::newRow("missing brace")
            << "${env:OPENAI_API_KEY"
            << "secret reference \"${env:OPENAI_API_KEY\" is missing the closing \"}\"";
        QTest::newRow("only opening") << "${"
                                      << "secret reference \"${\" is missing the closing \"}\"";
        QTest::newRow("no scheme") << "${OPENAI_API_KEY}"
                                   << "secret reference \"${OPENAI_API_KEY}\" has no scheme "
                                      "(expected ${env:NAME}, ${file:PATH} or ${keychain:NAME})";
        QTest::newRow("empty braces") << "${}"
                                      << "secret reference \"${}\" has no scheme (expected "
                                         "${env:NAME}, ${file:PATH} or ${keychain:NAME})";
        QTest::newRow("trailing text")
            << "${env:X}abc"
            << "unexpected text after \"}\" in secret reference \"${env:X}abc\"";
        QTest::newRow("double brace")
            << "${env:X}}"
            << "unexpected text after \"}\" in secret reference \"${env:X}}\"";
        QTest::newRow("nested")
            << "${env:${env:X}}"
            << "nested secret references are not supported: \"${env:${env:X}}\"";
        QTest::newRow("env starts with digit")
            << "${env:1KEY}"
            << "invalid environment variable name \"1KEY\" in \"${env:1KEY}\" (names match "
               "[A-Za-z_][A-Za-z0-9_]*)";
        QTest::newRow("env dash") << "${env:MY-KEY}"
                                  << "invalid environment variable name \"MY-KEY\" in "
                                     "\"${env:MY-KEY}\" (names match [A-Za-z_][A-Za-z0-9_]*)";
        QTest::newRow("env space") << "${env: KEY}"
                                   << "invalid environment variable name \" KEY\" in \"${env: "
                                      "KEY}\" (names match [A-Za-z_][A-Za-z0-9_]*)";
        QTest::newRow("env non-ascii") << "${env:KÉY}"
                                       << "invalid environment variable name \"KÉY\" in "
                                          "\"${env:KÉY}\" (names match [A-Za-z_][A-Za-z0-9_]*)";
        QTest::newRow("file relative") << "${file:keys/openai}"
                                       << "file path \"keys/openai\" in \"${file:keys/openai}\" "
                                          "must be absolute or start with ~/";
        QTest::newRow("file other user's home")
            << "${file:~bob/key}"
            << "file path \"~bob/key\" in \"${file:~bob/key}\" must be absolute or start with ~/";
        QTest::newRow("file control character")
            << "${file:/a\nb}"
            << "file path in \"${file:/a\nb}\" contains a control character";
        QTest::newRow("keychain space")
            << "${keychain:my key}"
            << "invalid keychain entry name \"my key\" in \"${keychain:my key}\" (names use "
               "letters, digits and _ . - @ / :)";
        QTest::newRow("keychain quote")
            << "${keychain:a\"b}"
            << "invalid keychain entry name \"a\"b\" in \"${keychain:a\"b}\" (names use letters, "
               "digits and _ . - @ / :)";
    }

    void parseMalformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);

        QVERIFY(!SecretReference::parse(text));
        const auto orError = SecretReference::parseOrError(text);
        QVERIFY(std::holds_alternative<QString>(orError));
        QCOMPARE(std::get<QString>(orError), error);

        // The resolver reports the same message for malformed references.
        const SecretResult result = SecretResolver(nullptr, QProcessEnvironment()).resolve(text);
        if (SecretReference::looksLikeReference(text)) {
            QVERIFY(!result.ok);
            QCOMPARE(result.error, SecretResult::Invalid);
            QCOMPARE(result.message, error);
        }
    }

    void filePathExpandsHome()
    {
        const auto home = SecretReference::parse(QStringLiteral("${file:~/.keys/openai}"));
        QVERIFY(home);
        QCOMPARE(home->filePath(), QDir::homePath() + QStringLiteral("/.keys/openai"));
        QCOMPARE(home->toString(), QStringLiteral("${file:~/.keys/openai}"));

        const auto absolute = SecretReference::parse(QStringLiteral("${file:/etc/key}"));
        QVERIFY(absolute);
        QCOMPARE(absolute->filePath(), QStringLiteral("/etc/key"));
    }

    void literalsPassThrough_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("key") << "sk-proj-abc123";
        QTest::newRow("empty") << "";
        QTest::newRow("dollar inside") << "abc${env:X}";
        QTest::newRow("leading space") << " ${env:X}";
    }

    void literalsPassThrough()
    {
        QFETCH(QString, text);
        const SecretResult result = SecretResolver(nullptr, QProcessEnvironment()).resolve(text);
        QVERIFY(result.ok);
        QCOMPARE(result.error, SecretResult::None);
        QCOMPARE(result.value, text);
    }

    void resolveEnv_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("valueOrMessage");

        QTest::newRow("set") << "${env:OPENAI_API_KEY}" << true << "sk-test-1";
        QTest::newRow("not set")
            << "${env:ANTHROPIC_API_KEY}" << false
            << "${env:ANTHROPIC_API_KEY}: environment variable ANTHROPIC_API_KEY is not set";
        QTest::newRow("empty") << "${env:EMPTY_KEY}" << false
                               << "${env:EMPTY_KEY}: environment variable EMPTY_KEY is empty";
        QTest::newRow("case sensitive")
            << "${env:openai_api_key}" << false
            << "${env:openai_api_key}: environment variable openai_api_key is not set";
    }

    void resolveEnv()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(QString, valueOrMessage);

        QProcessEnvironment environment;
        environment.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-test-1"));
        environment.insert(QStringLiteral("EMPTY_KEY"), QString());
        const SecretResult result = SecretResolver(nullptr, environment).resolve(text);
        QCOMPARE(result.ok, ok);
        if (ok) {
            QCOMPARE(result.value, valueOrMessage);
        } else {
            QCOMPARE(result.error, SecretResult::NotFound);
            QCOMPARE(result.message, valueOrMessage);
            QVERIFY(result.value.isEmpty());
        }
    }

    void resolveEnvUsesLiveEnvironmentByDefault()
    {
        const QByteArray name = "GATEHOUSE_TST_SECRET_LIVE";
        qunsetenv(name.constData());
        SecretResolver resolver;
        const QString reference = QStringLiteral("${env:GATEHOUSE_TST_SECRET_LIVE}");
        QCOMPARE(resolver.resolve(reference).message,
                 QStringLiteral("${env:GATEHOUSE_TST_SECRET_LIVE}: environment variable "
                                "GATEHOUSE_TST_SECRET_LIVE is not set"));
        qputenv(name.constData(), "live-value");
        const SecretResult result = resolver.resolve(reference);
        qunsetenv(name.constData());
        QVERIFY(result.ok);
        QCOMPARE(result.value, QStringLiteral("live-value"));
    }

    void resolveFile_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("contents"); // null: do not create
        QTest::addColumn<bool>("ok");
        QTest::addColumn<SecretResult::Error>("error");
        QTest::addColumn<QString>("valueOrMessage"); // %1 = the file's path

        QTest::newRow("plain") << "a" << QByteArray("sk-file") << true << SecretResult::None
                               << "sk-file";
        QTest::newRow("trailing newline")
            << "b" << QByteArray("sk-file\n") << true << SecretResult::None << "sk-file";
        QTest::newRow("trailing newlines crlf")
            << "c" << QByteArray("sk-file\r\n\r\n") << true << SecretResult::None << "sk-file";
        QTest::newRow("inner newline kept")
            << "d" << QByteArray("line1\nline2\n") << true << SecretResult::None << "line1\nline2";
        QTest::newRow("utf-8") << "e" << QByteArray("cl\xc3\xa9") << true << SecretResult::None
                               << QStringLiteral("cl\u00e9");
        QTest::newRow("missing") << "missing" << QByteArray() << false << SecretResult::NotFound
                                 << "${file:%1}: cannot read %1: No such file or directory";
        QTest::newRow("empty") << "empty" << QByteArray("") << false << SecretResult::NotFound
                               << "${file:%1}: %1 is empty";
        QTest::newRow("only newline") << "newline" << QByteArray("\n") << false
                                      << SecretResult::NotFound << "${file:%1}: %1 is empty";
        QTest::newRow("unreadable")
            << "unreadable" << QByteArray("sk-secret") << false << SecretResult::AccessDenied
            << "${file:%1}: cannot read %1: Permission denied";
        QTest::newRow("directory") << "dir" << QByteArray() << false << SecretResult::Other
                                   << "${file:%1}: cannot read %1: Is a directory";
        QTest::newRow("too large")
            << "large" << QByteArray(SecretResolver::MaxFileSize + 1, 'k') << false
            << SecretResult::Other << "${file:%1}: %1 is larger than 1048576 bytes";
    }

    void resolveFile()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, contents);
        QFETCH(bool, ok);
        QFETCH(SecretResult::Error, error);
        QFETCH(QString, valueOrMessage);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(fileName);
        if (!contents.isNull())
            writeFile(path, contents);
        if (fileName == QLatin1String("dir"))
            QVERIFY(QDir(dir.path()).mkdir(fileName));
        if (fileName == QLatin1String("unreadable")) {
            if (geteuid() == 0)
                QSKIP("root reads any file");
            QVERIFY(QFile::setPermissions(path, QFile::WriteOwner));
        }

        const QString reference = QStringLiteral("${file:%1}").arg(path);
        const SecretResult result =
            SecretResolver(nullptr, QProcessEnvironment()).resolve(reference);
        QCOMPARE(result.ok, ok);
        QCOMPARE(result.error, error);
        if (ok) {
            QCOMPARE(result.value, valueOrMessage);
        } else {
            QCOMPARE(result.message, valueOrMessage.arg(path));
            QVERIFY(result.value.isEmpty());
        }
    }

    void resolveFileInHome()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QByteArray oldHome = qgetenv("HOME");
        qputenv("HOME", QFile::encodeName(home.path()));
        writeFile(home.filePath(QStringLiteral("key.txt")), "sk-home\n");
        const SecretResolver resolver(nullptr, QProcessEnvironment());
        const SecretResult found = resolver.resolve(QStringLiteral("${file:~/key.txt}"));
        const SecretResult missing = resolver.resolve(QStringLiteral("${file:~/nope}"));
        qputenv("HOME", oldHome);

        QVERIFY(found.ok);
        QCOMPARE(found.value, QStringLiteral("sk-home"));
        QCOMPARE(missing.message, QStringLiteral("${file:~/nope}: cannot read %1/nope: "
                                                 "No such file or directory")
                                      .arg(home.path()));
    }

    void resolveKeychain()
    {
        MemorySecretStore store;
        QVERIFY(store.write(QStringLiteral("openai"), QStringLiteral("sk-kc")).ok);
        QVERIFY(store.write(QStringLiteral("blank"), QString()).ok);
        const SecretResolver resolver(&store, QProcessEnvironment());
        QCOMPARE(resolver.store(), &store);

        const SecretResult found = resolver.resolve(QStringLiteral("${keychain:openai}"));
        QVERIFY(found.ok);
        QCOMPARE(found.value, QStringLiteral("sk-kc"));

        const SecretResult missing = resolver.resolve(QStringLiteral("${keychain:anthropic}"));
        QVERIFY(!missing.ok);
        QCOMPARE(missing.error, SecretResult::NotFound);
        QCOMPARE(missing.message,
                 QStringLiteral("${keychain:anthropic}: keychain entry "
                                "\"anthropic\" not found in service \"gatehouse\""));

        const SecretResult blank = resolver.resolve(QStringLiteral("${keychain:blank}"));
        QVERIFY(!blank.ok);
        QCOMPARE(blank.error, SecretResult::NotFound);
        QCOMPARE(blank.message, QStringLiteral("${keychain:blank}: keychain entry \"blank\" in "
                                               "service \"gatehouse\" is empty"));
    }

    void resolveKeychainWithoutStore()
    {
        const SecretResult result = SecretResolver(nullptr, QProcessEnvironment())
                                        .resolve(QStringLiteral("${keychain:openai}"));
        QVERIFY(!result.ok);
        QCOMPARE(result.error, SecretResult::NoBackend);
        QCOMPARE(result.message, QStringLiteral("${keychain:openai}: ") + noKeychain());
    }

    void memoryStore()
    {
        MemorySecretStore store;
        QVERIFY(!store.backendName().isEmpty());
        const QString key = QStringLiteral("k");

        SecretResult result = store.read(key);
        QCOMPARE(result.error, SecretResult::NotFound);
        QCOMPARE(result.message,
                 QStringLiteral("keychain entry \"k\" not found in service \"gatehouse\""));

        QVERIFY(store.write(key, QStringLiteral("v1")).ok);
        QCOMPARE(store.read(key).value, QStringLiteral("v1"));
        QVERIFY(store.write(key, QStringLiteral("v2")).ok);
        QCOMPARE(store.read(key).value, QStringLiteral("v2"));
        QCOMPARE(store.keys(), QStringList{key});
        QVERIFY(store.remove(key).ok);
        QCOMPARE(store.read(key).error, SecretResult::NotFound);
        QVERIFY(store.remove(key).ok); // removing twice is fine
        QVERIFY(store.keys().isEmpty());

        QCOMPARE(store.read(QString()).error, SecretResult::Invalid);
        QCOMPARE(store.write(QString(), QStringLiteral("x")).error, SecretResult::Invalid);
    }

    void resultFactories()
    {
        QCOMPARE(SecretResult::noBackend().message, noKeychain());
        QCOMPARE(SecretResult::noBackend(QStringLiteral("detail")).message,
                 noKeychain() + QStringLiteral(" (detail)"));
        QCOMPARE(SecretResult::noBackend().error, SecretResult::NoBackend);
        QVERIFY(!SecretResult::noBackend().ok);
        QVERIFY(SecretResult::success(QStringLiteral("x")).ok);
    }
};

QTEST_GUILESS_MAIN(TestSecretReference)
#include "tst_secretreference.moc"
