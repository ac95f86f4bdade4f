#include "TestRequestDialog.h"

#include "Gateway.h"
#include "RouteForm.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace gh {

namespace {

constexpr int TimeoutMs = 30000;

QPlainTextEdit *textEdit(const QString &objectName, int lines, bool readOnly, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setReadOnly(readOnly);
    edit->setTabChangesFocus(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setMinimumHeight(edit->fontMetrics().lineSpacing() * lines + 8);
    return edit;
}

void setTextColor(QLabel *label, const QColor &color)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, color);
    label->setPalette(palette);
}

} // namespace

TestRequestDialog::TestRequestDialog(Gateway *gateway, const QJsonObject &route, QWidget *parent)
    : QDialog(parent)
    , m_gateway(gateway)
    , m_network(new QNetworkAccessManager(this))
    , m_method(new QComboBox(this))
    , m_path(new QLineEdit(this))
    , m_headers(textEdit(QStringLiteral("headersEdit"), 3, false, this))
    , m_requestBody(textEdit(QStringLiteral("bodyEdit"), 3, false, this))
    , m_unavailable(new QLabel(this))
    , m_requestError(new QLabel(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_status(new QLabel(this))
    , m_latency(new QLabel(this))
    , m_responseHeaders(textEdit(QStringLiteral("responseHeadersView"), 6, true, this))
    , m_responseBody(textEdit(QStringLiteral("responseBodyView"), 8, true, this))
{
    setObjectName(QStringLiteral("testRequestDialog"));
    const QString routeName = route.value(QStringLiteral("name")).toString();
    setWindowTitle(tr("Test Request: %1").arg(routeName));
    // The gateway is on this machine: a system proxy must not get in between.
    m_network->setProxy(QNetworkProxy::NoProxy);

    const QJsonObject match = route.value(QStringLiteral("match")).toObject();
    const QJsonArray methods = match.value(QStringLiteral("methods")).toArray();
    const QJsonArray paths = match.value(QStringLiteral("paths")).toArray();
    const QJsonArray hosts = match.value(QStringLiteral("hosts")).toArray();

    m_method->setObjectName(QStringLiteral("methodCombo"));
    m_method->setEditable(true);
    m_method->addItems(RouteForm::methods());
    m_method->setCurrentText(methods.isEmpty() ? QStringLiteral("GET")
                                               : methods.first().toString());
    m_path->setObjectName(QStringLiteral("pathEdit"));
    m_path->setText(paths.isEmpty() ? QStringLiteral("/") : paths.first().toString());
    m_path->setToolTip(
        tr("Path and query, sent to %1").arg(gateway ? gateway->gatewayUrl() : QString()));

    QStringList headerLines;
    const QString host = hosts.isEmpty() ? QString() : hosts.first().toString();
    if (!host.isEmpty() && !host.startsWith(QLatin1String("*.")))
        headerLines.append(QStringLiteral("Host: ") + host);
    m_headers->setPlainText(headerLines.join(QLatin1Char('\n')));
    m_headers->setPlaceholderText(route.value(QStringLiteral("auth")).toString() ==
                                          QLatin1String("none")
                                      ? tr("One per line, e.g. Accept: application/json")
                                      : tr("One per line, e.g. x-api-key: YOUR-CONSUMER-KEY"));
    m_requestBody->setPlaceholderText(tr("Optional request body"));
    for (QPlainTextEdit *edit : {m_headers, m_requestBody})
        edit->setMaximumHeight(edit->minimumHeight());

    m_unavailable->setObjectName(QStringLiteral("gatewayNotRunningLabel"));
    m_unavailable->setWordWrap(true);
    m_unavailable->setText(tr("The gateway is not running, so there is nothing to send the "
                              "request to. Start it on the Overview page."));
    setTextColor(m_unavailable, QColor(0xc2, 0x6a, 0x00));
    m_requestError->setObjectName(QStringLiteral("requestError"));
    m_requestError->setWordWrap(true);
    m_requestError->hide();
    setTextColor(m_requestError, QColor(0xd9, 0x30, 0x25));
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setDefault(true);

    m_status->setObjectName(QStringLiteral("responseStatusLabel"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);
    m_latency->setObjectName(QStringLiteral("latencyLabel"));
    m_latency->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *requestLine = new QHBoxLayout;
    requestLine->addWidget(m_method);
    requestLine->addWidget(m_path, 1);
    auto *request = new QFormLayout;
    request->addRow(tr("Request:"), requestLine);
    request->addRow(tr("Headers:"), m_headers);
    request->addRow(tr("Body:"), m_requestBody);
    auto *sendLine = new QHBoxLayout;
    sendLine->addWidget(m_send);
    sendLine->addWidget(m_requestError, 1);
    sendLine->addStretch();

    auto *response = new QGroupBox(tr("Response"), this);
    auto *responseLayout = new QFormLayout(response);
    responseLayout->addRow(tr("Status:"), m_status);
    responseLayout->addRow(tr("Latency:"), m_latency);
    responseLayout->addRow(tr("Headers:"), m_responseHeaders);
    responseLayout->addRow(tr("Body:"), m_responseBody);

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(request);
    layout->addWidget(m_unavailable);
    layout->addLayout(sendLine);
    layout->addWidget(response, 1);
    layout->addWidget(close);
    resize(680, 660);

    connect(m_send, &QPushButton::clicked, this, &TestRequestDialog::send);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (gateway)
        connect(gateway, &Gateway::stateChanged, this, &TestRequestDialog::updateAvailability);
    updateAvailability();
}

TestRequestDialog::~TestRequestDialog()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

bool TestRequestDialog::parseHeaders(const QString &text,
                                     QList<QPair<QByteArray, QByteArray>> *headers, QString *error)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        const QString name = line.left(colon).trimmed();
        if (colon <= 0 || name.contains(QLatin1Char(' '))) {
            *error = tr("Header line %1 is not “Name: value”.").arg(i + 1);
            return false;
        }
        headers->append({name.toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    return true;
}

QString TestRequestDialog::bodyText(const QByteArray &body, qint64 totalBytes)
{
    QString text;
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(body, &parseError);
    if (body.isEmpty())
        text = tr("(empty)");
    else if (parseError.error == QJsonParseError::NoError)
        text = QString::fromUtf8(json.toJson(QJsonDocument::Indented));
    else if (body.contains('\0'))
        text = tr("(%n byte(s) of binary data)", nullptr, int(body.size()));
    else
        text = QString::fromUtf8(body);
    if (totalBytes > body.size())
        text +=
            QLatin1Char('\n') +
            tr("… (showing the first %1 KiB of %2 bytes)").arg(body.size() / 1024).arg(totalBytes);
    return text;
}

void TestRequestDialog::send()
{
    if (m_reply || !m_gateway || m_gateway->state() != Gateway::State::Running)
        return;
    m_requestError->hide();
    QList<QPair<QByteArray, QByteArray>> headers;
    QString error;
    if (!parseHeaders(m_headers->toPlainText(), &headers, &error)) {
        m_requestError->setText(error);
        m_requestError->show();
        return;
    }
    QString path = m_path->text().trimmed();
    if (!path.startsWith(QLatin1Char('/')))
        path.prepend(QLatin1Char('/'));
    const QUrl url(m_gateway->gatewayUrl() + path, QUrl::TolerantMode);
    if (!url.isValid()) {
        m_requestError->setText(tr("“%1” is not a valid path.").arg(path));
        m_requestError->show();
        return;
    }

    QNetworkRequest request(url);
    request.setTransferTimeout(TimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    bool hasContentType = false;
    for (const auto &[name, value] : std::as_const(headers)) {
        request.setRawHeader(name, value);
        hasContentType |= name.compare("content-type", Qt::CaseInsensitive) == 0;
    }
    const QByteArray body = m_requestBody->toPlainText().toUtf8();
    if (!body.isEmpty() && !hasContentType) {
        const bool isJson = !QJsonDocument::fromJson(body).isNull();
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          isJson ? QStringLiteral("application/json")
                                 : QStringLiteral("text/plain; charset=utf-8"));
    }

    m_body.clear();
    m_totalBytes = 0;
    m_status->setText(tr("Sending…"));
    m_latency->clear();
    m_responseHeaders->clear();
    m_responseBody->clear();
    setRunning(true);
    m_timer.start();
    m_reply =
        m_network->sendCustomRequest(request, m_method->currentText().trimmed().toLatin1(), body);
    connect(m_reply, &QNetworkReply::readyRead, this, &TestRequestDialog::readBody);
    connect(m_reply, &QNetworkReply::finished, this, &TestRequestDialog::finished);
}

void TestRequestDialog::readBody()
{
    if (!m_reply)
        return;
    const QByteArray chunk = m_reply->readAll();
    m_totalBytes += chunk.size();
    if (m_body.size() < MaxBodyBytes)
        m_body.append(chunk.left(MaxBodyBytes - m_body.size()));
}

void TestRequestDialog::finished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    const double elapsedMs = double(m_timer.nsecsElapsed()) / 1e6;
    readBody();
    m_reply = nullptr;
    reply->deleteLater();
    setRunning(false);

    const QVariant code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!code.isValid()) {
        m_status->setText(tr("No response: %1").arg(reply->errorString()));
        setTextColor(m_status, QColor(0xd9, 0x30, 0x25));
        m_latency->setText(tr("%1 ms").arg(elapsedMs, 0, 'f', 1));
        return;
    }
    const int status = code.toInt();
    const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    m_status->setText(QStringLiteral("%1 %2").arg(status).arg(reason).trimmed());
    setTextColor(m_status, status < 400 ? QColor(0x1e, 0x8e, 0x3e) : QColor(0xd9, 0x30, 0x25));

    QStringList lines;
    const auto pairs = reply->rawHeaderPairs();
    for (const auto &[name, value] : pairs)
        lines.append(QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromUtf8(value));
    m_responseHeaders->setPlainText(lines.join(QLatin1Char('\n')));

    const QByteArray overhead = reply->rawHeader("x-gatehouse-overhead-us");
    m_latency->setText(overhead.isEmpty() ? tr("%1 ms").arg(elapsedMs, 0, 'f', 1)
                                          : tr("%1 ms, of which %2 µs inside the gateway")
                                                .arg(elapsedMs, 0, 'f', 1)
                                                .arg(QString::fromLatin1(overhead)));
    m_responseBody->setPlainText(bodyText(m_body, m_totalBytes));
}

void TestRequestDialog::setRunning(bool running)
{
    m_send->setText(running ? tr("Sending…") : tr("Send"));
    updateAvailability();
}

void TestRequestDialog::updateAvailability()
{
    const bool running = m_gateway && m_gateway->state() == Gateway::State::Running;
    m_unavailable->setVisible(!running);
    m_send->setEnabled(running && !m_reply);
}

} // namespace gh
