#include "ConsumerKeysPanel.h"

#include "ConsumerKeysModel.h"
#include "Gateway.h"
#include "KeyOptionsDialog.h"
#include "NewKeyDialog.h"
#include "ProblemDisplay.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace gh {

ConsumerKeysPanel::ConsumerKeysPanel(Gateway *gateway, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_model(new ConsumerKeysModel(this))
    , m_view(new QTableView(this))
    , m_create(new QPushButton(tr("Create Key…"), this))
    , m_revoke(new QPushButton(tr("Revoke…"), this))
    , m_rotate(new QPushButton(tr("Rotate…"), this))
    , m_note(new QLabel(this))
    , m_message(new QLabel(this))
{
    m_view->setObjectName(QStringLiteral("keysView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    // Prefixes, times and states are short and must show whole; the source takes the rest.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ConsumerKeysModel::SourceColumn,
                                                     QHeaderView::Stretch);
    m_view->setMinimumHeight(m_view->fontMetrics().lineSpacing() * 6);
    m_view->setMaximumHeight(m_view->fontMetrics().lineSpacing() * 12);
    m_create->setObjectName(QStringLiteral("createKeyButton"));
    m_create->setIcon(QIcon::fromTheme(QStringLiteral("list-add")));
    m_create->setToolTip(tr("Make a new key; it is shown once."));
    m_revoke->setObjectName(QStringLiteral("revokeKeyButton"));
    m_revoke->setToolTip(tr("Stop the selected key at once."));
    m_rotate->setObjectName(QStringLiteral("rotateKeyButton"));
    m_rotate->setToolTip(tr("Replace the selected key by a new one, optionally letting the old "
                            "one work a little longer."));
    m_note->setObjectName(QStringLiteral("keysNote"));
    m_note->setWordWrap(true);
    m_note->setEnabled(false); // greyed: a note
    m_message->setObjectName(QStringLiteral("keysMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_create);
    buttons->addWidget(m_revoke);
    buttons->addWidget(m_rotate);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    layout->addWidget(m_note);

    connect(m_create, &QPushButton::clicked, this, &ConsumerKeysPanel::createKey);
    connect(m_revoke, &QPushButton::clicked, this, &ConsumerKeysPanel::revokeKey);
    connect(m_rotate, &QPushButton::clicked, this, &ConsumerKeysPanel::rotateKey);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ConsumerKeysPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ConsumerKeysPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ConsumerKeysPanel::updateButtons);
    if (gateway)
        connect(gateway, &Gateway::configChanged, this, &ConsumerKeysPanel::refresh);
    setConsumer({});
}

void ConsumerKeysPanel::setConsumer(const QString &consumer)
{
    if (consumer != m_consumer)
        m_message->hide();
    m_consumer = consumer;
    m_note->setText(
        consumer.isEmpty()
            ? tr("Save the consumer first; then make its keys here.")
            : tr("Keys listed in a config file (keys: [\"${env:…}\"]) come back when that file "
                 "is applied again, but a key revoked here stays revoked."));
    refresh();
}

void ConsumerKeysPanel::refresh()
{
    QList<ConsumerKey> keys;
    if (m_gateway && !m_consumer.isEmpty()) {
        const ConsumerKeyService::Result result = m_gateway->consumerKeys(m_consumer);
        if (result.ok())
            keys = result.keys;
    }
    // The selection follows its key across a reset (a key was added or removed).
    const int row = selectedRow();
    const qint64 selectedId = row >= 0 ? m_model->key(row).id : 0;
    m_model->setKeys(keys, QDateTime::currentMSecsSinceEpoch());
    if (selectedId && selectedRow() < 0) {
        const int again = m_model->rowOf(selectedId);
        if (again >= 0)
            m_view->selectRow(again);
    }
    updateButtons();
}

int ConsumerKeysPanel::selectedRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void ConsumerKeysPanel::updateButtons()
{
    const bool saved = m_gateway && !m_consumer.isEmpty();
    m_create->setEnabled(saved);
    const QString state = m_model->state(selectedRow());
    // Revoking ends a grace period at once, and also stops an expired key for good.
    m_revoke->setEnabled(saved && !state.isEmpty() && state != QLatin1String("revoked"));
    m_rotate->setEnabled(saved && state == QLatin1String("active"));
}

void ConsumerKeysPanel::showMessage(const QString &text, bool error)
{
    QPalette palette = m_message->palette();
    palette.setColor(QPalette::WindowText, error ? ProblemDisplay::errorColor()
                                                 : this->palette().color(QPalette::WindowText));
    m_message->setPalette(palette);
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void ConsumerKeysPanel::createKey()
{
    if (!m_gateway || m_consumer.isEmpty())
        return;
    auto *dialog = new KeyOptionsDialog(KeyOptionsDialog::Mode::Create, m_consumer, {}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { createAccepted(dialog); });
    dialog->open();
}

void ConsumerKeysPanel::createAccepted(KeyOptionsDialog *dialog)
{
    const ConsumerKeyService::Result result =
        m_gateway->createConsumerKey(m_consumer, dialog->options());
    if (!result.ok()) {
        showMessage(tr("No key was made: %1").arg(result.message), true);
        return;
    }
    refresh();
    const int row = m_model->rowOf(result.key.id);
    if (row >= 0)
        m_view->selectRow(row);
    showMessage(tr("Made the key %1…; it works from the next request on.").arg(result.key.prefix),
                false);
    showNewKey(result.rawKey, result.key.expiresAt);
}

void ConsumerKeysPanel::revokeKey()
{
    const int row = selectedRow();
    if (!m_gateway || row < 0)
        return;
    const ConsumerKey key = m_model->key(row);
    QMessageBox confirm(QMessageBox::Warning, tr("Revoke Key"),
                        tr("Revoke the key %1 of “%2”?").arg(key.prefix, m_consumer),
                        QMessageBox::Yes | QMessageBox::No, this);
    confirm.setObjectName(QStringLiteral("revokeKeyBox"));
    confirm.button(QMessageBox::Yes)->setText(tr("Revoke"));
    QString details = tr("Requests with it are refused from the next one on. This cannot be "
                         "undone.");
    if (ConsumerKeysModel::fromConfig(key))
        details += QLatin1Char(' ') + tr("It stays revoked even though the config file still "
                                         "lists it.");
    confirm.setInformativeText(details);
    confirm.setDefaultButton(QMessageBox::No);
    if (confirm.exec() != QMessageBox::Yes)
        return;
    const ConsumerKeyService::Result result = m_gateway->revokeConsumerKey(m_consumer, key.prefix);
    refresh();
    if (!result.ok()) {
        showMessage(tr("%1 was not revoked: %2").arg(key.prefix, result.message), true);
        return;
    }
    showMessage(tr("Revoked %1; requests with it are refused now.").arg(key.prefix), false);
}

void ConsumerKeysPanel::rotateKey()
{
    const int row = selectedRow();
    if (!m_gateway || row < 0)
        return;
    const QString prefix = m_model->key(row).prefix;
    auto *dialog = new KeyOptionsDialog(KeyOptionsDialog::Mode::Rotate, m_consumer, prefix, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, prefix] { rotateAccepted(dialog, prefix); });
    dialog->open();
}

void ConsumerKeysPanel::rotateAccepted(KeyOptionsDialog *dialog, const QString &prefix)
{
    const int grace = dialog->graceSeconds();
    const ConsumerKeyService::Result result =
        m_gateway->rotateConsumerKey(m_consumer, prefix, grace, dialog->options());
    if (!result.ok()) {
        refresh();
        showMessage(tr("%1 was not rotated: %2").arg(prefix, result.message), true);
        return;
    }
    refresh();
    const int row = m_model->rowOf(result.key.id);
    if (row >= 0)
        m_view->selectRow(row);
    showMessage(
        grace > 0
            ? tr("Made %1… to replace %2, which works until %3.")
                  .arg(result.key.prefix, prefix,
                       QDateTime::fromMSecsSinceEpoch(result.previous.revokedAt)
                           .toString(QStringLiteral("yyyy-MM-dd HH:mm")))
            : tr("Made %1… to replace %2, which is refused now.").arg(result.key.prefix, prefix),
        false);
    showNewKey(result.rawKey, result.key.expiresAt);
}

void ConsumerKeysPanel::showNewKey(const QString &rawKey, qint64 expiresAt)
{
    m_newKey = new NewKeyDialog(m_consumer, rawKey, expiresAt, this);
    m_newKey->open();
}

} // namespace gh
