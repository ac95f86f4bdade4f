#include "PromptInputsForm.h"

#include "NumberEdit.h"
#include "ProblemDisplay.h"
#include "StringListEdit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextDocument>
#include <QVBoxLayout>

namespace gh {

namespace {

constexpr int StringLines = 3;

QString typeSignature(const QJsonObject &spec)
{
    // What decides the editor: the type and (for enums and arrays) the choices.
    QJsonObject signature{{QStringLiteral("type"), spec.value(QStringLiteral("type"))},
                          {QStringLiteral("values"), spec.value(QStringLiteral("values"))},
                          {QStringLiteral("items"), spec.value(QStringLiteral("items"))},
                          {QStringLiteral("required"), spec.value(QStringLiteral("required"))}};
    return QString::fromUtf8(QJsonDocument(signature).toJson(QJsonDocument::Compact));
}

QJsonValue itemFromText(PromptInputSchema::Type type, const QString &text)
{
    if (type == PromptInputSchema::Type::Number) {
        bool ok = false;
        const double number = text.toDouble(&ok);
        if (ok)
            return number;
    } else if (type == PromptInputSchema::Type::Boolean) {
        if (text == QLatin1String("true"))
            return true;
        if (text == QLatin1String("false"))
            return false;
    }
    return text; // the gateway's check names what is wrong
}

// The text exactly: toPlainText() would turn non-breaking spaces into spaces.
QString exactText(const QPlainTextEdit *edit)
{
    QString text = edit->document()->toRawText();
    text.replace(QChar::ParagraphSeparator, u'\n');
    return text;
}

} // namespace

PromptInputsForm::PromptInputsForm(QWidget *parent)
    : QWidget(parent)
    , m_form(new QFormLayout)
    , m_empty(new QLabel(tr("This prompt API takes no inputs."), this))
    , m_generalProblem(ProblemDisplay::createMessageLabel(QStringLiteral("inputsProblem"), this))
{
    setStyleSheet(ProblemDisplay::styleSheet());
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_empty->setObjectName(QStringLiteral("noInputsLabel"));
    m_empty->setEnabled(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_generalProblem);
    layout->addWidget(m_empty);
    layout->addLayout(m_form);
}

void PromptInputsForm::setInputs(const QJsonObject &inputs)
{
    if (inputs == m_inputs && !m_editors.isEmpty())
        return;
    // Keep what was typed into inputs whose editor stays the same kind.
    QHash<QString, QJsonValue> kept;
    for (const PromptInputSchema::Input &input : m_schema.inputs()) {
        const QJsonObject newSpec = inputs.value(input.name).toObject();
        if (!newSpec.isEmpty() &&
            typeSignature(newSpec) == typeSignature(m_inputs.value(input.name).toObject()))
            kept.insert(input.name, value(input));
    }
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_editors.clear();
    m_messages.clear();
    m_inputs = inputs;
    m_schema = PromptInputSchema::fromJson(inputs);
    for (const PromptInputSchema::Input &input : m_schema.inputs()) {
        QWidget *editor = createEditor(input);
        editor->setObjectName(QStringLiteral("input_") + input.name);
        m_editors.insert(input.name, editor);
        if (kept.contains(input.name))
            setValue(input, kept.value(input.name));
        else if (input.defaultValue)
            setValue(input, *input.defaultValue);
        QLabel *message =
            ProblemDisplay::createMessageLabel(QStringLiteral("inputError_") + input.name, this);
        auto *column = new QVBoxLayout;
        column->setSpacing(2);
        column->addWidget(editor);
        column->addWidget(message);
        auto *label = new QLabel(input.required ? tr("%1 (required):").arg(input.name)
                                                : tr("%1:").arg(input.name),
                                 this);
        label->setBuddy(editor);
        label->setToolTip(input.description);
        editor->setToolTip(input.description);
        m_form->addRow(label, column);
        m_messages.insert(input.name, message);
    }
    m_empty->setVisible(m_schema.inputs().isEmpty());
    clearProblems();
}

QWidget *PromptInputsForm::createEditor(const PromptInputSchema::Input &input)
{
    const auto emitChanged = [this] {
        Q_EMIT changed();
    };
    switch (input.scalar.type) {
    case PromptInputSchema::Type::String: {
        auto *edit = new QPlainTextEdit(this);
        edit->setTabChangesFocus(true);
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * StringLines +
                             2 * (edit->frameWidth() + int(edit->document()->documentMargin())));
        edit->setPlaceholderText(input.description.isEmpty()
                                     ? (input.required ? tr("required") : tr("optional"))
                                     : input.description);
        connect(edit, &QPlainTextEdit::textChanged, this, emitChanged);
        return edit;
    }
    case PromptInputSchema::Type::Number: {
        auto *edit = new NumberEdit(NumberEdit::Kind::Decimal, this);
        edit->setPlaceholderText(input.required ? tr("required") : tr("not sent"));
        connect(edit, &QLineEdit::textChanged, this, emitChanged);
        return edit;
    }
    case PromptInputSchema::Type::Boolean: {
        auto *check = new QCheckBox(this);
        // Optional: the middle state sends nothing (the default applies).
        check->setTristate(!input.required);
        check->setCheckState(input.required ? Qt::Unchecked : Qt::PartiallyChecked);
        check->setText(input.required ? QString() : tr("(partly checked: not sent)"));
        connect(check, &QCheckBox::stateChanged, this, emitChanged);
        return check;
    }
    case PromptInputSchema::Type::Enum: {
        auto *combo = new QComboBox(this);
        if (!input.required)
            combo->addItem(tr("(not sent)"), QVariant());
        for (const QString &value : input.scalar.values)
            combo->addItem(value, value);
        connect(combo, &QComboBox::currentIndexChanged, this, emitChanged);
        return combo;
    }
    case PromptInputSchema::Type::Array: {
        auto *list = new StringListEdit(this);
        QString hint = tr("One item per line");
        if (input.items.type == PromptInputSchema::Type::Enum)
            hint += tr(": %1").arg(input.items.values.join(QStringLiteral(", ")));
        list->setPlaceholderText(hint);
        connect(list, &StringListEdit::valuesChanged, this, emitChanged);
        return list;
    }
    }
    return new QWidget(this);
}

