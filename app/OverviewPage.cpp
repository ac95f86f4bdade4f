#include "OverviewPage.h"

#include "Gateway.h"
#include "GatewayStateText.h"
#include "LiveStats.h"
#include "Sparkline.h"
#include "TrafficModel.h"

#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace gh {

namespace {

QLabel *valueLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

OverviewPage::OverviewPage(Gateway *gateway, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_ticker(new QTimer(this))
    , m_state(valueLabel(QStringLiteral("stateLabel"), this))
    , m_gatewayUrl(valueLabel(QStringLiteral("gatewayUrlLabel"), this))
    , m_adminUrl(valueLabel(QStringLiteral("adminUrlLabel"), this))
    , m_uptime(valueLabel(QStringLiteral("uptimeLabel"), this))
    , m_requestsServed(valueLabel(QStringLiteral("requestsServedLabel"), this))
    , m_openConnections(valueLabel(QStringLiteral("openConnectionsLabel"), this))
    , m_dataDir(valueLabel(QStringLiteral("dataDirLabel"), this))
    , m_error(new QLabel(this))
    , m_startStop(new QPushButton(this))
    , m_live(new LiveStats(gateway, this))
    , m_requestsLine(new Sparkline(this))
    , m_errorsLine(new Sparkline(this))
    , m_spendLine(new Sparkline(this))
    , m_requestsRate(valueLabel(QStringLiteral("requestsRateLabel"), this))
    , m_errorsRate(valueLabel(QStringLiteral("errorsRateLabel"), this))
    , m_spendToday(valueLabel(QStringLiteral("spendTodayLabel"), this))
{
    auto *heading = new QLabel(tr("Overview"), this);
    heading->setObjectName(QStringLiteral("pageTitle"));
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    headingFont.setBold(true);
    heading->setFont(headingFont);

    QFont stateFont = m_state->font();
    stateFont.setBold(true);
    m_state->setFont(stateFont);
    m_dataDir->setWordWrap(true);

    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::RichText);
    m_error->setTextInteractionFlags(Qt::TextBrowserInteraction);
    // Error text must stand out in any palette; a frame and the link colour do that
    // without hard-coding a red that fails on dark themes.
    m_error->setFrameShape(QFrame::StyledPanel);
    m_error->setMargin(8);
    m_error->hide();
    connect(m_error, &QLabel::linkActivated, this, &OverviewPage::settingsRequested);

    m_startStop->setObjectName(QStringLiteral("startStopButton"));
    connect(m_startStop, &QPushButton::clicked, this, &OverviewPage::toggleGateway);

    auto *form = new QFormLayout;
    form->addRow(tr("State:"), m_state);
    form->addRow(tr("Gateway URL:"), m_gatewayUrl);
    form->addRow(tr("Admin URL:"), m_adminUrl);
    form->addRow(tr("Uptime:"), m_uptime);
    form->addRow(tr("Requests served:"), m_requestsServed);
    form->addRow(tr("Open connections:"), m_openConnections);
    form->addRow(tr("Data directory:"), m_dataDir);

    m_requestsLine->setObjectName(QStringLiteral("requestsSparkline"));
    m_errorsLine->setObjectName(QStringLiteral("errorsSparkline"));
    m_spendLine->setObjectName(QStringLiteral("spendSparkline"));
    auto *live = new QGroupBox(tr("Last two minutes"), this);
    auto *grid = new QGridLayout(live);
    const std::tuple<QString, QLabel *, Sparkline *> rows[] = {
        {tr("Requests/s:"), m_requestsRate, m_requestsLine},
        {tr("Errors/s:"), m_errorsRate, m_errorsLine},
        {tr("Spend today (UTC):"), m_spendToday, m_spendLine}};
    int row = 0;
    for (const auto &[title, value, line] : rows) {
        grid->addWidget(new QLabel(title, live), row, 0);
        grid->addWidget(value, row, 1);
        grid->addWidget(line, row, 2);
        ++row;
    }
    grid->setColumnStretch(2, 1);
    grid->setColumnMinimumWidth(1, fontMetrics().horizontalAdvance(QStringLiteral("$0.000000 ")));
    connect(m_live, &LiveStats::sampled, this, &OverviewPage::refreshLive);
    refreshLive();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_startStop);
    buttons->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addLayout(form);
    layout->addWidget(live);
    layout->addWidget(m_error);
    layout->addLayout(buttons);
    layout->addStretch();

    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, &OverviewPage::refreshCounters);
    connect(gateway, &Gateway::stateChanged, this, &OverviewPage::refresh);
    connect(gateway, &Gateway::stopped, this, &OverviewPage::refresh);
    refresh();
}

