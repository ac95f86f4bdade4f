#include "policy/IpRules.h"

#include <QJsonArray>
#include <QTest>

using namespace gh;

namespace {

QJsonObject rules(const QStringList &allow, const QStringList &deny)
{
    QJsonObject ip;
    if (!allow.isEmpty())
        ip.insert(QStringLiteral("allow"), QJsonArray::fromStringList(allow));
    if (!deny.isEmpty())
        ip.insert(QStringLiteral("deny"), QJsonArray::fromStringList(deny));
    return ip;
}

} // namespace

class TestIpRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseRange_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("network"); // empty: refused
        QTest::addColumn<int>("prefix");

        QTest::newRow("v4 cidr") << "10.0.0.0/8"
                                 << "10.0.0.0" << 8;
        QTest::newRow("v4 host bits cleared") << "10.1.2.3/8"
                                              << "10.0.0.0" << 8;
        QTest::newRow("v4 address is /32") << "192.168.1.5"
                                           << "192.168.1.5" << 32;
        QTest::newRow("v4 /32") << "192.168.1.5/32"
                                << "192.168.1.5" << 32;
        QTest::newRow("v4 /0") << "0.0.0.0/0"
                               << "0.0.0.0" << 0;
        QTest::newRow("v4 netmask") << "10.0.0.0/255.0.0.0"
                                    << "10.0.0.0" << 8;
        QTest::newRow("v6 cidr") << "fd00::/8"
                                 << "fd00::" << 8;
        QTest::newRow("v6 address is /128") << "::1"
                                            << "::1" << 128;
        QTest::newRow("v6 /128") << "2001:db8::1/128"
                                 << "2001:db8::1" << 128;
        QTest::newRow("v6 /0") << "::/0"
                               << "::" << 0;
        QTest::newRow("mapped range becomes v4") << "::ffff:10.0.0.0/104"
                                                 << "10.0.0.0" << 8;
        QTest::newRow("mapped address becomes v4") << "::ffff:127.0.0.1"
                                                   << "127.0.0.1" << 32;

        QTest::newRow("octet out of range") << "10.0.0.300/8"
                                            << "" << -1;
        QTest::newRow("v4 prefix too long") << "10.0.0.0/33"
                                            << "" << -1;
        QTest::newRow("v6 prefix too long") << "::1/129"
                                            << "" << -1;
        QTest::newRow("negative prefix") << "10.0.0.0/-1"
                                         << "" << -1;
        QTest::newRow("empty prefix") << "10.0.0.0/"
                                      << "" << -1;
        QTest::newRow("no address") << "/8"
                                    << "" << -1;
        QTest::newRow("abbreviated v4") << "192.168/16"
                                        << "" << -1;
        QTest::newRow("short v4") << "10.1"
                                  << "" << -1;
        QTest::newRow("leading zero") << "010.0.0.1"
                                      << "" << -1;
        QTest::newRow("surrounding space") << " 10.0.0.0/8"
                                           << "" << -1;
        QTest::newRow("host name") << "localhost"
                                   << "" << -1;
        QTest::newRow("empty") << ""
                               << "" << -1;
    }

    void parseRange()
    {
        QFETCH(QString, text);
        QFETCH(QString, network);
        QFETCH(int, prefix);
        const auto range = IpRules::parseRange(text);
        if (network.isEmpty()) {
            QVERIFY2(!range, qPrintable(range ? range->first.toString() : QString()));
            return;
        }
        QVERIFY(range);
        QCOMPARE(range->first, QHostAddress(network));
        QCOMPARE(range->second, prefix);
    }

    void allows_data()
    {
        QTest::addColumn<QStringList>("allow");
        QTest::addColumn<QStringList>("deny");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<bool>("allowed");

        const QStringList none;
        QTest::newRow("no rules") << none << none << "203.0.113.9" << true;
        QTest::newRow("in v4 allow") << QStringList{"10.0.0.0/8"} << none << "10.200.1.1" << true;
        QTest::newRow("outside v4 allow")
            << QStringList{"10.0.0.0/8"} << none << "11.0.0.1" << false;
        QTest::newRow("loopback outside allow")
            << QStringList{"10.0.0.0/8"} << none << "127.0.0.1" << false;
        QTest::newRow("/32 exact")
            << QStringList{"192.168.1.5/32"} << none << "192.168.1.5" << true;
        QTest::newRow("/32 neighbour")
            << QStringList{"192.168.1.5/32"} << none << "192.168.1.6" << false;
        QTest::newRow("v4 /0 allows every v4")
            << QStringList{"0.0.0.0/0"} << none << "8.8.8.8" << true;
        QTest::newRow("v4 /0 is not v6")
            << QStringList{"0.0.0.0/0"} << none << "2001:db8::1" << false;
        QTest::newRow("v6 /0 allows every v6")
            << QStringList{"::/0"} << none << "2001:db8::1" << true;
        QTest::newRow("v6 /128") << QStringList{"::1/128"} << none << "::1" << true;
        QTest::newRow("v6 /128 neighbour") << QStringList{"::1/128"} << none << "::2" << false;
        QTest::newRow("v6 range") << QStringList{"2001:db8::/32"} << none << "2001:db8:1::5"
                                  << true;
        QTest::newRow("v6 outside range")
            << QStringList{"2001:db8::/32"} << none << "2001:db9::5" << false;
        QTest::newRow("mapped peer meets v4 allow")
            << QStringList{"127.0.0.0/8"} << none << "::ffff:127.0.0.1" << true;
        QTest::newRow("mapped peer meets v4 deny")
            << none << QStringList{"127.0.0.1"} << "::ffff:127.0.0.1" << false;
        QTest::newRow("mapped rule meets v4 peer")
            << QStringList{"::ffff:10.0.0.0/104"} << none << "10.9.9.9" << true;
        QTest::newRow("unspecified v6 is not 0.0.0.0")
            << QStringList{"0.0.0.0/8"} << none << "::" << false;
        QTest::newRow("deny only") << none << QStringList{"10.0.0.0/8"} << "11.0.0.1" << true;
        QTest::newRow("deny only, denied")
            << none << QStringList{"10.0.0.0/8"} << "10.0.0.1" << false;
        QTest::newRow("deny wins over allow")
            << QStringList{"10.0.0.0/8"} << QStringList{"10.1.0.0/16"} << "10.1.2.3" << false;
        QTest::newRow("allow beside the deny")
            << QStringList{"10.0.0.0/8"} << QStringList{"10.1.0.0/16"} << "10.2.2.3" << true;
        QTest::newRow("several allow ranges")
            << QStringList{"10.0.0.0/8", "::1", "192.168.0.0/16"} << none << "::1" << true;
        QTest::newRow("unknown peer with an allow list")
            << QStringList{"0.0.0.0/0"} << none << "" << false;
    }

    void allows()
    {
        QFETCH(QStringList, allow);
        QFETCH(QStringList, deny);
        QFETCH(QString, peer);
        QFETCH(bool, allowed);
        const IpRules ipRules = IpRules::fromJson(rules(allow, deny));
        QCOMPARE(ipRules.allows(QHostAddress(peer)), allowed);
    }

    void emptyRules()
    {
        QVERIFY(IpRules().isEmpty());
        QVERIFY(IpRules::fromJson({}).isEmpty());
        QVERIFY(!IpRules::fromJson(rules({}, {QStringLiteral("10.0.0.0/8")})).isEmpty());
    }

    void unmapped()
    {
        QCOMPARE(IpRules::unmapped(QHostAddress(QStringLiteral("::ffff:192.0.2.1"))),
                 QHostAddress(QStringLiteral("192.0.2.1")));
        QCOMPARE(IpRules::unmapped(QHostAddress(QStringLiteral("::1"))),
                 QHostAddress(QStringLiteral("::1")));
        QCOMPARE(IpRules::unmapped(QHostAddress(QStringLiteral("192.0.2.1"))),
                 QHostAddress(QStringLiteral("192.0.2.1")));
    }
};

QTEST_GUILESS_MAIN(TestIpRules)
#include "tst_iprules.moc"
