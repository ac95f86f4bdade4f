#include "NewKeyDialog.h"

#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace gh {

NewKeyDialog::NewKeyDialog(const QString &consumer, const QString &rawKey, qint64 expiresAtMs,
                           QWidget *parent)
    : QDialog(parent)
    , m_key(new QLineEdit(rawKey, this))
    , m_copy(new QPushButton(tr("Copy"), this))
    , m_copiedNote(new QLabel(this))
{
    setObjectName(QStringLiteral("newKeyDialog"));
    setWindowTitle(tr("New Key for “%1”").arg(consumer));
    setAttribute(Qt::WA_DeleteOnClose);

    auto *intro = new QLabel(tr("The new key for “%1”:").arg(consumer), this);
    m_key->setObjectName(QStringLiteral("newKeyEdit"));
    m_key->setReadOnly(true);
    m_key->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_key->setMinimumWidth(m_key->fontMetrics().horizontalAdvance(rawKey) + 24);
    m_key->setCursorPosition(0);
    m_copy->setObjectName(QStringLiteral("copyKeyButton"));
    m_copy->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    m_copy->setDefault(true);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_copy);

    auto *warning = new QLabel(
        tr("<b>Copy it now: you won't see it again.</b> Gatehouse keeps only a fingerprint "
           "(SHA-256) of the key, so it cannot show it later. If it is lost, make a new one."),
        this);
    warning->setObjectName(QStringLiteral("onceWarning"));
    warning->setWordWrap(true);
    QString usage = tr("Send it as “Authorization: Bearer <key>” or in an “x-api-key” header.");
    if (expiresAtMs > 0)
        usage += QLatin1Char(' ') + tr("It expires on %1.")
                                        .arg(QDateTime::fromMSecsSinceEpoch(expiresAtMs)
                                                 .toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    auto *usageLabel = new QLabel(usage, this);
    usageLabel->setObjectName(QStringLiteral("keyUsageLabel"));
    usageLabel->setWordWrap(true);
    usageLabel->setTextFormat(Qt::PlainText);
    usageLabel->setEnabled(false); // greyed: a note
    m_copiedNote->setObjectName(QStringLiteral("copiedNote"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *done = buttons->button(QDialogButtonBox::Close);
    done->setText(tr("Done"));
    done->setObjectName(QStringLiteral("doneButton"));
    done->setAutoDefault(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(keyRow);
    layout->addWidget(m_copiedNote);
    layout->addWidget(warning);
    layout->addWidget(usageLabel);
    layout->addWidget(buttons);

    connect(m_copy, &QPushButton::clicked, this, &NewKeyDialog::copy);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_key->selectAll();
    m_key->setFocus();
}

NewKeyDialog::~NewKeyDialog()
{
    m_key->clear();
}

void NewKeyDialog::copy()
{
    QGuiApplication::clipboard()->setText(m_key->text());
    m_copied = true;
    m_copiedNote->setText(tr("Copied to the clipboard."));
}

void NewKeyDialog::done(int result)
{
    // The last chance to keep the key: ask before it is gone.
    if (!m_copied) {
        QMessageBox box(QMessageBox::Warning, tr("Key Not Copied"),
                        tr("The key has not been copied. Once this window is closed, it "
                           "cannot be shown again."),
                        QMessageBox::Close | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("keyNotCopiedBox"));
        box.button(QMessageBox::Close)->setText(tr("Close Anyway"));
        box.button(QMessageBox::Cancel)->setText(tr("Go Back"));
        box.setDefaultButton(QMessageBox::Cancel);
        if (box.exec() != QMessageBox::Close)
            return;
    }
    QDialog::done(result);
}

} // namespace gh
