// SPEC §2: provider keys never reach the database, the config export, the log or any file
// in plain text; consumer keys are kept only as a SHA-256 hash and a display prefix; and
// Authorization, x-api-key, api-key, x-goog-api-key, cookies and `key=` query parameters
// are redacted everywhere. This test feeds a real gatehoused every kind of secret the
// suite uses (all twelve provider types' keys from env and file references, consumer keys
// from the config, generated, rotated and literal ones, a JWT secret and token, a wrong key,
// credentials in client headers and the query), drives traffic through every path that
// records something, then scans every byte the gateway left behind: each file in the data
// dir (SQLite database, WAL, TLS material), the config export, every admin answer, the
// request log and the daemon's own output — for each secret raw, base64, hex and
// percent-encoded. Positive controls prove the secrets were in use and the scanner finds
// what it looks for.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "MockProviderProcess.h"
#include "ScriptedUpstream.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace gh::test;

namespace {

struct Secret
{
    QString label;
    QByteArray value;
};

// One place a secret was found: which secret, in which encoding, in which source.
struct Finding
{
    QString secret;
    QString encoding;
    QString source;
};

// Looks for each secret in the forms a careless writer could leave it in.
class SecretScanner
{
public:
    explicit SecretScanner(QList<Secret> secrets)
        : m_secrets(std::move(secrets))
    {}

    QList<Finding> scan(const QString &source, const QByteArray &bytes) const
    {
        QList<Finding> found;
        for (const Secret &secret : m_secrets) {
            for (const auto &[encoding, needle] : forms(secret.value)) {
                if (bytes.contains(needle)) {
                    found.append({secret.label, encoding, source});
                    break;
                }
            }
        }
        return found;
    }

    QList<Finding> scanDirectory(const QString &dir, int *filesScanned) const
    {
        QList<Finding> found;
        QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                found.append({QStringLiteral("(unreadable file)"), QString(), path});
                continue;
            }
            ++*filesScanned;
            found += scan(path, file.readAll());
        }
        return found;
    }

private:
    static QList<std::pair<QString, QByteArray>> forms(const QByteArray &secret)
    {
        QList<std::pair<QString, QByteArray>> out = {
            {QStringLiteral("raw"), secret},
            {QStringLiteral("hex"), secret.toHex()},
            {QStringLiteral("HEX"), secret.toHex().toUpper()},
            {QStringLiteral("percent"), QUrl::toPercentEncoding(QString::fromUtf8(secret))},
            // SQLite stores text as UTF-16 in databases created that way.
            {QStringLiteral("utf16"),
             QByteArray(reinterpret_cast<const char *>(QString::fromUtf8(secret).utf16()),
                        secret.size() * 2)},
        };
        // Inside a larger base64 blob (Basic auth, a JWT, a captured body) the secret can
        // start at any of three byte offsets; the characters away from both ends are the
        // same whatever comes before or after it.
        for (int shift = 0; shift < 3; ++shift) {
            for (const auto options : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
                const QByteArray encoded = (QByteArray(shift, 'x') + secret).toBase64(options);
                const QByteArray middle = encoded.mid(4, encoded.size() - 8);
                if (middle.size() >= 16)
                    out.append({QStringLiteral("base64"), middle});
            }
        }
        return out;
    }

    QList<Secret> m_secrets;
};

QString describe(const QList<Finding> &findings)
{
    QStringList lines;
    for (const Finding &f : findings)
        lines << QStringLiteral("%1 (%2) in %3").arg(f.secret, f.encoding, f.source);
    return lines.join(QLatin1Char('\n'));
}

// 32 random base62 characters, like a real key's body, so a match can only be a leak.
QByteArray randomToken()
{
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QByteArray out;
    for (int i = 0; i < 32; ++i)
        out.append(alphabet[QRandomGenerator::global()->bounded(62)]);
    return out;
}

