#include "SettingsPage.h"

#include "AppSettings.h"
#include "Gateway.h"
#include "GatewayRestarter.h"
#include "SettingsValidator.h"
#include "tls/LocalCertificateAuthority.h"

#include <QCheckBox>
#include <QClipboard>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

namespace gh {

namespace {

QLabel *messageLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->hide();
    return label;
}

// Red and amber that stay readable on light and dark palettes alike.
void setTextColor(QLabel *label, const QColor &color)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, color);
    label->setPalette(palette);
}

void showMessage(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace

SettingsPage::SettingsPage(Gateway *gateway, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_restarter(new GatewayRestarter(gateway, this))
    , m_listen(new QLineEdit(this))
    , m_adminListen(new QLineEdit(this))
    , m_dataDir(new QLineEdit(this))
    , m_listenError(messageLabel(QStringLiteral("listenError"), this))
    , m_adminListenError(messageLabel(QStringLiteral("adminListenError"), this))
    , m_dataDirError(messageLabel(QStringLiteral("dataDirError"), this))
    , m_warning(messageLabel(QStringLiteral("exposureWarning"), this))
    , m_result(messageLabel(QStringLiteral("applyResult"), this))
    , m_apply(new QPushButton(tr("Apply and Restart Gateway"), this))
    , m_cacheResult(messageLabel(QStringLiteral("purgeCacheResult"), this))
    , m_tls(new QCheckBox(tr("Serve HTTPS only (TLS 1.2 or later, certificate from a local CA)"),
                          this))
    , m_remoteAdmin(new QCheckBox(tr("Let other machines reach the admin API (HTTPS only)"), this))
    , m_caResult(messageLabel(QStringLiteral("caResult"), this))
{
    auto *heading = new QLabel(tr("Settings"), this);
    heading->setObjectName(QStringLiteral("pageTitle"));
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    headingFont.setBold(true);
    heading->setFont(headingFont);

    m_listen->setObjectName(QStringLiteral("listenEdit"));
    m_listen->setPlaceholderText(QStringLiteral("127.0.0.1:4141"));
    m_adminListen->setObjectName(QStringLiteral("adminListenEdit"));
    m_adminListen->setPlaceholderText(QStringLiteral("127.0.0.1:4142"));
    m_dataDir->setObjectName(QStringLiteral("dataDirEdit"));
    m_dataDir->setPlaceholderText(GatewayOptions::defaultDataDir());
    m_apply->setObjectName(QStringLiteral("applyButton"));
    for (QLabel *error : {m_listenError, m_adminListenError, m_dataDirError})
        setTextColor(error, QColor(0xd9, 0x30, 0x25));
    setTextColor(m_warning, QColor(0xc2, 0x6a, 0x00));

    auto *browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(QStringLiteral("browseButton"));
    auto *dataDirRow = new QHBoxLayout;
    dataDirRow->addWidget(m_dataDir, 1);
    dataDirRow->addWidget(browse);

    auto *listenHint = new QLabel(
        tr("HOST:PORT. Port 0 picks a free port. 127.0.0.1 keeps the gateway to this machine."),
        this);
    listenHint->setWordWrap(true);
    listenHint->setEnabled(false); // greyed: a hint, not a value

    // Each field with its message underneath; hidden messages take no space.
    const auto fieldWithMessages = [](QLayout *field, std::initializer_list<QWidget *> below) {
        auto *column = new QVBoxLayout;
        column->setSpacing(2);
        column->addLayout(field);
        for (QWidget *widget : below)
            column->addWidget(widget);
        return column;
    };
    const auto row = [](QWidget *widget) {
        auto *line = new QHBoxLayout;
        line->addWidget(widget);
        line->addStretch();
        return line;
    };
    for (QLineEdit *edit : {m_listen, m_adminListen})
        edit->setMinimumWidth(edit->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 28);

    auto *form = new QFormLayout;
    form->addRow(tr("Gateway listens on:"),
                 fieldWithMessages(row(m_listen), {m_listenError, listenHint}));
    form->addRow(tr("Admin API listens on:"),
                 fieldWithMessages(row(m_adminListen), {m_adminListenError}));
    form->addRow(tr("Data directory:"), fieldWithMessages(dataDirRow, {m_dataDirError}));
    m_tls->setObjectName(QStringLiteral("tlsCheck"));
    m_remoteAdmin->setObjectName(QStringLiteral("remoteAdminCheck"));
    form->addRow(tr("HTTPS:"), m_tls);
    form->addRow(QString(), m_remoteAdmin);

    // Clients only accept the HTTPS listener once they trust the CA, so the page hands it out.
    auto *saveCa = new QPushButton(tr("Save CA Certificate…"), this);
    saveCa->setObjectName(QStringLiteral("saveCaButton"));
    auto *copyCa = new QPushButton(tr("Copy CA Certificate"), this);
    copyCa->setObjectName(QStringLiteral("copyCaButton"));
    auto *caButtons = new QHBoxLayout;
    caButtons->addWidget(saveCa);
    caButtons->addWidget(copyCa);
    caButtons->addStretch();
    auto *caHint =
        new QLabel(tr("Trust this certificate in the clients that call Gatehouse over HTTPS, e.g. "
                      "curl --cacert gatehouse-ca.pem, NODE_EXTRA_CA_CERTS=gatehouse-ca.pem, "
                      "SSL_CERT_FILE=gatehouse-ca.pem (Python), or machine-wide with "
                      "update-ca-certificates. It is only valid for localhost, 127.0.0.1 and ::1."),
                   this);
    caHint->setObjectName(QStringLiteral("caHint"));
    caHint->setWordWrap(true);
    caHint->setEnabled(false);
    caHint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Local CA:"), fieldWithMessages(caButtons, {caHint, m_caResult}));

    auto *overrideNote =
        new QLabel(tr("Flags given on the command line (--listen, --admin-listen, "
                      "--data-dir) override these settings for that run; --tls turns HTTPS on for "
                      "that run."),
                   this);
    overrideNote->setWordWrap(true);
    overrideNote->setEnabled(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_apply);
    buttons->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addLayout(form);
    layout->addWidget(m_warning);
    layout->addWidget(overrideNote);
    layout->addLayout(buttons);
    layout->addWidget(m_result);
    // The response cache (routes' cache, settings.ai_cache) lives in memory; this empties it.
    auto *purge = new QPushButton(tr("Purge Response Cache"), this);
    purge->setObjectName(QStringLiteral("purgeCacheButton"));
    connect(purge, &QPushButton::clicked, this, &SettingsPage::purgeCache);
    layout->addLayout(row(purge));
    layout->addWidget(m_cacheResult);
    layout->addStretch();

    connect(m_listen, &QLineEdit::textChanged, this, &SettingsPage::validate);
    connect(m_adminListen, &QLineEdit::textChanged, this, &SettingsPage::validate);
    connect(m_dataDir, &QLineEdit::textChanged, this, &SettingsPage::validate);
    connect(m_tls, &QCheckBox::toggled, this, &SettingsPage::validate);
    connect(m_remoteAdmin, &QCheckBox::toggled, this, &SettingsPage::validate);
    connect(saveCa, &QPushButton::clicked, this, &SettingsPage::chooseCaFile);
    connect(copyCa, &QPushButton::clicked, this, &SettingsPage::copyCaCertificate);
    connect(browse, &QPushButton::clicked, this, &SettingsPage::browseDataDir);
    connect(m_apply, &QPushButton::clicked, this, &SettingsPage::apply);
    connect(m_restarter, &GatewayRestarter::finished, this, &SettingsPage::restartFinished);
    resetFields();
}

void SettingsPage::purgeCache()
{
    const int removed = m_gateway->purgeCache();
    showMessage(m_cacheResult, tr("Removed %n cached response(s).", nullptr, removed));
}

void SettingsPage::resetFields()
{
    const GatewayOptions &options = m_gateway->options();
    m_listen->setText(GatewayOptions::formatHostPort(options.listenAddress, options.listenPort));
    m_adminListen->setText(GatewayOptions::formatHostPort(options.adminAddress, options.adminPort));
    m_dataDir->setText(options.dataDir.isEmpty() ? GatewayOptions::defaultDataDir()
                                                 : options.dataDir);
    m_tls->setChecked(options.tls);
    m_remoteAdmin->setChecked(options.allowRemoteAdmin);
    validate();
}

GatewayOptions SettingsPage::editedBase() const
{
    GatewayOptions base = m_gateway->options();
    base.tls = m_tls->isChecked();
    base.allowRemoteAdmin = m_tls->isChecked() && m_remoteAdmin->isChecked();
    return base;
}

void SettingsPage::validate()
{
    // Remote admin access is only offered on top of TLS, as on the command line.
    m_remoteAdmin->setEnabled(m_tls->isChecked());
    const SettingsValidator::Result result = SettingsValidator::validate(
        m_listen->text(), m_adminListen->text(), m_dataDir->text(), editedBase());
    showMessage(m_listenError, result.listenError);
    showMessage(m_adminListenError, result.adminError);
    showMessage(m_dataDirError, result.dataDirError);
    showMessage(m_warning, result.warning);
    m_apply->setEnabled(result.isValid() && !m_restarter->isBusy());
}

void SettingsPage::apply()
{
    const SettingsValidator::Result result = SettingsValidator::validate(
        m_listen->text(), m_adminListen->text(), m_dataDir->text(), editedBase());
    if (!result.isValid() || m_restarter->isBusy())
        return;
    AppSettings::saveGatewayOptions(result.options);
    m_apply->setEnabled(false);
    showMessage(m_result, tr("Restarting the gateway…"));
    m_restarter->restart(result.options);
}

void SettingsPage::restartFinished(bool ok)
{
    if (ok)
        showMessage(m_result, tr("Saved. The gateway is running at %1 (admin API at %2).")
                                  .arg(m_gateway->gatewayUrl(), m_gateway->adminUrl()));
    else
        showMessage(m_result,
                    tr("Saved, but the gateway could not start: %1").arg(m_gateway->lastError()));
    validate();
}

QByteArray SettingsPage::caPem(QString *error) const
{
    // The CA lives with the data the gateway runs on, not the one typed but not applied.
    QString dataDir = m_gateway->options().dataDir;
    if (dataDir.isEmpty())
        dataDir = GatewayOptions::defaultDataDir();
    LocalCertificateAuthority ca(LocalCertificateAuthority::directoryFor(dataDir));
    if (!ca.ensure(error))
        return {};
    return ca.caCertificate().toPem();
}

bool SettingsPage::saveCaCertificate(const QString &path)
{
    QString error;
    const QByteArray pem = caPem(&error);
    if (pem.isEmpty()) {
        showMessage(m_caResult, tr("Could not create the local CA: %1").arg(error));
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size() || !file.commit()) {
        showMessage(m_caResult, tr("Could not save %1: %2").arg(path, file.errorString()));
        return false;
    }
    showMessage(m_caResult, tr("Saved the CA certificate to %1.").arg(path));
    return true;
}

void SettingsPage::copyCaCertificate()
{
    QString error;
    const QByteArray pem = caPem(&error);
    if (pem.isEmpty()) {
        showMessage(m_caResult, tr("Could not create the local CA: %1").arg(error));
        return;
    }
    QGuiApplication::clipboard()->setText(QString::fromLatin1(pem));
    showMessage(m_caResult, tr("Copied the CA certificate (PEM) to the clipboard."));
}

void SettingsPage::chooseCaFile()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save CA Certificate"), QDir::home().filePath(QStringLiteral("gatehouse-ca.pem")),
        tr("PEM certificates (*.pem *.crt)"));
    if (!path.isEmpty())
        saveCaCertificate(path);
}

void SettingsPage::browseDataDir()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Choose Data Directory"), m_dataDir->text());
    if (!dir.isEmpty())
        m_dataDir->setText(dir);
}

} // namespace gh
