#include "tls/LocalCertificateAuthority.h"

#include <QFile>
#include <QSslCertificateExtension>
#include <QSslError>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace gh;

namespace {

QString extensionText(const QSslCertificate &cert, const QString &name, bool *critical = nullptr)
{
    for (const QSslCertificateExtension &e : cert.extensions()) {
        if (e.name() == name) {
            if (critical)
                *critical = e.isCritical();
            const QVariant v = e.value();
            // keyUsage comes as a list, most others as OpenSSL's text.
            if (v.typeId() == QMetaType::QVariantList)
                return v.toStringList().join(QLatin1String(", "));
            return v.toString();
        }
    }
    return QStringLiteral("<missing>");
}

QVariantMap basicConstraints(const QSslCertificate &cert, bool *critical)
{
    for (const QSslCertificateExtension &e : cert.extensions()) {
        if (e.name() == QLatin1String("basicConstraints")) {
            *critical = e.isCritical();
            return e.value().toMap();
        }
    }
    return {};
}

int fileMode(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
}

// QSslCertificate::verify() trusts the default configuration's CA list.
class TrustedCa
{
public:
    explicit TrustedCa(const QList<QSslCertificate> &cas)
        : m_saved(QSslConfiguration::defaultConfiguration())
    {
        QSslConfiguration c = m_saved;
        c.setCaCertificates(cas);
        QSslConfiguration::setDefaultConfiguration(c);
    }
    ~TrustedCa() { QSslConfiguration::setDefaultConfiguration(m_saved); }

private:
    QSslConfiguration m_saved;
};

} // namespace