QByteArray hs256Token(const QByteArray &secret)
{
    const auto b64 = [](const QByteArray &data) {
        return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QByteArray header = b64(R"({"alg":"HS256","typ":"JWT"})");
    const QByteArray payload =
        b64(QJsonDocument(
                QJsonObject{{QStringLiteral("sub"), QStringLiteral("me")},
                            {QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + 3600}})
                .toJson(QJsonDocument::Compact));
    const QByteArray input = header + '.' + payload;
    return input + '.' +
           b64(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
}

// Provider type, the mock's base path and the key the mock expects (tests/mocks/README.md).
struct ProviderKey
{
    const char *type;
    const char *basePath;
    const char *key; // empty: the type needs none
};

const ProviderKey kProviders[] = {
    {"openai", "/openai/v1", "test-key-openai"},
    {"anthropic", "/anthropic", "test-key-anthropic"},
    {"gemini", "/gemini/v1beta", "test-key-gemini"},
    {"azure-openai", "/azure", "test-key-azure"},
    {"ollama", "/ollama", ""},
    {"mistral", "/mistral/v1", "test-key-mistral"},
    {"deepseek", "/deepseek/v1", "test-key-deepseek"},
    {"groq", "/groq/openai/v1", "test-key-groq"},
    {"openrouter", "/openrouter/api/v1", "test-key-openrouter"},
    {"together", "/together/v1", "test-key-together"},
    {"xai", "/xai/v1", "test-key-xai"},
    {"openai-compatible", "/compat/v1", ""},
};

QString envName(const char *type)
{
    return QStringLiteral("GH_SCAN_KEY_%1")
        .arg(QString::fromLatin1(type).toUpper().replace(QLatin1Char('-'), QLatin1Char('_')));
}

} // namespace

class TestSecretScan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scannerFindsPlantedSecrets();
    void noSecretLeavesTheGateway();
    void cleanupTestCase();

private:
    // `shownOnce`: the answer is the one place a new key may appear, so it is not scanned.
    HttpResult admin(const QByteArray &method, const QString &path, const QByteArray &body = {},
                     bool shownOnce = false);
    HttpResult gateway(const QByteArray &method, const QString &path, const QByteArray &body,
                       const QList<std::pair<QByteArray, QByteArray>> &headers);
    void keep(const QString &source, const HttpResult &result);

    MockProviderProcess m_mock;
    std::unique_ptr<ScriptedUpstream> m_echo;
    std::unique_ptr<DaemonProcess> m_daemon;
    QTemporaryDir m_files; // key files and the config live outside the data dir
    QList<Secret> m_secrets;
    // Every answer the gateway gave, to be scanned with the files at the end.
    QList<std::pair<QString, QByteArray>> m_answers;
    QByteArray m_configKey;
    QByteArray m_jwtSecret;
};

