// Consumer key lifecycle (SPEC §2, issue 5 item 1) over the admin API of a gatehoused
// child: create, list, revoke, rotate and expire, each key then tried on an `auth: key`
// route and on the AI endpoints.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "ScriptedUpstream.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QThread>
#include <QTimeZone>

using namespace gh::test;

class TestConsumerKeys : public QObject
{
    Q_OBJECT

private:
    HttpResult admin(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        QList<std::pair<QByteArray, QByteArray>> headers{
            {"Authorization", "Bearer " + m_daemon->adminToken().toUtf8()}};
        if (!body.isEmpty())
            headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
        return HttpClient::request(method, m_daemon->adminUrl() + path, body, headers);
    }

    HttpResult callRoute(const QString &key)
    {
        return HttpClient::request("GET", m_daemon->gatewayUrl() + QStringLiteral("/api/hello"), {},
                                   {{"Authorization", "Bearer " + key.toUtf8()}});
    }

    static QString errorMessage(const HttpResult &r)
    {
        return r.json()[QStringLiteral("error")][QStringLiteral("message")].toString();
    }

    static QString errorCode(const HttpResult &r)
    {
        return r.json()[QStringLiteral("error")][QStringLiteral("code")].toString();
    }

    // Asserts the route refuses `key` with 401, the OpenAI-style body and WWW-Authenticate.
    void expectRefused(const QString &key, const QString &message, const QString &code)
    {
        const HttpResult r = callRoute(key);
        QCOMPARE(r.status, 401);
        QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer"));
        QCOMPARE(errorMessage(r), message);
        QCOMPARE(errorCode(r), code);
        QCOMPARE(r.json()[QStringLiteral("error")][QStringLiteral("type")].toString(),
                 QStringLiteral("authentication_error"));
    }

    QJsonObject createKey(const QByteArray &body = {})
    {
        const HttpResult r = admin("POST", QStringLiteral("/consumers/me/keys"), body);
        if (r.status != 201)
            qWarning("create: %d %s", r.status, r.body.constData());
        return r.status == 201 ? r.json().object() : QJsonObject();
    }

