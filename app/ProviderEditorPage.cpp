#include "ProviderEditorPage.h"

#include "Gateway.h"
#include "ProviderForm.h"

#include <QLabel>
#include <QPushButton>
#include <QShortcut>

namespace gh {

ProviderEditorPage::ProviderEditorPage(Gateway *gateway, QWidget *parent)
    : EntityEditorPage(gateway, EntityKind::Provider, new ProviderForm(gateway), parent)
    , m_gateway(gateway)
    , m_providerForm(qobject_cast<ProviderForm *>(form()))
    , m_saveButton(findChild<QPushButton *>(QStringLiteral("saveButton")))
{
    // Both ways of saving go through the keychain first.
    disconnect(m_saveButton, &QPushButton::clicked, this, &EntityEditorPage::save);
    connect(m_saveButton, &QPushButton::clicked, this, &ProviderEditorPage::saveProvider);
    const QList<QShortcut *> shortcuts = findChildren<QShortcut *>();
    for (QShortcut *shortcut : shortcuts) {
        if (shortcut->key() != QKeySequence(QKeySequence::Save))
            continue;
        disconnect(shortcut, &QShortcut::activated, this, nullptr);
        connect(shortcut, &QShortcut::activated, this, [this] {
            if (m_saveButton->isEnabled())
                saveProvider();
        });
    }
    // A new key for an unchanged provider is something to save too. Connected after the
    // page's own handler, so this runs after it has set the button.
    connect(m_providerForm, &EntityForm::edited, this, &ProviderEditorPage::updateSaveButton);
    connect(m_providerForm, &ProviderForm::pendingKeyChanged, this,
            &ProviderEditorPage::updateSaveButton);
}

void ProviderEditorPage::updateSaveButton()
{
    if (m_providerForm->isLoaded() && m_providerForm->hasPendingKey())
        m_saveButton->setEnabled(true);
}

bool ProviderEditorPage::saveProvider()
{
    if (!m_providerForm->isLoaded())
        return false;
    const bool newKey = m_providerForm->hasPendingKey();
    if (!m_providerForm->storePendingKey())
        return false;
    if (m_providerForm->isDirty() || m_providerForm->isNew())
        return save();
    if (!newKey)
        return true;
    // Same keychain entry, new key: the gateway reads keys when its configuration changes,
    // so hand it the provider again.
    const QString name = m_providerForm->name();
    const ConfigService::Result result =
        m_gateway->putEntity(EntityKind::Provider, name, m_providerForm->savedEntity());
    if (auto *status = findChild<QLabel *>(QStringLiteral("editorStatus"))) {
        status->setText(result.ok()
                            ? tr("Stored the new key for “%1” in the keychain; it applies to new "
                                 "requests now.")
                                  .arg(name)
                            : tr("Stored the new key for “%1” in the keychain; the gateway "
                                 "uses it after the next change.")
                                  .arg(name));
    }
    m_saveButton->setEnabled(false);
    return result.ok();
}

} // namespace gh
