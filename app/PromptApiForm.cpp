#include "PromptApiForm.h"

#include "Gateway.h"
#include "LifecycleState.h"
#include "NumberEdit.h"
#include "PromptInputsModel.h"
#include "PromptTemplateHighlighter.h"
#include "StringListEdit.h"
#include "prompt/JsonSchemaValidator.h"
#include "prompt/PromptTemplate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSignalBlocker>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextDocument>

namespace gh {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

// A drop-down editor for the inputs table's type columns.
class ChoiceDelegate : public QStyledItemDelegate
{
public:
    ChoiceDelegate(QStringList choices, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_choices(std::move(choices))
    {}

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &,
                          const QModelIndex &) const override
    {
        auto *combo = new QComboBox(parent);
        combo->addItems(m_choices);
        return combo;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        auto *combo = static_cast<QComboBox *>(editor);
        combo->setCurrentIndex(qMax(0, combo->findText(index.data(Qt::EditRole).toString())));
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override
    {
        model->setData(index, static_cast<QComboBox *>(editor)->currentText(), Qt::EditRole);
    }

private:
    QStringList m_choices;
};

QPlainTextEdit *textEdit(const QString &objectName, int lines, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setTabChangesFocus(true);
    edit->setMinimumHeight(edit->fontMetrics().lineSpacing() * lines +
                           2 * (edit->frameWidth() + int(edit->document()->documentMargin())));
    return edit;
}

// Sets `name` to `text`, or removes it while empty (an empty string loaded stays).
void writeText(QJsonObject &entity, const QString &name, const QString &text)
{
    if (!text.isEmpty())
        entity.insert(name, text);
    else if (!(entity.value(name).isString() && entity.value(name).toString().isEmpty()))
        entity.remove(name);
}

// The text exactly: toPlainText() would turn non-breaking spaces into spaces.
QString exactText(const QPlainTextEdit *edit)
{
    QString text = edit->document()->toRawText();
    text.replace(QChar::ParagraphSeparator, u'\n');
    return text;
}

QString pretty(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace

PromptApiForm::PromptApiForm(Gateway *gateway, QWidget *parent)
    : EntityForm(EntityKind::PromptApi, parent)
    , m_gateway(gateway)
    , m_path(new QLineEdit(this))
    , m_model(new QComboBox(this))
    , m_description(textEdit(QStringLiteral("descriptionEdit"), 2, this))
    , m_system(textEdit(QStringLiteral("systemEdit"), 3, this))
    , m_template(textEdit(QStringLiteral("templateEdit"), 5, this))
    , m_templateWarnings(new QLabel(this))
    , m_systemHighlighter(new PromptTemplateHighlighter(m_system->document()))
    , m_templateHighlighter(new PromptTemplateHighlighter(m_template->document()))
    , m_inputsModel(new PromptInputsModel(this))
    , m_inputsView(new QTableView(this))
    , m_addInput(new QPushButton(tr("Add Input"), this))
    , m_removeInput(new QPushButton(tr("Remove"), this))
    , m_temperature(new NumberEdit(NumberEdit::Kind::Decimal, this))
    , m_maxTokens(new NumberEdit(NumberEdit::Kind::Integer, this))
    , m_topP(new NumberEdit(NumberEdit::Kind::Decimal, this))
    , m_presencePenalty(new NumberEdit(NumberEdit::Kind::Decimal, this))
    , m_frequencyPenalty(new NumberEdit(NumberEdit::Kind::Decimal, this))
    , m_seed(new NumberEdit(NumberEdit::Kind::Integer, this))
    , m_stop(new StringListEdit(this))
    , m_jsonOutput(new QCheckBox(tr("Answer with JSON (the output is parsed and validated)"), this))
    , m_schema(textEdit(QStringLiteral("schemaEdit"), 6, this))
    , m_schemaStatus(new QLabel(this))
    , m_auth(new QComboBox(this))
    , m_state(new QComboBox(this))
    , m_stateExplanation(new QLabel(this))
    , m_sunset(new QDateEdit(this))
    , m_version(new QLineEdit(this))
{
    m_path->setObjectName(QStringLiteral("pathEdit"));
    m_path->setPlaceholderText(tr("e.g. /prompts/v1/summary"));
    m_path->setToolTip(tr("Callers POST their inputs as JSON to exactly this path."));
    addField(tr("Path"), m_path, QStringLiteral("path"), QStringLiteral("pathError"));

    m_model->setObjectName(QStringLiteral("modelCombo"));
    m_model->setEditable(true);
    m_model->setToolTip(tr("One of the public models on the Models page."));
    addField(tr("Model"), m_model, QStringLiteral("model"), QStringLiteral("modelError"));

    m_description->setPlaceholderText(tr("optional; shown in the portal and the OpenAPI document"));
    addField(tr("Description"), m_description, QStringLiteral("description"),
             QStringLiteral("descriptionError"));

    m_system->setPlaceholderText(tr("optional, e.g. You classify sentiment. Instructions go here, "
                                    "user text in the template."));
    addField(tr("System prompt"), m_system, QStringLiteral("system"),
             QStringLiteral("systemError"));
    m_template->setPlaceholderText(tr("The user message, e.g. Summarize: {{text}}"));
    m_template->setToolTip(tr("{{name}} inserts the input “name” as the caller sent it, "
                              "verbatim: a value is never read as template syntax."));
    addField(tr("Template"), m_template, QStringLiteral("template"),
             QStringLiteral("templateError"));
    m_templateWarnings->setObjectName(QStringLiteral("templateWarnings"));
    m_templateWarnings->setWordWrap(true);
    m_templateWarnings->setTextFormat(Qt::PlainText);
    {
        QPalette palette = m_templateWarnings->palette();
        palette.setColor(QPalette::WindowText, QColor(0xc2, 0x6a, 0x00));
        m_templateWarnings->setPalette(palette);
    }
    addRow(QString(), m_templateWarnings);

    // Inputs: the table and its buttons.
    auto *inputsBox = new QWidget(this);
    inputsBox->setObjectName(QStringLiteral("inputsBox"));
    auto *inputsLayout = new QVBoxLayout(inputsBox);
    inputsLayout->setContentsMargins(0, 0, 0, 0);
    m_inputsView->setObjectName(QStringLiteral("inputsTable"));
    m_inputsView->setModel(m_inputsModel);
    m_inputsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_inputsView->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_inputsView->verticalHeader()->hide();
    m_inputsView->horizontalHeader()->setStretchLastSection(true);
    m_inputsView->setMinimumHeight(m_inputsView->verticalHeader()->defaultSectionSize() * 4);
    m_inputsView->setItemDelegateForColumn(
        PromptInputsModel::TypeColumn,
        new ChoiceDelegate(PromptInputsModel::types(), m_inputsView));
    m_inputsView->setItemDelegateForColumn(
        PromptInputsModel::ItemTypeColumn,
        new ChoiceDelegate(PromptInputsModel::itemTypes(), m_inputsView));
    m_addInput->setObjectName(QStringLiteral("addInputButton"));
    m_addInput->setIcon(QIcon::fromTheme(QStringLiteral("list-add")));
    m_removeInput->setObjectName(QStringLiteral("removeInputButton"));
    m_removeInput->setIcon(QIcon::fromTheme(QStringLiteral("list-remove")));
    auto *inputButtons = new QHBoxLayout;
    inputButtons->addWidget(m_addInput);
    inputButtons->addWidget(m_removeInput);
    inputButtons->addStretch();
    inputsLayout->addWidget(m_inputsView);
    inputsLayout->addLayout(inputButtons);
    addField(tr("Inputs"), inputsBox, QStringLiteral("inputs"), QStringLiteral("inputsError"), {},
             m_inputsView);

    // Params: each optional, empty leaves the model's default.
    auto *params = new QGroupBox(tr("Parameters (empty: the model's default)"), this);
    params->setObjectName(QStringLiteral("paramsBox"));
    auto *paramsForm = new QFormLayout(params);
    const struct
    {
        NumberEdit *edit;
        const char *name;
        QString title;
        QString hint;
    } numbers[] = {
        {m_temperature, "temperature", tr("Temperature"), tr("0 to 2")},
        {m_maxTokens, "max_tokens", tr("Max tokens"), tr("at least 1")},
        {m_topP, "top_p", tr("Top p"), tr("0 to 1")},
        {m_presencePenalty, "presence_penalty", tr("Presence penalty"), tr("-2 to 2")},
        {m_frequencyPenalty, "frequency_penalty", tr("Frequency penalty"), tr("-2 to 2")},
        {m_seed, "seed", tr("Seed"), tr("an integer")},
    };
    for (const auto &number : numbers) {
        const QString name = key(number.name);
        QString objectName = name;
        objectName.remove(u'_');
        number.edit->setObjectName(objectName + QStringLiteral("Edit"));
        number.edit->setPlaceholderText(number.hint);
        problems().addRow(paramsForm, number.title, number.edit, QStringLiteral("params.") + name,
                          objectName + QStringLiteral("Error"));
        connect(number.edit, &QLineEdit::textEdited, this, &PromptApiForm::changed);
    }
    m_stop->setObjectName(QStringLiteral("stopEdit"));
    m_stop->setPlaceholderText(tr("Stop sequences, one per line"));
    problems().addRow(paramsForm, tr("Stop"), m_stop, QStringLiteral("params.stop"),
                      QStringLiteral("stopError"));
    problems().addAlias(QStringLiteral("params"), QStringLiteral("params.stop"));
    addSection(params);

    // Output: text, or JSON with an optional schema.
    auto *output = new QGroupBox(tr("Output"), this);
    output->setObjectName(QStringLiteral("outputBox"));
    auto *outputForm = new QFormLayout(output);
    m_jsonOutput->setObjectName(QStringLiteral("jsonOutputCheck"));
    outputForm->addRow(m_jsonOutput);
    m_schema->setPlaceholderText(
        tr("Optional JSON Schema the output must match, e.g.\n{\"type\": \"object\", "
           "\"properties\": {\"sentiment\": {\"enum\": [\"positive\", \"negative\"]}}, "
           "\"required\": [\"sentiment\"]}"));
    problems().addRow(outputForm, tr("JSON schema"), m_schema, QStringLiteral("output"),
                      QStringLiteral("schemaError"));
    m_schemaStatus->setObjectName(QStringLiteral("schemaStatus"));
    m_schemaStatus->setWordWrap(true);
    m_schemaStatus->setTextFormat(Qt::PlainText);
    outputForm->addRow(QString(), m_schemaStatus);
    addSection(output);

    m_auth->setObjectName(QStringLiteral("authCombo"));
    m_auth->addItem(tr("Consumer key"), QStringLiteral("key"));
    m_auth->addItem(tr("None: anyone who reaches the gateway"), QStringLiteral("none"));
    addField(tr("Auth"), m_auth, QStringLiteral("auth"), QStringLiteral("authError"));

    m_state->setObjectName(QStringLiteral("stateCombo"));
    for (const QString &value : LifecycleState::values()) {
        m_state->addItem(LifecycleState::label(value), value);
        m_state->setItemData(m_state->count() - 1, stateExplanation(value), Qt::ToolTipRole);
    }
    addField(tr("State"), m_state, QStringLiteral("state"), QStringLiteral("stateError"));
    m_stateExplanation->setObjectName(QStringLiteral("stateExplanation"));
    m_stateExplanation->setWordWrap(true);
    m_stateExplanation->setEnabled(false); // a note
    addRow(QString(), m_stateExplanation);

    m_sunset->setObjectName(QStringLiteral("sunsetEdit"));
    m_sunset->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_sunset->setMinimumDate(QDate(2000, 1, 1)); // "no date" while not deprecated
    m_sunset->setSpecialValueText(tr("only when deprecated"));
    m_sunset->setCalendarPopup(true);
    m_sunset->setToolTip(tr("When the deprecated prompt API goes away; sent in the Sunset "
                            "header."));
    addField(tr("Sunset"), m_sunset, QStringLiteral("sunset"), QStringLiteral("sunsetError"));

    m_version->setObjectName(QStringLiteral("versionEdit"));
    m_version->setPlaceholderText(tr("optional, e.g. v1; sent as x-gatehouse-prompt-version"));
    addField(tr("Version"), m_version, QStringLiteral("version"), QStringLiteral("versionError"));

    connect(m_path, &QLineEdit::textEdited, this, &PromptApiForm::changed);
    connect(m_model, &QComboBox::currentTextChanged, this, &PromptApiForm::changed);
    connect(m_description, &QPlainTextEdit::textChanged, this, &PromptApiForm::changed);
    connect(m_system, &QPlainTextEdit::textChanged, this, &PromptApiForm::changed);
    connect(m_template, &QPlainTextEdit::textChanged, this, &PromptApiForm::changed);
    connect(m_inputsModel, &QAbstractItemModel::dataChanged, this, &PromptApiForm::changed);
    connect(m_inputsModel, &QAbstractItemModel::rowsInserted, this, &PromptApiForm::changed);
    connect(m_inputsModel, &QAbstractItemModel::rowsRemoved, this, &PromptApiForm::changed);
    connect(m_stop, &StringListEdit::valuesChanged, this, &PromptApiForm::changed);
    connect(m_jsonOutput, &QCheckBox::toggled, this, &PromptApiForm::changed);
    connect(m_schema, &QPlainTextEdit::textChanged, this, &PromptApiForm::changed);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &PromptApiForm::changed);
    connect(m_state, &QComboBox::currentIndexChanged, this, &PromptApiForm::stateChanged);
    connect(m_sunset, &QDateEdit::dateChanged, this, &PromptApiForm::changed);
    connect(m_version, &QLineEdit::textEdited, this, &PromptApiForm::changed);
    connect(m_addInput, &QPushButton::clicked, this, &PromptApiForm::addInput);
    connect(m_removeInput, &QPushButton::clicked, this, &PromptApiForm::removeInputs);
    connect(m_inputsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_removeInput->setEnabled(m_inputsView->selectionModel()->hasSelection()); });
    if (gateway) {
        connect(gateway, &Gateway::configChanged, this, &PromptApiForm::reloadModels);
        connect(gateway, &Gateway::stateChanged, this, &PromptApiForm::reloadModels);
    }
    reloadModels();
    unload();
}

QString PromptApiForm::stateExplanation(const QString &state)
{
    if (state == QLatin1String("draft"))
        return tr("Draft: not served. Callers get 404 and the portal does not list it; try it "
                  "here, then publish it.");
    if (state == QLatin1String("published"))
        return tr("Published: callers can POST to its path; listed in the portal and the "
                  "OpenAPI document.");
    if (state == QLatin1String("deprecated"))
        return tr("Deprecated: still answers, with Deprecation and Sunset headers on every "
                  "answer, so callers know to move to a newer version by the sunset date.");
    if (state == QLatin1String("retired"))
        return tr("Retired: callers get 410 Gone; it stays here to be looked at or brought back.");
    return {};
}

QJsonObject PromptApiForm::defaults() const
{
    // A new prompt API is a draft until it is tried and published.
    return QJsonObject{{key("path"), QString()},
                       {key("model"), m_model->count() > 0 ? m_model->itemText(0) : QString()},
                       {key("template"), QString()},
                       {key("auth"), QStringLiteral("key")},
                       {key("state"), QStringLiteral("draft")}};
}

void PromptApiForm::readEntity(const QJsonObject &entity)
{
    m_path->setText(entity.value(key("path")).toString());
    setModel(entity.value(key("model")).toString());
    m_description->setPlainText(entity.value(key("description")).toString());
    m_system->setPlainText(entity.value(key("system")).toString());
    m_template->setPlainText(entity.value(key("template")).toString());
    m_inputsModel->setInputs(entity.value(key("inputs")).toObject());

    const QJsonObject params = entity.value(key("params")).toObject();
    m_temperature->setValue(params.value(key("temperature")));
    m_maxTokens->setValue(params.value(key("max_tokens")));
    m_topP->setValue(params.value(key("top_p")));
    m_presencePenalty->setValue(params.value(key("presence_penalty")));
    m_frequencyPenalty->setValue(params.value(key("frequency_penalty")));
    m_seed->setValue(params.value(key("seed")));
    m_loadedStop = params.value(key("stop"));
    QStringList stops;
    if (m_loadedStop.isString())
        stops.append(m_loadedStop.toString());
    for (const QJsonValue &stop : m_loadedStop.toArray())
        stops.append(stop.toString());
    m_stop->setValues(stops);

    // JSON output: `output`, or the older params.response_format / params.json_schema.
    const QJsonObject output = entity.value(key("output")).toObject();
    const QJsonValue responseFormat = params.value(key("response_format"));
    const QString legacy = responseFormat.isObject()
                               ? responseFormat.toObject().value(key("type")).toString()
                               : responseFormat.toString();
    m_loadedJson =
        output.value(key("format")).toString() == QLatin1String("json") ||
        output.value(key("json_schema")).isObject() || legacy == QLatin1String("json_object") ||
        legacy == QLatin1String("json_schema") || params.value(key("json_schema")).isObject();
    const QJsonValue schema = output.contains(key("json_schema"))
                                  ? output.value(key("json_schema"))
                                  : params.value(key("json_schema"));
    m_loadedSchemaText = schema.isObject() ? pretty(schema.toObject()) : QString();
    m_jsonOutput->setChecked(m_loadedJson);
    m_schema->setPlainText(m_loadedSchemaText);

    m_auth->setCurrentIndex(
        qMax(0, m_auth->findData(entity.value(key("auth")).toString(QStringLiteral("key")))));
    const QString state = entity.value(key("state")).toString(QStringLiteral("published"));
    m_state->setCurrentIndex(qMax(0, m_state->findData(state)));
    const QDate sunset = QDate::fromString(entity.value(key("sunset")).toString(), Qt::ISODate);
    m_sunset->setDate(sunset.isValid() ? sunset : m_sunset->minimumDate());
    m_version->setText(entity.value(key("version")).toString());
    stateChanged();
    updateWarnings();
    updateSchemaStatus();
    Q_EMIT definitionChanged();
}

void PromptApiForm::writeEntity(QJsonObject &entity) const
{
    entity.insert(key("path"), m_path->text().trimmed());
    entity.insert(key("model"), m_model->currentText().trimmed());
    writeText(entity, key("description"), exactText(m_description));
    writeText(entity, key("system"), exactText(m_system));
    entity.insert(key("template"), exactText(m_template));
    const QJsonObject inputs = m_inputsModel->inputs();
    if (inputs.isEmpty() && !entity.value(key("inputs")).isObject())
        entity.remove(key("inputs"));
    else
        entity.insert(key("inputs"), inputs);
    writeParams(entity);
    writeOutput(entity);
    entity.insert(key("auth"), m_auth->currentData().toString());
    const QString current = state();
    entity.insert(key("state"), current);
    // The date belongs to a deprecation; a retired prompt API keeps the one it had.
    if (current == QLatin1String("deprecated"))
        entity.insert(key("sunset"), m_sunset->date().toString(Qt::ISODate));
    else if (current != QLatin1String("retired"))
        entity.remove(key("sunset"));
    writeText(entity, key("version"), m_version->text().trimmed());
}

void PromptApiForm::writeParams(QJsonObject &entity) const
{
    const bool had = entity.value(key("params")).isObject();
    QJsonObject params = entity.value(key("params")).toObject();
    m_temperature->writeTo(params, key("temperature"));
    m_maxTokens->writeTo(params, key("max_tokens"));
    m_topP->writeTo(params, key("top_p"));
    m_presencePenalty->writeTo(params, key("presence_penalty"));
    m_frequencyPenalty->writeTo(params, key("frequency_penalty"));
    m_seed->writeTo(params, key("seed"));
    // Untouched: as loaded (a single stop string stays a string).
    const QStringList stops = m_stop->values();
    QStringList loaded;
    if (m_loadedStop.isString())
        loaded.append(m_loadedStop.toString());
    for (const QJsonValue &stop : m_loadedStop.toArray())
        loaded.append(stop.toString());
    if (stops == loaded && !m_loadedStop.isUndefined())
        params.insert(key("stop"), m_loadedStop);
    else if (stops.isEmpty())
        params.remove(key("stop"));
    else
        params.insert(key("stop"), QJsonArray::fromStringList(stops));
    if (params.isEmpty() && !had)
        entity.remove(key("params"));
    else
        entity.insert(key("params"), params);
}

void PromptApiForm::writeOutput(QJsonObject &entity) const
{
    const bool json = m_jsonOutput->isChecked();
    const QString schemaText = exactText(m_schema).trimmed();
    // Untouched: exactly as loaded, older spelling included.
    if (json == m_loadedJson && schemaText == m_loadedSchemaText.trimmed())
        return;
    QJsonObject params = entity.value(key("params")).toObject();
    if (params.contains(key("response_format")) || params.contains(key("json_schema"))) {
        // Changed: written in today's spelling, the older one goes.
        params.remove(key("response_format"));
        params.remove(key("json_schema"));
        if (params.isEmpty())
            entity.remove(key("params"));
        else
            entity.insert(key("params"), params);
    }
    if (!json) {
        entity.remove(key("output"));
        if (!schemaText.isEmpty()) // a schema needs JSON: the validation says so
            entity.insert(key("output"), QJsonObject{{key("format"), QStringLiteral("text")},
                                                     {key("json_schema"), schemaText}});
        return;
    }
    QJsonObject output{{key("format"), QStringLiteral("json")}};
    if (!schemaText.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(schemaText.toUtf8());
        // Text that is no JSON object goes as is: the validation names it at the field.
        output.insert(key("json_schema"),
                      doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(schemaText));
    }
    entity.insert(key("output"), output);
}

QString PromptApiForm::state() const
{
    return m_state->currentData().toString();
}

void PromptApiForm::setState(const QString &state)
{
    m_state->setCurrentIndex(m_state->findData(state));
}

void PromptApiForm::stateChanged()
{
    const QString current = state();
    const bool deprecated = current == QLatin1String("deprecated");
    m_sunset->setEnabled(deprecated);
    const bool hasDate = m_sunset->date() > m_sunset->minimumDate();
    // A deprecation always has a sunset date: three months' notice unless one is set.
    if (deprecated && !hasDate)
        m_sunset->setDate(QDate::currentDate().addMonths(3));
    else if (!deprecated && current != QLatin1String("retired"))
        m_sunset->setDate(m_sunset->minimumDate());
    m_stateExplanation->setText(stateExplanation(current));
    m_state->setToolTip(stateExplanation(current));
    changed();
}

void PromptApiForm::changed()
{
    updateWarnings();
    updateSchemaStatus();
    markEdited();
    Q_EMIT definitionChanged();
}

void PromptApiForm::updateWarnings()
{
    const QStringList declared = m_inputsModel->names();
    m_systemHighlighter->setDeclared(declared);
    m_templateHighlighter->setDeclared(declared);
    // The gateway's parser: what is highlighted and warned about is what it renders.
    const PromptTemplate system = PromptTemplate::parse(exactText(m_system));
    const PromptTemplate prompt = PromptTemplate::parse(exactText(m_template));
    QStringList used = system.variables();
    for (const QString &name : prompt.variables()) {
        if (!used.contains(name))
            used.append(name);
    }
    QStringList warnings;
    QStringList invalid = system.invalidNames();
    for (const QString &name : prompt.invalidNames()) {
        if (!invalid.contains(name))
            invalid.append(name);
    }
    for (const QString &name : std::as_const(used)) {
        if (invalid.contains(name))
            warnings.append(tr("{{%1}} is not a valid input name (letters, digits and “_”, not "
                               "starting with a digit).")
                                .arg(name));
        else if (!declared.contains(name))
            warnings.append(
                tr("{{%1}} is not a declared input: add it below or fix the name.").arg(name));
    }
    for (const QString &name : declared) {
        if (!used.contains(name))
            warnings.append(tr("The input “%1” is not used by the template or the system "
                               "prompt.")
                                .arg(name));
    }
    m_warnings = warnings;
    m_templateWarnings->setText(warnings.join(QLatin1Char('\n')));
    m_templateWarnings->setVisible(!warnings.isEmpty());
}

void PromptApiForm::updateSchemaStatus()
{
    const bool json = m_jsonOutput->isChecked();
    m_schema->setEnabled(json || !exactText(m_schema).trimmed().isEmpty());
    const QString text = exactText(m_schema).trimmed();
    QStringList lines;
    m_schemaValid = true;
    if (text.isEmpty()) {
        lines.append(json ? tr("No schema: any JSON value is accepted.")
                          : tr("The answer is text."));
    } else {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError) {
            // The offset is in UTF-8 bytes; lines count from 1.
            const QByteArray before = text.toUtf8().left(error.offset);
            const int line = int(before.count('\n')) + 1;
            const int column = int(before.size() - (before.lastIndexOf('\n') + 1)) + 1;
            lines.append(tr("Not JSON: %1 (line %2, column %3).")
                             .arg(error.errorString())
                             .arg(line)
                             .arg(column));
            m_schemaValid = false;
        } else if (!doc.isObject()) {
            lines.append(tr("A JSON Schema is a JSON object ({…})."));
            m_schemaValid = false;
        } else {
            QList<JsonSchemaValidator::Problem> problems;
            JsonSchemaValidator::compile(doc.object(), &problems);
            for (const JsonSchemaValidator::Problem &problem : std::as_const(problems))
                lines.append(problem.toString());
            m_schemaValid = problems.isEmpty();
            if (m_schemaValid)
                lines.append(json ? tr("Valid schema: answers that do not match it are refused "
                                       "(502).")
                                  : tr("Valid schema; check “Answer with JSON” to use it."));
        }
    }
    m_schemaStatus->setText(lines.join(QLatin1Char('\n')));
    QPalette palette = m_schemaStatus->palette();
    palette.setColor(QPalette::WindowText, m_schemaValid
                                               ? this->palette().color(QPalette::WindowText)
                                               : ProblemDisplay::errorColor());
    m_schemaStatus->setPalette(palette);
}