void TestSecretScan::initTestCase()
{
    if (!MockProviderProcess::isAvailable())
        QSKIP("needs Node.js for the mock providers");
    QVERIFY2(m_mock.start(), qPrintable(m_mock.errorString()));
    m_echo = std::make_unique<ScriptedUpstream>([](const SeenRequest &) {
        return UpstreamReply::respond(200, "{\"ok\":true}", {{"Content-Type", "application/json"}});
    });
    QVERIFY(m_echo->start());
    QVERIFY(m_files.isValid());

    // Provider keys: half from the environment, half from files, as users configure them.
    QString providers;
    QString models;
    int index = 0;
    for (const ProviderKey &p : kProviders) {
        const QString type = QString::fromLatin1(p.type);
        QString keyRef;
        if (*p.key) {
            m_secrets.append({QStringLiteral("provider key %1").arg(type), QByteArray(p.key)});
            if (index++ % 2 == 0) {
                qputenv(envName(p.type).toLatin1(), p.key);
                keyRef = QStringLiteral("${env:%1}").arg(envName(p.type));
            } else {
                const QString path = m_files.filePath(type + QStringLiteral(".key"));
                QFile file(path);
                QVERIFY(file.open(QIODevice::WriteOnly));
                file.write(QByteArray(p.key) + '\n');
                keyRef = QStringLiteral("${file:%1}").arg(path);
            }
        }
        providers += QStringLiteral("  - {name: p-%1, type: %1, base_url: \"%2%3\"%4}\n")
                         .arg(type, m_mock.baseUrl(), QString::fromLatin1(p.basePath),
                              keyRef.isEmpty() ? QString()
                                               : QStringLiteral(", api_key: \"%1\"").arg(keyRef));
        models +=
            QStringLiteral("  - {name: m-%1, targets: [{provider: p-%1, model: mock-model}]}\n")
                .arg(type);
    }
    models +=
        QStringLiteral("  - {name: embed, targets: [{provider: p-openai, model: mock-embed}]}\n");

    m_configKey = "gh-" + randomToken();
    m_jwtSecret = "jwt-secret-" + randomToken();
    m_secrets.append({QStringLiteral("consumer key from the config"), m_configKey});
    m_secrets.append({QStringLiteral("JWT secret"), m_jwtSecret});
    qputenv("GH_SCAN_CONSUMER_KEY", m_configKey);
    qputenv("GH_SCAN_JWT_SECRET", m_jwtSecret);

    const QString yaml =
        QStringLiteral("providers:\n") + providers + QStringLiteral("models:\n") + models +
        QStringLiteral(
            "consumers:\n"
            "  - {name: me, keys: [\"${env:GH_SCAN_CONSUMER_KEY}\"], allow_models: [\"*\"]}\n"
            "services:\n"
            "  - {name: echo, targets: [{url: \"%1\"}]}\n"
            "routes:\n"
            "  - {name: keyed, match: {paths: [/keyed]}, service: echo, auth: key, consumers: "
            "[\"*\"]}\n"
            "  - {name: open, match: {paths: [/open]}, service: echo, auth: none}\n"
            "  - name: jwt\n"
            "    match: {paths: [/jwt]}\n"
            "    service: echo\n"
            "    auth: jwt\n"
            "    jwt: {algorithms: [HS256], secret: \"${env:GH_SCAN_JWT_SECRET}\"}\n"
            "    consumers: [\"*\"]\n"
            "settings:\n"
            "  log_bodies: true\n")
            .arg(m_echo->url());
    const QString configPath = m_files.filePath(QStringLiteral("gatehouse.yaml"));
    QFile config(configPath);
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(yaml.toUtf8());
    config.close();

    m_daemon = std::make_unique<DaemonProcess>();
    QVERIFY2(m_daemon->start({QStringLiteral("--config"), configPath}),
             m_daemon->standardError().constData());
}

void TestSecretScan::cleanupTestCase()
{
    if (m_daemon)
        m_daemon->terminate();
}

HttpResult TestSecretScan::admin(const QByteArray &method, const QString &path,
                                 const QByteArray &body, bool shownOnce)
{
    HttpResult r =
        HttpClient::request(method, m_daemon->adminUrl() + path, body,
                            {{"Authorization", "Bearer " + m_daemon->adminToken().toUtf8()},
                             {"Content-Type", "application/json"}});
    if (!shownOnce)
        keep(QStringLiteral("admin %1 %2").arg(QString::fromLatin1(method), path), r);
    return r;
}

HttpResult TestSecretScan::gateway(const QByteArray &method, const QString &path,
                                   const QByteArray &body,
                                   const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    HttpResult r = HttpClient::request(method, m_daemon->gatewayUrl() + path, body, headers);
    keep(QStringLiteral("gateway %1 %2").arg(QString::fromLatin1(method), path), r);
    return r;
}

void TestSecretScan::keep(const QString &source, const HttpResult &result)
{
    QByteArray all = result.body;
    for (const auto &[name, value] : result.headers)
        all += '\n' + name + ": " + value;
    m_answers.append({source, all});
}

