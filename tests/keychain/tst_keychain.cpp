// Runs KeychainSecretStore against a real Secret Service: a throwaway gnome-keyring started
// by with-keyring.sh on a private D-Bus session bus. The no-keychain cases run this binary
// again as a child process ("probe mode"), since QtKeychain and libsecret pick their backend
// and bus once per process.

#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretResolver.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusVirtualObject>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <thread>
#include <vector>

using namespace gh;

namespace {

const char ProbeVariable[] = "GATEHOUSE_KEYCHAIN_PROBE";

QString noKeychain()
{
    return QStringLiteral("no OS keychain available (no Secret Service on D-Bus); "
                          "use ${env:NAME} or ${file:PATH} references instead");
}

QString uniqueKey(const QString &prefix)
{
    return QStringLiteral("%1-%2").arg(prefix).arg(QRandomGenerator::global()->generate(), 8, 16,
                                                   QLatin1Char('0'));
}

QJsonObject toJson(const QString &operation, const SecretResult &result)
{
    return QJsonObject{{QStringLiteral("operation"), operation},
                       {QStringLiteral("ok"), result.ok},
                       {QStringLiteral("error"), int(result.error)},
                       {QStringLiteral("message"), result.message}};
}

// Stands in for a Secret Service that hangs: it owns the name and answers every call late.
class SlowSecretService : public QDBusVirtualObject
{
public:
    bool handleMessage(const QDBusMessage &message, const QDBusConnection &connection) override
    {
        QTimer::singleShot(3000, this, [message, connection] {
            connection.send(message.createErrorReply(QDBusError::Failed, QStringLiteral("late")));
        });
        return true;
    }
    QString introspect(const QString &) const override { return QString(); }
};

// Probe mode: one read, write and remove, reported as JSON on stdout. "slow": a read against
// a hanging service, which must time out, then must survive the late answer.
int runProbe(const QByteArray &mode)
{
    QJsonArray results;
    if (mode == "slow") {
        SlowSecretService service;
        QDBusConnection bus = QDBusConnection::sessionBus();
        if (!bus.registerVirtualObject(QStringLiteral("/org/freedesktop/secrets"), &service,
                                       QDBusConnection::SubPath) ||
            !bus.registerService(QStringLiteral("org.freedesktop.secrets"))) {
            std::fputs("cannot register the slow secret service\n", stderr);
            return 1;
        }
        KeychainSecretStore store(std::chrono::seconds(1));
        results.append(toJson(QStringLiteral("read"), store.read(QStringLiteral("slow"))));
        // Let the late answers arrive while nobody waits for them any more.
        QEventLoop loop;
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
        bus.unregisterService(QStringLiteral("org.freedesktop.secrets"));
        bus.unregisterObject(QStringLiteral("/org/freedesktop/secrets"),
                             QDBusConnection::UnregisterTree);
    } else {
        KeychainSecretStore store(std::chrono::seconds(20));
        const QString key = QStringLiteral("gatehouse-probe");
        results = {toJson(QStringLiteral("read"), store.read(key)),
                   toJson(QStringLiteral("write"), store.write(key, QStringLiteral("x"))),
                   toJson(QStringLiteral("remove"), store.remove(key))};
    }
    std::fputs(QJsonDocument(results).toJson(QJsonDocument::Compact).constData(), stdout);
    return 0;
}

} // namespace

// Keyring cases refuse to run outside with-keyring.sh: they must never write into the
// keyring of the user who runs the binary by hand.
#define REQUIRE_TEST_KEYRING()                                                                     \
    do {                                                                                           \
        if (!qEnvironmentVariableIsSet("GATEHOUSE_TEST_KEYRING"))                                  \
            QSKIP("run through tests/keychain/with-keyring.sh (ctest does)");                      \
    } while (false)

class TestKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // First, so the very first keychain job comes from a thread that then goes away.
    void firstUseFromThreadWithoutEventLoop()
    {
        REQUIRE_TEST_KEYRING();
        const QString key = uniqueKey(QStringLiteral("thread"));
        SecretResult written, read, removed;
        std::thread worker([&] {
            KeychainSecretStore store;
            written = store.write(key, QStringLiteral("from-a-plain-thread"));
            read = store.read(key);
            removed = store.remove(key);
        });
        worker.join();
        QVERIFY2(written.ok, qPrintable(written.message));
        QVERIFY2(read.ok, qPrintable(read.message));
        QCOMPARE(read.value, QStringLiteral("from-a-plain-thread"));
        QVERIFY2(removed.ok, qPrintable(removed.message));

        // And the main thread can use it afterwards.
        KeychainSecretStore store;
        QCOMPARE(store.read(key).error, SecretResult::NotFound);
    }

    void writeReadOverwriteRemove()
    {
        REQUIRE_TEST_KEYRING();
        KeychainSecretStore store;
        QCOMPARE(store.backendName(), QStringLiteral("OS keychain"));
        const QString key = uniqueKey(QStringLiteral("openai"));

        SecretResult result = store.write(key, QStringLiteral("sk-first"));
        QVERIFY2(result.ok, qPrintable(result.message));
        result = store.read(key);
        QVERIFY2(result.ok, qPrintable(result.message));
        QCOMPARE(result.value, QStringLiteral("sk-first"));

        result = store.write(key, QStringLiteral("sk-second"));
        QVERIFY2(result.ok, qPrintable(result.message));
        QCOMPARE(store.read(key).value, QStringLiteral("sk-second"));

        result = store.remove(key);
        QVERIFY2(result.ok, qPrintable(result.message));
        result = store.read(key);
        QVERIFY(!result.ok);
        QCOMPARE(result.error, SecretResult::NotFound);
        QCOMPARE(result.message, QStringLiteral("keychain entry \"%1\" not found in service "
                                                "\"gatehouse\"")
                                     .arg(key));
        QVERIFY(result.value.isEmpty());

        // Removing what is not there is not an error.
        result = store.remove(key);
        QVERIFY2(result.ok, qPrintable(result.message));
    }

    void valuesSurviveUnchanged_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("api key") << "sk-proj-AbC_123-xyz";
        QTest::newRow("unicode") << QStringLiteral("cl\u00e9 \U0001F511 \u5bc6\u94a5");
        QTest::newRow("pem")
            << "-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----\n";
        QTest::newRow("long") << QString(8192, QLatin1Char('k'));
        QTest::newRow("spaces") << "  padded  ";
    }

    void valuesSurviveUnchanged()
    {
        REQUIRE_TEST_KEYRING();
        QFETCH(QString, value);
        KeychainSecretStore store;
        const QString key = uniqueKey(QStringLiteral("value"));
        QVERIFY(store.write(key, value).ok);
        QCOMPARE(store.read(key).value, value);
        QVERIFY(store.remove(key).ok);
    }

    // The entry is really in the Secret Service, under service "gatehouse", where other
    // tools (and a reinstalled Gatehouse) find it.
    void storedInSecretServiceUnderGatehouse()
    {
        REQUIRE_TEST_KEYRING();
        const QString secretTool = QStandardPaths::findExecutable(QStringLiteral("secret-tool"));
        if (secretTool.isEmpty())
            QSKIP("secret-tool (libsecret-tools) is not installed");
        KeychainSecretStore store;
        const QString key = uniqueKey(QStringLiteral("visible"));
        QVERIFY(store.write(key, QStringLiteral("sk-visible")).ok);

        QProcess lookup;
        lookup.start(secretTool, {QStringLiteral("lookup"), QStringLiteral("server"),
                                  QStringLiteral("gatehouse"), QStringLiteral("user"), key});
        QVERIFY(lookup.waitForFinished(10000));
        QCOMPARE(lookup.exitCode(), 0);
        QCOMPARE(lookup.readAllStandardOutput(), QByteArray("sk-visible"));

        QVERIFY(store.remove(key).ok);
        lookup.start(secretTool, {QStringLiteral("lookup"), QStringLiteral("server"),
                                  QStringLiteral("gatehouse"), QStringLiteral("user"), key});
        QVERIFY(lookup.waitForFinished(10000));
        QVERIFY(lookup.readAllStandardOutput().isEmpty());
    }

    void resolverReadsKeychainReferences()
    {
        REQUIRE_TEST_KEYRING();
        KeychainSecretStore store;
        const QString key = uniqueKey(QStringLiteral("resolver"));
        QVERIFY(store.write(key, QStringLiteral("sk-resolved")).ok);
        const SecretResolver resolver(&store, QProcessEnvironment());

        SecretResult result = resolver.resolve(QStringLiteral("${keychain:%1}").arg(key));
        QVERIFY2(result.ok, qPrintable(result.message));
        QCOMPARE(result.value, QStringLiteral("sk-resolved"));

        QVERIFY(store.remove(key).ok);
        result = resolver.resolve(QStringLiteral("${keychain:%1}").arg(key));
        QVERIFY(!result.ok);
        QCOMPARE(result.error, SecretResult::NotFound);
        QCOMPARE(result.message, QStringLiteral("${keychain:%1}: keychain entry \"%1\" not found "
                                                "in service \"gatehouse\"")
                                     .arg(key));
    }

    void concurrentCallersFromManyThreads()
    {
        REQUIRE_TEST_KEYRING();
        KeychainSecretStore store;
        constexpr int Threads = 4;
        constexpr int Rounds = 5;
        std::vector<QString> failures(Threads);
        std::vector<std::thread> workers;
        for (int t = 0; t < Threads; ++t) {
            workers.emplace_back([&store, &failures, t] {
                const QString key = uniqueKey(QStringLiteral("concurrent%1").arg(t));
                for (int round = 0; round < Rounds && failures[t].isEmpty(); ++round) {
                    const QString value = QStringLiteral("value-%1-%2").arg(t).arg(round);
                    const SecretResult written = store.write(key, value);
                    const SecretResult read = store.read(key);
                    if (!written.ok || read.value != value)
                        failures[t] = written.message + read.message + read.value;
                }
                const SecretResult removed = store.remove(key);
                if (!removed.ok)
                    failures[t] += removed.message;
            });
        }
        // Meanwhile the main thread uses the keychain too.
        const QString mainKey = uniqueKey(QStringLiteral("main"));
        QVERIFY(store.write(mainKey, QStringLiteral("main")).ok);
        QCOMPARE(store.read(mainKey).value, QStringLiteral("main"));
        QVERIFY(store.remove(mainKey).ok);
        for (auto &worker : workers)
            worker.join();
        for (int t = 0; t < Threads; ++t)
            QVERIFY2(failures[t].isEmpty(), qPrintable(failures[t]));
    }

    void emptyKeyIsInvalid()
    {
        KeychainSecretStore store;
        QCOMPARE(store.read(QString()).error, SecretResult::Invalid);
        QCOMPARE(store.write(QString(), QStringLiteral("x")).error, SecretResult::Invalid);
        QCOMPARE(store.remove(QString()).error, SecretResult::Invalid);
    }

    // Safe outside with-keyring.sh too: the child sees neither this bus nor the user's.
    void noKeychainIsReportedClearly_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::newRow("bus socket does not exist") << "missing-socket";
        QTest::newRow("bus without a secret service") << "bare-bus";
        QTest::newRow("no session bus at all") << "no-bus";
    }

    void noKeychainIsReportedClearly()
    {
        QFETCH(QString, setup);
        QElapsedTimer timer;
        timer.start();
        QJsonArray results;
        runProbeProcess(setup, "1", results);
        if (QTest::currentTestFailed())
            return;

        QCOMPARE(results.size(), 3);
        for (const QJsonValue &value : std::as_const(results)) {
            const QJsonObject result = value.toObject();
            const QByteArray context = QJsonDocument(result).toJson(QJsonDocument::Compact);
            QVERIFY2(!result.value(QStringLiteral("ok")).toBool(), context.constData());
            QVERIFY2(result.value(QStringLiteral("error")).toInt() == SecretResult::NoBackend,
                     context.constData());
            QVERIFY2(result.value(QStringLiteral("message")).toString().startsWith(noKeychain()),
                     context.constData());
        }
        qInfo("%s: %s", qPrintable(setup),
              qPrintable(results.first().toObject().value(QStringLiteral("message")).toString()));
        // It says so promptly instead of running into the timeout.
        QVERIFY2(timer.elapsed() < 15000, qPrintable(QString::number(timer.elapsed())));
    }

    // A Secret Service that hangs: the call gives up after the timeout, and the answer that
    // arrives later, when nobody waits any more, is dropped without harm.
    void hangingKeychainTimesOut()
    {
        QJsonArray results;
        runProbeProcess(QStringLiteral("bare-bus"), "slow", results);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(results.size(), 1);
        const QJsonObject result = results.first().toObject();
        QVERIFY(!result.value(QStringLiteral("ok")).toBool());
        QCOMPARE(result.value(QStringLiteral("error")).toInt(), int(SecretResult::Other));
        QCOMPARE(result.value(QStringLiteral("message")).toString(),
                 QStringLiteral("the OS keychain did not answer within 1 s "
                                "(is it locked and waiting for a password?)"));
    }

