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

    void prefixIsShort()
    {
        QCOMPARE(ApiKey::displayPrefix(QStringLiteral("gh-abcdefghijkl")), QStringLiteral("gh-abcd"));
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
