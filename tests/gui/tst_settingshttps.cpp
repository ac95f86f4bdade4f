// The Settings page's HTTPS controls: TLS on/off, remote admin access only on top of TLS,
// and handing out the local CA (save to a file, copy) so clients can trust the listener.
#include "AppSettings.h"
#include "Gateway.h"
#include "GatewayRestarter.h"
#include "SettingsPage.h"
#include "tls/LocalCertificateAuthority.h"

#include <QCheckBox>
#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "TestGateway.h"

using namespace gh;
using gh::test::TestGateway;

namespace {

template <typename T> T *child(QWidget *root, const char *name)
{
    auto *widget = root->findChild<T *>(QLatin1String(name));
    if (!widget)
        qWarning("no child %s", name);
    return widget;
}

} // namespace

class TestSettingsHttps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void remoteAdminOnlyWithTls();
    void caSavedAndCopied();
    void caRejections();
    void applyWithTlsServesHttps();

private:
    QTemporaryDir m_home;
};

void TestSettingsHttps::initTestCase()
{
    // A home of our own: QSettings must not share ~/.qttest with GUI tests running alongside.
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toLocal8Bit());
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QVERIFY(QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse"))
                .fileName()
                .startsWith(m_home.path()));
}

void TestSettingsHttps::init()
{
    QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse")).clear();
}

void TestSettingsHttps::remoteAdminOnlyWithTls()
{
    TestGateway g;
    QVERIFY(g.start());
    SettingsPage page(&g.gateway);
    page.show();
    auto *tls = child<QCheckBox>(&page, "tlsCheck");
    auto *remote = child<QCheckBox>(&page, "remoteAdminCheck");
    auto *admin = child<QLineEdit>(&page, "adminListenEdit");
    auto *adminError = child<QLabel>(&page, "adminListenError");
    auto *warning = child<QLabel>(&page, "exposureWarning");
    auto *apply = child<QPushButton>(&page, "applyButton");
    QVERIFY(tls && remote && admin && adminError && warning && apply);

    QVERIFY(!tls->isChecked());
    QVERIFY(!remote->isEnabled()); // nothing to allow without TLS

    // A non-loopback admin address is refused without TLS + remote admin...
    admin->setText(QStringLiteral("0.0.0.0:0"));
    QVERIFY(adminError->isVisible());
    QVERIFY(adminError->text().contains(QLatin1String("--tls")));
    QVERIFY(!apply->isEnabled());
    // ...with TLS alone too...
    tls->setChecked(true);
    QVERIFY(remote->isEnabled());
    QVERIFY(adminError->isVisible());
    QVERIFY(!apply->isEnabled());
    // ...and allowed with both, still with the exposure warning.
    remote->setChecked(true);
    QVERIFY(!adminError->isVisible());
    QVERIFY(warning->isVisible());
    QVERIFY(warning->text().contains(QLatin1String("admin API")));
    QVERIFY(apply->isEnabled());
    // Turning TLS off takes remote admin with it.
    tls->setChecked(false);
    QVERIFY(!remote->isEnabled());
    QVERIFY(adminError->isVisible());
    QVERIFY(!apply->isEnabled());
}