class TestLocalCertificateAuthority : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsFilesWithPrivateKeysUnreadableByOthers()
    {
        QTemporaryDir data;
        LocalCertificateAuthority ca(LocalCertificateAuthority::directoryFor(data.path()));
        QString error;
        QVERIFY2(ca.ensure(&error), qPrintable(error));
        QVERIFY(ca.createdCa());
        QVERIFY(ca.createdServer());
        QCOMPARE(ca.caPath(), data.path() + QStringLiteral("/tls/ca.pem"));
        QCOMPARE(fileMode(ca.caKeyPath()), 0600);
        QCOMPARE(fileMode(ca.serverKeyPath()), 0600);
        QCOMPARE(fileMode(ca.caPath()), 0644);
        QCOMPARE(fileMode(ca.serverPath()), 0644);
        QCOMPARE(fileMode(ca.directory()), 0700);
        QVERIFY(!QFile::exists(ca.caKeyPath() + QStringLiteral(".tmp")));
        // The public file holds the certificate only.
        QFile pem(ca.caPath());
        QVERIFY(pem.open(QIODevice::ReadOnly));
        const QByteArray text = pem.readAll();
        QVERIFY(text.startsWith("-----BEGIN CERTIFICATE-----"));
        QVERIFY(!text.contains("PRIVATE KEY"));
        QCOMPARE(QSslCertificate::fromPath(ca.caPath()).value(0), ca.caCertificate());
    }

    void caIsAConstrainedCa()
    {
        QTemporaryDir data;
        LocalCertificateAuthority ca(data.path());
        QString error;
        QVERIFY2(ca.ensure(&error), qPrintable(error));
        const QSslCertificate cert = ca.caCertificate();
        QVERIFY(cert.isSelfSigned());
        QCOMPARE(cert.subjectInfo(QSslCertificate::CommonName).value(0),
                 QStringLiteral("Gatehouse Local CA"));
        bool critical = false;
        const QVariantMap bc = basicConstraints(cert, &critical);
        QVERIFY(critical);
        QCOMPARE(bc.value(QStringLiteral("ca")).toBool(), true);
        QCOMPARE(bc.value(QStringLiteral("pathLenConstraint")).toInt(), 0);
        const QString usage = extensionText(cert, QStringLiteral("keyUsage"), &critical);
        QVERIFY(critical);
        QVERIFY2(usage.contains(QLatin1String("Certificate Sign")), qPrintable(usage));
        QVERIFY2(!usage.contains(QLatin1String("Digital Signature")), qPrintable(usage));
        const QString constraints =
            extensionText(cert, QStringLiteral("nameConstraints"), &critical);
        QVERIFY(critical);
        QVERIFY2(constraints.contains(QLatin1String("DNS:localhost")), qPrintable(constraints));
        QVERIFY2(constraints.contains(QLatin1String("127.0.0.0/255.0.0.0")),
                 qPrintable(constraints));
        QCOMPARE(cert.publicKey().algorithm(), QSsl::Ec);
        const qint64 days = cert.effectiveDate().daysTo(cert.expiryDate());
        QVERIFY2(days >= LocalCertificateAuthority::CaValidityDays - 1 &&
                     days <= LocalCertificateAuthority::CaValidityDays + 1,
                 qPrintable(QString::number(days)));
    }

    void serverCertificateIsForLoopbackServersOnly()
    {
        QTemporaryDir data;
        LocalCertificateAuthority ca(data.path());
        QString error;
        QVERIFY2(ca.ensure(&error), qPrintable(error));
        const QSslCertificate cert = ca.serverCertificate();
        QVERIFY(!cert.isSelfSigned());
        QCOMPARE(cert.issuerDisplayName(), QStringLiteral("Gatehouse Local CA"));
        const auto names = cert.subjectAlternativeNames();
        QCOMPARE(names.values(QSsl::DnsEntry), QStringList{QStringLiteral("localhost")});
        QStringList ips = names.values(QSsl::IpAddressEntry);
        for (QString &ip : ips)
            ip = QHostAddress(ip).toString(); // one spelling of ::1
        ips.sort();
        QCOMPARE(ips, (QStringList{QStringLiteral("127.0.0.1"), QStringLiteral("::1")}));
        bool critical = false;
        const QVariantMap bc = basicConstraints(cert, &critical);
        QCOMPARE(bc.value(QStringLiteral("ca")).toBool(), false);
        const QString usage = extensionText(cert, QStringLiteral("keyUsage"), &critical);
        QVERIFY(critical);
        QVERIFY2(usage.contains(QLatin1String("Digital Signature")), qPrintable(usage));
        QVERIFY2(!usage.contains(QLatin1String("Certificate Sign")), qPrintable(usage));
        const QString eku = extensionText(cert, QStringLiteral("extendedKeyUsage"));
        QCOMPARE(eku, QStringLiteral("TLS Web Server Authentication"));
        QCOMPARE(cert.publicKey().algorithm(), QSsl::Ec);
        QCOMPARE(ca.serverKey().algorithm(), QSsl::Ec);
        QCOMPARE(ca.serverKey().type(), QSsl::PrivateKey);
        const qint64 days = cert.effectiveDate().daysTo(cert.expiryDate());
        QVERIFY2(days >= LocalCertificateAuthority::ServerValidityDays - 1 &&
                     days <= LocalCertificateAuthority::ServerValidityDays + 1,
                 qPrintable(QString::number(days)));
    }

    void serverCertificateVerifiesAgainstTheCaOnly()
    {
        QTemporaryDir data;
        LocalCertificateAuthority ca(data.path());
        QString error;
        QVERIFY2(ca.ensure(&error), qPrintable(error));
        {
            TrustedCa trust({ca.caCertificate()});
            for (const QString &host : {QStringLiteral("localhost"), QStringLiteral("127.0.0.1")}) {
                const QList<QSslError> errors =
                    QSslCertificate::verify({ca.serverCertificate()}, host);
                QVERIFY2(errors.isEmpty(),
                         qPrintable(host + QLatin1String(": ") + errors.value(0).errorString()));
            }
            // Not for another name.
            QVERIFY(
                !QSslCertificate::verify({ca.serverCertificate()}, QStringLiteral("example.com"))
                     .isEmpty());
        }
        // Another installation's CA does not vouch for it.
        QTemporaryDir other;
        LocalCertificateAuthority otherCa(other.path());
        QVERIFY2(otherCa.ensure(&error), qPrintable(error));
        TrustedCa trust({otherCa.caCertificate()});
        QVERIFY(!QSslCertificate::verify({ca.serverCertificate()}, QStringLiteral("localhost"))
                     .isEmpty());
    }

    void keptAcrossStarts()
    {
        QTemporaryDir data;
        LocalCertificateAuthority first(data.path());
        QString error;
        QVERIFY2(first.ensure(&error), qPrintable(error));
        LocalCertificateAuthority second(data.path());
        QVERIFY2(second.ensure(&error), qPrintable(error));
        QVERIFY(!second.createdCa());
        QVERIFY(!second.createdServer());
        QCOMPARE(second.caCertificate(), first.caCertificate());
        QCOMPARE(second.serverCertificate(), first.serverCertificate());
        QCOMPARE(second.serverKey(), first.serverKey());
    }

    void serverCertificateRenewedNearExpiry()
    {
        QTemporaryDir data;
        LocalCertificateAuthority old(data.path());
        // Issued 340 days ago: 25 days left, inside the 30-day renewal window.
        old.setCurrentTime(QDateTime::currentDateTimeUtc().addDays(-340));
        QString error;
        QVERIFY2(old.ensure(&error), qPrintable(error));

        LocalCertificateAuthority now(data.path());
        QVERIFY2(now.ensure(&error), qPrintable(error));
        QVERIFY(!now.createdCa()); // the CA the user trusts stays
        QVERIFY(now.createdServer());
        QCOMPARE(now.caCertificate(), old.caCertificate());
        QVERIFY(now.serverCertificate().serialNumber() != old.serverCertificate().serialNumber());
        QVERIFY(now.serverCertificate().expiryDate() >
                QDateTime::currentDateTimeUtc().addDays(300));
        TrustedCa trust({now.caCertificate()});
        QVERIFY(QSslCertificate::verify({now.serverCertificate()}, QStringLiteral("localhost"))
                    .isEmpty());
    }

    void serverCertificateNeverOutlivesTheCa()
    {
        QTemporaryDir data;
        LocalCertificateAuthority old(data.path());
        // The CA has 100 days left: kept, but the new server certificate ends with it.
        old.setCurrentTime(QDateTime::currentDateTimeUtc().addDays(
            -(LocalCertificateAuthority::CaValidityDays - 100)));
        QString error;
        QVERIFY2(old.ensure(&error), qPrintable(error));
        LocalCertificateAuthority now(data.path());
        QVERIFY2(now.ensure(&error), qPrintable(error));
        QVERIFY(!now.createdCa());
        QVERIFY(now.createdServer());
        QCOMPARE(now.serverCertificate().expiryDate(), now.caCertificate().expiryDate());
    }

    void caRenewedNearExpiryWithANewServerCertificate()
    {
        QTemporaryDir data;
        LocalCertificateAuthority old(data.path());
        old.setCurrentTime(QDateTime::currentDateTimeUtc().addDays(
            -(LocalCertificateAuthority::CaValidityDays - 10)));
        QString error;
        QVERIFY2(old.ensure(&error), qPrintable(error));
        LocalCertificateAuthority now(data.path());
        QVERIFY2(now.ensure(&error), qPrintable(error));
        QVERIFY(now.createdCa());
        QVERIFY(now.createdServer());
        QVERIFY(now.caCertificate() != old.caCertificate());
        TrustedCa trust({now.caCertificate()});
        QVERIFY(QSslCertificate::verify({now.serverCertificate()}, QStringLiteral("localhost"))
                    .isEmpty());
    }

    void damagedFilesAreReplaced()
    {
        QTemporaryDir data;
        LocalCertificateAuthority first(data.path());
        QString error;
        QVERIFY2(first.ensure(&error), qPrintable(error));

        // A server key that does not match its certificate: new server pair, same CA.
        QFile key(first.serverKeyPath());
        QVERIFY(key.open(QIODevice::WriteOnly | QIODevice::Truncate));
        key.write("-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n");
        key.close();
        LocalCertificateAuthority second(data.path());
        QVERIFY2(second.ensure(&error), qPrintable(error));
        QVERIFY(!second.createdCa());
        QVERIFY(second.createdServer());

        // A server certificate signed by someone else: reissued by our CA.
        QTemporaryDir other;
        LocalCertificateAuthority otherCa(other.path());
        QVERIFY2(otherCa.ensure(&error), qPrintable(error));
        QFile::remove(first.serverPath());
        QFile::remove(first.serverKeyPath());
        QVERIFY(QFile::copy(otherCa.serverPath(), first.serverPath()));
        QVERIFY(QFile::copy(otherCa.serverKeyPath(), first.serverKeyPath()));
        LocalCertificateAuthority third(data.path());
        QVERIFY2(third.ensure(&error), qPrintable(error));
        QVERIFY(third.createdServer());
        QCOMPARE(third.serverCertificate().issuerDisplayName(),
                 QStringLiteral("Gatehouse Local CA"));
        TrustedCa trust({third.caCertificate()});
        QVERIFY(QSslCertificate::verify({third.serverCertificate()}, QStringLiteral("localhost"))
                    .isEmpty());

        // A missing CA key: a new CA, and a server certificate from it.
        QVERIFY(QFile::remove(first.caKeyPath()));
        LocalCertificateAuthority fourth(data.path());
        QVERIFY2(fourth.ensure(&error), qPrintable(error));
        QVERIFY(fourth.createdCa());
        QVERIFY(fourth.createdServer());
        QVERIFY(fourth.caCertificate() != third.caCertificate());
    }

    void unwritableDirectoryIsAnError()
    {
        QTemporaryDir data;
        QFile blocker(data.filePath(QStringLiteral("tls")));
        QVERIFY(blocker.open(QIODevice::WriteOnly)); // a file where the directory should be
        blocker.close();
        LocalCertificateAuthority ca(data.filePath(QStringLiteral("tls")));
        QString error;
        QVERIFY(!ca.ensure(&error));
        QVERIFY2(error.contains(QLatin1String("tls")), qPrintable(error));
    }

    void serverConfigurationIsTls12OrLater()
    {
        LocalCertificateAuthority none(QStringLiteral("/nonexistent"));
        QVERIFY(none.serverConfiguration().isNull());
        QTemporaryDir data;
        LocalCertificateAuthority ca(data.path());
        QString error;
        QVERIFY2(ca.ensure(&error), qPrintable(error));
        const QSslConfiguration c = ca.serverConfiguration();
        QCOMPARE(c.protocol(), QSsl::TlsV1_2OrLater);
        QCOMPARE(c.localCertificate(), ca.serverCertificate());
        QCOMPARE(c.privateKey(), ca.serverKey());
        QCOMPARE(c.peerVerifyMode(), QSslSocket::VerifyNone);
    }
};

QTEST_GUILESS_MAIN(TestLocalCertificateAuthority)
#include "tst_localcertificateauthority.moc"