QJsonValue PromptInputsForm::value(const PromptInputSchema::Input &input) const
{
    QWidget *editor = m_editors.value(input.name);
    if (!editor)
        return QJsonValue(QJsonValue::Undefined);
    switch (input.scalar.type) {
    case PromptInputSchema::Type::String: {
        // Sent as typed: spaces and line breaks are part of the value.
        const QString text = exactText(static_cast<QPlainTextEdit *>(editor));
        return text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text);
    }
    case PromptInputSchema::Type::Number:
        return static_cast<NumberEdit *>(editor)->value();
    case PromptInputSchema::Type::Boolean: {
        const Qt::CheckState state = static_cast<QCheckBox *>(editor)->checkState();
        if (state == Qt::PartiallyChecked)
            return QJsonValue(QJsonValue::Undefined);
        return state == Qt::Checked;
    }
    case PromptInputSchema::Type::Enum: {
        const QVariant data = static_cast<QComboBox *>(editor)->currentData();
        return data.isValid() ? QJsonValue(data.toString()) : QJsonValue(QJsonValue::Undefined);
    }
    case PromptInputSchema::Type::Array: {
        const QStringList lines = static_cast<StringListEdit *>(editor)->values();
        if (lines.isEmpty())
            return QJsonValue(QJsonValue::Undefined);
        QJsonArray items;
        for (const QString &line : lines)
            items.append(itemFromText(input.items.type, line));
        return items;
    }
    }
    return QJsonValue(QJsonValue::Undefined);
}

void PromptInputsForm::setValue(const PromptInputSchema::Input &input, const QJsonValue &value)
{
    QWidget *editor = m_editors.value(input.name);
    if (!editor)
        return;
    switch (input.scalar.type) {
    case PromptInputSchema::Type::String:
        static_cast<QPlainTextEdit *>(editor)->setPlainText(value.toString());
        break;
    case PromptInputSchema::Type::Number:
        static_cast<NumberEdit *>(editor)->setValue(value);
        break;
    case PromptInputSchema::Type::Boolean: {
        auto *check = static_cast<QCheckBox *>(editor);
        if (value.isBool())
            check->setCheckState(value.toBool() ? Qt::Checked : Qt::Unchecked);
        break;
    }
    case PromptInputSchema::Type::Enum: {
        auto *combo = static_cast<QComboBox *>(editor);
        const int index = combo->findData(value.toString());
        if (index >= 0)
            combo->setCurrentIndex(index);
        break;
    }
    case PromptInputSchema::Type::Array: {
        QStringList lines;
        const QJsonArray items = value.toArray();
        for (const QJsonValue &item : items)
            lines.append(PromptInputSchema::toText(item));
        static_cast<StringListEdit *>(editor)->setValues(lines);
        break;
    }
    }
}

QJsonObject PromptInputsForm::body() const
{
    QJsonObject body;
    for (const PromptInputSchema::Input &input : m_schema.inputs()) {
        const QJsonValue current = value(input);
        if (!current.isUndefined())
            body.insert(input.name, current);
    }
    return body;
}

void PromptInputsForm::showProblem(const QString &name, const QString &message)
{
    clearProblems();
    QLabel *label = m_messages.value(name);
    if (!label) {
        m_generalProblem->setText(message);
        m_generalProblem->show();
        return;
    }
    label->setText(message);
    label->show();
    ProblemDisplay::setInvalid(m_editors.value(name), true);
}

void PromptInputsForm::clearProblems()
{
    m_generalProblem->clear();
    m_generalProblem->hide();
    for (auto it = m_messages.constBegin(); it != m_messages.constEnd(); ++it) {
        it.value()->clear();
        it.value()->hide();
        ProblemDisplay::setInvalid(m_editors.value(it.key()), false);
    }
}

} // namespace gh
