#include "PlaygroundPage.h"

#include "Gateway.h"
#include "PlaygroundPane.h"
#include "PlaygroundSnippets.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace gh {

PlaygroundPage::PlaygroundPage(Gateway *gateway, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_network(new QNetworkAccessManager(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_compare(new QPushButton(tr("Compare"), this))
    , m_system(new QPlainTextEdit(this))
    , m_prompt(new QPlainTextEdit(this))
    , m_useTemperature(new QCheckBox(tr("Temperature"), this))
    , m_temperature(new QDoubleSpinBox(this))
    , m_useMaxTokens(new QCheckBox(tr("Max tokens"), this))
    , m_maxTokens(new QSpinBox(this))
    , m_useTopP(new QCheckBox(tr("Top p"), this))
    , m_topP(new QDoubleSpinBox(this))
    , m_stream(new QCheckBox(tr("Stream"), this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_notice(new QLabel(this))
    , m_copied(new QLabel(this))
{
    // The gateway is on this machine: a system proxy must not sit in between.
    m_network->setProxy(QNetworkProxy::NoProxy);

    auto *heading = new QLabel(tr("Playground"), this);
    heading->setObjectName(QStringLiteral("pageTitle"));
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    heading->setFont(font);

    m_compare->setObjectName(QStringLiteral("compareButton"));
    m_compare->setToolTip(tr("Add a column with another model, to compare their answers"));
    auto *copy = new QToolButton(this);
    copy->setObjectName(QStringLiteral("copyAsButton"));
    copy->setText(tr("Copy as"));
    copy->setToolTip(tr("Copy this request as a program that runs as it is; the key comes "
                        "from $%1.")
                         .arg(PlaygroundSnippets::keyVariable()));
    copy->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(copy);
    const QList<std::pair<QString, QString>> languages{
        {QStringLiteral("curl"), tr("curl")},
        {QStringLiteral("python"), tr("Python")},
        {QStringLiteral("javascript"), tr("JavaScript")}};
    for (const auto &[id, title] : languages) {
        QAction *action = menu->addAction(title);
        action->setObjectName(QStringLiteral("copy-%1").arg(id));
        connect(action, &QAction::triggered, this,
                [this, language = id] { copySnippet(language); });
    }
    copy->setMenu(menu);
    m_copied->setObjectName(QStringLiteral("copiedLabel"));
    m_copied->setEnabled(false); // greyed: a note

    auto *bar = new QHBoxLayout;
    bar->addWidget(heading);
    bar->addStretch();
    bar->addWidget(m_copied);
    bar->addWidget(m_compare);
    bar->addWidget(copy);

    m_notice->setObjectName(QStringLiteral("playgroundNotice"));
    m_notice->setWordWrap(true);
    m_notice->hide();

    m_splitter->setObjectName(QStringLiteral("panesSplitter"));
    m_splitter->setChildrenCollapsible(false);

    m_system->setObjectName(QStringLiteral("systemEdit"));
    m_system->setPlaceholderText(tr("System prompt (optional), e.g. “Answer in one sentence.”"));
    m_system->setTabChangesFocus(true);
    m_system->setMaximumHeight(m_system->fontMetrics().lineSpacing() * 4);
    m_prompt->setObjectName(QStringLiteral("promptEdit"));
    m_prompt->setPlaceholderText(tr("Your message. Ctrl+Return sends."));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setMaximumHeight(m_prompt->fontMetrics().lineSpacing() * 7);

    // Unchecked parameters are not sent: the model's own defaults apply.
    m_useTemperature->setObjectName(QStringLiteral("temperatureCheck"));
    m_temperature->setObjectName(QStringLiteral("temperatureSpin"));
    m_temperature->setRange(0, 2);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_temperature->setValue(0.7);
    m_useMaxTokens->setObjectName(QStringLiteral("maxTokensCheck"));
    m_maxTokens->setObjectName(QStringLiteral("maxTokensSpin"));
    m_maxTokens->setRange(1, 1000000);
    m_maxTokens->setValue(1024);
    m_useTopP->setObjectName(QStringLiteral("topPCheck"));
    m_topP->setObjectName(QStringLiteral("topPSpin"));
    m_topP->setRange(0, 1);
    m_topP->setSingleStep(0.05);
    m_topP->setDecimals(2);
    m_topP->setValue(1);
    m_stream->setObjectName(QStringLiteral("streamCheck"));
    m_stream->setChecked(true);
    m_stream->setToolTip(tr("Show the answer as it is written, or all at once at the end."));
    for (auto [check, spin] : {std::pair<QCheckBox *, QWidget *>{m_useTemperature, m_temperature},
                               {m_useMaxTokens, m_maxTokens},
                               {m_useTopP, m_topP}}) {
        spin->setEnabled(false);
        connect(check, &QCheckBox::toggled, spin, &QWidget::setEnabled);
    }
    auto *parameters = new QHBoxLayout;
    parameters->addWidget(m_useTemperature);
    parameters->addWidget(m_temperature);
    parameters->addSpacing(12);
    parameters->addWidget(m_useMaxTokens);
    parameters->addWidget(m_maxTokens);
    parameters->addSpacing(12);
    parameters->addWidget(m_useTopP);
    parameters->addWidget(m_topP);
    parameters->addSpacing(12);
    parameters->addWidget(m_stream);
    parameters->addStretch();

    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setDefault(true);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_stop);
    buttons->addWidget(m_send);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_notice);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(m_system);
    layout->addWidget(m_prompt);
    layout->addLayout(parameters);
    layout->addLayout(buttons);

    connect(m_compare, &QPushButton::clicked, this, &PlaygroundPage::addPane);
    connect(m_send, &QPushButton::clicked, this, &PlaygroundPage::send);
    connect(m_stop, &QPushButton::clicked, this, &PlaygroundPage::stop);
    connect(m_prompt, &QPlainTextEdit::textChanged, this, &PlaygroundPage::updateButtons);
    auto *sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(sendShortcut, &QShortcut::activated, this, [this] {
        if (m_send->isEnabled())
            send();
    });
    if (gateway) {
        connect(gateway, &Gateway::configChanged, this, &PlaygroundPage::reloadModels);
        connect(gateway, &Gateway::stateChanged, this, &PlaygroundPage::reloadModels);
    }
    addPane();
    reloadModels();
}

QByteArray PlaygroundPage::gatewayKey() const
{
    if (m_targetOverridden)
        return m_keyOverride;
    // The desktop's own consumer key: the gateway accepts it for every model.
    return m_gateway ? m_gateway->desktopKey() : QByteArray();
}

QString PlaygroundPage::gatewayUrl() const
{
    if (m_targetOverridden)
        return m_urlOverride;
    return m_gateway ? m_gateway->gatewayUrl() : QString();
}

void PlaygroundPage::setGatewayTarget(const QString &gatewayUrl, const QByteArray &apiKey)
{
    m_urlOverride = gatewayUrl;
    m_keyOverride = apiKey;
    m_targetOverridden = true;
    updateButtons();
}

void PlaygroundPage::reloadModels()
{
    m_models.clear();
    if (m_gateway && m_gateway->state() != Gateway::State::Closed) {
        const QList<QJsonObject> models = m_gateway->entities(EntityKind::Model);
        for (const QJsonObject &model : models)
            m_models.append(model.value(QStringLiteral("name")).toString());
    }
    m_models.sort(Qt::CaseInsensitive);
    for (PlaygroundPane *pane : std::as_const(m_panes))
        pane->setModels(m_models);
    updateButtons();
}

PlaygroundPane *PlaygroundPage::addPane()
{
    if (m_panes.size() >= MaxPanes)
        return nullptr;
    auto *pane = new PlaygroundPane(m_gateway, m_network, m_splitter);
    pane->setObjectName(QStringLiteral("playgroundPane%1").arg(m_panes.size() + 1));
    pane->setModels(m_models);
    // A new column starts on another model than the ones already there, if there is one.
    for (const QString &model : std::as_const(m_models)) {
        const bool used = std::any_of(m_panes.cbegin(), m_panes.cend(),
                                      [&](PlaygroundPane *p) { return p->model() == model; });
        if (!used) {
            pane->setModel(model);
            break;
        }
    }
    pane->setClosable(!m_panes.isEmpty());
    m_splitter->addWidget(pane);
    m_panes.append(pane);
    connect(pane, &PlaygroundPane::runningChanged, this, &PlaygroundPage::updateButtons);
    connect(pane, &PlaygroundPane::closeRequested, this, [this, pane] { removePane(pane); });
    updateButtons();
    return pane;
}

void PlaygroundPage::removePane(PlaygroundPane *pane)
{
    if (m_panes.size() <= 1 || !m_panes.contains(pane))
        return;
    pane->stop();
    m_panes.removeOne(pane);
    pane->hide();
    pane->deleteLater();
    updateButtons();
}

PlaygroundParams PlaygroundPage::params() const
{
    PlaygroundParams params;
    params.model = m_panes.isEmpty() ? QString() : m_panes.first()->model();
    params.system = m_system->toPlainText().trimmed();
    params.prompt = m_prompt->toPlainText().trimmed();
    if (m_useTemperature->isChecked())
        params.temperature = m_temperature->value();
    if (m_useMaxTokens->isChecked())
        params.maxTokens = m_maxTokens->value();
    if (m_useTopP->isChecked())
        params.topP = m_topP->value();
    params.stream = m_stream->isChecked();
    return params;
}

void PlaygroundPage::send()
{
    const PlaygroundParams request = params();
    if (request.prompt.isEmpty())
        return;
    m_copied->clear();
    for (PlaygroundPane *pane : std::as_const(m_panes)) {
        if (!pane->model().isEmpty())
            pane->send(gatewayUrl(), gatewayKey(), request);
    }
    updateButtons();
}

void PlaygroundPage::stop()
{
    for (PlaygroundPane *pane : std::as_const(m_panes))
        pane->stop();
    updateButtons();
}

void PlaygroundPage::copySnippet(const QString &language)
{
    const PlaygroundParams request = params();
    const QString url = gatewayUrl();
    QString snippet;
    if (language == QLatin1String("python"))
        snippet = PlaygroundSnippets::python(url, request);
    else if (language == QLatin1String("javascript"))
        snippet = PlaygroundSnippets::javaScript(url, request);
    else
        snippet = PlaygroundSnippets::curl(url, request);
    QGuiApplication::clipboard()->setText(snippet);
    m_copied->setText(
        tr("Copied. It reads the key from $%1.").arg(PlaygroundSnippets::keyVariable()));
}

void PlaygroundPage::updateButtons()
{
    const bool running = std::any_of(m_panes.cbegin(), m_panes.cend(),
                                     [](PlaygroundPane *pane) { return pane->isRunning(); });
    const bool reachable =
        m_targetOverridden || (m_gateway && m_gateway->state() == Gateway::State::Running);
    QString notice;
    if (!reachable)
        notice = tr("The gateway is not running: start it on the Overview page to try models.");
    else if (m_models.isEmpty() && !m_targetOverridden)
        notice = tr("No models yet. Add a provider and a model on the Providers and Models "
                    "pages, then try it here.");
    m_notice->setText(notice);
    m_notice->setVisible(!notice.isEmpty());
    const bool hasModel = std::any_of(m_panes.cbegin(), m_panes.cend(), [](PlaygroundPane *pane) {
        return !pane->model().isEmpty();
    });
    m_send->setEnabled(!running && reachable && hasModel &&
                       !m_prompt->toPlainText().trimmed().isEmpty());
    m_stop->setEnabled(running);
    m_compare->setEnabled(m_panes.size() < MaxPanes);
}

} // namespace gh
