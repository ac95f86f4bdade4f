#include "RequestReplay.h"

#include "log/Redaction.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

namespace gh {

namespace {

// The connection's own headers: QNetworkAccessManager writes them for the new request.
bool isConnectionHeader(const QByteArray &name)
{
    static const QList<QByteArray> names{
        "host",    "content-length", "transfer-encoding", "connection", "keep-alive",     "te",
        "trailer", "upgrade",        "proxy-connection",  "expect",     "accept-encoding"};
    return names.contains(name.toLower());
}

bool isKeyHeader(const QByteArray &name)
{
    const QByteArray lower = name.toLower();
    return lower == "authorization" || lower == "x-api-key" || lower == "api-key" ||
           lower == "x-goog-api-key";
}

} // namespace

RequestReplay::RequestReplay(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{}

RequestReplay::~RequestReplay()
{
    abort();
}

bool RequestReplay::wasKeyed(const RequestRecord &record)
{
    return !record.consumer.isEmpty() || !record.provider.isEmpty() || !record.model.isEmpty() ||
           !record.promptApi.isEmpty();
}

std::optional<ReplayPlan> RequestReplay::plan(const RequestRecord &record,
                                              const QString &gatewayUrl,
                                              const QByteArray &desktopKey, QString *refusal)
{
    const QByteArray mask(Redaction::Mask);
    if (record.method.isEmpty() || !record.path.startsWith('/')) {
        *refusal = tr("The log has no usable request line for this request.");
        return std::nullopt;
    }
    if (record.bytesIn > 0 && record.requestBody.isEmpty()) {
        *refusal = tr("The request had a body of %n byte(s), but bodies were not captured "
                      "(settings.log_bodies is off), so it cannot be replayed.",
                      nullptr, int(qMin<qint64>(record.bytesIn, INT_MAX)));
        return std::nullopt;
    }
    if (record.requestBody.contains(mask)) {
        *refusal = tr("The request body had secrets masked in the log; replaying it would send "
                      "\"%1\" in their place.")
                       .arg(QString::fromLatin1(mask));
        return std::nullopt;
    }
    if (record.requestBody.size() < record.bytesIn) {
        *refusal = tr("Only the first %1 of %2 bytes of the request body were captured; "
                      "replaying it would send a different request.")
                       .arg(record.requestBody.size())
                       .arg(record.bytesIn);
        return std::nullopt;
    }

    ReplayPlan plan;
    plan.method = record.method;
    plan.body = record.requestBody;
    const bool keyed = wasKeyed(record) && !desktopKey.isEmpty();

    QString base = gatewayUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    QUrl url(base + QString::fromUtf8(record.path));
    if (url.hasQuery()) {
        QUrlQuery query(url);
        QUrlQuery kept;
        for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (value.contains(QLatin1String(Redaction::Mask))) {
                plan.notes.append(
                    tr("Query parameter %1 was masked in the log and is left out.").arg(name));
                continue;
            }
            kept.addQueryItem(name, value);
        }
        url.setQuery(kept);
    }
    plan.url = url;

    bool keySent = false;
    for (const HttpHeaders::Entry &header : record.requestHeaders.entries()) {
        if (isConnectionHeader(header.first))
            continue;
        if (header.second.contains(mask)) {
            if (keyed && isKeyHeader(header.first) && !keySent) {
                const bool bearer = header.first.toLower() == "authorization";
                plan.headers.append({header.first, bearer ? "Bearer " + desktopKey : desktopKey});
                keySent = true;
                continue;
            }
            plan.notes.append(tr("Header %1 was masked in the log and is left out.")
                                  .arg(QString::fromLatin1(header.first)));
            continue;
        }
        plan.headers.append(header);
    }
    if (keyed && !keySent)
        plan.headers.append({"Authorization", "Bearer " + desktopKey});
    if (keyed) {
        plan.usesDesktopKey = true;
        plan.notes.append(tr("Sent with the desktop app's own key (consumer gatehouse-desktop), "
                             "not the original caller's."));
    }
    if (record.requestHeaders.isEmpty())
        plan.notes.append(tr("Headers were not captured (settings.log_bodies is off); only the "
                             "method, path and key are sent."));
    return plan;
}

void RequestReplay::start(const ReplayPlan &plan)
{
    abort();
    m_state = State::Running;
    m_status = 0;
    m_reason.clear();
    m_headers.clear();
    m_body.clear();
    m_error.clear();
    m_elapsedMs = -1;

    QNetworkRequest request(plan.url);
    for (const HttpHeaders::Entry &header : plan.headers)
        request.setRawHeader(header.first, header.second);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    // Show the answer as the gateway gave it: no redirect following.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    m_clock.start();
    m_reply = m_network->sendCustomRequest(request, plan.method, plan.body);
    connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        const QByteArray chunk = m_reply->readAll();
        if (m_body.size() < MaxBodyBytes)
            m_body += chunk.left(MaxBodyBytes - m_body.size());
    });
    connect(m_reply, &QNetworkReply::finished, this, &RequestReplay::replyFinished);
}

void RequestReplay::abort()
{
    if (QNetworkReply *reply = m_reply) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_reply = nullptr;
}

void RequestReplay::replyFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    if (!reply)
        return;
    reply->deleteLater();
    m_elapsedMs = m_clock.elapsed();
    const QByteArray rest = reply->readAll();
    if (m_body.size() < MaxBodyBytes)
        m_body += rest.left(MaxBodyBytes - m_body.size());
    m_status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    for (const QNetworkReply::RawHeaderPair &pair : reply->rawHeaderPairs())
        m_headers.add(pair.first, pair.second);
    // An HTTP error status is an answer too; only no answer at all is a failure.
    if (m_status == 0) {
        m_error = reply->errorString();
        m_state = State::Failed;
    } else {
        m_state = State::Finished;
    }
    Q_EMIT finished();
}

} // namespace gh