    std::unique_ptr<ScriptedUpstream> m_upstream;
    std::unique_ptr<DaemonProcess> m_daemon;

private Q_SLOTS:
    void init()
    {
        m_upstream = std::make_unique<ScriptedUpstream>(
            [](const SeenRequest &) { return UpstreamReply::respond(200, "hello\n"); });
        QVERIFY(m_upstream->start());
        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start(), m_daemon->standardError().constData());
        QCOMPARE(admin("PUT", QStringLiteral("/consumers/me"), "{}").status, 201);
        QCOMPARE(admin("PUT", QStringLiteral("/services/hello"),
                       QStringLiteral("{\"targets\": [{\"url\": \"%1\"}]}")
                           .arg(m_upstream->url())
                           .toUtf8())
                     .status,
                 201);
        QCOMPARE(admin("PUT", QStringLiteral("/routes/api"),
                       "{\"match\": {\"paths\": [\"/api\"]}, \"service\": \"hello\", "
                       "\"strip_path\": true, "
                       "\"auth\": \"key\"}")
                     .status,
                 201);
    }

    void cleanup()
    {
        QCOMPARE(m_daemon->terminate(), 0);
        m_upstream->stop();
    }

    void createdKeyIsShownOnceAndListedByPrefix()
    {
        const QJsonObject created = createKey();
        const QString key = created[QStringLiteral("key")].toString();
        static const QRegularExpression shape(QStringLiteral("^gh-[0-9A-Za-z]{43}$"));
        QVERIFY2(shape.match(key).hasMatch(), qPrintable(key));
        const QString prefix = created[QStringLiteral("prefix")].toString();
        QCOMPARE(prefix, key.left(9));
        QCOMPARE(created[QStringLiteral("state")].toString(), QStringLiteral("active"));
        QVERIFY(created[QStringLiteral("expires_at")].isNull());
        QCOMPARE(callRoute(key).status, 200);

        const HttpResult listed = admin("GET", QStringLiteral("/consumers/me/keys"));
        QCOMPARE(listed.status, 200);
        QVERIFY(!listed.body.contains(key.toUtf8()));
        QVERIFY(!listed.body.contains("\"hash\""));
        const QJsonArray keys = listed.json().array();
        QCOMPARE(keys.size(), 1);
        QCOMPARE(keys[0][QStringLiteral("prefix")].toString(), prefix);
        QVERIFY(!keys[0][QStringLiteral("created_at")].toString().isEmpty());
        QVERIFY(keys[0][QStringLiteral("revoked_at")].isNull());

        // Several keys per consumer, each working.
        const QString second = createKey()[QStringLiteral("key")].toString();
        QCOMPARE(callRoute(second).status, 200);
        QCOMPARE(callRoute(key).status, 200);
        QCOMPARE(admin("GET", QStringLiteral("/consumers/me/keys")).json().array().size(), 2);

        // Never a raw key in the export: only sha256: digests.
        const HttpResult config = admin("GET", QStringLiteral("/config"));
        QCOMPARE(config.status, 200);
        QVERIFY(!config.body.contains(key.toUtf8()));
        QVERIFY(!config.body.contains(second.toUtf8()));
        const QJsonArray exported =
            config.json()[QStringLiteral("consumers")][0][QStringLiteral("keys")].toArray();
        QCOMPARE(exported.size(), 2);
        for (const QJsonValue &v : exported)
            QVERIFY2(v.toString().startsWith(QStringLiteral("sha256:")), qPrintable(v.toString()));
        QVERIFY(!admin("GET", QStringLiteral("/config?format=yaml")).body.contains(key.toUtf8()));
    }

    void revokedKeyStopsAtOnce()
    {
        const QJsonObject created = createKey();
        const QString key = created[QStringLiteral("key")].toString();
        const QString prefix = created[QStringLiteral("prefix")].toString();
        QCOMPARE(callRoute(key).status, 200);

        const HttpResult revoked = admin("DELETE", QStringLiteral("/consumers/me/keys/") + prefix);
        QCOMPARE(revoked.status, 200);
        QCOMPARE(revoked.json()[QStringLiteral("state")].toString(), QStringLiteral("revoked"));
        QVERIFY(!revoked.json()[QStringLiteral("revoked_at")].isNull());
        expectRefused(key, QStringLiteral("invalid consumer key"),
                      QStringLiteral("invalid_api_key"));
        // The AI endpoints refuse it too, in the caller's dialect.
        const HttpResult ai =
            HttpClient::request("GET", m_daemon->gatewayUrl() + QStringLiteral("/v1/models"), {},
                                {{"Authorization", "Bearer " + key.toUtf8()}});
        QCOMPARE(ai.status, 401);
        QCOMPARE(errorMessage(ai), QStringLiteral("invalid consumer key"));

        // Listed as revoked; gone from the export.
        const QJsonArray keys = admin("GET", QStringLiteral("/consumers/me/keys")).json().array();
        QCOMPARE(keys[0][QStringLiteral("state")].toString(), QStringLiteral("revoked"));
        QCOMPARE(admin("GET", QStringLiteral("/consumers/me"))
                     .json()[QStringLiteral("keys")]
                     .toArray()
                     .size(),
                 0);

        // Revoking twice: 409 with the OpenAI-style error.
        const HttpResult again = admin("DELETE", QStringLiteral("/consumers/me/keys/") + prefix);
        QCOMPARE(again.status, 409);
        QCOMPARE(errorCode(again), QStringLiteral("conflict"));
        QVERIFY2(errorMessage(again).contains(QStringLiteral("already revoked")),
                 qPrintable(errorMessage(again)));

        // Re-applying the exported config does not bring it back.
        const QByteArray config = admin("GET", QStringLiteral("/config")).body;
        QCOMPARE(admin("PUT", QStringLiteral("/config"), config).status, 200);
        expectRefused(key, QStringLiteral("invalid consumer key"),
                      QStringLiteral("invalid_api_key"));
    }

    void rotationWithAndWithoutGrace()
    {
        const QJsonObject first = createKey();
        const QString oldKey = first[QStringLiteral("key")].toString();
        const QString oldPrefix = first[QStringLiteral("prefix")].toString();

        // Without grace the old key stops at once.
        HttpResult r = admin("POST", QStringLiteral("/consumers/me/keys/%1/rotate").arg(oldPrefix));
        QCOMPARE(r.status, 201);
        QCOMPARE(r.header("Cache-Control"), QByteArray("no-store"));
        const QString newKey = r.json()[QStringLiteral("key")].toString();
        QVERIFY(newKey.startsWith(QStringLiteral("gh-")));
        QVERIFY(newKey != oldKey);
        QCOMPARE(r.json()[QStringLiteral("previous")][QStringLiteral("prefix")].toString(),
                 oldPrefix);
        QCOMPARE(r.json()[QStringLiteral("previous")][QStringLiteral("state")].toString(),
                 QStringLiteral("revoked"));
        QCOMPARE(callRoute(newKey).status, 200);
        expectRefused(oldKey, QStringLiteral("invalid consumer key"),
                      QStringLiteral("invalid_api_key"));

        // A revoked key cannot be rotated.
        r = admin("POST", QStringLiteral("/consumers/me/keys/%1/rotate").arg(oldPrefix));
        QCOMPARE(r.status, 409);
        QCOMPARE(errorCode(r), QStringLiteral("conflict"));

        // With a grace period both work until it ends, then only the new one.
        const QString newPrefix = newKey.left(9);
        r = admin("POST", QStringLiteral("/consumers/me/keys/%1/rotate").arg(newPrefix),
                  "{\"grace_s\": 2}");
        QCOMPARE(r.status, 201);
        const QString third = r.json()[QStringLiteral("key")].toString();
        QCOMPARE(r.json()[QStringLiteral("previous")][QStringLiteral("state")].toString(),
                 QStringLiteral("revoking"));
        QCOMPARE(callRoute(newKey).status, 200);
        QCOMPARE(callRoute(third).status, 200);
        // Rotating a key already being rotated is a conflict too.
        QCOMPARE(
            admin("POST", QStringLiteral("/consumers/me/keys/%1/rotate").arg(newPrefix)).status,
            409);
        QTRY_COMPARE_WITH_TIMEOUT(callRoute(newKey).status, 401, 5000);
        QCOMPARE(callRoute(third).status, 200);

        r = admin("POST", QStringLiteral("/consumers/me/keys/%1/rotate").arg(third.left(9)),
                  "{\"grace_s\": -1}");
        QCOMPARE(r.status, 400);
        QVERIFY2(errorMessage(r).contains(QStringLiteral("grace_s")), qPrintable(errorMessage(r)));
        QCOMPARE(callRoute(third).status, 200);
    }

    void expiredKeyIsRefusedAsExpired()
    {
        const QString at = QDateTime::currentDateTimeUtc().addSecs(2).toString(Qt::ISODateWithMs);
        const QJsonObject created = createKey("{\"expires_at\": \"" + at.toUtf8() + "\"}");
        const QString key = created[QStringLiteral("key")].toString();
        QVERIFY(!key.isEmpty());
        QCOMPARE(created[QStringLiteral("expires_at")].toString(), at); // UTC, "…Z"
        QCOMPARE(callRoute(key).status, 200);
        // No config change happens at expiry: the check is per request.
        QTRY_COMPARE_WITH_TIMEOUT(callRoute(key).status, 401, 6000);
        expectRefused(key, QStringLiteral("consumer key expired"),
                      QStringLiteral("expired_api_key"));
        const HttpResult ai = HttpClient::request(
            "POST", m_daemon->gatewayUrl() + QStringLiteral("/v1/messages"), "{}",
            {{"x-api-key", key.toUtf8()},
             {"anthropic-version", "2023-06-01"},
             {"Content-Type", "application/json"}});
        QCOMPARE(ai.status, 401);
        QCOMPARE(ai.json()[QStringLiteral("type")].toString(), QStringLiteral("error"));
        QCOMPARE(ai.json()[QStringLiteral("error")][QStringLiteral("message")].toString(),
                 QStringLiteral("consumer key expired"));
        QCOMPARE(admin("GET", QStringLiteral("/consumers/me/keys"))
                     .json()
                     .array()[0][QStringLiteral("state")]
                     .toString(),
                 QStringLiteral("expired"));

        // expires_in_days gives a key that works now and expires that many days out.
        const QJsonObject later = createKey("{\"expires_in_days\": 30}");
        QCOMPARE(callRoute(later[QStringLiteral("key")].toString()).status, 200);
        const QDateTime expires = QDateTime::fromString(
            later[QStringLiteral("expires_at")].toString(), Qt::ISODateWithMs);
        QVERIFY(qAbs(expires.toSecsSinceEpoch() -
                     QDateTime::currentDateTimeUtc().addDays(30).toSecsSinceEpoch()) < 60);
    }

    void rejectionPaths()
    {
        // Unknown consumer: 404 for every key endpoint.
        for (const auto &[method, path] : QList<std::pair<QByteArray, QString>>{
                 {"GET", QStringLiteral("/consumers/ghost/keys")},
                 {"POST", QStringLiteral("/consumers/ghost/keys")},
                 {"DELETE", QStringLiteral("/consumers/ghost/keys/gh-abcdef")},
                 {"POST", QStringLiteral("/consumers/ghost/keys/gh-abcdef/rotate")}}) {
            const HttpResult r = admin(method, path);
            QVERIFY2(r.status == 404, qPrintable(path));
            QCOMPARE(errorCode(r), QStringLiteral("not_found"));
            QCOMPARE(errorMessage(r), QStringLiteral("no consumer named \"ghost\""));
        }
        // Unknown prefix: 404.
        for (const QByteArray &method : {QByteArray("DELETE"), QByteArray("POST")}) {
            const HttpResult r =
                admin(method, QStringLiteral("/consumers/me/keys/gh-zzzzzz") +
                                  (method == "POST" ? QStringLiteral("/rotate") : QString()));
            QCOMPARE(r.status, 404);
            QCOMPARE(errorMessage(r),
                     QStringLiteral("consumer \"me\" has no key with prefix \"gh-zzzzzz\""));
        }
        // Bad expiry: 400, and no key made.
        const QList<std::pair<QByteArray, QString>> bad{
            {"{\"expires_at\": \"tomorrow\"}", QStringLiteral("expires_at must be an ISO 8601")},
            {"{\"expires_at\": \"2001-01-01T00:00:00Z\"}", QStringLiteral("is not in the future")},
            {"{\"expires_in_days\": 0}", QStringLiteral("expires_in_days must be a whole number")},
            {"{\"expires_in_days\": 1.5}",
             QStringLiteral("expires_in_days must be a whole number")},
            {"{\"expires_in_days\": 1, \"expires_at\": \"2099-01-01T00:00:00Z\"}",
             QStringLiteral("not both")},
            {"{\"grace_s\": 10}", QStringLiteral("unknown field \"grace_s\"")},
            {"{\"expires_at\": ", QStringLiteral("JSON")},
        };
        for (const auto &[body, message] : bad) {
            const HttpResult r = admin("POST", QStringLiteral("/consumers/me/keys"), body);
            QVERIFY2(r.status == 400, body.constData());
            QCOMPARE(errorCode(r), QStringLiteral("invalid_request"));
            QVERIFY2(errorMessage(r).contains(message), qPrintable(errorMessage(r)));
        }
        QCOMPARE(admin("GET", QStringLiteral("/consumers/me/keys")).json().array().size(), 0);
        // Wrong methods: 405 with Allow.
        HttpResult r = admin("PUT", QStringLiteral("/consumers/me/keys"), "{}");
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("Allow"), QByteArray("GET, POST"));
        r = admin("GET", QStringLiteral("/consumers/me/keys/gh-abcdef/rotate"));
        QCOMPARE(r.status, 405);
        // A missing or unknown key on the route: 401.
        const HttpResult none =
            HttpClient::request("GET", m_daemon->gatewayUrl() + QStringLiteral("/api/hello"));
        QCOMPARE(none.status, 401);
        expectRefused(QStringLiteral("gh-") + QString(43, QLatin1Char('x')),
                      QStringLiteral("invalid consumer key"), QStringLiteral("invalid_api_key"));
    }
};

QTEST_GUILESS_MAIN(TestConsumerKeys)
#include "tst_consumerkeys.moc"
