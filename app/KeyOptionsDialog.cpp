#include "KeyOptionsDialog.h"

#include "ProblemDisplay.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace gh {

namespace {

constexpr int OnDate = -1; // the expiry combo's "on a date" entry

} // namespace

QList<int> KeyOptionsDialog::graceChoices()
{
    return {0, 3600, 24 * 3600, 7 * 24 * 3600, ConsumerKeyService::kMaxGraceSeconds};
}

KeyOptionsDialog::KeyOptionsDialog(Mode mode, const QString &consumer, const QString &oldPrefix,
                                   QWidget *parent)
    : QDialog(parent)
    , m_mode(mode)
    , m_expiry(new QComboBox(this))
    , m_expiryDate(new QDateTimeEdit(this))
    , m_error(ProblemDisplay::createMessageLabel(QStringLiteral("keyOptionsError"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(mode == Mode::Create ? QStringLiteral("createKeyDialog")
                                       : QStringLiteral("rotateKeyDialog"));
    setWindowTitle(mode == Mode::Create ? tr("New Key") : tr("Rotate Key"));
    setStyleSheet(ProblemDisplay::styleSheet());
    auto *intro = new QLabel(this);
    intro->setWordWrap(true);
    intro->setText(
        mode == Mode::Create
            ? tr("A new key for “%1”. It is shown once, right after it is made.").arg(consumer)
            : tr("A new key for “%1” replaces %2. The new key is shown once; the "
                 "old one stops working when the grace period ends.")
                  .arg(consumer, oldPrefix));

    m_expiry->setObjectName(QStringLiteral("expiryCombo"));
    m_expiry->addItem(tr("Never"), 0);
    m_expiry->addItem(tr("In 7 days"), 7);
    m_expiry->addItem(tr("In 30 days"), 30);
    m_expiry->addItem(tr("In 90 days"), 90);
    m_expiry->addItem(tr("In a year"), 365);
    m_expiry->addItem(tr("On a date…"), OnDate);
    m_expiryDate->setObjectName(QStringLiteral("expiryDateEdit"));
    m_expiryDate->setCalendarPopup(true);
    m_expiryDate->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_expiryDate->setDateTime(QDateTime::currentDateTime().addDays(30));
    m_expiryDate->setToolTip(tr("Local time."));

    auto *form = new QFormLayout;
    form->addRow(tr("Expires:"), m_expiry);
    form->addRow(QString(), m_expiryDate);
    if (mode == Mode::Rotate) {
        m_grace = new QComboBox(this);
        m_grace->setObjectName(QStringLiteral("graceCombo"));
        const QStringList labels{tr("No grace: the old key stops now"), tr("1 hour"),
                                 tr("24 hours"), tr("7 days"), tr("30 days")};
        const QList<int> seconds = graceChoices();
        for (qsizetype i = 0; i < seconds.size(); ++i)
            m_grace->addItem(labels.at(i), seconds.at(i));
        m_grace->setToolTip(tr("How long the old key keeps working, so the apps using it can "
                               "switch to the new one. A leaked key should stop now."));
        form->addRow(tr("Old key works for:"), m_grace);
    }

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(mode == Mode::Create ? tr("Create Key") : tr("Rotate"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("okButton"));

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_expiry, &QComboBox::currentIndexChanged, this, &KeyOptionsDialog::updateState);
    connect(m_expiryDate, &QDateTimeEdit::dateTimeChanged, this, &KeyOptionsDialog::updateState);
    updateState();
}

QDateTime KeyOptionsDialog::expiry() const
{
    const int choice = m_expiry->currentData().toInt();
    if (choice == 0)
        return {};
    if (choice == OnDate)
        return m_expiryDate->dateTime();
    return QDateTime::currentDateTime().addDays(choice);
}

void KeyOptionsDialog::updateState()
{
    const bool onDate = m_expiry->currentData().toInt() == OnDate;
    m_expiryDate->setVisible(onDate);
    const QDateTime when = expiry();
    const bool past = when.isValid() && when <= QDateTime::currentDateTime();
    m_error->setText(past ? tr("The expiry must be in the future.") : QString());
    m_error->setVisible(past);
    ProblemDisplay::setInvalid(m_expiryDate, past);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!past);
}

ConsumerKeyService::Options KeyOptionsDialog::options() const
{
    ConsumerKeyService::Options options;
    const QDateTime when = expiry();
    if (when.isValid())
        options.expiresAt = when.toMSecsSinceEpoch();
    return options;
}

int KeyOptionsDialog::graceSeconds() const
{
    return m_grace ? m_grace->currentData().toInt() : 0;
}

} // namespace gh