QString PromptApiForm::schemaStatus() const
{
    return m_schemaStatus->text();
}

void PromptApiForm::addInput()
{
    // Offer the first undeclared placeholder's name: the usual reason to add an input.
    QString name;
    const QStringList declared = m_inputsModel->names();
    QStringList used = PromptTemplate::parse(exactText(m_system)).variables();
    used += PromptTemplate::parse(exactText(m_template)).variables();
    for (const QString &candidate : std::as_const(used)) {
        if (!declared.contains(candidate) && PromptTemplate::isValidName(candidate)) {
            name = candidate;
            break;
        }
    }
    const int row = m_inputsModel->addInput(name);
    const QModelIndex index = m_inputsModel->index(row, PromptInputsModel::NameColumn);
    m_inputsView->setCurrentIndex(index);
    if (name.isEmpty())
        m_inputsView->edit(index);
}

void PromptApiForm::removeInputs()
{
    QList<int> rows;
    const QModelIndexList selected = m_inputsView->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows))
        m_inputsModel->removeRows(row, 1);
}

void PromptApiForm::reloadModels()
{
    QStringList names;
    if (m_gateway && m_gateway->state() != Gateway::State::Closed) {
        const QList<QJsonObject> models = m_gateway->entities(EntityKind::Model);
        for (const QJsonObject &model : models)
            names.append(model.value(key("name")).toString());
    }
    names.sort(Qt::CaseInsensitive);
    const QString current = m_model->currentText();
    const QSignalBlocker blocker(m_model);
    m_model->clear();
    m_model->addItems(names);
    setModel(current);
}

void PromptApiForm::setModel(const QString &model)
{
    const QSignalBlocker blocker(m_model);
    if (model.isEmpty()) {
        m_model->setCurrentIndex(m_model->count() > 0 ? 0 : -1);
        return;
    }
    // A name the store does not know stays visible; saving says why.
    if (m_model->findText(model) < 0)
        m_model->addItem(model);
    m_model->setCurrentIndex(m_model->findText(model));
}

} // namespace gh