QString OverviewPage::formatUptime(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg((seconds / 3600) % 24, 2, 10, QLatin1Char('0'))
                              .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                              .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (days == 0)
        return clock;
    return tr("%n day(s), %1", nullptr, int(days)).arg(clock);
}

void OverviewPage::refresh()
{
    const Gateway::State state = m_gateway->state();
    const bool running = state == Gateway::State::Running;
    const GatewayOptions &options = m_gateway->options();
    const QString notRunning = tr("—");

    m_state->setText(GatewayStateText::stateName(state));
    m_gatewayUrl->setText(running ? m_gateway->gatewayUrl() : notRunning);
    m_adminUrl->setText(running ? m_gateway->adminUrl() : notRunning);
    m_dataDir->setText(options.dataDir.isEmpty() ? notRunning : options.dataDir);

    const QString error = m_gateway->lastError();
    if (!running && !error.isEmpty()) {
        QString html =
            QStringLiteral("<b>%1</b> %2")
                .arg(tr("The gateway could not start.").toHtmlEscaped(), error.toHtmlEscaped());
        const QStringList problems = m_gateway->lastProblems();
        if (!problems.isEmpty()) {
            html += QStringLiteral("<ul>");
            for (const QString &problem : problems)
                html += QStringLiteral("<li>%1</li>").arg(problem.toHtmlEscaped());
            html += QStringLiteral("</ul>");
        }
        if (m_gateway->lastErrorKind() == Gateway::Error::PortInUse ||
            m_gateway->lastErrorKind() == Gateway::Error::BadDataDir)
            html += QStringLiteral("<br><a href=\"settings\">%1</a>")
                        .arg(tr("Change the listeners or data directory in Settings"));
        m_error->setText(html);
        m_error->show();
    } else {
        m_error->hide();
    }

    switch (state) {
    case Gateway::State::Running:
        m_startStop->setText(tr("Stop"));
        m_startStop->setEnabled(true);
        m_startStop->setToolTip({});
        break;
    case Gateway::State::Stopping:
        m_startStop->setText(tr("Stop"));
        m_startStop->setEnabled(false);
        m_startStop->setToolTip({});
        break;
    case Gateway::State::Stopped:
        m_startStop->setText(tr("Start"));
        m_startStop->setEnabled(true);
        m_startStop->setToolTip({});
        break;
    case Gateway::State::Closed:
        // Nothing to start until the data dir opens; Settings → Apply retries that.
        m_startStop->setText(tr("Start"));
        m_startStop->setEnabled(false);
        m_startStop->setToolTip(tr("The data directory is not open; fix it in Settings."));
        break;
    }
    refreshCounters();
}

void OverviewPage::refreshCounters()
{
    const bool running = m_gateway->state() == Gateway::State::Running;
    const QLocale locale;
    if (running && m_gateway->startedAt().isValid())
        m_uptime->setText(formatUptime(
            qMax<qint64>(0, m_gateway->startedAt().secsTo(QDateTime::currentDateTimeUtc()))));
    else
        m_uptime->setText(tr("—"));
    // Counts survive a stop, so they stay meaningful while stopped.
    m_requestsServed->setText(locale.toString(qulonglong(m_gateway->requestsServed())));
    m_openConnections->setText(locale.toString(m_gateway->openConnections()));
}

void OverviewPage::refreshLive()
{
    const QLocale locale;
    m_requestsLine->setValues(m_live->requestsPerSecond());
    m_errorsLine->setValues(m_live->errorsPerSecond());
    m_spendLine->setValues(m_live->spendToday());
    m_requestsRate->setText(locale.toString(m_live->requestsPerSecond().constLast(), 'f', 0));
    m_requestsRate->setToolTip(
        tr("%n request(s) in the last minute", nullptr, int(m_live->requestsLastMinute())));
    m_errorsRate->setText(locale.toString(m_live->errorsPerSecond().constLast(), 'f', 0));
    m_errorsRate->setToolTip(
        tr("%n error(s) in the last minute", nullptr, int(m_live->errorsLastMinute())));
    m_spendToday->setText(TrafficModel::formatCost(m_live->currentSpendToday()));
}

void OverviewPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    m_ticker->start();
}

void OverviewPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_ticker->stop();
}

void OverviewPage::toggleGateway()
{
    switch (m_gateway->state()) {
    case Gateway::State::Running:
        m_gateway->stop();
        break;
    case Gateway::State::Stopped:
        m_gateway->start();
        break;
    case Gateway::State::Stopping:
    case Gateway::State::Closed:
        break;
    }
    // A failed start does not change the state, so refresh for its error.
    refresh();
}

} // namespace gh