void TestSecretScan::scannerFindsPlantedSecrets()
{
    // The scan below is only worth something if it finds what it looks for, in every form.
    const SecretScanner scanner({{QStringLiteral("planted"), "gh-plantedSecretValue0123456789"}});
    const QByteArray secret = "gh-plantedSecretValue0123456789";
    QCOMPARE(scanner.scan(QStringLiteral("raw"), "x" + secret + "y").size(), 1);
    QCOMPARE(scanner.scan(QStringLiteral("b64"), "Bearer " + secret.toBase64()).size(), 1);
    QCOMPARE(scanner.scan(QStringLiteral("hex"), secret.toHex()).size(), 1);
    QCOMPARE(scanner.scan(QStringLiteral("clean"), "gh-planted... redacted").size(), 0);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QDir().mkpath(dir.filePath(QStringLiteral("tls")));
    QFile hidden(dir.filePath(QStringLiteral("tls/.hidden-wal")));
    QVERIFY(hidden.open(QIODevice::WriteOnly));
    hidden.write("\0\1prefix" + secret + "\0suffix");
    hidden.close();
    int files = 0;
    const QList<Finding> found = scanner.scanDirectory(dir.path(), &files);
    QCOMPARE(files, 1);
    QCOMPARE(found.size(), 1);
    QVERIFY(found.first().source.endsWith(QStringLiteral(".hidden-wal")));
}

