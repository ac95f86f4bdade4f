#pragma once

#include "EntityEditorPage.h"

namespace gh {

class ProviderForm;

// The Providers page: the entity editor with a ProviderForm, whose Save (button and Ctrl+S)
// first writes a key typed in plain text to the OS keychain, so the provider is never
// stored pointing at a keychain entry that does not exist yet, and the gateway reads the
// new key at once. If the keychain refuses, nothing is saved and the form says why.
class ProviderEditorPage : public EntityEditorPage
{
    Q_OBJECT

public:
    explicit ProviderEditorPage(Gateway *gateway, QWidget *parent = nullptr);

    ProviderForm *providerForm() const { return m_providerForm; }

public Q_SLOTS:
    bool saveProvider();

private:
    void updateSaveButton();

    Gateway *m_gateway;
    ProviderForm *m_providerForm;
    QPushButton *m_saveButton;
};

} // namespace gh
