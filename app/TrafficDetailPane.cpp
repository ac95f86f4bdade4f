#include "TrafficDetailPane.h"

#include "BodyFormatter.h"
#include "Futures.h"
#include "Gateway.h"
#include "ReplayDialog.h"
#include "TimingView.h"
#include "TrafficModel.h"
#include "store/RequestLogReader.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace gh {

namespace {

QPlainTextEdit *textView(const QString &name, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    return edit;
}

struct Rendered
{
    QString requestBody;
    QString responseBody;
};

bool hasCapture(const RequestRecord &r)
{
    return !r.requestHeaders.isEmpty() || !r.responseHeaders.isEmpty() ||
           !r.requestBody.isEmpty() || !r.responseBody.isEmpty();
}

} // namespace

TrafficDetailPane::TrafficDetailPane(Gateway *gateway, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_summary(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_headers(textView(QStringLiteral("headersView"), this))
    , m_requestBody(textView(QStringLiteral("requestBodyView"), this))
    , m_responseBody(textView(QStringLiteral("responseBodyView"), this))
    , m_timing(new TimingView(this))
    , m_timingText(new QLabel(this))
    , m_replayButton(new QPushButton(tr("Replay"), this))
{
    m_summary->setObjectName(QStringLiteral("detailSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_timing->setObjectName(QStringLiteral("timingView"));
    m_timingText->setObjectName(QStringLiteral("timingText"));
    m_timingText->setWordWrap(true);
    m_timingText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_replayButton->setObjectName(QStringLiteral("replayButton"));
    m_replayButton->setToolTip(tr("Send this request to the gateway again and show the answer"));
    m_replayButton->setEnabled(false);
    connect(m_replayButton, &QPushButton::clicked, this, &TrafficDetailPane::replay);

    auto *timingPage = new QWidget(this);
    auto *timingLayout = new QVBoxLayout(timingPage);
    timingLayout->addWidget(m_timing);
    timingLayout->addWidget(m_timingText);
    timingLayout->addStretch();

    m_tabs->addTab(m_headers, tr("Headers"));
    m_tabs->addTab(m_requestBody, tr("Request"));
    m_tabs->addTab(m_responseBody, tr("Response"));
    m_tabs->addTab(timingPage, tr("Timing"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_replayButton, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    clear();
}

QString TrafficDetailPane::headersText() const
{
    return m_headers->toPlainText();
}

QString TrafficDetailPane::requestBodyText() const
{
    return m_requestBody->toPlainText();
}

QString TrafficDetailPane::responseBodyText() const
{
    return m_responseBody->toPlainText();
}

void TrafficDetailPane::clear()
{
    ++m_generation;
    m_loaded = false;
    m_record = {};
    m_summary->setText(tr("Select a request to see its details."));
    m_headers->clear();
    m_requestBody->clear();
    m_responseBody->clear();
    m_timing->clear();
    m_timingText->clear();
    m_replayButton->setEnabled(false);
    m_tabs->setEnabled(false);
}

void TrafficDetailPane::showRecord(const RequestRecord &summary)
{
    const quint64 generation = ++m_generation;
    m_loaded = false;
    m_record = summary;
    m_tabs->setEnabled(true);
    m_replayButton->setEnabled(false);
    m_summary->setText(
        tr("%1 %2 → %3 in %4")
            .arg(QString::fromLatin1(summary.method), QString::fromUtf8(summary.path).left(200))
            .arg(summary.status)
            .arg(TrafficModel::formatDuration(summary.latencyMs)));
    m_timing->setRecord(summary);
    m_headers->setPlainText(generalText(summary) + u'\n' + tr("Loading headers …"));
    m_requestBody->setPlainText(tr("Loading …"));
    m_responseBody->setPlainText(tr("Loading …"));

    whenFinished(
        m_gateway->logReader()->records({summary.id}), this,
        [this, generation, summary](const RequestLogReader::Result<QList<RequestRecord>> &result) {
            if (generation != m_generation)
                return;
            if (!result.value || result.value->isEmpty()) {
                const QString why =
                    result.value ? tr("This request is no longer in the log (log_retention_days).")
                                 : result.error;
                m_headers->setPlainText(generalText(summary) + u'\n' + why);
                m_requestBody->setPlainText(why);
                m_responseBody->setPlainText(why);
                m_loaded = true;
                Q_EMIT loaded();
                return;
            }
            showLoaded(result.value->first());
        });
}

void TrafficDetailPane::showLoaded(const RequestRecord &record)
{
    const quint64 generation = m_generation;
    m_record = record;
    m_timing->setRecord(record);
    QStringList timing;
    if (record.ttfbMs && record.upstreamMs)
        timing << tr("Gateway overhead (time to the response head minus the upstream wait): %1")
                      .arg(TrafficModel::formatDuration(
                          qMax(0.0, *record.ttfbMs - *record.upstreamMs)));
    if (record.upstreamMs)
        timing << tr("Waiting for upstreams, summed over retries and fallbacks: %1")
                      .arg(TrafficModel::formatDuration(*record.upstreamMs));
    if (record.ttfbMs)
        timing << tr("Time to first byte: %1").arg(TrafficModel::formatDuration(*record.ttfbMs));
    else
        timing << tr("No response head was sent.");
    timing << tr("Total: %1").arg(TrafficModel::formatDuration(record.latencyMs));
    m_timingText->setText(timing.join(u'\n'));

    QString headers = generalText(record) + u'\n';
    if (hasCapture(record)) {
        headers += tr("Request headers") + u'\n' + BodyFormatter::headers(record.requestHeaders) +
                   u'\n' + tr("Response headers") + u'\n' +
                   BodyFormatter::headers(record.responseHeaders);
    } else {
        headers += tr("Headers and bodies are captured only with settings.log_bodies: true.");
    }
    m_headers->setPlainText(headers);
    m_replayButton->setEnabled(true);

    if (!hasCapture(record)) {
        const QString none =
            tr("Not captured: turn on settings.log_bodies to keep headers and the first 4 KiB "
               "of each body.");
        m_requestBody->setPlainText(record.bytesIn > 0 ? none : tr("(no body)"));
        m_responseBody->setPlainText(record.bytesOut > 0 ? none : tr("(no body)"));
        m_loaded = true;
        Q_EMIT loaded();
        return;
    }
    // A 4 KiB capture is quick to format, but a slow machine under load should still never
    // see the table stutter for it.
    whenFinished(
        QtConcurrent::run([record] {
            Rendered r;
            r.requestBody = BodyFormatter::format(
                record.requestBody, record.requestHeaders.value("content-type"), record.bytesIn);
            r.responseBody = BodyFormatter::format(
                record.responseBody, record.responseHeaders.value("content-type"), record.bytesOut);
            return r;
        }),
        this, [this, generation](const Rendered &r) {
            if (generation != m_generation)
                return;
            m_requestBody->setPlainText(r.requestBody.isEmpty() ? tr("(no body)") : r.requestBody);
            m_responseBody->setPlainText(r.responseBody.isEmpty() ? tr("(no body)")
                                                                  : r.responseBody);
            m_loaded = true;
            Q_EMIT loaded();
        });
}

QString TrafficDetailPane::generalText(const RequestRecord &r) const
{
    const QLocale locale;
    QStringList lines;
    const auto add = [&lines](const QString &name, const QString &value) {
        if (!value.isEmpty())
            lines << QStringLiteral("%1: %2").arg(name, value);
    };
    lines << tr("General");
    add(tr("Request"), QString::fromLatin1(r.method) + u' ' + QString::fromUtf8(r.path));
    add(tr("Status"), QString::number(r.status));
    add(tr("Time"), QDateTime::fromMSecsSinceEpoch(r.tsMs).toString(Qt::ISODateWithMs));
    add(tr("Request ID"), QString::fromLatin1(r.requestId));
    add(tr("Consumer"), r.consumer);
    add(tr("Route"), r.route);
    add(tr("Prompt API"), r.promptApi);
    add(tr("Provider"), r.provider);
    add(tr("Model"), r.model);
    if (r.tokensIn || r.tokensOut)
        add(tr("Tokens"), tr("%1 in, %2 out")
                              .arg(locale.toString(r.tokensIn.value_or(0)),
                                   locale.toString(r.tokensOut.value_or(0))));
    if (r.costUsd)
        add(tr("Cost"), TrafficModel::formatCost(*r.costUsd));
    add(tr("Cache"), QString::fromLatin1(r.cache));
    add(tr("Body bytes"),
        tr("%1 in, %2 out").arg(locale.toString(r.bytesIn), locale.toString(r.bytesOut)));
    add(tr("Error"), r.error);
    return lines.join(u'\n') + u'\n';
}

ReplayDialog *TrafficDetailPane::replay()
{
    if (!m_loaded || m_record.id == 0)
        return nullptr;
    auto *dialog = new ReplayDialog(m_gateway, m_record, window());
    dialog->show();
    if (dialog->canReplay())
        dialog->send();
    return dialog;
}

} // namespace gh
