#pragma once

#include "EntityForm.h"

#include <QPointer>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace gh {

class Gateway;
class NumberEdit;
class PromptInputsModel;
class PromptTemplateHighlighter;
class StringListEdit;

// The fields of a prompt API (SPEC §3 prompt_apis, docs/prompt-apis.md): path, model
// (picked from the public models), description, system prompt and template with their
// {{variables}} highlighted and checked against the inputs as you type, the inputs table,
// params, JSON output with its schema checked by the gateway's JsonSchemaValidator as you
// type, auth, and the lifecycle: state (each explained), sunset date (required while
// deprecated: a deprecation always gets one) and version. A new prompt API starts as a
// draft (404 to callers) until it is published.
class PromptApiForm : public EntityForm
{
    Q_OBJECT

public:
    explicit PromptApiForm(Gateway *gateway, QWidget *parent = nullptr);

    PromptInputsModel *inputsModel() const { return m_inputsModel; }
    QTableView *inputsView() const { return m_inputsView; }
    PromptTemplateHighlighter *templateHighlighter() const { return m_templateHighlighter; }
    PromptTemplateHighlighter *systemHighlighter() const { return m_systemHighlighter; }

    QString state() const;
    void setState(const QString &state);
    // The lines under the template: undeclared and invalid placeholders, unused inputs.
    QStringList templateWarnings() const { return m_warnings; }
    // "Valid" or what is wrong with the output schema text.
    QString schemaStatus() const;
    bool isSchemaValid() const { return m_schemaValid; }

    // An explanation of what the gateway does in each state, prompt API words.
    static QString stateExplanation(const QString &state);

Q_SIGNALS:
    // The definition changed (an edit or a load): previews render again.
    void definitionChanged();

protected:
    QJsonObject defaults() const override;
    void readEntity(const QJsonObject &entity) override;
    void writeEntity(QJsonObject &entity) const override;

private:
    void reloadModels();
    void setModel(const QString &model);
    void stateChanged();
    void updateWarnings();
    void updateSchemaStatus();
    void addInput();
    void removeInputs();
    void changed();
    void writeParams(QJsonObject &entity) const;
    void writeOutput(QJsonObject &entity) const;

    QPointer<Gateway> m_gateway;
    QLineEdit *m_path;
    QComboBox *m_model;
    QPlainTextEdit *m_description;
    QPlainTextEdit *m_system;
    QPlainTextEdit *m_template;
    QLabel *m_templateWarnings;
    PromptTemplateHighlighter *m_systemHighlighter;
    PromptTemplateHighlighter *m_templateHighlighter;
    PromptInputsModel *m_inputsModel;
    QTableView *m_inputsView;
    QPushButton *m_addInput;
    QPushButton *m_removeInput;
    NumberEdit *m_temperature;
    NumberEdit *m_maxTokens;
    NumberEdit *m_topP;
    NumberEdit *m_presencePenalty;
    NumberEdit *m_frequencyPenalty;
    NumberEdit *m_seed;
    StringListEdit *m_stop;
    QCheckBox *m_jsonOutput;
    QPlainTextEdit *m_schema;
    QLabel *m_schemaStatus;
    QComboBox *m_auth;
    QComboBox *m_state;
    QLabel *m_stateExplanation;
    QDateEdit *m_sunset;
    QLineEdit *m_version;

    QStringList m_warnings;
    bool m_schemaValid = true;
    // As loaded, so an untouched stop list or output keeps its exact form.
    QJsonValue m_loadedStop;
    bool m_loadedJson = false;
    QString m_loadedSchemaText;
};

} // namespace gh
