#include "PromptTryPanel.h"

#include "Gateway.h"
#include "ProblemDisplay.h"
#include "PromptInputsForm.h"
#include "prompt/CompiledPromptApi.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace gh {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

QPlainTextEdit *readOnlyText(const QString &objectName, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setReadOnly(true);
    edit->setTabChangesFocus(true);
    return edit;
}

QString duration(qint64 ms)
{
    return ms < 1000 ? PromptTryPanel::tr("%1 ms").arg(ms)
                     : PromptTryPanel::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 2);
}

QString textOf(const QList<ChatPart> &parts)
{
    QStringList texts;
    for (const ChatPart &part : parts)
        texts.append(part.text);
    return texts.join(QStringLiteral("\n\n"));
}

} // namespace

PromptTryPanel::PromptTryPanel(Gateway *gateway, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_network(new QNetworkAccessManager(this))
    , m_call(new PromptApiCall(gateway, m_network, this))
    , m_mode(new QLabel(this))
    , m_inputs(new PromptInputsForm(this))
    , m_system(readOnlyText(QStringLiteral("previewSystem"), this))
    , m_user(readOnlyText(QStringLiteral("previewUser"), this))
    , m_note(new QLabel(this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_output(readOnlyText(QStringLiteral("outputText"), this))
    , m_stats(new QLabel(this))
    , m_error(ProblemDisplay::createMessageLabel(QStringLiteral("runError"), this))
{
    m_network->setProxy(QNetworkProxy::NoProxy); // the gateway is on loopback
    m_mode->setObjectName(QStringLiteral("tryModeLabel"));
    m_mode->setWordWrap(true);
    m_inputs->setObjectName(QStringLiteral("tryInputs"));
    m_note->setObjectName(QStringLiteral("previewNote"));
    m_note->setWordWrap(true);
    m_note->setEnabled(false);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setIcon(QIcon::fromTheme(QStringLiteral("media-playback-start")));
    m_run->setToolTip(tr("Send the inputs and stream the answer (Ctrl+Return)"));
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_stop->setIcon(QIcon::fromTheme(QStringLiteral("media-playback-stop")));
    m_stats->setObjectName(QStringLiteral("runStats"));
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_output->setFont(fixed);

    auto *inputsBox = new QGroupBox(tr("Inputs"), this);
    auto *inputsScroll = new QScrollArea(inputsBox);
    inputsScroll->setWidgetResizable(true);
    inputsScroll->setFrameShape(QFrame::NoFrame);
    inputsScroll->setWidget(m_inputs);
    auto *inputsLayout = new QVBoxLayout(inputsBox);
    inputsLayout->addWidget(inputsScroll);

    auto *previewBox = new QGroupBox(tr("Preview: what the model gets"), this);
    auto *previewLayout = new QFormLayout(previewBox);
    previewLayout->addRow(tr("System:"), m_system);
    previewLayout->addRow(tr("User:"), m_user);
    previewLayout->addRow(m_note);

    auto *top = new QSplitter(Qt::Horizontal, this);
    top->setChildrenCollapsible(false);
    top->addWidget(inputsBox);
    top->addWidget(previewBox);

    auto *outputBox = new QGroupBox(tr("Answer"), this);
    auto *outputLayout = new QVBoxLayout(outputBox);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    outputLayout->addLayout(buttons);
    outputLayout->addWidget(m_output, 1);
    outputLayout->addWidget(m_error);
    outputLayout->addWidget(m_stats);

    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->setChildrenCollapsible(false);
    vertical->addWidget(top);
    vertical->addWidget(outputBox);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_mode);
    layout->addWidget(vertical, 1);

    connect(m_inputs, &PromptInputsForm::changed, this, &PromptTryPanel::updatePreview);
    connect(m_run, &QPushButton::clicked, this, &PromptTryPanel::run);
    connect(m_stop, &QPushButton::clicked, this, &PromptTryPanel::stop);
    connect(m_call, &PromptApiCall::textReceived, this, &PromptTryPanel::received);
    connect(m_call, &PromptApiCall::finished, this, &PromptTryPanel::finished);
    if (gateway)
        connect(gateway, &Gateway::stateChanged, this, &PromptTryPanel::updateButtons);
    setDefinition({}, false);
}

void PromptTryPanel::setDefinition(const QJsonObject &definition, bool saved)
{
    m_definition = definition;
    m_saved = saved;
    m_inputs->setInputs(definition.value(key("inputs")).toObject());
    updateMode();
    updatePreview();
    updateButtons();
}

PromptApiCall::Mode PromptTryPanel::mode() const
{
    const QString state = m_definition.value(key("state")).toString(QStringLiteral("published"));
    const bool live = state == QLatin1String("published") || state == QLatin1String("deprecated");
    return m_saved && live ? PromptApiCall::Mode::Endpoint : PromptApiCall::Mode::Rendered;
}

void PromptTryPanel::updateMode()
{
    const QString path = m_definition.value(key("path")).toString();
    const QString model = m_definition.value(key("model")).toString();
    const QString state = m_definition.value(key("state")).toString(QStringLiteral("published"));
    if (m_definition.isEmpty()) {
        m_mode->setText(tr("Select or create a prompt API to try it."));
        return;
    }
    if (mode() == PromptApiCall::Mode::Endpoint) {
        m_mode->setText(tr("Run calls POST %1 on the gateway, as a caller would (with the "
                           "desktop's own key), and streams its answer.")
                            .arg(path));
        return;
    }
    QString why;
    if (!m_saved)
        why = tr("What the editor shows is not saved, so the gateway does not serve it yet.");
    else if (state == QLatin1String("draft"))
        why = tr("A draft is not served (callers get 404).");
    else
        why = tr("A retired prompt API is not served (callers get 410).");
    m_mode->setText(why + QLatin1Char(' ') +
                    tr("Run sends the prompt the gateway renders from this definition to the "
                       "model “%1” through /v1/chat/completions: the same routing, fallbacks, "
                       "output checks and prices as the published prompt API would have.")
                        .arg(model));
}

void PromptTryPanel::updatePreview()
{
    if (m_definition.isEmpty()) {
        showPreview({}, {});
        m_note->clear();
        return;
    }
    const CompiledPromptApi api = CompiledPromptApi::compile(m_definition, 0);
    const QJsonObject body = m_inputs->body();
    const ChatResult<CompiledPromptApi::Call> call = api.buildRequest(body, false);
    if (call.isOk()) {
        const ChatRequest &request = call.value().request;
        showPreview(textOf(request.system), request.messages.isEmpty()
                                                ? QString()
                                                : textOf(request.messages.first().parts));
        m_note->clear();
        m_note->hide();
        m_inputs->clearProblems();
        return;
    }
    // Not callable yet: each input as filled in (or its default) rendered by the same
    // templates, so the preview follows the typing; the refusal is shown at its field.
    QHash<QString, QString> values;
    for (const PromptInputSchema::Input &input : api.inputs.inputs()) {
        QJsonValue value = body.value(input.name);
        if (value.isUndefined() && input.defaultValue)
            value = *input.defaultValue;
        values.insert(input.name, PromptInputSchema::toText(value));
    }
    QString system = api.system.render(values);
    if (api.outputFormat == CompiledPromptApi::OutputFormat::Json)
        system = system.isEmpty() ? api.jsonInstruction()
                                  : system + QStringLiteral("\n\n") + api.jsonInstruction();
    showPreview(system, api.prompt.render(values));
    m_note->setText(tr("Not ready to run: %1").arg(call.error().message));
    m_note->show();
    m_inputs->showProblem(call.error().param, call.error().message);
}

void PromptTryPanel::showPreview(const QString &system, const QString &user)
{
    m_previewSystem = system;
    m_previewUser = user;
    if (m_system->toPlainText() != system)
        m_system->setPlainText(system);
    if (m_user->toPlainText() != user)
        m_user->setPlainText(user);
}

void PromptTryPanel::run()
{
    if (m_definition.isEmpty() || m_call->isRunning())
        return;
    m_output->clear();
    m_stats->clear();
    m_error->clear();
    m_error->hide();
    m_call->start(mode(), m_definition, m_inputs->body());
    updateButtons();
}

void PromptTryPanel::stop()
{
    m_call->stop();
}

void PromptTryPanel::received(const QString &delta)
{
    m_output->moveCursor(QTextCursor::End);
    m_output->insertPlainText(delta);
}

void PromptTryPanel::finished()
{
    if (m_call->state() == PromptApiCall::State::Completed) {
        const QJsonValue output = m_call->output();
        if (output.isObject())
            m_output->setPlainText(QString::fromUtf8(
                QJsonDocument(output.toObject()).toJson(QJsonDocument::Indented)));
        else if (output.isArray())
            m_output->setPlainText(
                QString::fromUtf8(QJsonDocument(output.toArray()).toJson(QJsonDocument::Indented)));
        else if (m_call->isJsonOutput())
            m_output->setPlainText(PromptInputSchema::toText(output));
        else
            m_output->setPlainText(output.toString());
    } else if (m_call->state() == PromptApiCall::State::Failed) {
        m_error->setText(m_call->errorMessage());
        m_error->show();
        if (!m_call->inputError().isEmpty())
            m_inputs->showProblem(m_call->inputError(), m_call->errorMessage());
    } else if (m_call->state() == PromptApiCall::State::Stopped) {
        m_error->setText(tr("Stopped."));
        m_error->show();
    }
    QStringList parts;
    const ChatUsage usage = m_call->usage();
    if (usage.present)
        parts.append(tr("%1 in / %2 out tokens").arg(usage.input).arg(usage.output));
    if (m_call->state() == PromptApiCall::State::Completed) {
        if (const std::optional<double> cost = m_call->costUsd())
            parts.append(QStringLiteral("$%1").arg(*cost, 0, 'f', *cost < 0.01 ? 6 : 4));
        else
            parts.append(tr("price unknown"));
    }
    if (m_call->firstTokenMs() >= 0)
        parts.append(tr("first token %1").arg(duration(m_call->firstTokenMs())));
    if (m_call->totalMs() >= 0)
        parts.append(tr("total %1").arg(duration(m_call->totalMs())));
    if (!m_call->model().isEmpty())
        parts.append(tr("model %1").arg(m_call->model()));
    m_stats->setText(parts.join(QStringLiteral(" · ")));
    updateButtons();
}

void PromptTryPanel::updateButtons()
{
    const bool running = m_call->isRunning();
    const bool gatewayUp = m_gateway && m_gateway->state() == Gateway::State::Running;
    m_run->setEnabled(!running && !m_definition.isEmpty() && gatewayUp);
    m_run->setToolTip(gatewayUp ? tr("Send the inputs and stream the answer (Ctrl+Return)")
                                : tr("The gateway is not running."));
    m_stop->setEnabled(running);
}

QString PromptTryPanel::previewSystem() const
{
    return m_previewSystem;
}

QString PromptTryPanel::previewUser() const
{
    return m_previewUser;
}

QString PromptTryPanel::previewNote() const
{
    return m_note->text();
}

QString PromptTryPanel::modeText() const
{
    return m_mode->text();
}

QString PromptTryPanel::outputText() const
{
    return m_output->toPlainText();
}

QString PromptTryPanel::statsText() const
{
    return m_stats->text();
}

QString PromptTryPanel::errorText() const
{
    return m_error->text();
}

} // namespace gh