void TestSettingsHttps::caSavedAndCopied()
{
    TestGateway g;
    QVERIFY(g.start());
    SettingsPage page(&g.gateway);
    auto *result = child<QLabel>(&page, "caResult");
    QVERIFY(result);

    // The CA is created on first use, in the data dir the gateway runs on.
    QTemporaryDir out;
    const QString path = out.filePath(QStringLiteral("gatehouse-ca.pem"));
    QVERIFY(page.saveCaCertificate(path));
    QVERIFY(result->text().contains(path));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray pem = saved.readAll();
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    QCOMPARE(certificates.size(), 1);
    const QSslCertificate ca = certificates.first();
    QVERIFY(ca.isSelfSigned());
    QVERIFY(ca.subjectInfo(QSslCertificate::CommonName)
                .join(QString())
                .contains(QLatin1String("Gatehouse")));
    QFile inDataDir(LocalCertificateAuthority::directoryFor(g.gateway.options().dataDir) +
                    QStringLiteral("/ca.pem"));
    QVERIFY(inDataDir.open(QIODevice::ReadOnly));
    QCOMPARE(QSslCertificate(inDataDir.readAll(), QSsl::Pem), ca);
    // Only the certificate goes out, never a key.
    QVERIFY(!pem.contains("PRIVATE KEY"));

    // Saving again gives the same CA (it is not re-created), and so does Copy.
    QVERIFY(page.saveCaCertificate(path));
    saved.close();
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), pem);
    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(child<QPushButton>(&page, "copyCaButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text().toLatin1(), pem);
    QVERIFY(result->text().contains(QLatin1String("clipboard")));
}

void TestSettingsHttps::caRejections()
{
    TestGateway g;
    QVERIFY(g.start());
    SettingsPage page(&g.gateway);
    page.show();
    auto *result = child<QLabel>(&page, "caResult");

    // A folder that does not exist: a clear message, nothing written.
    QTemporaryDir out;
    const QString missing = out.filePath(QStringLiteral("no/such/dir/ca.pem"));
    QVERIFY(!page.saveCaCertificate(missing));
    QVERIFY(result->isVisible());
    QVERIFY2(result->text().startsWith(QLatin1String("Could not save")),
             qPrintable(result->text()));
    QVERIFY(!QFile::exists(missing));

    // A CA that cannot be created (DATA_DIR/tls is a file): said so, clipboard untouched.
    TestGateway broken;
    QFile blocker(broken.dir.filePath(QStringLiteral("tls")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QVERIFY(broken.start());
    SettingsPage brokenPage(&broken.gateway);
    brokenPage.show();
    auto *brokenResult = child<QLabel>(&brokenPage, "caResult");
    QVERIFY(!brokenPage.saveCaCertificate(out.filePath(QStringLiteral("ca.pem"))));
    QVERIFY2(brokenResult->text().startsWith(QLatin1String("Could not create the local CA")),
             qPrintable(brokenResult->text()));
    QVERIFY(!QFile::exists(out.filePath(QStringLiteral("ca.pem"))));
    QGuiApplication::clipboard()->setText(QStringLiteral("unchanged"));
    QTest::mouseClick(child<QPushButton>(&brokenPage, "copyCaButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("unchanged"));
    QVERIFY(brokenResult->text().startsWith(QLatin1String("Could not create the local CA")));
}

void TestSettingsHttps::applyWithTlsServesHttps()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.gateway.gatewayUrl().startsWith(QLatin1String("http://")));
    SettingsPage page(&g.gateway);
    page.show();
    child<QCheckBox>(&page, "tlsCheck")->setChecked(true);
    auto *apply = child<QPushButton>(&page, "applyButton");
    QVERIFY(apply->isEnabled());

    QSignalSpy stopped(&g.gateway, &Gateway::stopped);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(g.gateway.state(), Gateway::State::Running, 10000);
    QVERIFY(g.gateway.options().tls);
    QVERIFY2(g.gateway.gatewayUrl().startsWith(QLatin1String("https://")),
             qPrintable(g.gateway.gatewayUrl()));
    QVERIFY(g.gateway.adminUrl().startsWith(QLatin1String("https://")));

    // Saved: the next run starts with --tls (and never --allow-remote-admin unasked).
    const QStringList flags = AppSettings::savedFlags();
    QVERIFY2(flags.contains(QStringLiteral("--tls")), qPrintable(flags.join(u' ')));
    QVERIFY(!flags.contains(QStringLiteral("--allow-remote-admin")));

    // A client trusting the page's CA reaches the gateway over HTTPS.
    QTemporaryDir out;
    const QString caPath = out.filePath(QStringLiteral("ca.pem"));
    QVERIFY(page.saveCaCertificate(caPath));
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates(QSslCertificate::fromPath(caPath));
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(g.gateway.gatewayUrl() + QStringLiteral("/_gatehouse/health")));
    request.setSslConfiguration(ssl);
    request.setTransferTimeout(10000);
    QNetworkReply *reply = manager.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(reply->isFinished() || finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();

    // And back to plain HTTP.
    child<QCheckBox>(&page, "tlsCheck")->setChecked(false);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(g.gateway.state(), Gateway::State::Running, 10000);
    QVERIFY(g.gateway.gatewayUrl().startsWith(QLatin1String("http://")));
    QVERIFY(!AppSettings::savedFlags().contains(QStringLiteral("--tls")));
}

QTEST_MAIN(TestSettingsHttps)
#include "tst_settingshttps.moc"
