#pragma once

#include "EntityEditorPage.h"

namespace gh {

class PromptApiForm;
class PromptTryPanel;

// The Prompt APIs page: the list beside the prompt API editor (PromptApiForm, tab
// "Definition") and "Try It" (PromptTryPanel: generated inputs form, live preview, a
// streamed run), with Publish (a draft goes live after the same validation as any save)
// and New Version… (NewVersionDialog: a draft copy at a new path).
class PromptApisPage : public EntityEditorPage
{
    Q_OBJECT

public:
    explicit PromptApisPage(Gateway *gateway, QWidget *parent = nullptr);

    PromptApiForm *promptForm() const { return m_promptForm; }
    PromptTryPanel *tryPanel() const { return m_try; }

public Q_SLOTS:
    // draft → published, saving what the editor shows; false when refused (the problems
    // are shown at their fields and the state stays draft).
    bool publish();
    // Opens the New Version dialog for the selected prompt API; selects the copy made.
    void newVersion();

protected:
    void updateEntityActions() override;

private:
    void definitionChanged();

    Gateway *m_gateway;
    PromptApiForm *m_promptForm;
    PromptTryPanel *m_try;
    QPushButton *m_publish;
    QPushButton *m_newVersion;
};

} // namespace gh
