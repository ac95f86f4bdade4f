// JwtVerifier, JwtDirectory and JwtAuthenticator: the RFC 7515 A.1 vector, round trips
// for every supported algorithm, and each known attack on JWT verifiers.
#include "JwtTestTokens.h"
#include "policy/JwtAuthenticator.h"
#include "policy/JwtDirectory.h"
#include "policy/JwtVerifier.h"
#include "secrets/SecretResolver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace gh;
using namespace gh::test;

namespace {

using Failure = JwtVerifier::Failure;

const QByteArray kRfcToken =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
    "fQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const QByteArray kRfcKey =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
const qint64 kRfcExp = 1300819380;

const QByteArray kSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const qint64 kNow = 1'800'000'000;

JwtVerifier hmacVerifier(QStringList algorithms = {}, QByteArray secret = kSecret)
{
    JwtVerifier::Options options;
    options.secret = secret;
    options.algorithms = algorithms;
    return JwtVerifier::create(options);
}

JwtVerifier keyVerifier(const QString &pemFile, QStringList algorithms = {})
{
    JwtVerifier::Options options;
    options.publicKeyPem = jwtTestData(pemFile);
    options.algorithms = algorithms;
    return JwtVerifier::create(options);
}

QJsonObject claims(const QString &sub = QStringLiteral("alice"))
{
    return QJsonObject{{QStringLiteral("sub"), sub},
                       {QStringLiteral("iat"), kNow},
                       {QStringLiteral("exp"), kNow + 300}};
}

QList<QByteArray> segments(const QByteArray &token)
{
    return token.split('.');
}

QByteArray withSegment(const QByteArray &token, int index, const QByteArray &replacement)
{
    QList<QByteArray> parts = segments(token);
    parts[index] = replacement;
    return parts.join('.');
}

QByteArray encodeJson(const QJsonObject &object)
{
    return base64Url(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

class TestJwtVerifier : public QObject
{
    Q_OBJECT

private slots:
    void rfc7515AppendixA1()
    {
        const std::optional<QByteArray> key = JwtVerifier::decodeBase64Url(kRfcKey);
        QVERIFY(key);
        QCOMPARE(key->size(), 64);
        JwtVerifier::Options options;
        options.secret = *key;
        options.algorithms = {QStringLiteral("HS256")};
        options.leewaySeconds = 0;
        const JwtVerifier verifier = JwtVerifier::create(options);
        QVERIFY2(verifier.isUsable(), qPrintable(verifier.setupError()));

        JwtVerifier::Result result = verifier.verify(kRfcToken, kRfcExp - 1);
        QVERIFY2(result.ok(), qPrintable(result.message));
        QCOMPARE(result.claims.value(QStringLiteral("iss")).toString(), QStringLiteral("joe"));
        QCOMPARE(result.claims.value(QStringLiteral("http://example.com/is_root")).toBool(), true);
        QCOMPARE(result.subject, QString());
        // exp is the first instant the token is no longer valid (RFC 7519 §4.1.4).
        QCOMPARE(verifier.verify(kRfcToken, kRfcExp).failure, Failure::Expired);

        // One flipped signature bit.
        QByteArray tampered = kRfcToken;
        tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == 'X' ? 'Y' : 'X';
        QCOMPARE(verifier.verify(tampered, kRfcExp - 1).failure, Failure::Signature);
    }

    void leewayAroundExpAndNbf()
    {
        const JwtVerifier verifier = hmacVerifier(); // default leeway 60 s
        const QByteArray expired = signJwt("HS256", {{QStringLiteral("exp"), kNow}}, kSecret);
        QVERIFY(verifier.verify(expired, kNow + 59).ok());
        QCOMPARE(verifier.verify(expired, kNow + 60).failure, Failure::Expired);
        QCOMPARE(verifier.verify(expired, kNow + 3600).failure, Failure::Expired);

        const QByteArray early = signJwt("HS256", {{QStringLiteral("nbf"), kNow}}, kSecret);
        QVERIFY(verifier.verify(early, kNow - 60).ok());
        QCOMPARE(verifier.verify(early, kNow - 61).failure, Failure::NotYetValid);
        QCOMPARE(verifier.verify(early, kNow - 3600).failure, Failure::NotYetValid);

        JwtVerifier::Options strict;
        strict.secret = kSecret;
        strict.leewaySeconds = 0;
        QCOMPARE(JwtVerifier::create(strict).verify(expired, kNow).failure, Failure::Expired);
        QVERIFY(JwtVerifier::create(strict).verify(expired, kNow - 1).ok());

        // Numbers only: "exp": "soon" is not a time.
        const QByteArray textExp =
            signJwt("HS256", {{QStringLiteral("exp"), QStringLiteral("9999999999")}}, kSecret);
        QCOMPARE(verifier.verify(textExp, kNow).failure, Failure::Malformed);
        const QByteArray textNbf = signJwt("HS256", {{QStringLiteral("nbf"), true}}, kSecret);
        QCOMPARE(verifier.verify(textNbf, kNow).failure, Failure::Malformed);
    }

    void roundTrips_data()
    {
        QTest::addColumn<QByteArray>("alg");
        QTest::addColumn<QString>("publicKey");
        QTest::addColumn<QString>("privateKey");
        QTest::newRow("HS256") << QByteArray("HS256") << QString() << QString();
        QTest::newRow("HS384") << QByteArray("HS384") << QString() << QString();
        QTest::newRow("HS512") << QByteArray("HS512") << QString() << QString();
        QTest::newRow("RS256 key") << QByteArray("RS256") << QStringLiteral("rsa-public.pem")
                                   << QStringLiteral("rsa-private.pem");
        QTest::newRow("RS256 certificate") << QByteArray("RS256") << QStringLiteral("rsa-cert.pem")
                                           << QStringLiteral("rsa-private.pem");
        QTest::newRow("ES256") << QByteArray("ES256") << QStringLiteral("ec-public.pem")
                               << QStringLiteral("ec-private.pem");
    }

    void roundTrips()
    {
        QFETCH(QByteArray, alg);
        QFETCH(QString, publicKey);
        QFETCH(QString, privateKey);
        const JwtVerifier verifier = publicKey.isEmpty() ? hmacVerifier() : keyVerifier(publicKey);
        QVERIFY2(verifier.isUsable(), qPrintable(verifier.setupError()));
        const QByteArray key = privateKey.isEmpty() ? kSecret : jwtTestData(privateKey);
        const QByteArray token = signJwt(alg, claims(), key);
        const JwtVerifier::Result result = verifier.verify(token, kNow);
        QVERIFY2(result.ok(), qPrintable(result.message));
        QCOMPARE(result.subject, QStringLiteral("alice"));

        // Tampered payload, original signature: {"sub":"admin"} instead of alice.
        const QByteArray tampered =
            withSegment(token, 1, encodeJson(claims(QStringLiteral("admin"))));
        QCOMPARE(verifier.verify(tampered, kNow).failure, Failure::Signature);
        // Tampered header (typ changed), original signature.
        QJsonObject header{{QStringLiteral("alg"), QString::fromLatin1(alg)},
                           {QStringLiteral("typ"), QStringLiteral("at+jwt")}};
        QCOMPARE(verifier.verify(withSegment(token, 0, encodeJson(header)), kNow).failure,
                 Failure::Signature);
        // Signature stripped (kept dot) and signature of another token.
        QCOMPARE(verifier.verify(withSegment(token, 2, {}), kNow).failure, Failure::Signature);
        const QByteArray other = signJwt(alg, claims(QStringLiteral("bob")), key);
        QCOMPARE(verifier.verify(withSegment(token, 2, segments(other).at(2)), kNow).failure,
                 Failure::Signature);
    }

    void algNoneIsAlwaysRefused_data()
    {
        QTest::addColumn<QByteArray>("alg");
        QTest::addColumn<bool>("withSignature");
        for (const char *alg : {"none", "None", "NONE", "nOnE"}) {
            QTest::addRow("%s unsigned", alg) << QByteArray(alg) << false;
            QTest::addRow("%s with signature", alg) << QByteArray(alg) << true;
        }
    }

    void algNoneIsAlwaysRefused()
    {
        QFETCH(QByteArray, alg);
        QFETCH(bool, withSignature);
        const QByteArray input =
            jwtSigningInput({{QStringLiteral("alg"), QString::fromLatin1(alg)}}, claims());
        const QByteArray token =
            input + '.' + (withSignature ? base64Url(hmacSignature("HS256", kSecret, input)) : "");
        for (const JwtVerifier &verifier :
             {hmacVerifier(), keyVerifier(QStringLiteral("rsa-public.pem")),
              keyVerifier(QStringLiteral("ec-public.pem"))}) {
            const JwtVerifier::Result result = verifier.verify(token, kNow);
            QCOMPARE(result.failure, Failure::Algorithm);
            QVERIFY(result.message.contains(QStringLiteral("none")));
        }
    }

    void algorithmConfusion()
    {
        const QByteArray publicPem = jwtTestData(QStringLiteral("rsa-public.pem"));
        // The attack: HS256 signed with the RSA public key (which the attacker knows).
        const QByteArray forged = signJwt("HS256", claims(QStringLiteral("admin")), publicPem);

        // A public-key route: HS* is not even possible with that key.
        const JwtVerifier rsaOnly = keyVerifier(QStringLiteral("rsa-public.pem"));
        QCOMPARE(rsaOnly.algorithmNames(), QStringList{QStringLiteral("RS256")});
        QCOMPARE(rsaOnly.verify(forged, kNow).failure, Failure::Algorithm);
        // Listing HS256 next to a public key alone is a setup error, not a silent reuse.
        const JwtVerifier listed = keyVerifier(QStringLiteral("rsa-public.pem"),
                                               {QStringLiteral("RS256"), QStringLiteral("HS256")});
        QVERIFY(!listed.isUsable());
        QCOMPARE(listed.verify(forged, kNow).failure, Failure::Unavailable);
        QVERIFY(listed.setupError().contains(QStringLiteral("HS256 needs jwt.secret")));

        // Both keys configured: HS* is checked with the secret only, never the public key.
        JwtVerifier::Options both;
        both.secret = kSecret;
        both.publicKeyPem = publicPem;
        both.algorithms = {QStringLiteral("HS256"), QStringLiteral("RS256")};
        const JwtVerifier mixed = JwtVerifier::create(both);
        QVERIFY2(mixed.isUsable(), qPrintable(mixed.setupError()));
        QCOMPARE(mixed.verify(forged, kNow).failure, Failure::Signature);
        QVERIFY(mixed.verify(signJwt("HS256", claims(), kSecret), kNow).ok());
        QVERIFY(
            mixed
                .verify(signJwt("RS256", claims(), jwtTestData(QStringLiteral("rsa-private.pem"))),
                        kNow)
                .ok());

        // An admin who pastes the public key as the HMAC secret is stopped at setup.
        JwtVerifier::Options pemSecret;
        pemSecret.secret = publicPem;
        const JwtVerifier refused = JwtVerifier::create(pemSecret);
        QVERIFY(!refused.isUsable());
        QVERIFY(refused.setupError().contains(QStringLiteral("PEM")));
        QCOMPARE(refused.verify(forged, kNow).failure, Failure::Unavailable);

        // The other direction: RS256 against an EC key, ES256 against an RSA key.
        const QByteArray rsToken =
            signJwt("RS256", claims(), jwtTestData(QStringLiteral("rsa-private.pem")));
        const QByteArray esToken =
            signJwt("ES256", claims(), jwtTestData(QStringLiteral("ec-private.pem")));
        QCOMPARE(keyVerifier(QStringLiteral("ec-public.pem")).verify(rsToken, kNow).failure,
                 Failure::Algorithm);
        QCOMPARE(keyVerifier(QStringLiteral("rsa-public.pem")).verify(esToken, kNow).failure,
                 Failure::Algorithm);
        QVERIFY(
            !keyVerifier(QStringLiteral("ec-public.pem"), {QStringLiteral("RS256")}).isUsable());
        QVERIFY(
            !keyVerifier(QStringLiteral("rsa-public.pem"), {QStringLiteral("ES256")}).isUsable());
    }

    void algorithmsNotAllowedOrUnknown_data()
    {
        QTest::addColumn<QByteArray>("alg");
        for (const char *alg :
             {"HS512", "hs256", "Hs256", "RS384", "PS256", "ES512", "EdDSA", "", "HS256 "})
            QTest::newRow(alg) << QByteArray(alg);
    }

    void algorithmsNotAllowedOrUnknown()
    {
        const JwtVerifier verifier = hmacVerifier({QStringLiteral("HS256")});
        QFETCH(QByteArray, alg);
        // Signed "correctly" with the route's secret so only the alg decides.
        const QByteArray input =
            jwtSigningInput({{QStringLiteral("alg"), QString::fromLatin1(alg)}}, claims());
        const QByteArray token = input + '.' + base64Url(hmacSignature("HS512", kSecret, input));
        QCOMPARE(verifier.verify(token, kNow).failure, Failure::Algorithm);
    }

    void algMustBeAString()
    {
        const JwtVerifier verifier = hmacVerifier();
        for (const QJsonValue &alg :
             {QJsonValue(256), QJsonValue(QJsonArray{QStringLiteral("HS256")}),
              QJsonValue(QJsonValue::Null)}) {
            const QByteArray input = jwtSigningInput({{QStringLiteral("alg"), alg}}, claims());
            const QByteArray token =
                input + '.' + base64Url(hmacSignature("HS256", kSecret, input));
            QCOMPARE(verifier.verify(token, kNow).failure, Failure::Malformed);
        }
        const QByteArray input =
            jwtSigningInput({{QStringLiteral("typ"), QStringLiteral("JWT")}}, claims());
        QCOMPARE(
            verifier.verify(input + '.' + base64Url(hmacSignature("HS256", kSecret, input)), kNow)
                .failure,
            Failure::Malformed);
    }

    void critHeaderIsRefused()
    {
        const JwtVerifier verifier = hmacVerifier();
        const QByteArray token =
            signJwt("HS256", claims(), kSecret,
                    {{QStringLiteral("crit"), QJsonArray{QStringLiteral("b64")}},
                     {QStringLiteral("b64"), false}});
        QCOMPARE(verifier.verify(token, kNow).failure, Failure::Malformed);
    }

    void wrongSegmentCount_data()
    {
        QTest::addColumn<QByteArray>("token");
        const QByteArray good = signJwt("HS256", claims(), kSecret);
        const QList<QByteArray> parts = segments(good);
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one") << parts.at(0);
        QTest::newRow("two") << parts.at(0) + '.' + parts.at(1);
        QTest::newRow("four") << good + '.' + parts.at(2);
        QTest::newRow("five (JWE-shaped)") << good + "..";
        QTest::newRow("dots only") << QByteArray("..");
        QTest::newRow("empty header") << '.' + parts.at(1) + '.' + parts.at(2);
        QTest::newRow("empty payload") << parts.at(0) + ".." + parts.at(2);
        QTest::newRow("trailing dot") << good + '.';
    }

    void wrongSegmentCount()
    {
        QFETCH(QByteArray, token);
        QCOMPARE(hmacVerifier().verify(token, kNow).failure, Failure::Malformed);
    }

    void badBase64_data()
    {
        QTest::addColumn<int>("segment");
        QTest::addColumn<QByteArray>("mutation"); // appended or replacing, see below
        QTest::newRow("header padded") << 0 << QByteArray("=");
        QTest::newRow("payload padded") << 1 << QByteArray("==");
        QTest::newRow("signature padded") << 2 << QByteArray("=");
        QTest::newRow("header with space") << 0 << QByteArray(" ");
        QTest::newRow("payload standard alphabet") << 1 << QByteArray("+/");
        QTest::newRow("signature with newline") << 2 << QByteArray("\n");
    }

    void badBase64()
    {
        QFETCH(int, segment);
        QFETCH(QByteArray, mutation);
        const QByteArray good = signJwt("HS256", claims(), kSecret);
        QList<QByteArray> parts = segments(good);
        parts[segment].append(mutation);
        const JwtVerifier::Result result = hmacVerifier().verify(parts.join('.'), kNow);
        QVERIFY(!result.ok());
        QCOMPARE(result.failure, Failure::Malformed);
    }

    void strictBase64UrlDecoder()
    {
        QCOMPARE(JwtVerifier::decodeBase64Url("").value(), QByteArray());
        QCOMPARE(JwtVerifier::decodeBase64Url("YQ").value(), QByteArray("a"));
        QCOMPARE(JwtVerifier::decodeBase64Url("YWI").value(), QByteArray("ab"));
        QCOMPARE(JwtVerifier::decodeBase64Url("YWJj").value(), QByteArray("abc"));
        QCOMPARE(JwtVerifier::decodeBase64Url("-_8").value(), QByteArray("\xfb\xff", 2));
        QVERIFY(!JwtVerifier::decodeBase64Url("YQ=="));
        QVERIFY(!JwtVerifier::decodeBase64Url("YQ="));
        QVERIFY(!JwtVerifier::decodeBase64Url("Y"));     // length 1 mod 4
        QVERIFY(!JwtVerifier::decodeBase64Url("YWJjZ")); // ditto
        QVERIFY(!JwtVerifier::decodeBase64Url("YR"));    // unused bits set ("a" is YQ)
        QVERIFY(!JwtVerifier::decodeBase64Url("+/8"));
        QVERIFY(!JwtVerifier::decodeBase64Url("YW Jj"));
        QVERIFY(!JwtVerifier::decodeBase64Url(QByteArray("YW\0j", 4)));
    }

    void badJson()
    {
        const JwtVerifier verifier = hmacVerifier();
        const auto signedWith = [](const QByteArray &header, const QByteArray &payload) {
            const QByteArray input = base64Url(header) + '.' + base64Url(payload);
            return input + '.' + base64Url(hmacSignature("HS256", kSecret, input));
        };
        const QByteArray payload = QJsonDocument(claims()).toJson(QJsonDocument::Compact);
        QCOMPARE(verifier.verify(signedWith("{\"alg\":\"HS256\"", payload), kNow).failure,
                 Failure::Malformed);
        QCOMPARE(verifier.verify(signedWith("[\"HS256\"]", payload), kNow).failure,
                 Failure::Malformed);
        QCOMPARE(verifier.verify(signedWith("not json", payload), kNow).failure,
                 Failure::Malformed);
        // A correctly signed payload that is not a JSON object.
        QCOMPARE(verifier.verify(signedWith("{\"alg\":\"HS256\"}", "{\"sub\":"), kNow).failure,
                 Failure::Malformed);
        QCOMPARE(verifier.verify(signedWith("{\"alg\":\"HS256\"}", "\"alice\""), kNow).failure,
                 Failure::Malformed);
        QVERIFY(verifier.verify(signedWith("{\"alg\":\"HS256\"}", payload), kNow).ok());
        // sub must be a string when present.
        QCOMPARE(verifier.verify(signedWith("{\"alg\":\"HS256\"}", "{\"sub\":42}"), kNow).failure,
                 Failure::Malformed);
    }

    void oversizedTokens()
    {
        const JwtVerifier verifier = hmacVerifier();
        QJsonObject big = claims();
        // A correctly signed token just under and just over the limit.
        const auto tokenOfSize = [&big](qsizetype target) {
            big.insert(QStringLiteral("pad"), QString());
            const qsizetype base = signJwt("HS256", big, kSecret).size();
            // Each 3 pad characters add 4 base64url characters.
            big.insert(QStringLiteral("pad"), QString((target - base) / 4 * 3, u'x'));
            return signJwt("HS256", big, kSecret);
        };
        const QByteArray under = tokenOfSize(JwtVerifier::MaxTokenBytes - 8);
        QVERIFY(under.size() <= JwtVerifier::MaxTokenBytes);
        QVERIFY2(verifier.verify(under, kNow).ok(),
                 qPrintable(verifier.verify(under, kNow).message));
        const QByteArray over = tokenOfSize(JwtVerifier::MaxTokenBytes + 64);
        QVERIFY(over.size() > JwtVerifier::MaxTokenBytes);
        const JwtVerifier::Result result = verifier.verify(over, kNow);
        QCOMPARE(result.failure, Failure::Malformed);
        QVERIFY(result.message.contains(QStringLiteral("8192")));
        QCOMPARE(verifier.verify(QByteArray(1 << 20, 'a'), kNow).failure, Failure::Malformed);
    }

    void es256NeedsRawSignatures()
    {
        const JwtVerifier verifier = keyVerifier(QStringLiteral("ec-public.pem"));
        QVERIFY2(verifier.isUsable(), qPrintable(verifier.setupError()));
        QJsonObject header{{QStringLiteral("alg"), QStringLiteral("ES256")}};
        const QByteArray input = jwtSigningInput(header, claims());
        const QByteArray der = pemSignature(jwtTestData(QStringLiteral("ec-private.pem")), input);
        // The DER form is a valid ECDSA signature over the input, just not JOSE's encoding.
        QVERIFY(der.size() != 64);
        QCOMPARE(verifier.verify(input + '.' + base64Url(der), kNow).failure, Failure::Signature);
        QVERIFY(verifier.verify(input + '.' + base64Url(ecdsaDerToRaw(der)), kNow).ok());
        // Raw signature with a byte too many or too few.
        QCOMPARE(verifier.verify(input + '.' + base64Url(ecdsaDerToRaw(der) + '\0'), kNow).failure,
                 Failure::Signature);
        QCOMPARE(
            verifier.verify(input + '.' + base64Url(ecdsaDerToRaw(der).chopped(1)), kNow).failure,
            Failure::Signature);
        // r = s = 0 must not verify.
        QCOMPARE(verifier.verify(input + '.' + base64Url(QByteArray(64, '\0')), kNow).failure,
                 Failure::Signature);
    }

    void issuerAndAudience()
    {
        JwtVerifier::Options options;
        options.secret = kSecret;
        options.issuer = QStringLiteral("https://id.example.com/");
        options.audiences = {QStringLiteral("billing"), QStringLiteral("reports")};
        const JwtVerifier verifier = JwtVerifier::create(options);
        QVERIFY(verifier.isUsable());
        const auto token = [](const QJsonValue &iss, const QJsonValue &aud) {
            QJsonObject c = claims();
            if (!iss.isUndefined())
                c.insert(QStringLiteral("iss"), iss);
            if (!aud.isUndefined())
                c.insert(QStringLiteral("aud"), aud);
            return signJwt("HS256", c, kSecret);
        };
        const QJsonValue iss(QStringLiteral("https://id.example.com/"));
        QVERIFY(verifier.verify(token(iss, QStringLiteral("billing")), kNow).ok());
        QVERIFY(verifier
                    .verify(token(iss, QJsonArray{QStringLiteral("x"), QStringLiteral("reports")}),
                            kNow)
                    .ok());
        QCOMPARE(verifier
                     .verify(token(QStringLiteral("https://evil.example.com/"),
                                   QStringLiteral("billing")),
                             kNow)
                     .failure,
                 Failure::Issuer);
        QCOMPARE(
            verifier
                .verify(token(QStringLiteral("https://id.example.com"), QStringLiteral("billing")),
                        kNow)
                .failure,
            Failure::Issuer);
        QCOMPARE(
            verifier.verify(token(QJsonValue::Undefined, QStringLiteral("billing")), kNow).failure,
            Failure::Issuer);
        QCOMPARE(verifier.verify(token(QJsonValue(7), QStringLiteral("billing")), kNow).failure,
                 Failure::Issuer);
        QCOMPARE(verifier.verify(token(iss, QStringLiteral("admin")), kNow).failure,
                 Failure::Audience);
        QCOMPARE(verifier.verify(token(iss, QJsonArray{QStringLiteral("admin")}), kNow).failure,
                 Failure::Audience);
        QCOMPARE(verifier.verify(token(iss, QJsonArray{}), kNow).failure, Failure::Audience);
        QCOMPARE(verifier.verify(token(iss, QJsonValue::Undefined), kNow).failure,
                 Failure::Audience);
        QCOMPARE(verifier.verify(token(iss, QJsonValue(1)), kNow).failure, Failure::Audience);

        // Not configured: not checked.
        QVERIFY(hmacVerifier()
                    .verify(token(QStringLiteral("anyone"), QStringLiteral("anything")), kNow)
                    .ok());
    }

    void keySetupProblems()
    {
        QVERIFY(!JwtVerifier().isUsable());
        QCOMPARE(JwtVerifier().verify(signJwt("HS256", claims(), kSecret), kNow).failure,
                 Failure::Unavailable);
        QVERIFY(keyVerifier(QStringLiteral("rsa1024-public.pem"))
                    .setupError()
                    .contains(QStringLiteral("2048")));
        QVERIFY(!keyVerifier(QStringLiteral("ec384-public.pem")).isUsable());
        // A private key is not a public key (and should not be in the config anyway).
        QVERIFY(!keyVerifier(QStringLiteral("ec-private.pem")).isUsable());
        JwtVerifier::Options garbage;
        garbage.publicKeyPem = "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n";
        QVERIFY(!JwtVerifier::create(garbage).isUsable());

        // RFC 7518 §3.2: HMAC keys at least as long as the hash.
        QVERIFY(hmacVerifier({}, QByteArray(31, 'k')).setupError().contains(QStringLiteral("32")));
        QVERIFY(hmacVerifier({QStringLiteral("HS256")}, QByteArray(32, 'k')).isUsable());
        QVERIFY(hmacVerifier({QStringLiteral("HS384")}, QByteArray(47, 'k'))
                    .setupError()
                    .contains(QStringLiteral("48")));
        QVERIFY(hmacVerifier({QStringLiteral("HS512")}, QByteArray(63, 'k'))
                    .setupError()
                    .contains(QStringLiteral("64")));
        // No algorithms listed: those the secret is long enough for.
        QCOMPARE(hmacVerifier({}, QByteArray(40, 'k')).algorithmNames(),
                 QStringList{QStringLiteral("HS256")});
        QCOMPARE(hmacVerifier().algorithmNames(),
                 (QStringList{QStringLiteral("HS256"), QStringLiteral("HS384"),
                              QStringLiteral("HS512")}));
        QVERIFY(!hmacVerifier({QStringLiteral("none")}).isUsable());
    }

    void fromRouteJsonResolvesReferences()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("JWT_TEST_SECRET"), QString::fromLatin1(kSecret));
        environment.insert(QStringLiteral("JWT_TEST_PEM"),
                           QString::fromLatin1(jwtTestData(QStringLiteral("ec-public.pem"))));
        const SecretResolver resolver(nullptr, environment);
        const QJsonObject jwt{{QStringLiteral("algorithms"),
                               QJsonArray{QStringLiteral("HS512"), QStringLiteral("ES256")}},
                              {QStringLiteral("secret"), QStringLiteral("${env:JWT_TEST_SECRET}")},
                              {QStringLiteral("public_key"), QStringLiteral("${env:JWT_TEST_PEM}")},
                              {QStringLiteral("issuer"), QStringLiteral("me")},
                              {QStringLiteral("audience"), QStringLiteral("api")},
                              {QStringLiteral("leeway_s"), 0},
                              {QStringLiteral("forward_token"), true}};
        const JwtVerifier verifier = JwtVerifier::fromRouteJson(jwt, resolver);
        QVERIFY2(verifier.isUsable(), qPrintable(verifier.setupError()));
        QCOMPARE(verifier.algorithmNames(),
                 (QStringList{QStringLiteral("HS512"), QStringLiteral("ES256")}));
        QVERIFY(verifier.forwardToken());
        QJsonObject c = claims();
        c.insert(QStringLiteral("iss"), QStringLiteral("me"));
        c.insert(QStringLiteral("aud"), QStringLiteral("api"));
        QVERIFY(verifier.verify(signJwt("HS512", c, kSecret), kNow).ok());
        QVERIFY(
            verifier
                .verify(signJwt("ES256", c, jwtTestData(QStringLiteral("ec-private.pem"))), kNow)
                .ok());
        QCOMPARE(verifier.verify(signJwt("HS256", c, kSecret), kNow).failure, Failure::Algorithm);
        c.insert(QStringLiteral("exp"), kNow);
        QCOMPARE(verifier.verify(signJwt("HS512", c, kSecret), kNow).failure, Failure::Expired);

        const JwtVerifier missing = JwtVerifier::fromRouteJson(
            {{QStringLiteral("secret"), QStringLiteral("${env:JWT_NOT_SET_ANYWHERE}")}}, resolver);
        QVERIFY(!missing.isUsable());
        QVERIFY(missing.setupError().startsWith(QStringLiteral("jwt.secret: ")));
        QVERIFY(missing.setupError().contains(QStringLiteral("JWT_NOT_SET_ANYWHERE")));
    }

    void directoryBuildsJwtRoutesOnly()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("JWT_TEST_SECRET"), QString::fromLatin1(kSecret));
        const SecretResolver resolver(nullptr, environment);
        const QJsonArray routes{
            QJsonObject{
                {QStringLiteral("name"), QStringLiteral("good")},
                {QStringLiteral("auth"), QStringLiteral("jwt")},
                {QStringLiteral("jwt"), QJsonObject{{QStringLiteral("secret"),
                                                     QStringLiteral("${env:JWT_TEST_SECRET}")}}}},
            QJsonObject{{QStringLiteral("name"), QStringLiteral("broken")},
                        {QStringLiteral("auth"), QStringLiteral("jwt")},
                        {QStringLiteral("jwt"), QJsonObject{{QStringLiteral("secret"),
                                                             QStringLiteral("${env:JWT_GONE}")}}}},
            QJsonObject{{QStringLiteral("name"), QStringLiteral("keyed")},
                        {QStringLiteral("auth"), QStringLiteral("key")}}};
        QStringList warnings;
        const JwtDirectory directory = JwtDirectory::build(routes, resolver, &warnings);
        QCOMPARE(directory.size(), 2);
        QVERIFY(directory.verifier(QStringLiteral("good"))->isUsable());
        QVERIFY(!directory.verifier(QStringLiteral("broken"))->isUsable());
        QCOMPARE(directory.verifier(QStringLiteral("keyed")), nullptr);
        QCOMPARE(directory.verifier(QStringLiteral("nope")), nullptr);
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings.first().startsWith(QStringLiteral("route broken: jwt.secret: ")));
        // Copies share the parsed keys.
        const JwtDirectory copy = directory;
        QCOMPARE(copy.verifier(QStringLiteral("good")), directory.verifier(QStringLiteral("good")));
    }

    void authenticatorAnswers()
    {
        const JwtVerifier verifier = hmacVerifier();
        const QByteArray token = signJwt("HS256", claims(), kSecret);
        const auto errorOf = [](const HttpResponse &response) {
            return QJsonDocument::fromJson(response.body)
                .object()
                .value(QStringLiteral("error"))
                .toObject();
        };

        HttpHeaders none;
        JwtAuthenticator::Outcome outcome =
            JwtAuthenticator::authenticate(&verifier, QStringLiteral("r"), none, kNow);
        QVERIFY(!outcome.ok);
        QCOMPARE(outcome.response.status, 401);
        QCOMPARE(outcome.response.headers.value("www-authenticate"),
                 QByteArray("Bearer realm=\"gatehouse\""));
        QCOMPARE(errorOf(outcome.response).value(QStringLiteral("code")).toString(),
                 QStringLiteral("missing_token"));
        QCOMPARE(errorOf(outcome.response).value(QStringLiteral("type")).toString(),
                 QStringLiteral("authentication_error"));

        HttpHeaders basic;
        basic.add("Authorization", "Basic " + token);
        outcome = JwtAuthenticator::authenticate(&verifier, QStringLiteral("r"), basic, kNow);
        QCOMPARE(outcome.response.status, 401);
        QCOMPARE(errorOf(outcome.response).value(QStringLiteral("code")).toString(),
                 QStringLiteral("missing_token"));

        HttpHeaders good;
        good.add("authorization", "bearer " + token);
        outcome = JwtAuthenticator::authenticate(&verifier, QStringLiteral("r"), good, kNow);
        QVERIFY(outcome.ok);
        QCOMPARE(outcome.subject, QStringLiteral("alice"));
        QCOMPARE(outcome.credentialHeader, QByteArray("authorization"));

        JwtVerifier::Options forwarding;
        forwarding.secret = kSecret;
        forwarding.forwardToken = true;
        const JwtVerifier forwarder = JwtVerifier::create(forwarding);
        outcome = JwtAuthenticator::authenticate(&forwarder, QStringLiteral("r"), good, kNow);
        QVERIFY(outcome.ok);
        QCOMPARE(outcome.credentialHeader, QByteArray());

        HttpHeaders expired;
        expired.add("Authorization", "Bearer " + signJwt("HS256", claims(), kSecret));
        outcome =
            JwtAuthenticator::authenticate(&verifier, QStringLiteral("r"), expired, kNow + 3600);
        QCOMPARE(outcome.response.status, 401);
        QCOMPARE(outcome.response.headers.value("WWW-Authenticate"),
                 QByteArray("Bearer realm=\"gatehouse\", error=\"invalid_token\", "
                            "error_description=\"the token has expired\""));
        QCOMPARE(errorOf(outcome.response).value(QStringLiteral("code")).toString(),
                 QStringLiteral("invalid_token"));
        QCOMPARE(errorOf(outcome.response).value(QStringLiteral("message")).toString(),
                 QStringLiteral("invalid token: the token has expired"));

        HttpHeaders twice = good;
        twice.add("Authorization",
                  "Bearer " + signJwt("HS256", claims(QStringLiteral("admin")), kSecret));
        outcome = JwtAuthenticator::authenticate(&verifier, QStringLiteral("r"), twice, kNow);
        QCOMPARE(outcome.response.status, 401);
        QVERIFY(
            outcome.response.headers.value("WWW-Authenticate").contains("error=\"invalid_token\""));

        const JwtVerifier broken;
        outcome = JwtAuthenticator::authenticate(&broken, QStringLiteral("r"), good, kNow);
        QCOMPARE(outcome.response.status, 500);
        QCOMPARE(errorOf(outcome.response).value(QStringLiteral("code")).toString(),
                 QStringLiteral("jwt_keys_unavailable"));
        QVERIFY(!outcome.response.headers.contains("WWW-Authenticate"));
        QCOMPARE(JwtAuthenticator::authenticate(nullptr, QStringLiteral("r"), good, kNow)
                     .response.status,
                 500);

        const HttpResponse forbidden =
            JwtAuthenticator::forbidden(QStringLiteral("mallory"), QStringLiteral("r"));
        QCOMPARE(forbidden.status, 403);
        QCOMPARE(errorOf(forbidden).value(QStringLiteral("type")).toString(),
                 QStringLiteral("permission_error"));
        QVERIFY(errorOf(forbidden)
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("mallory")));
    }

    void challengeEscapesDescription()
    {
        QCOMPARE(JwtAuthenticator::challenge(QStringLiteral("say \"hi\"\\\n\u00e9")),
                 QByteArray("Bearer realm=\"gatehouse\", error=\"invalid_token\", "
                            "error_description=\"say 'hi'''''\""));
    }

    void concurrentVerification()
    {
        // One verifier (one EVP_PKEY each) shared by several threads, as workers do.
        const JwtVerifier rsa = keyVerifier(QStringLiteral("rsa-public.pem"));
        const JwtVerifier ec = keyVerifier(QStringLiteral("ec-public.pem"));
        const QByteArray rsToken =
            signJwt("RS256", claims(), jwtTestData(QStringLiteral("rsa-private.pem")));
        const QByteArray esToken =
            signJwt("ES256", claims(), jwtTestData(QStringLiteral("ec-private.pem")));
        const QByteArray badToken =
            withSegment(rsToken, 1, encodeJson(claims(QStringLiteral("admin"))));
        std::atomic<int> good{0};
        std::atomic<int> refused{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 100; ++i) {
                    good += rsa.verify(rsToken, kNow).ok();
                    good += ec.verify(esToken, kNow).ok();
                    refused += rsa.verify(badToken, kNow).failure == Failure::Signature;
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(good.load(), 800);
        QCOMPARE(refused.load(), 400);
    }
};

QTEST_GUILESS_MAIN(TestJwtVerifier)
#include "tst_jwtverifier.moc"
