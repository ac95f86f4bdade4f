#include "policy/ApiKey.h"
#include "policy/ConsumerDirectory.h"
#include "secrets/SecretResolver.h"
#include "store/ConsumerKeyRepository.h"

#include <QJsonArray>
#include <QTest>

using namespace gh;

class TestConsumerDirectory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysFromDigestsAndReferences()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("TEAM_KEY"), QStringLiteral("gh-team-key-from-env-0001"));
        const SecretResolver resolver(nullptr, env);
        const QString generated = ApiKey::generate();
        const QList<QJsonObject> consumers{
            QJsonObject{{"name", "me"}, {"keys", QJsonArray{QStringLiteral("sha256:") + ApiKey::hash(generated)}}},
            QJsonObject{{"name", "team"}, {"keys", QJsonArray{"${env:TEAM_KEY}", "${env:NOT_SET}"}}},
        };
        QStringList warnings;
        const ConsumerDirectory directory = ConsumerDirectory::build(consumers, resolver, &warnings);
        QCOMPARE(directory.keyCount(), 2);
        QCOMPARE(directory.consumerForKey(generated.toUtf8()), QStringLiteral("me"));
        QCOMPARE(directory.consumerForKey("gh-team-key-from-env-0001"), QStringLiteral("team"));
        QVERIFY(directory.consumerForKey("gh-wrong").isNull());
        QVERIFY(directory.consumerForKey({}).isNull());
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().contains(QStringLiteral("NOT_SET")), qPrintable(warnings.first()));
    }

    void expiryAndRevocationAreCheckedPerLookup()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("ENV_KEY"), QStringLiteral("gh-env-key-0123456789"));
        const SecretResolver resolver(nullptr, env);
        const qint64 now = 1'800'000'000'000;
        const QString active = ApiKey::generate(), expiring = ApiKey::generate(),
                      revoked = ApiKey::generate(), grace = ApiKey::generate();
        auto row = [](const QString &consumer, const QString &raw, qint64 expiresAt, qint64 revokedAt) {
            ConsumerKey key;
            key.consumer = consumer;
            key.hash = ApiKey::hash(raw);
            key.prefix = ApiKey::displayPrefix(raw);
            key.expiresAt = expiresAt;
            key.revokedAt = revokedAt;
            return key;
        };
        ConsumerKey fromEnv;
        fromEnv.consumer = QStringLiteral("team");
        fromEnv.reference = QStringLiteral("${env:ENV_KEY}");
        const QList<ConsumerKey> rows{row(QStringLiteral("me"), active, 0, 0),
                                      row(QStringLiteral("me"), expiring, now + 1000, 0),
                                      row(QStringLiteral("me"), revoked, 0, now - 1),
                                      row(QStringLiteral("me"), grace, 0, now + 1000), fromEnv};
        const ConsumerDirectory directory = ConsumerDirectory::fromKeys(rows, resolver, nullptr, now);
        QCOMPARE(directory.keyCount(), 4); // the revoked one is not even loaded

        QCOMPARE(directory.lookup(active.toUtf8(), now).consumer, QStringLiteral("me"));
        QCOMPARE(directory.lookup(active.toUtf8(), now + 1'000'000'000).consumer, QStringLiteral("me"));
        QCOMPARE(directory.lookup("gh-env-key-0123456789", now).consumer, QStringLiteral("team"));

        // An expiring key works until its time, then is "expired" (not just unknown).
        QCOMPARE(directory.lookup(expiring.toUtf8(), now + 999).consumer, QStringLiteral("me"));
        const ConsumerDirectory::Lookup expired = directory.lookup(expiring.toUtf8(), now + 1000);
        QVERIFY(expired.consumer.isNull());
        QVERIFY(expired.expired);

        // Revoked keys never match; a grace period ends like a revocation.
        QVERIFY(directory.lookup(revoked.toUtf8(), now).consumer.isNull());
        QVERIFY(!directory.lookup(revoked.toUtf8(), now).expired);
        QCOMPARE(directory.lookup(grace.toUtf8(), now + 999).consumer, QStringLiteral("me"));
        QVERIFY(directory.lookup(grace.toUtf8(), now + 1000).consumer.isNull());
        QVERIFY(!directory.lookup(grace.toUtf8(), now + 1000).expired);
        QVERIFY(directory.lookup("gh-unknown", now).consumer.isNull());
        QVERIFY(!directory.lookup("gh-unknown", now).expired);
    }

    void presentedKeyComesFromBearerOrXApiKey()
    {
        HttpHeaders bearer;
        bearer.add("Authorization", "Bearer  gh-abc ");
        QCOMPARE(ConsumerDirectory::presentedKey(bearer).key, QByteArray("gh-abc"));
        QCOMPARE(ConsumerDirectory::presentedKey(bearer).header, QByteArray("authorization"));
        HttpHeaders anthropic;
        anthropic.add("x-api-key", "gh-def");
        QCOMPARE(ConsumerDirectory::presentedKey(anthropic).key, QByteArray("gh-def"));
        HttpHeaders basic;
        basic.add("Authorization", "Basic Zm9vOmJhcg==");
        QVERIFY(ConsumerDirectory::presentedKey(basic).key.isEmpty());
        QVERIFY(ConsumerDirectory::presentedKey({}).header.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestConsumerDirectory)
#include "tst_consumerdirectory.moc"
