// `auth: jwt` routes (SPEC §3 routes[].jwt) end to end: a real gatehoused child in front of
// a scripted upstream. Valid HS256, RS256 and ES256 tokens pass with sub as the consumer;
// each attack is refused with 401 + WWW-Authenticate (RFC 6750) before the upstream sees
// anything; a sub the route's consumers do not list gets 403.
#include "DaemonProcess.h"
#include "HttpClient.h"
#include "JwtTestTokens.h"
#include "ScriptedUpstream.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace gh::test;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

const QByteArray kSecret = "jwt-integration-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const QString kIssuer = QStringLiteral("https://id.example.com/");

QByteArray errorField(const HttpResult &r, const char *field)
{
    return r.json()
        .object()
        .value(QLatin1String("error"))
        .toObject()
        .value(QLatin1String(field))
        .toString()
        .toUtf8();
}

qint64 now()
{
    return QDateTime::currentSecsSinceEpoch();
}

// What the "hs" route accepts: right issuer and audience, valid for five minutes.
QJsonObject hsClaims(const QString &sub = QStringLiteral("alice"))
{
    QJsonObject claims{{QStringLiteral("iss"), kIssuer},
                       {QStringLiteral("aud"), QStringLiteral("gatehouse")},
                       {QStringLiteral("iat"), now()},
                       {QStringLiteral("exp"), now() + 300}};
    if (!sub.isNull())
        claims.insert(QStringLiteral("sub"), sub);
    return claims;
}

QByteArray with(QJsonObject claims, const QString &key, const QJsonValue &value)
{
    claims.insert(key, value);
    return QJsonDocument(claims).toJson(QJsonDocument::Compact);
}

QByteArray hsToken(const QJsonObject &claims)
{
    return signJwt("HS256", claims, kSecret);
}

} // namespace

