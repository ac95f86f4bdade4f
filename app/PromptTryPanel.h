#pragma once

#include "PromptApiCall.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QLabel;
class QNetworkAccessManager;
class QPlainTextEdit;
class QPushButton;

namespace gh {

class Gateway;
class PromptInputsForm;

// "Try it" for the prompt API in the editor: a form generated from its inputs, a live
// preview of the system prompt and user message the gateway renders from them
// (CompiledPromptApi, the code the gateway runs), and Run, which streams the answer from
// the running gateway and shows the output (pretty JSON in JSON mode), tokens, cost and
// latency. What Run calls is said above it (PromptApiCall): the prompt API's own path
// when the gateway serves what the editor shows, else the rendered prompt through the AI
// endpoint, because a draft, retired or unsaved prompt API has no live path.
class PromptTryPanel : public QWidget
{
    Q_OBJECT

public:
    explicit PromptTryPanel(Gateway *gateway, QWidget *parent = nullptr);

    // The definition in the editor; `saved`: the store holds exactly this.
    void setDefinition(const QJsonObject &definition, bool saved);
    PromptApiCall::Mode mode() const;

    PromptInputsForm *inputsForm() const { return m_inputs; }
    PromptApiCall *call() const { return m_call; }
    QString previewSystem() const;
    QString previewUser() const;
    // Why the preview is not what a call would send yet (an input refused), or empty.
    QString previewNote() const;
    QString modeText() const;
    QString outputText() const;
    QString statsText() const;
    QString errorText() const;

public Q_SLOTS:
    void run();
    void stop();

private:
    void updatePreview();
    void showPreview(const QString &system, const QString &user);
    void updateMode();
    void received(const QString &delta);
    void finished();
    void updateButtons();

    QPointer<Gateway> m_gateway;
    QNetworkAccessManager *m_network;
    PromptApiCall *m_call;
    QJsonObject m_definition;
    QString m_previewSystem; // exactly as rendered (the widgets may show some characters
    QString m_previewUser;   // differently, e.g. a non-breaking space)
    bool m_saved = false;
    QLabel *m_mode;
    PromptInputsForm *m_inputs;
    QPlainTextEdit *m_system;
    QPlainTextEdit *m_user;
    QLabel *m_note;
    QPushButton *m_run;
    QPushButton *m_stop;
    QPlainTextEdit *m_output;
    QLabel *m_stats;
    QLabel *m_error;
};

} // namespace gh
