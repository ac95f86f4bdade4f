#include "PlaygroundPane.h"

#include "Gateway.h"
#include "ProblemDisplay.h"
#include "ai/PriceTable.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace gh {

namespace {

QString duration(qint64 ms)
{
    if (ms < 1000)
        return PlaygroundPane::tr("%1 ms").arg(ms);
    return PlaygroundPane::tr("%1 s").arg(ms / 1000.0, 0, 'f', 2);
}

} // namespace

PlaygroundPane::PlaygroundPane(Gateway *gateway, QNetworkAccessManager *network, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_request(new PlaygroundRequest(network, this))
    , m_model(new QComboBox(this))
    , m_close(new QToolButton(this))
    , m_answer(new QPlainTextEdit(this))
    , m_error(ProblemDisplay::createMessageLabel(QStringLiteral("errorLabel"), this))
    , m_stats(new QLabel(this))
{
    m_model->setObjectName(QStringLiteral("modelCombo"));
    m_model->setToolTip(tr("A model name from the Models page, as a client would ask for it."));
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_close->setObjectName(QStringLiteral("closePaneButton"));
    m_close->setIcon(QIcon::fromTheme(QStringLiteral("window-close")));
    m_close->setText(tr("Close"));
    m_close->setToolTip(tr("Remove this column from the comparison"));
    m_close->hide();
    m_answer->setObjectName(QStringLiteral("answerView"));
    m_answer->setReadOnly(true);
    m_answer->setPlaceholderText(tr("The answer appears here as it streams in."));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stats->setObjectName(QStringLiteral("statsLabel"));
    m_stats->setWordWrap(true);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_model, 1);
    top->addWidget(m_close);
    layout->addLayout(top);
    layout->addWidget(m_answer, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_stats);

    connect(m_close, &QToolButton::clicked, this, &PlaygroundPane::closeRequested);
    connect(m_request, &PlaygroundRequest::textReceived, this, &PlaygroundPane::received);
    connect(m_request, &PlaygroundRequest::finished, this, &PlaygroundPane::finished);
}

void PlaygroundPane::setModels(const QStringList &models)
{
    const QString current = m_model->currentText();
    m_model->clear();
    m_model->addItems(models);
    if (!current.isEmpty())
        setModel(current);
}

QString PlaygroundPane::model() const
{
    return m_model->currentText();
}

void PlaygroundPane::setModel(const QString &model)
{
    const int index = m_model->findText(model);
    if (index >= 0)
        m_model->setCurrentIndex(index);
}

void PlaygroundPane::setClosable(bool closable)
{
    m_close->setVisible(closable);
}

void PlaygroundPane::send(const QString &gatewayUrl, const QByteArray &apiKey,
                          PlaygroundParams params)
{
    params.model = model();
    m_answer->clear();
    m_error->clear();
    m_error->hide();
    m_stats->setText(tr("Waiting for %1…").arg(params.model));
    m_model->setEnabled(false);
    m_request->start(gatewayUrl, apiKey, params);
    Q_EMIT runningChanged(true);
}

void PlaygroundPane::stop()
{
    m_request->stop();
}

QString PlaygroundPane::answerText() const
{
    return m_answer->toPlainText();
}

QString PlaygroundPane::statsText() const
{
    return m_stats->text();
}

QString PlaygroundPane::errorText() const
{
    return m_error->text();
}

void PlaygroundPane::received(const QString &delta)
{
    // Appended at the end whatever the user selected; follow it unless they scrolled up.
    QScrollBar *bar = m_answer->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    QTextCursor cursor(m_answer->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(delta);
    if (atEnd)
        bar->setValue(bar->maximum());
}

void PlaygroundPane::finished()
{
    m_model->setEnabled(true);
    switch (m_request->state()) {
    case PlaygroundRequest::State::Completed:
        m_stats->setText(formatStats(*m_request, cost(m_gateway, *m_request)));
        break;
    case PlaygroundRequest::State::Stopped:
        m_stats->setText(tr("Stopped after %1.").arg(duration(m_request->totalMs())));
        break;
    case PlaygroundRequest::State::Failed:
        m_error->setText(m_request->errorMessage());
        m_error->show();
        m_stats->setText(tr("Failed after %1.").arg(duration(m_request->totalMs())));
        break;
    default:
        break;
    }
    Q_EMIT runningChanged(false);
}

QString PlaygroundPane::formatStats(const PlaygroundRequest &request, std::optional<double> costUsd)
{
    QStringList parts;
    const ChatUsage usage = request.usage();
    if (usage.present)
        parts.append(tr("%1 in / %2 out tokens").arg(usage.input).arg(usage.output));
    else
        parts.append(tr("no token counts"));
    if (costUsd)
        parts.append(QStringLiteral("$%1").arg(*costUsd, 0, 'f', *costUsd < 0.01 ? 6 : 4));
    else
        parts.append(tr("price unknown"));
    if (request.firstTokenMs() >= 0)
        parts.append(tr("first token %1").arg(duration(request.firstTokenMs())));
    parts.append(tr("total %1").arg(duration(request.totalMs())));
    if (!request.provider().isEmpty() || !request.upstreamModel().isEmpty())
        parts.append(tr("via %1 / %2").arg(request.provider(), request.upstreamModel()));
    return parts.join(QStringLiteral(" · "));
}

std::optional<double> PlaygroundPane::cost(Gateway *gateway, const PlaygroundRequest &request)
{
    const ChatUsage usage = request.usage();
    if (!gateway || !usage.present || request.provider().isEmpty() ||
        request.upstreamModel().isEmpty())
        return std::nullopt;
    // The built-in prices are per provider type; the config's overrides per provider name.
    QString providerType;
    const QList<QJsonObject> providers = gateway->entities(EntityKind::Provider);
    for (const QJsonObject &provider : providers) {
        if (provider.value(QStringLiteral("name")).toString() == request.provider())
            providerType = provider.value(QStringLiteral("type")).toString();
    }
    QJsonArray overrides;
    const QList<QJsonObject> prices = gateway->entities(EntityKind::Price);
    for (const QJsonObject &price : prices)
        overrides.append(price);
    const std::optional<ModelPrice> price = PriceTable::builtIn().withOverrides(overrides).find(
        providerType, request.provider(), request.upstreamModel());
    if (!price)
        return std::nullopt;
    return PriceTable::cost(*price, usage);
}

} // namespace gh
