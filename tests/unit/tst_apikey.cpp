#include "policy/ApiKey.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace gh;

class TestApiKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedKeysHaveTheSpecShape()
    {
        static const QRegularExpression shape(QStringLiteral("^gh-[0-9A-Za-z]{43}$"));
        QSet<QString> seen;
        for (int i = 0; i < 200; ++i) {
            const QString key = ApiKey::generate();
            QVERIFY2(shape.match(key).hasMatch(), qPrintable(key));
            seen.insert(key);
        }
        QCOMPARE(seen.size(), 200);
    }

    void hashIsSha256Hex()
    {
        QCOMPARE(ApiKey::hash(QStringLiteral("abc")),
                 QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void generatedKeysUseTheWholeAlphabet()
    {
        // 32 random bytes in base62 need 43 digits; over many keys every digit shows up.
        QSet<QChar> digits;
        for (int i = 0; i < 100; ++i) {
            const QString key = ApiKey::generate();
            QCOMPARE(key.size(), 3 + 43);
            QVERIFY(ApiKey::isGenerated(key));
            for (qsizetype j = 3; j < key.size(); ++j)
                digits.insert(key.at(j));
        }
        QCOMPARE(digits.size(), 62);
        QVERIFY(!ApiKey::isGenerated(QStringLiteral("gh-short")));
        QVERIFY(!ApiKey::isGenerated(QStringLiteral("gh-") + QString(42, QLatin1Char('a')) + QLatin1Char('-')));
        QVERIFY(!ApiKey::isGenerated(QStringLiteral("sk-") + QString(43, QLatin1Char('a'))));
    }

    void prefixRecognisesWithoutRevealing()
    {
        const QString key = ApiKey::generate();
        QCOMPARE(ApiKey::displayPrefix(key), key.left(9));
        // A person's own key shows at most 4 characters and a quarter of itself.
        QCOMPARE(ApiKey::displayPrefix(QStringLiteral("gh-abcdefghijkl")), QStringLiteral("gh-*"));
        QCOMPARE(ApiKey::displayPrefix(QStringLiteral("my-team-key-of-some-length")), QStringLiteral("my-t*"));
        QCOMPARE(ApiKey::displayPrefix(QStringLiteral("abc")), QStringLiteral("*"));
    }

    void digestComparison()
    {
        QVERIFY(ApiKey::digestsEqual(QStringLiteral("abcd"), QStringLiteral("abcd")));
        QVERIFY(!ApiKey::digestsEqual(QStringLiteral("abcd"), QStringLiteral("abce")));
        QVERIFY(!ApiKey::digestsEqual(QStringLiteral("abcd"), QStringLiteral("abc")));
    }
};

QTEST_GUILESS_MAIN(TestApiKey)
#include "tst_apikey.moc"
