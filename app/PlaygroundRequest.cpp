#include "PlaygroundRequest.h"

#include "ai/OpenAiChatCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace gh {

namespace {

// An error body is shown, not stored: a little is enough to read what went wrong.
constexpr qsizetype MaxErrorBodyBytes = 64 * 1024;

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

} // namespace

PlaygroundRequest::PlaygroundRequest(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{}

PlaygroundRequest::~PlaygroundRequest()
{
    if (QNetworkReply *reply = m_reply) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

QJsonObject PlaygroundRequest::body(const PlaygroundParams &params)
{
    QJsonArray messages;
    if (!params.system.isEmpty())
        messages.append(QJsonObject{{key("role"), key("system")}, {key("content"), params.system}});
    messages.append(QJsonObject{{key("role"), key("user")}, {key("content"), params.prompt}});
    QJsonObject body{{key("model"), params.model}, {key("messages"), messages}};
    if (params.temperature)
        body.insert(key("temperature"), *params.temperature);
    if (params.maxTokens)
        body.insert(key("max_tokens"), *params.maxTokens);
    if (params.topP)
        body.insert(key("top_p"), *params.topP);
    if (params.stream) {
        body.insert(key("stream"), true);
        body.insert(key("stream_options"), QJsonObject{{key("include_usage"), true}});
    }
    return body;
}

QString PlaygroundRequest::describeError(int status, const QString &reason, const QByteArray &body)
{
    QString message;
    QStringList details;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonValue error = doc.object().value(key("error"));
    if (error.isObject()) {
        // OpenAI {"error":{"message","type","code"}}; Anthropic {"type":"error","error":{…}}.
        const QJsonObject object = error.toObject();
        message = object.value(key("message")).toString();
        for (const char *field : {"type", "code"}) {
            const QJsonValue value = object.value(key(field));
            const QString text =
                value.isDouble() ? QString::number(value.toDouble()) : value.toString();
            if (!text.isEmpty() && !details.contains(text))
                details.append(text);
        }
    } else if (error.isString()) {
        message = error.toString();
    } else if (!doc.isObject()) {
        message = QString::fromUtf8(body.left(2000)).trimmed();
    }
    if (message.isEmpty() && doc.isObject())
        message = QString::fromUtf8(QJsonDocument(doc.object()).toJson(QJsonDocument::Indented))
                      .trimmed();
    QString text;
    if (status > 0)
        text = reason.isEmpty() ? QStringLiteral("HTTP %1").arg(status)
                                : QStringLiteral("HTTP %1 %2").arg(status).arg(reason);
    if (!message.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral(": ")) + message;
    if (!details.isEmpty())
        text += QStringLiteral(" (%1)").arg(details.join(QStringLiteral(", ")));
    return text;
}

void PlaygroundRequest::start(const QString &gatewayUrl, const QByteArray &apiKey,
                              const PlaygroundParams &params)
{
    start(gatewayUrl, apiKey, body(params));
}

void PlaygroundRequest::start(const QString &gatewayUrl, const QByteArray &apiKey,
                              const QJsonObject &requestBody)
{
    stop();
    m_parser.reset();
    m_stream = requestBody.value(key("stream")).toBool();
    m_eventStream = false;
    m_done = false;
    m_body.clear();
    m_text.clear();
    m_error.clear();
    m_status = 0;
    m_usage = {};
    m_provider.clear();
    m_upstreamModel.clear();
    m_finishReason.clear();
    m_firstTokenMs = -1;
    m_totalMs = -1;

    QString base = gatewayUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    QNetworkRequest request(QUrl(base + QStringLiteral("/v1/chat/completions")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("accept", m_stream ? "text/event-stream" : "application/json");
    if (!apiKey.isEmpty())
        request.setRawHeader("authorization", "Bearer " + apiKey);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    // Events must reach the pane as they come, not when a buffer fills.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);

    m_state = State::Running;
    m_clock.start();
    m_reply = m_network->post(request, QJsonDocument(requestBody).toJson(QJsonDocument::Compact));
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &PlaygroundRequest::readHeaders);
    connect(m_reply, &QNetworkReply::readyRead, this, &PlaygroundRequest::readBody);
    connect(m_reply, &QNetworkReply::finished, this, &PlaygroundRequest::replyFinished);
}

void PlaygroundRequest::stop()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
    if (m_state == State::Running)
        finish(State::Stopped);
}

void PlaygroundRequest::readHeaders()
{
    if (m_reply)
        readHeadersFrom(m_reply);
}

void PlaygroundRequest::readHeadersFrom(QNetworkReply *reply)
{
    m_status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_provider = QString::fromUtf8(reply->rawHeader("x-gatehouse-provider"));
    m_upstreamModel = QString::fromUtf8(reply->rawHeader("x-gatehouse-model"));
    const QByteArray type = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    m_eventStream = m_status >= 200 && m_status < 300 &&
                    type.trimmed().toLower().startsWith("text/event-stream");
}

void PlaygroundRequest::readBody()
{
    if (!m_reply)
        return;
    if (m_status == 0)
        readHeadersFrom(m_reply);
    consume(m_reply->readAll());
}

void PlaygroundRequest::consume(const QByteArray &data)
{
    if (!m_eventStream) {
        if (m_body.size() < MaxErrorBodyBytes || (m_status >= 200 && m_status < 300))
            m_body += data;
        return;
    }
    const QList<SseEvent> events = m_parser.feed(data);
    for (const SseEvent &event : events) {
        handleEvent(event);
        if (m_state != State::Running)
            return;
    }
    if (m_parser.hasError())
        finish(State::Failed, tr("The gateway sent an event larger than the Playground reads."));
}

void PlaygroundRequest::handleEvent(const SseEvent &event)
{
    if (event.data == "[DONE]") {
        m_done = true;
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(event.data, &parseError);
    if (!doc.isObject()) {
        finish(State::Failed, tr("The gateway sent an event that is not a JSON object: %1")
                                  .arg(QString::fromUtf8(event.data.left(300))));
        return;
    }
    const QJsonObject chunk = doc.object();
    if (chunk.contains(key("error")) || event.event == "error") {
        finish(State::Failed, describeError(0, {}, event.data));
        return;
    }
    handleChunk(chunk);
}

void PlaygroundRequest::handleChunk(const QJsonObject &chunk)
{
    const QJsonArray choices = chunk.value(key("choices")).toArray();
    if (!choices.isEmpty()) {
        const QJsonObject choice = choices.first().toObject();
        // delta in a stream, message in a whole answer.
        const QJsonObject part = choice.contains(key("delta"))
                                     ? choice.value(key("delta")).toObject()
                                     : choice.value(key("message")).toObject();
        appendText(part.value(key("content")).toString());
        const QJsonValue reason = choice.value(key("finish_reason"));
        if (reason.isString())
            m_finishReason = reason.toString();
    }
    const QJsonValue usage = chunk.value(key("usage"));
    if (usage.isObject())
        m_usage = OpenAiChatCodec::parseUsage(usage.toObject());
}

void PlaygroundRequest::appendText(const QString &delta)
{
    if (delta.isEmpty())
        return;
    if (m_firstTokenMs < 0)
        m_firstTokenMs = m_clock.elapsed();
    m_text += delta;
    Q_EMIT textReceived(delta);
}

void PlaygroundRequest::replyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    if (m_status == 0)
        readHeadersFrom(reply);
    consume(reply->readAll()); // whatever is left
    if (m_state != State::Running)
        return;

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        if (reply->error() == QNetworkReply::ConnectionRefusedError)
            return finish(State::Failed, tr("The gateway is not running: connection refused at "
                                            "%1.")
                                             .arg(reply->url().toString(QUrl::RemovePath)));
        return finish(State::Failed,
                      tr("No answer from the gateway: %1").arg(reply->errorString()));
    }
    m_status = status.toInt();
    if (m_status < 200 || m_status >= 300) {
        const QString reason =
            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        return finish(State::Failed, describeError(m_status, reason, m_body));
    }
    if (m_eventStream) {
        if (m_parser.finish() || !m_done)
            return finish(State::Failed, tr("The answer was cut off: the stream ended without "
                                            "[DONE]."));
        return finish(State::Completed);
    }
    // A whole answer (stream off, or a server that does not stream).
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(m_body, &parseError);
    if (!doc.isObject())
        return finish(State::Failed,
                      tr("The answer is not JSON: %1").arg(QString::fromUtf8(m_body.left(300))));
    if (doc.object().contains(key("error")))
        return finish(State::Failed, describeError(m_status, {}, m_body));
    handleChunk(doc.object());
    finish(State::Completed);
}

void PlaygroundRequest::finish(State state, const QString &error)
{
    if (m_state != State::Running)
        return;
    if (QNetworkReply *reply = m_reply) {
        // Failed mid-stream: the rest of the answer is not wanted.
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_totalMs = m_clock.elapsed();
    m_state = state;
    m_error = error;
    Q_EMIT finished();
}

} // namespace gh
