#include "policy/ApiKey.h"
#include "policy/ConsumerDirectory.h"
#include "secrets/SecretResolver.h"

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