class TestJwtAuth : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<ScriptedUpstream> m_echo;
    std::unique_ptr<DaemonProcess> m_daemon;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_tmp.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(file.fileName()));
        file.write(content);
        return file.fileName();
    }

    HttpResult get(const QString &path, const QByteArray &token = {})
    {
        Headers headers;
        if (!token.isNull())
            headers.append({"Authorization", "Bearer " + token});
        return HttpClient::request("GET", m_daemon->gatewayUrl() + path, {}, headers);
    }

    // The RFC 6750 401 every refused token gets, and the upstream never saw the request.
    void verifyRefused(const HttpResult &r, int upstreamBefore, const QByteArray &description)
    {
        QCOMPARE(r.status, 401);
        const QByteArray challenge = r.header("www-authenticate");
        QVERIFY2(challenge.startsWith("Bearer realm=\"gatehouse\", error=\"invalid_token\", "
                                      "error_description=\""),
                 challenge.constData());
        QVERIFY2(challenge.contains(description), challenge.constData());
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(errorField(r, "code"), QByteArray("invalid_token"));
        QCOMPARE(errorField(r, "type"), QByteArray("authentication_error"));
        QVERIFY(errorField(r, "message").startsWith("invalid token: "));
        QVERIFY(errorField(r, "message").contains(description));
        QVERIFY(!r.header("x-gatehouse-request-id").isEmpty());
        QCOMPARE(m_echo->requests(), upstreamBefore);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_echo = std::make_unique<ScriptedUpstream>([](const SeenRequest &r) {
            if (!r.complete)
                return UpstreamReply();
            return UpstreamReply::respond(200, "seen " + r.target);
        });
        QVERIFY(m_echo->start());

        QString yaml = QStringLiteral(
            "consumers:\n"
            "  - {name: alice, keys: [\"gh-jwt-test-alice-0123456789abcdef\"]}\n"
            "  - {name: bob, keys: [\"gh-jwt-test-bob-0123456789abcdef\"]}\n"
            "services: [{name: echo, targets: [{url: \"%ECHO%\"}]}]\n"
            "routes:\n"
            "  - name: hs\n"
            "    match: {paths: [/hs]}\n"
            "    service: echo\n"
            "    auth: jwt\n"
            "    jwt: {algorithms: [HS256], secret: \"${file:%SECRET%}\", issuer: \"%ISS%\",\n"
            "          audience: [gatehouse, other]}\n"
            "    consumers: [alice]\n"
            "  - name: rs\n"
            "    match: {paths: [/rs]}\n"
            "    service: echo\n"
            "    auth: jwt\n"
            "    jwt: {public_key: \"${file:%RSA%}\"}\n"
            "  - name: es\n"
            "    match: {paths: [/es]}\n"
            "    service: echo\n"
            "    auth: jwt\n"
            "    jwt: {algorithms: [ES256], public_key: \"${file:%EC%}\", forward_token: true}\n"
            "  - name: broken\n"
            "    match: {paths: [/broken]}\n"
            "    service: echo\n"
            "    auth: jwt\n"
            "    jwt: {secret: \"${file:%MISSING%}\"}\n");
        yaml.replace(QStringLiteral("%ECHO%"), m_echo->url())
            .replace(QStringLiteral("%SECRET%"), writeFile(QStringLiteral("jwt.secret"), kSecret))
            .replace(QStringLiteral("%ISS%"), kIssuer)
            .replace(
                QStringLiteral("%RSA%"),
                writeFile(QStringLiteral("rsa.pem"), jwtTestData(QStringLiteral("rsa-public.pem"))))
            .replace(
                QStringLiteral("%EC%"),
                writeFile(QStringLiteral("ec.pem"), jwtTestData(QStringLiteral("ec-public.pem"))))
            .replace(QStringLiteral("%MISSING%"), m_tmp.filePath(QStringLiteral("no-such-file")));
        const QString config = writeFile(QStringLiteral("gatehouse.yaml"), yaml.toUtf8());
        m_daemon = std::make_unique<DaemonProcess>();
        QVERIFY2(m_daemon->start({QStringLiteral("--config"), config}),
                 m_daemon->standardError().constData());
    }

    void cleanupTestCase()
    {
        if (m_daemon) {
            const QByteArray log = m_daemon->standardError();
            // The broken route is named in the log; no key material ever is.
            QVERIFY2(log.contains("route broken: jwt.secret"), log.constData());
            QVERIFY(!log.contains(kSecret));
            QCOMPARE(m_daemon->terminate(), 0);
        }
    }

    void validTokensPass()
    {
        // HS256: the consumer is sub; the token stays at the gateway by default.
        const QByteArray token = hsToken(hsClaims());
        HttpResult r = get(QStringLiteral("/hs/a?x=1"), token);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("seen /hs/a?x=1"));
        QVERIFY(!m_echo->last().hasHeader("authorization"));

        // RS256 with the algorithms taken from the key; any sub (consumers: ["*"]).
        r = get(QStringLiteral("/rs/b"),
                signJwt("RS256", {{QStringLiteral("sub"), QStringLiteral("anyone")}},
                        jwtTestData(QStringLiteral("rsa-private.pem"))));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("seen /rs/b"));

        // ES256 with forward_token: the upstream gets the very same Authorization field.
        const QByteArray esToken =
            signJwt("ES256", {{QStringLiteral("sub"), QStringLiteral("bob")}},
                    jwtTestData(QStringLiteral("ec-private.pem")));
        r = get(QStringLiteral("/es/c"), esToken);
        QCOMPARE(r.status, 200);
        QCOMPARE(m_echo->last().header("authorization"), "Bearer " + esToken);
    }

    void missingTokenIsChallenged()
    {
        const int before = m_echo->requests();
        for (const Headers &headers :
             {Headers{}, Headers{{"Authorization", "Basic YWxpY2U6c2VjcmV0"}},
              Headers{{"Authorization", "Bearer "}}, Headers{{"x-api-key", hsToken(hsClaims())}}}) {
            const HttpResult r =
                HttpClient::request("GET", m_daemon->gatewayUrl() + "/hs/a", {}, headers);
            QCOMPARE(r.status, 401);
            // RFC 6750 §3.1: no error code when the request carried no token.
            QCOMPARE(r.header("www-authenticate"), QByteArray("Bearer realm=\"gatehouse\""));
            QCOMPARE(errorField(r, "code"), QByteArray("missing_token"));
            QCOMPARE(errorField(r, "type"), QByteArray("authentication_error"));
        }
        QCOMPARE(m_echo->requests(), before);
    }

    void attacksAreRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QByteArray>("description");

        const QByteArray good = hsToken(hsClaims());
        const QList<QByteArray> parts = good.split('.');
        for (const char *none : {"none", "None", "NONE"}) {
            const QByteArray input =
                jwtSigningInput({{QStringLiteral("alg"), QString::fromLatin1(none)}}, hsClaims());
            QTest::addRow("alg %s", none)
                << QStringLiteral("/hs/a") << input + '.' << QByteArray("alg none");
        }
        QTest::newRow("alg confusion: HS256 signed with the RSA public key")
            << QStringLiteral("/rs/a")
            << signJwt("HS256", hsClaims(), jwtTestData(QStringLiteral("rsa-public.pem")))
            << QByteArray("not allowed here (allowed: RS256)");
        QTest::newRow("signature stripped")
            << QStringLiteral("/hs/a") << parts.at(0) + '.' + parts.at(1) + '.'
            << QByteArray("no signature");
        QTest::newRow("tampered payload")
            << QStringLiteral("/hs/a")
            << parts.at(0) + '.' +
                   base64Url(with(hsClaims(), QStringLiteral("sub"), QStringLiteral("root"))) +
                   '.' + parts.at(2)
            << QByteArray("signature does not verify");
        QJsonObject expired = hsClaims();
        expired.insert(QStringLiteral("exp"), now() - 120);
        QTest::newRow("expired") << QStringLiteral("/hs/a") << hsToken(expired)
                                 << QByteArray("expired");
        QJsonObject early = hsClaims();
        early.insert(QStringLiteral("nbf"), now() + 600);
        QTest::newRow("not yet valid")
            << QStringLiteral("/hs/a") << hsToken(early) << QByteArray("not valid yet");
        QJsonObject otherIssuer = hsClaims();
        otherIssuer.insert(QStringLiteral("iss"), QStringLiteral("https://evil.example.com/"));
        QTest::newRow("wrong iss")
            << QStringLiteral("/hs/a") << hsToken(otherIssuer) << QByteArray("issuer");
        QJsonObject otherAudience = hsClaims();
        otherAudience.insert(QStringLiteral("aud"), QJsonArray{QStringLiteral("billing")});
        QTest::newRow("wrong aud")
            << QStringLiteral("/hs/a") << hsToken(otherAudience) << QByteArray("audience");
        QTest::newRow("bad base64 (padding)")
            << QStringLiteral("/hs/a") << parts.at(0) + "=." + parts.at(1) + '.' + parts.at(2)
            << QByteArray("JOSE header");
        QTest::newRow("two segments") << QStringLiteral("/hs/a") << parts.at(0) + '.' + parts.at(1)
                                      << QByteArray("three base64url segments");
        QTest::newRow("four segments") << QStringLiteral("/hs/a") << good + '.' + parts.at(2)
                                       << QByteArray("three base64url segments");
        QTest::newRow("a consumer key instead of a JWT")
            << QStringLiteral("/hs/a") << QByteArray("gh-jwt-test-alice-0123456789abcdef")
            << QByteArray("three base64url segments");
        QJsonObject big = hsClaims();
        big.insert(QStringLiteral("pad"), QString(7000, u'x')); // ~9.4 KiB once encoded
        QTest::newRow("oversized")
            << QStringLiteral("/hs/a") << hsToken(big) << QByteArray("larger than 8192 bytes");
        const QByteArray esInput =
            jwtSigningInput({{QStringLiteral("alg"), QStringLiteral("ES256")}}, hsClaims());
        QTest::newRow("ES256 with a DER signature")
            << QStringLiteral("/es/a")
            << esInput + '.' +
                   base64Url(pemSignature(jwtTestData(QStringLiteral("ec-private.pem")), esInput))
            << QByteArray("signature does not verify");
        QTest::newRow("unsupported alg (HS512 on an HS256 route)")
            << QStringLiteral("/hs/a") << signJwt("HS512", hsClaims(), kSecret)
            << QByteArray("not allowed here (allowed: HS256)");
        QTest::newRow("unsupported alg (RS384)") << QStringLiteral("/rs/a") << [] {
            const QByteArray input =
                jwtSigningInput({{QStringLiteral("alg"), QStringLiteral("RS384")}}, hsClaims());
            return input + '.' + base64Url(QByteArray(256, 'x'));
        }() << QByteArray("not allowed here");
    }

    void attacksAreRefused()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, token);
        QFETCH(QByteArray, description);
        const int before = m_echo->requests();
        verifyRefused(get(path, token), before, description);
    }

    void subjectNotListedIsForbidden()
    {
        const int before = m_echo->requests();
        HttpResult r = get(QStringLiteral("/hs/a"), hsToken(hsClaims(QStringLiteral("bob"))));
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "code"), QByteArray("forbidden"));
        QCOMPARE(errorField(r, "type"), QByteArray("permission_error"));
        QCOMPARE(errorField(r, "message"), QByteArray("consumer bob may not call route hs"));
        QVERIFY(!r.headers.isEmpty());
        QVERIFY(r.header("www-authenticate").isEmpty());

        // A valid token without sub names nobody: not on a route that lists its consumers.
        r = get(QStringLiteral("/hs/a"), hsToken(hsClaims(QString())));
        QCOMPARE(r.status, 403);
        QCOMPARE(errorField(r, "code"), QByteArray("forbidden"));
        QVERIFY(errorField(r, "message").contains("no sub"));
        QCOMPARE(m_echo->requests(), before);
    }

    void unusableKeysFailClosed()
    {
        const int before = m_echo->requests();
        const HttpResult r = get(QStringLiteral("/broken/a"), hsToken(hsClaims()));
        QCOMPARE(r.status, 500);
        QCOMPARE(errorField(r, "code"), QByteArray("jwt_keys_unavailable"));
        QCOMPARE(errorField(r, "type"), QByteArray("server_error"));
        // The caller learns nothing about where the key should have come from.
        QVERIFY(!r.body.contains("no-such-file"));
        QCOMPARE(m_echo->requests(), before);
    }
};

QTEST_GUILESS_MAIN(TestJwtAuth)
#include "tst_jwtauth.moc"
