#pragma once

#include "prompt/PromptInputSchema.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QFormLayout;
class QLabel;

namespace gh {

// The "Try it" form of a prompt API, generated from its declared inputs: a text box for a
// string, a number field for a number, a check box for a boolean (three-state while
// optional: the middle state sends nothing), a drop-down for an enum, one item per line for
// an array. Defaults are filled in. body() is the JSON a caller would send: inputs left
// empty are not sent, so the gateway applies its defaults and requirements. Refusals are
// shown under the input they name.
class PromptInputsForm : public QWidget
{
    Q_OBJECT

public:
    explicit PromptInputsForm(QWidget *parent = nullptr);

    // Rebuilds the fields when the inputs changed; values typed into inputs that keep
    // their name and type stay.
    void setInputs(const QJsonObject &inputs);
    const PromptInputSchema &schema() const { return m_schema; }

    QJsonObject body() const;
    // A field's editor (for tests): objectName "input_<name>".
    QWidget *editor(const QString &name) const { return m_editors.value(name); }

    // Shows `message` under the input `name` (or above all fields for a name not shown).
    void showProblem(const QString &name, const QString &message);
    void clearProblems();

Q_SIGNALS:
    void changed();

private:
    QWidget *createEditor(const PromptInputSchema::Input &input);
    QJsonValue value(const PromptInputSchema::Input &input) const;
    void setValue(const PromptInputSchema::Input &input, const QJsonValue &value);

    QJsonObject m_inputs;
    PromptInputSchema m_schema;
    QFormLayout *m_form;
    QLabel *m_empty;
    QLabel *m_generalProblem;
    QHash<QString, QWidget *> m_editors;
    QHash<QString, QLabel *> m_messages;
};

} // namespace gh