private:
    // Runs this binary in probe mode with the given D-Bus setup; fills results from its output.
    void runProbeProcess(const QString &setup, const QByteArray &mode, QJsonArray &results)
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QString::fromLatin1(ProbeVariable), QString::fromLatin1(mode));
        // Keeps GDBus from finding a bus at $XDG_RUNTIME_DIR/bus.
        environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir.path());
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP",
                                 "DESKTOP_SESSION", "KDE_FULL_SESSION", "KDE_SESSION_VERSION",
                                 "GNOME_DESKTOP_SESSION_ID", "DBUS_SESSION_BUS_ADDRESS"})
            environment.remove(QString::fromLatin1(name));

        QString program = QCoreApplication::applicationFilePath();
        QStringList arguments;
        if (setup == QLatin1String("missing-socket")) {
            environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                               QStringLiteral("unix:path=%1/no-such-socket").arg(dir.path()));
        } else if (setup == QLatin1String("bare-bus")) {
            // A session bus that can start no services, as on a headless server with D-Bus
            // but no keyring installed.
            const QString config = dir.filePath(QStringLiteral("bus.conf"));
            QFile file(config);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QStringLiteral(
                           "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                           "Configuration 1.0//EN\" "
                           "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                           "<busconfig><type>session</type><listen>unix:tmpdir=%1</listen>"
                           "<auth>EXTERNAL</auth><policy context=\"default\">"
                           "<allow send_destination=\"*\" eavesdrop=\"true\"/>"
                           "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n")
                           .arg(dir.path())
                           .toUtf8());
            file.close();
            const QString runSession =
                QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
            QVERIFY2(!runSession.isEmpty(), "dbus-run-session not found (package dbus)");
            arguments = {QStringLiteral("--config-file=%1").arg(config), QStringLiteral("--"),
                         program};
            program = runSession;
        }

        QProcess probe;
        probe.setProcessEnvironment(environment);
        probe.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        probe.start(program, arguments);
        QVERIFY2(probe.waitForFinished(60000), qPrintable(probe.errorString()));
        QCOMPARE(probe.exitStatus(), QProcess::NormalExit);
        QCOMPARE(probe.exitCode(), 0);
        const QByteArray output = probe.readAllStandardOutput();
        const QJsonDocument document = QJsonDocument::fromJson(output);
        QVERIFY2(document.isArray(), output.constData());
        results = document.array();
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(ProbeVariable))
        return runProbe(qgetenv(ProbeVariable));
    TestKeychain test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keychain.moc"
