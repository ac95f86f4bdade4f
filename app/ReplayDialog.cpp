#include "ReplayDialog.h"

#include "BodyFormatter.h"
#include "Futures.h"
#include "Gateway.h"
#include "TrafficModel.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
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

} // namespace

ReplayDialog::ReplayDialog(Gateway *gateway, const RequestRecord &record, QWidget *parent)
    : QDialog(parent)
    , m_gateway(gateway)
    , m_replay(nullptr)
    , m_status(new QLabel(this))
    , m_notes(new QLabel(this))
    , m_request(textView(QStringLiteral("replayRequestEdit"), this))
    , m_response(textView(QStringLiteral("replayResponseEdit"), this))
    , m_sendButton(new QPushButton(tr("Send Again"), this))
{
    setObjectName(QStringLiteral("replayDialog"));
    setWindowTitle(
        tr("Replay %1 %2").arg(QString::fromLatin1(record.method), QString::fromUtf8(record.path)));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(760, 620);

    auto *network = new QNetworkAccessManager(this);
    network->setProxy(QNetworkProxy::NoProxy); // the gateway is on this machine
    m_replay = new RequestReplay(network, this);
    connect(m_replay, &RequestReplay::finished, this, &ReplayDialog::showAnswer);

    m_status->setObjectName(QStringLiteral("replayStatusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes->setObjectName(QStringLiteral("replayNotesLabel"));
    m_notes->setWordWrap(true);
    m_sendButton->setObjectName(QStringLiteral("sendAgainButton"));
    connect(m_sendButton, &QPushButton::clicked, this, &ReplayDialog::send);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeButton"));
    buttons->addButton(m_sendButton, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_request);
    splitter->addWidget(m_response);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_notes);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);

    m_plan = RequestReplay::plan(record, gateway->gatewayUrl(), gateway->desktopKey(), &m_refusal);
    if (!m_plan) {
        m_status->setText(tr("This request cannot be replayed: %1").arg(m_refusal));
        m_notes->hide();
        m_request->hide();
        m_response->hide();
        m_sendButton->setEnabled(false);
        return;
    }
    QString sent = QStringLiteral("%1 %2\n").arg(QString::fromLatin1(m_plan->method),
                                                 m_plan->url.toString(QUrl::FullyEncoded));
    for (const HttpHeaders::Entry &header : m_plan->headers) {
        // The desktop key is a live credential: never on screen.
        const bool isKey = m_plan->usesDesktopKey && header.second.contains(gateway->desktopKey());
        sent += QString::fromLatin1(header.first) + QStringLiteral(": ") +
                (isKey ? tr("(the desktop app's key)") : QString::fromUtf8(header.second)) + u'\n';
    }
    HttpHeaders requestHeaders;
    for (const HttpHeaders::Entry &header : m_plan->headers)
        requestHeaders.add(header.first, header.second);
    if (!m_plan->body.isEmpty())
        sent += u'\n' + BodyFormatter::format(m_plan->body, requestHeaders.value("content-type"),
                                              m_plan->body.size());
    m_request->setPlainText(sent);
    m_notes->setText(m_plan->notes.join(u'\n'));
    m_notes->setVisible(!m_plan->notes.isEmpty());
}

void ReplayDialog::send()
{
    if (!m_plan)
        return;
    if (m_gateway->state() != Gateway::State::Running) {
        m_status->setText(tr("The gateway is not running; start it to replay requests."));
        return;
    }
    m_sendButton->setEnabled(false);
    m_status->setText(
        tr("Sending %1 %2 …").arg(QString::fromLatin1(m_plan->method), m_plan->url.toString()));
    m_response->clear();
    m_replay->start(*m_plan);
}

void ReplayDialog::showAnswer()
{
    m_sendButton->setEnabled(true);
    if (m_replay->state() == RequestReplay::State::Failed) {
        m_status->setText(tr("No answer: %1").arg(m_replay->errorMessage()));
        Q_EMIT shown();
        return;
    }
    m_status->setText(
        tr("HTTP %1 %2 in %3")
            .arg(m_replay->status())
            .arg(m_replay->reason(), TrafficModel::formatDuration(double(m_replay->elapsedMs()))));
    const HttpHeaders headers = m_replay->responseHeaders();
    const QByteArray body = m_replay->responseBody();
    whenFinished(QtConcurrent::run([headers, body] {
                     return BodyFormatter::headers(headers) + u'\n' +
                            BodyFormatter::format(body, headers.value("content-type"), body.size());
                 }),
                 this, [this](const QString &text) {
                     m_response->setPlainText(text);
                     Q_EMIT shown();
                 });
}

} // namespace gh