void TestSecretScan::noSecretLeavesTheGateway()
{
    // Generated and rotated consumer keys: shown once, then kept only as hashes.
    HttpResult r = admin("POST", QStringLiteral("/consumers/me/keys"), "{}", true);
    QCOMPARE(r.status, 201);
    const QByteArray generated = r.json().object().value(QStringLiteral("key")).toString().toUtf8();
    QVERIFY(generated.startsWith("gh-"));
    m_secrets.append({QStringLiteral("generated consumer key"), generated});
    const QString prefix = r.json().object().value(QStringLiteral("prefix")).toString();
    r = admin("POST", QStringLiteral("/consumers/me/keys/%1/rotate").arg(prefix),
              "{\"grace_s\": 3600}", true);
    QCOMPARE(r.status, 201);
    const QByteArray rotated = r.json().object().value(QStringLiteral("key")).toString().toUtf8();
    QVERIFY(rotated.startsWith("gh-"));
    m_secrets.append({QStringLiteral("rotated consumer key"), rotated});

    // A literal consumer key applied through the admin API is hashed on apply.
    const QByteArray literalKey = "gh-" + randomToken();
    m_secrets.append({QStringLiteral("literal consumer key"), literalKey});
    r = admin("PUT", QStringLiteral("/consumers/literal"),
              QJsonDocument(
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("literal")},
                              {QStringLiteral("keys"), QJsonArray{QString::fromUtf8(literalKey)}},
                              {QStringLiteral("allow_models"), QJsonArray{QStringLiteral("*")}}})
                  .toJson(QJsonDocument::Compact));
    QVERIFY2(r.status == 200 || r.status == 201, r.body.constData());

    // A literal provider key is refused, and the refusal does not quote it.
    const QByteArray literalProviderKey = "sk-literal-" + randomToken();
    m_secrets.append({QStringLiteral("refused literal provider key"), literalProviderKey});
    r = admin("PUT", QStringLiteral("/providers/p-literal"),
              QJsonDocument(
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("p-literal")},
                              {QStringLiteral("type"), QStringLiteral("openai")},
                              {QStringLiteral("api_key"), QString::fromUtf8(literalProviderKey)}})
                  .toJson(QJsonDocument::Compact));
    QCOMPARE(r.status, 400);
    QVERIFY2(r.body.contains("api_key"), r.body.constData());

    // Client-side credentials that must be redacted wherever a request is recorded.
    const QByteArray wrongKey = "gh-" + randomToken();
    const QByteArray queryKey = "qk-" + randomToken();
    const QByteArray cookie = "ck-" + randomToken();
    const QByteArray apiKeyHeader = "ak-" + randomToken();
    const QByteArray googHeader = "gk-" + randomToken();
    const QByteArray jwt = hs256Token(m_jwtSecret);
    m_secrets.append({QStringLiteral("wrong consumer key"), wrongKey});
    m_secrets.append({QStringLiteral("key= query parameter"), queryKey});
    m_secrets.append({QStringLiteral("cookie"), cookie});
    m_secrets.append({QStringLiteral("api-key header"), apiKeyHeader});
    m_secrets.append({QStringLiteral("x-goog-api-key header"), googHeader});
    m_secrets.append({QStringLiteral("JWT"), jwt});

    const auto bearer = [](const QByteArray &key) {
        return std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + key);
    };
    const std::pair<QByteArray, QByteArray> json("Content-Type", "application/json");

    // Every provider type, each consumer key, both dialects, streamed and not.
    const QList<QByteArray> consumerKeys = {m_configKey, generated, rotated, literalKey};
    int call = 0;
    for (const ProviderKey &p : kProviders) {
        const QByteArray key = consumerKeys.at(call++ % consumerKeys.size());
        const QByteArray model = "m-" + QByteArray(p.type);
        const QByteArray chat =
            R"({"model":")" + model + R"(","messages":[{"role":"user","content":"hi"}]})";
        r = gateway("POST", QStringLiteral("/v1/chat/completions"), chat, {bearer(key), json});
        QVERIFY2(r.status == 200, qPrintable(QStringLiteral("%1: %2 %3")
                                                 .arg(QString::fromLatin1(p.type))
                                                 .arg(r.status)
                                                 .arg(QString::fromUtf8(r.body))));
        const QByteArray stream =
            R"({"model":")" + model +
            R"(","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]})";
        r = gateway("POST", QStringLiteral("/v1/chat/completions"), stream, {bearer(key), json});
        QCOMPARE(r.status, 200);
        const QByteArray messages =
            R"({"model":")" + model +
            R"(","max_tokens":64,"messages":[{"role":"user","content":"hi"}]})";
        r = gateway("POST", QStringLiteral("/v1/messages"), messages,
                    {{"x-api-key", key}, {"anthropic-version", "2023-06-01"}, json});
        QCOMPARE(r.status, 200);
    }
    r = gateway("POST", QStringLiteral("/v1/embeddings"), R"({"model":"embed","input":"hello"})",
                {bearer(m_configKey), json});
    QCOMPARE(r.status, 200);
    r = gateway("GET", QStringLiteral("/v1/models"), {}, {bearer(m_configKey)});
    QCOMPARE(r.status, 200);

    // Rejections are recorded too: a wrong key on both dialects and on a route.
    QCOMPARE(gateway("POST", QStringLiteral("/v1/chat/completions"),
                     R"({"model":"m-openai","messages":[]})", {bearer(wrongKey), json})
                 .status,
             401);
    QCOMPARE(gateway("POST", QStringLiteral("/v1/messages"),
                     R"({"model":"m-openai","max_tokens":1,"messages":[]})",
                     {{"x-api-key", wrongKey}, json})
                 .status,
             401);
    QCOMPARE(gateway("GET", QStringLiteral("/keyed/x"), {}, {bearer(wrongKey)}).status, 401);

    // Routes with credentials in every place SPEC §2 names.
    const QString query =
        QStringLiteral("/open/search?q=1&key=%1&api_key=%1").arg(QString::fromLatin1(queryKey));
    QCOMPARE(gateway("GET", query, {},
                     {{"Cookie", "session=" + cookie},
                      {"api-key", apiKeyHeader},
                      {"x-goog-api-key", googHeader}})
                 .status,
             200);
    QCOMPARE(gateway("POST",
                     QStringLiteral("/keyed/items?key=%1").arg(QString::fromLatin1(queryKey)),
                     R"({"item":1})", {bearer(rotated), json, {"Cookie", "a=" + cookie}})
                 .status,
             200);
    QCOMPARE(
        gateway("GET", QStringLiteral("/keyed/items"), {}, {{"x-api-key", m_configKey}}).status,
        200);
    QCOMPARE(gateway("GET", QStringLiteral("/jwt/me"), {}, {bearer(jwt)}).status, 200);

    // Positive control: the provider keys really were resolved and sent upstream, so their
    // absence below means something.
    const QByteArray upstreamSeen = QJsonDocument(m_mock.requests()).toJson(QJsonDocument::Compact);
    for (const ProviderKey &p : kProviders) {
        if (*p.key)
            QVERIFY2(upstreamSeen.contains(p.key), p.type);
    }

    // Everything an operator can read back.
    for (const QString &path :
         {QStringLiteral("/config"), QStringLiteral("/consumers"), QStringLiteral("/consumers/me"),
          QStringLiteral("/consumers/me/keys"), QStringLiteral("/consumers/literal"),
          QStringLiteral("/providers"), QStringLiteral("/providers/p-gemini"),
          QStringLiteral("/routes"), QStringLiteral("/routes/jwt"), QStringLiteral("/models"),
          QStringLiteral("/cache")}) {
        r = admin("GET", path);
        QVERIFY2(r.status == 200, qPrintable(path));
    }
    // The request log (SPEC §6), with bodies captured (settings.log_bodies): every call
    // above is a row; wait (bounded) until the writer has them all.
    QJsonArray rows;
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10000) {
        rows = admin("GET", QStringLiteral("/logs?limit=500")).json().object().value(QStringLiteral("logs")).toArray();
        if (rows.size() >= 45)
            break;
        QTest::qWait(100);
    }
    QVERIFY2(rows.size() >= 45, qPrintable(QStringLiteral("only %1 log rows").arg(rows.size())));
    bool capturedBodies = false;
    for (const QJsonValue &row : std::as_const(rows))
        capturedBodies = capturedBodies || !row.toObject().value(QStringLiteral("request_headers")).isNull();
    QVERIFY2(capturedBodies, "log_bodies is on: headers must have been captured (and redacted)");
    QCOMPARE(admin("GET", QStringLiteral("/stats/usage?group_by=consumer")).status, 200);
    QCOMPARE(HttpClient::request("GET", m_daemon->adminUrl() + QStringLiteral("/metrics")).status, 200);
    keep(QStringLiteral("metrics"), HttpClient::request("GET", m_daemon->adminUrl() + QStringLiteral("/metrics")));

    const QByteArray exported = admin("GET", QStringLiteral("/config")).body;
    QVERIFY(exported.contains("${env:GH_SCAN_CONSUMER_KEY}"));
    QVERIFY(exported.contains("${file:"));

    // The files as they are while it runs (the WAL holds the latest pages then)...
    const SecretScanner live(m_secrets);
    int liveFiles = 0;
    QList<Finding> whileRunning = live.scanDirectory(m_daemon->dataDir(), &liveFiles);
    QVERIFY2(whileRunning.isEmpty(), qPrintable(describe(whileRunning)));
    QVERIFY2(QFile::exists(m_daemon->dataDir() + QStringLiteral("/gatehouse.db-wal")), "expected a WAL while running");

    // ...and after a stop, when every buffer (spend, log, WAL) reached the database.
    QCOMPARE(m_daemon->terminate(), 0);
    const QByteArray output =
        m_daemon->standardError() + m_daemon->process().readAllStandardOutput();

    const SecretScanner scanner(m_secrets);
    QList<Finding> found;
    int files = 0;
    found += scanner.scanDirectory(m_daemon->dataDir(), &files);
    QVERIFY2(files >= 2, "the data dir holds at least the database and the admin token");
    QVERIFY(QFile::exists(m_daemon->dataDir() + QStringLiteral("/gatehouse.db")));
    for (const auto &[source, bytes] : std::as_const(m_answers))
        found += scanner.scan(source, bytes);
    found += scanner.scan(QStringLiteral("daemon output"), output);
    QVERIFY2(
        found.isEmpty(),
        qPrintable(QStringLiteral("%1 secret(s) leaked:\n").arg(found.size()) + describe(found)));
    qInfo("scanned %d files, %lld answers and the daemon output for %lld secrets", files,
          static_cast<long long>(m_answers.size()), static_cast<long long>(m_secrets.size()));
}

QTEST_GUILESS_MAIN(TestSecretScan)
#include "tst_secretscan.moc"
