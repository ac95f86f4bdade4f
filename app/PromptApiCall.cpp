#include "PromptApiCall.h"

#include "Gateway.h"
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

// The prompt API answer's usage object (docs/prompt-apis.md "The answer").
ChatUsage usageFrom(const QJsonObject &usage)
{
    ChatUsage result;
    result.present = !usage.isEmpty();
    result.input = usage.value(key("input_tokens")).toInteger();
    result.output = usage.value(key("output_tokens")).toInteger();
    result.cachedInput = usage.value(key("cached_input_tokens")).toInteger();
    result.cacheCreationInput = usage.value(key("cache_creation_input_tokens")).toInteger();
    result.reasoning = usage.value(key("reasoning_tokens")).toInteger();
    return result;
}

QString errorParam(const QByteArray &body)
{
    return QJsonDocument::fromJson(body)
        .object()
        .value(key("error"))
        .toObject()
        .value(key("param"))
        .toString();
}

} // namespace

PromptApiCall::PromptApiCall(Gateway *gateway, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_gateway(gateway)
    , m_network(network)
    , m_chat(new PlaygroundRequest(network, this))
{
    connect(m_chat, &PlaygroundRequest::textReceived, this, &PromptApiCall::appendText);
    connect(m_chat, &PlaygroundRequest::finished, this, &PromptApiCall::renderedFinished);
}

PromptApiCall::~PromptApiCall()
{
    if (QNetworkReply *reply = m_reply) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void PromptApiCall::reset()
{
    m_parser.reset();
    m_eventStream = false;
    m_done = false;
    m_body.clear();
    m_text.clear();
    m_output = QJsonValue();
    m_model.clear();
    m_usage = {};
    m_cost.reset();
    m_finishReason.clear();
    m_status = 0;
    m_error.clear();
    m_inputError.clear();
    m_firstTokenMs = -1;
    m_totalMs = -1;
    m_requestPath.clear();
    m_requestBody = {};
}

void PromptApiCall::start(Mode mode, const QJsonObject &definition, const QJsonObject &inputs)
{
    stop();
    reset();
    m_mode = mode;
    m_api = CompiledPromptApi::compile(definition, 0);
    m_json = m_api.outputFormat == CompiledPromptApi::OutputFormat::Json;
    m_state = State::Running;
    m_clock.start();
    if (!m_gateway || m_gateway->state() != Gateway::State::Running)
        return finish(State::Failed, tr("The gateway is not running: start it to try the "
                                        "prompt API."));

    // The inputs as the gateway checks them, so a refusal names the field before a call.
    ChatResult<CompiledPromptApi::Call> call = m_api.buildRequest(inputs, true);
    if (!call.isOk()) {
        m_inputError = call.error().param;
        return finish(State::Failed, call.error().message);
    }
    if (mode == Mode::Endpoint)
        startEndpoint(definition, inputs);
    else
        startRendered(call.value());
}

void PromptApiCall::startEndpoint(const QJsonObject &definition, const QJsonObject &inputs)
{
    m_requestPath = definition.value(key("path")).toString();
    m_requestBody = inputs;
    m_requestBody.insert(key("stream"), true);
    QString base = m_gateway->gatewayUrl();
    while (base.endsWith(u'/'))
        base.chop(1);
    QNetworkRequest request(QUrl(base + m_requestPath));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("accept", "text/event-stream");
    request.setRawHeader("authorization", "Bearer " + m_gateway->desktopKey());
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    m_reply = m_network->post(request, QJsonDocument(m_requestBody).toJson(QJsonDocument::Compact));
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &PromptApiCall::readHeaders);
    connect(m_reply, &QNetworkReply::readyRead, this, &PromptApiCall::readBody);
    connect(m_reply, &QNetworkReply::finished, this, &PromptApiCall::replyFinished);
}

void PromptApiCall::startRendered(const CompiledPromptApi::Call &call)
{
    ChatResult<QJsonObject> body = OpenAiChatCodec::writeRequest(call.request);
    if (!body.isOk())
        return finish(
            State::Failed,
            tr("The prompt API's request cannot be written: %1").arg(body.error().message));
    m_requestPath = QStringLiteral("/v1/chat/completions");
    m_requestBody = body.value();
    m_model = call.request.model;
    m_chat->start(m_gateway->gatewayUrl(), m_gateway->desktopKey(), m_requestBody);
}

void PromptApiCall::renderedFinished()
{
    if (m_state != State::Running || m_mode != Mode::Rendered)
        return;
    m_status = m_chat->httpStatus();
    m_usage = m_chat->usage();
    if (!m_chat->upstreamModel().isEmpty())
        m_model = m_chat->upstreamModel();
    m_finishReason = m_chat->finishReason();
    if (m_chat->state() == PlaygroundRequest::State::Stopped)
        return finish(State::Stopped);
    if (m_chat->state() != PlaygroundRequest::State::Completed)
        return finish(State::Failed, m_chat->errorMessage());
    if (m_gateway && !m_chat->provider().isEmpty())
        m_cost = m_gateway->aiCost(m_chat->provider(), m_chat->upstreamModel(), m_usage);
    // What the prompt API would answer: the text, or the JSON checked against the schema.
    const ChatResult<QJsonValue> output =
        m_api.output(m_text, m_finishReason == QLatin1String("length"));
    if (!output.isOk())
        return finish(State::Failed, output.error().message);
    m_output = output.value();
    finish(State::Completed);
}

void PromptApiCall::stop()
{
    if (m_mode == Mode::Rendered && m_chat->isRunning()) {
        m_chat->stop(); // finishes through renderedFinished
        return;
    }
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

void PromptApiCall::readHeaders()
{
    if (!m_reply)
        return;
    m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray type = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    m_eventStream = m_status >= 200 && m_status < 300 &&
                    type.trimmed().toLower().startsWith("text/event-stream");
}

void PromptApiCall::readBody()
{
    if (!m_reply)
        return;
    if (m_status == 0)
        readHeaders();
    const QByteArray data = m_reply->readAll();
    if (!m_eventStream) {
        if (m_body.size() < MaxErrorBodyBytes)
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
        finish(State::Failed, tr("The gateway sent an event larger than the editor reads."));
}

void PromptApiCall::handleEvent(const SseEvent &event)
{
    const QJsonDocument doc = QJsonDocument::fromJson(event.data);
    if (!doc.isObject())
        return finish(State::Failed, tr("The gateway sent an event that is not a JSON object: %1")
                                         .arg(QString::fromUtf8(event.data.left(300))));
    const QJsonObject data = doc.object();
    if (event.event == "start") {
        m_model = data.value(key("model")).toString();
    } else if (event.event == "delta") {
        appendText(data.value(key("text")).toString());
    } else if (event.event == "done") {
        m_done = true;
        m_output = data.value(key("output"));
        m_model = data.value(key("model")).toString(m_model);
        m_finishReason = data.value(key("finish_reason")).toString();
        m_usage = usageFrom(data.value(key("usage")).toObject());
        const QJsonValue cost = data.value(key("cost_usd"));
        if (cost.isDouble())
            m_cost = cost.toDouble();
        finish(State::Completed);
    } else if (event.event == "error") {
        m_inputError = errorParam(event.data);
        finish(State::Failed, PlaygroundRequest::describeError(0, {}, event.data));
    }
}

void PromptApiCall::appendText(const QString &delta)
{
    if (delta.isEmpty())
        return;
    if (m_firstTokenMs < 0)
        m_firstTokenMs = m_clock.elapsed();
    m_text += delta;
    Q_EMIT textReceived(delta);
}

void PromptApiCall::replyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    readBody(); // whatever is left
    m_reply = nullptr;
    reply->deleteLater();
    if (m_state != State::Running)
        return;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return finish(State::Failed,
                      tr("No answer from the gateway: %1").arg(reply->errorString()));
    m_status = status.toInt();
    if (m_status < 200 || m_status >= 300) {
        m_inputError = m_status == 400 ? errorParam(m_body) : QString();
        const QString reason =
            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        return finish(State::Failed, PlaygroundRequest::describeError(m_status, reason, m_body));
    }
    if (!m_eventStream)
        return finish(State::Failed, tr("The gateway did not stream the answer: %1")
                                         .arg(QString::fromUtf8(m_body.left(300))));
    finish(State::Failed, tr("The answer was cut off: the stream ended without a done event."));
}

void PromptApiCall::finish(State state, const QString &error)
{
    if (m_state != State::Running)
        return;
    if (QNetworkReply *reply = m_reply) {
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
