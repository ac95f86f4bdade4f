#include "AiCall.h"

#include "GatewayHandler.h"
#include "ai/AiCatalog.h"
#include "ai/AnthropicMessagesCodec.h"
#include "ai/ChatStreamTranslator.h"
#include "ai/OpenAiChatCodec.h"
#include "ai/OpenAiEmbeddingsCodec.h"
#include "cache/AiCacheKey.h"
#include "cache/ResponseCache.h"
#include "http/HttpExchange.h"
#include "http/UpstreamConnection.h"
#include "http/UpstreamPool.h"
#include "log/RequestRecord.h"
#include "policy/RateLimitGrant.h"
#include "prompt/CompiledPromptApi.h"
#include "prompt/PromptStreamEncoder.h"
#include "routing/ConfigSnapshot.h"
#include "routing/WorkerConfig.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace gh {

namespace {

// Statuses after which another target or a fallback model may succeed (SPEC §3 models).
bool isRetriableStatus(int status)
{
    return status == 408 || status == 429 || status >= 500;
}

ChatError fromUpstreamError(UpstreamError error, const CompiledProvider &provider,
                            const QString &message)
{
    const bool timeout =
        error == UpstreamError::ConnectTimeout || error == UpstreamError::ReadTimeout;
    return {timeout ? ChatError::Kind::Timeout : ChatError::Kind::BadGateway,
            QStringLiteral("provider %1: %2").arg(provider.name, message),
            {}};
}

} // namespace

AiCall::AiCall(HttpExchange *exchange, std::shared_ptr<WorkerConfig> config, Endpoint endpoint,
               QString consumer, QByteArray requestId, UpstreamPool &pool, QRandomGenerator &random)
    : m_exchange(exchange)
    , m_config(std::move(config))
    , m_endpoint(endpoint)
    , m_dialect(dialect(endpoint))
    , m_consumer(std::move(consumer))
    , m_requestId(std::move(requestId))
    , m_pool(pool)
    , m_random(random)
{
    m_catalog = &m_config->snapshot().ai();
    m_segmentStartNs = exchange->startNs();
    connect(exchange, &HttpExchange::clientClosed, this, &AiCall::onClientClosed);
}

AiCall::~AiCall()
{
    releaseConnection();
}

QJsonObject AiCall::errorBody(ChatDialect dialect, const ChatError &error)
{
    return dialect == ChatDialect::Anthropic ? AnthropicMessagesCodec::errorBody(error)
                                             : OpenAiChatCodec::errorBody(error);
}

int AiCall::errorStatus(ChatDialect dialect, const ChatError &error)
{
    return dialect == ChatDialect::Anthropic ? AnthropicMessagesCodec::httpStatus(error)
                                             : OpenAiChatCodec::httpStatus(error);
}

void AiCall::start()
{
    if (!m_exchange->hasBody()) {
        onRequestBody();
        return;
    }
    if (!m_exchange->setBodyLimit(MaxRequestBytes)) {
        finish(); // 413 answered
        return;
    }
    m_exchange->setBodyReceiver(
        [this](QByteArrayView data) {
            if (m_requestTooLarge)
                return;
            if (m_requestBody.size() + data.size() > MaxRequestBytes) {
                m_requestTooLarge = true; // chunked bodies: no length to refuse up front
                m_requestBody.clear();
                return;
            }
            m_requestBody.append(data.data(), data.size());
        },
        [this] { onRequestBody(); });
}

void AiCall::onRequestBody()
{
    if (!m_exchange) {
        finish();
        return;
    }
    if (m_requestTooLarge) {
        answerError(
            {ChatError::Kind::RequestTooLarge,
             QStringLiteral("the request body is larger than %1 bytes").arg(MaxRequestBytes),
             {}});
        return;
    }
    QJsonParseError parseError{};
    // A prompt API whose inputs are all optional may be called without a body.
    const QJsonDocument doc = m_prompt && m_requestBody.trimmed().isEmpty()
                                  ? QJsonDocument(QJsonObject())
                                  : QJsonDocument::fromJson(m_requestBody, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        answerError(ChatError::invalid(
            {}, m_requestBody.isEmpty() ? QStringLiteral("the request needs a JSON body")
                : parseError.error == QJsonParseError::NoError
                    ? QStringLiteral("the body must be a JSON object, not an array")
                    : QStringLiteral("the body is not a JSON object: %1 at offset %2")
                          .arg(parseError.errorString())
                          .arg(parseError.offset)));
        return;
    }
    if (!parseRequest(doc.object()))
        return;

    const CompiledModel *model = m_catalog->model(m_publicModel);
    if (!model) {
        answerError({ChatError::Kind::NotFound,
                     QStringLiteral(
                         "model %1 is not configured in this gateway (GET /v1/models lists them)")
                         .arg(m_publicModel),
                     QStringLiteral("model")});
        return;
    }
    if (!m_consumer.isEmpty() && !m_catalog->consumerMayUse(m_consumer, m_publicModel)) {
        answerError(
            {ChatError::Kind::Permission,
             QStringLiteral("consumer %1 may not use model %2").arg(m_consumer, m_publicModel),
             QStringLiteral("model")});
        return;
    }
    if (answerFromCache())
        return; // a stored answer costs nothing: no budget needed
    if (const std::optional<ChatError> spent = consumerBudgetSpent()) {
        answerError(*spent);
        return;
    }
    m_chain = m_catalog->fallbackChain(m_publicModel);
    m_lastError = {ChatError::Kind::BadGateway,
                   QStringLiteral("model %1 has no usable target").arg(m_publicModel),
                   {}};
    if (!nextAttempt()) {
        answerError(m_lastError);
        return;
    }
    send();
}

bool AiCall::parseRequest(const QJsonObject &body)
{
    if (m_endpoint == Endpoint::Embeddings) {
        ChatResult<EmbeddingRequest> parsed = OpenAiEmbeddingsCodec::parseRequest(body);
        if (!parsed.isOk()) {
            answerError(parsed.error());
            return false;
        }
        m_embedding = std::move(parsed.value());
        m_publicModel = m_embedding.model;
        return true;
    }
    if (m_prompt) {
        const bool eventStream =
            m_exchange->request().headers.value("accept").contains("text/event-stream");
        ChatResult<CompiledPromptApi::Call> built = m_prompt->buildRequest(body, eventStream);
        if (!built.isOk()) {
            answerError(built.error());
            return false;
        }
        m_chat = std::move(built.value().request);
        m_rawRequest = built.value().identity; // what the AI cache keys the call by
        m_publicModel = m_chat.model;
        m_stream = m_chat.stream;
        return true;
    }
    m_rawRequest = body;
    ChatResult<ChatRequest> parsed = m_dialect == ChatDialect::Anthropic
                                         ? AnthropicMessagesCodec::parseRequest(body)
                                         : OpenAiChatCodec::parseRequest(body);
    if (!parsed.isOk()) {
        answerError(parsed.error());
        return false;
    }
    m_chat = std::move(parsed.value());
    m_publicModel = m_chat.model;
    m_stream = m_chat.stream;
    return true;
}

bool AiCall::nextAttempt()
{
    for (;;) {
        const CompiledModel *model =
            m_chainPos >= 0 && m_chainPos < m_chain.size() ? m_chain.at(m_chainPos) : nullptr;
        if (!model || model->targets.isEmpty() || m_attemptsInModel > model->retries) {
            if (++m_chainPos >= m_chain.size())
                return false;
            m_attemptsInModel = 0;
            m_triedTargets.clear();
            continue;
        }
        // Weighted pick among the targets not tried yet for this model (all again once
        // each was tried: retries may exceed the number of targets).
        QList<int> candidates;
        qint64 totalWeight = 0;
        for (int i = 0; i < model->targets.size(); ++i) {
            if (!m_triedTargets.contains(i) && model->targets.at(i).weight > 0) {
                candidates.append(i);
                totalWeight += model->targets.at(i).weight;
            }
        }
        if (candidates.isEmpty()) {
            m_triedTargets.clear();
            for (int i = 0; i < model->targets.size(); ++i) {
                if (model->targets.at(i).weight > 0) {
                    candidates.append(i);
                    totalWeight += model->targets.at(i).weight;
                }
            }
        }
        ++m_attemptsInModel;
        if (candidates.isEmpty())
            continue;
        qint64 ticket = qint64(m_random.bounded(quint64(totalWeight)));
        int chosen = candidates.last();
        for (int index : std::as_const(candidates)) {
            ticket -= model->targets.at(index).weight;
            if (ticket < 0) {
                chosen = index;
                break;
            }
        }
        m_triedTargets.append(chosen);
        const CompiledModel::Target &target = model->targets.at(chosen);
        const CompiledProvider *provider = m_catalog->provider(target.provider);
        if (!provider)
            continue;
        if (!provider->problem.isEmpty()) {
            m_lastError = {ChatError::Kind::BadGateway, provider->problem, {}};
            continue;
        }
        if (const std::optional<ChatError> spent = providerBudgetSpent(*provider)) {
            m_lastError = *spent; // skipped like a failed target: fallbacks may still answer
            continue;
        }
        m_attempt = {model, chosen, provider, target.model};
        return true;
    }
}

void AiCall::send()
{
    m_streamFailedBytes.clear();
    const CompiledProvider &provider = *m_attempt.provider;
    m_passthrough = !m_prompt && m_endpoint != Endpoint::Embeddings &&
                    ProviderAdapter::canPassThrough(provider, m_dialect);
    ChatResult<ProviderCall> call =
        m_prompt ? promptChatCall(provider)
        : m_endpoint == Endpoint::Embeddings
            ? ProviderAdapter::embeddingCall(provider, m_attempt.upstreamModel, m_embedding)
        : m_passthrough ? ProviderAdapter::passthroughChatCall(provider, m_attempt.upstreamModel,
                                                               m_rawRequest, m_stream)
                        : ProviderAdapter::chatCall(provider, m_attempt.upstreamModel, m_chat);
    if (!call.isOk() && m_prompt) {
        attemptFailed(call.error(), true); // another target or fallback may take the params
        return;
    }
    if (!call.isOk()) {
        // A parameter this provider cannot honour: the caller must change the request.
        ChatError error = call.error();
        if (error.kind == ChatError::Kind::InvalidRequest && !error.message.contains(provider.name))
            error.message = QStringLiteral("%1 (model %2 is served by provider %3, type %4)")
                                .arg(error.message, m_publicModel, provider.name,
                                     ProviderTypes::name(provider.type));
        answerError(error);
        return;
    }

    m_upstreamStatus = 0;
    m_upstreamBody.clear();
    m_translator.reset();
    m_connection = m_pool.acquire(provider.origin);
    connect(m_connection, &UpstreamConnection::responseHead, this, &AiCall::onHead);
    connect(m_connection, &UpstreamConnection::responseBody, this, &AiCall::onBody);
    connect(m_connection, &UpstreamConnection::responseComplete, this, &AiCall::onComplete);
    connect(m_connection, &UpstreamConnection::failed, this, &AiCall::onFailed);

    UpstreamRequest upstream;
    upstream.method = call.value().method;
    upstream.target = call.value().target;
    upstream.headers = call.value().headers;
    upstream.headers.set("x-request-id", m_requestId);
    upstream.bodyMode = UpstreamRequest::BodyMode::Length;
    upstream.contentLength = call.value().body.size();
    upstream.connectTimeoutMs = qMin(provider.timeoutMs, 10000);
    upstream.readTimeoutMs = provider.timeoutMs;

    const qint64 now = GatewayHandler::nowNs();
    m_gatewayNs += now - m_segmentStartNs;
    m_upstreamSentNs = now;
    m_askedUpstream = true;
    m_connection->start(upstream);
    m_connection->writeBody(call.value().body);
    m_connection->endBody();
}

void AiCall::onHead(int status, const HttpHeaders &headers)
{
    Q_UNUSED(headers)
    m_segmentStartNs = GatewayHandler::nowNs();
    m_upstreamNs += m_segmentStartNs - std::exchange(m_upstreamSentNs, 0);
    m_upstreamStatus = status;
    if (status >= 200 && status < 300 && m_stream) {
        const ChatStreamTranslator::Framing framing =
            m_attempt.provider->dialect == ProviderDialect::Ollama
                ? ChatStreamTranslator::Framing::Ndjson
                : ChatStreamTranslator::Framing::Sse;
        if (m_prompt)
            m_translator = std::make_unique<ChatStreamTranslator>(
                ProviderAdapter::streamDecoder(*m_attempt.provider), framing,
                std::make_unique<PromptStreamEncoder>(
                    *m_prompt, [this](const ChatUsage &usage) { return costOf(usage); },
                    m_attempt.upstreamModel));
        else
            m_translator = std::make_unique<ChatStreamTranslator>(
                ProviderAdapter::streamDecoder(*m_attempt.provider), framing, m_dialect,
                m_chat.includeUsage);
    }
}

void AiCall::onBody(QByteArrayView piece)
{
    if (!m_exchange)
        return;
    if (m_translator) {
        const QByteArray out = m_translator->feed(piece);
        if (!m_streamStarted && m_translator->hasFailed()) {
            // The provider's stream opened with an error event (overloaded, rate limited):
            // nothing reached the caller yet, so another target or fallback may answer.
            if (m_connection)
                m_connection->abort();
            releaseConnection();
            m_streamFailedBytes = out;
            attemptFailed(
                ChatError{
                    ChatError::Kind::BadGateway,
                    QStringLiteral("provider %1 failed its stream before the first answer event")
                        .arg(m_attempt.provider->name),
                    {}},
                true);
            return;
        }
        if (!out.isEmpty())
            writeStream(out);
        return;
    }
    if (m_upstreamBody.size() + piece.size() > MaxBufferedResponseBytes) {
        releaseConnection();
        attemptFailed(
            ChatError::badGateway(QStringLiteral("provider %1 answered more than %2 bytes")
                                      .arg(m_attempt.provider->name)
                                      .arg(MaxBufferedResponseBytes)),
            false);
        return;
    }
    m_upstreamBody.append(piece.data(), piece.size());
}

void AiCall::onComplete()
{
    if (!m_exchange) {
        finish();
        return;
    }
    if (m_translator) {
        const QByteArray tail = m_translator->finish();
        m_usage = m_translator->usage();
        releaseConnection();
        m_streamComplete = !m_translator->hasFailed();
        if (!m_streamStarted && m_translator->hasFailed()) {
            // Nothing reached the caller yet: the stream broke before its first event.
            attemptFailed(ChatError::badGateway(
                              QStringLiteral("provider %1 ended its stream before any answer")
                                  .arg(m_attempt.provider->name)),
                          true);
            return;
        }
        endStream(tail);
        return;
    }
    releaseConnection();
    completeBuffered();
}

void AiCall::completeBuffered()
{
    const CompiledProvider &provider = *m_attempt.provider;
    if (m_upstreamStatus < 200 || m_upstreamStatus >= 300) {
        ChatError error = ProviderAdapter::parseError(provider, m_upstreamStatus, m_upstreamBody);
        if (error.kind == ChatError::Kind::Authentication ||
            error.kind == ChatError::Kind::Permission) {
            // The provider refused the gateway's key: a configuration problem on our side,
            // not the caller's key.
            error = ChatError::badGateway(QStringLiteral("provider %1 refused its API key (%2): %3")
                                              .arg(provider.name)
                                              .arg(m_upstreamStatus)
                                              .arg(error.message));
        } else {
            error.message = QStringLiteral("provider %1: %2").arg(provider.name, error.message);
        }
        attemptFailed(error, isRetriableStatus(m_upstreamStatus));
        return;
    }

    if (m_endpoint == Endpoint::Embeddings) {
        ChatResult<EmbeddingResponse> parsed =
            ProviderAdapter::parseEmbeddingResponse(provider, m_upstreamBody);
        if (!parsed.isOk()) {
            attemptFailed(parsed.error(), false);
            return;
        }
        if (parsed.value().model.isEmpty())
            parsed.value().model = m_attempt.upstreamModel;
        m_usage = parsed.value().usage;
        answerJson(
            200, OpenAiEmbeddingsCodec::writeResponse(parsed.value(), m_embedding.encodingFormat));
        return;
    }

    if (m_passthrough) {
        // The provider's own answer goes to the caller unchanged; only its usage is read.
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(m_upstreamBody, &parseError);
        if (!doc.isObject()) {
            attemptFailed(
                ChatError::badGateway(
                    QStringLiteral("provider %1 answered a body that is not a JSON object")
                        .arg(provider.name)),
                false);
            return;
        }
        const QJsonObject usage = doc.object().value(QLatin1String("usage")).toObject();
        m_usage = m_dialect == ChatDialect::Anthropic ? AnthropicMessagesCodec::parseUsage(usage)
                                                      : OpenAiChatCodec::parseUsage(usage);
        answerBytes(200, m_upstreamBody);
        return;
    }
    ChatResult<ChatResponse> parsed = ProviderAdapter::parseChatResponse(provider, m_upstreamBody);
    if (!parsed.isOk()) {
        attemptFailed(parsed.error(), false);
        return;
    }
    ChatResponse &response = parsed.value();
    if (response.model.isEmpty())
        response.model = m_attempt.upstreamModel;
    m_usage = response.usage;
    if (m_prompt) {
        answerPrompt(response);
        return;
    }
    if (m_dialect == ChatDialect::Anthropic) {
        ChatResult<QJsonObject> body = AnthropicMessagesCodec::writeResponse(response);
        if (!body.isOk()) {
            attemptFailed(body.error(), false);
            return;
        }
        answerJson(200, body.value());
    } else {
        answerJson(200, OpenAiChatCodec::writeResponse(response));
    }
}

ChatResult<ProviderCall> AiCall::promptChatCall(const CompiledProvider &provider) const
{
    // JSON mode degrades to what the provider takes (a schema, then plain JSON mode, then
    // none): the system prompt states the schema either way and the answer is validated
    // here. Whatever the provider still refuses is the prompt API's configuration, not the
    // caller's request: a 500 naming both.
    ChatRequest request = m_chat;
    for (;;) {
        ChatResult<ProviderCall> call =
            ProviderAdapter::chatCall(provider, m_attempt.upstreamModel, request);
        if (call.isOk())
            return call;
        if (call.error().kind == ChatError::Kind::InvalidRequest &&
            request.responseFormat.type != ChatResponseFormat::Type::Text) {
            request.responseFormat.type =
                request.responseFormat.type == ChatResponseFormat::Type::JsonSchema
                    ? ChatResponseFormat::Type::JsonObject
                    : ChatResponseFormat::Type::Text;
            continue;
        }
        return ChatError{ChatError::Kind::Api,
                         QStringLiteral("prompt API %1 cannot be served by provider %2 (type "
                                        "%3): %4")
                             .arg(m_prompt->name, provider.name, ProviderTypes::name(provider.type),
                                  call.error().message),
                         {}};
    }
}

void AiCall::answerPrompt(const ChatResponse &response)
{
    QString text;
    for (const ChatPart &part : response.content) {
        if (part.kind == ChatPart::Kind::Text)
            text += part.text;
    }
    const ChatResult<QJsonValue> output =
        m_prompt->output(text, response.finishReason == FinishReason::Length);
    if (!output.isOk()) {
        recordSpend(); // the provider's tokens were spent all the same
        answerError(output.error());
        return;
    }
    answerJson(200, CompiledPromptApi::answer(output.value(), response.model, response.finishReason,
                                              m_usage, costOf(m_usage)));
}

void AiCall::onFailed(UpstreamError error, const QString &message)
{
    const CompiledProvider &provider = *m_attempt.provider;
    if (m_upstreamSentNs)
        m_upstreamNs += GatewayHandler::nowNs() - std::exchange(m_upstreamSentNs, 0);
    const bool staleReuse = error == UpstreamError::ClosedBeforeResponse && m_connection &&
                            m_connection->wasReused() && m_connection->requestBytesSent() == 0;
    releaseConnection();
    if (!m_exchange) {
        finish();
        return;
    }
    if (staleReuse && !m_streamStarted) {
        // A pooled connection the provider had closed: the request never arrived there.
        m_segmentStartNs = GatewayHandler::nowNs();
        send();
        return;
    }
    const ChatError chatError = fromUpstreamError(error, provider, message);
    if (m_streamStarted) {
        m_lastError = chatError;
        endStream(m_translator ? m_translator->fail(chatError) : QByteArray());
        return;
    }
    attemptFailed(chatError, true);
}

void AiCall::attemptFailed(const ChatError &error, bool retriable)
{
    m_segmentStartNs = GatewayHandler::nowNs();
    m_lastError = error;
    if (retriable && !m_streamStarted && nextAttempt()) {
        send();
        return;
    }
    if (m_streamStarted) {
        endStream(m_translator ? m_translator->fail(error) : QByteArray());
        return;
    }
    if (!m_streamFailedBytes.isEmpty()) {
        // The last provider's own in-stream error, in the caller's dialect: it says more
        // than a generic 502.
        endStream(std::exchange(m_streamFailedBytes, {}));
        return;
    }
    answerError(error);
}

void AiCall::onClientClosed()
{
    if (m_upstreamSentNs)
        m_upstreamNs += GatewayHandler::nowNs() - std::exchange(m_upstreamSentNs, 0);
    if (m_translator)
        m_usage = m_translator->usage();
    updateLogRecord();
    if (m_connection)
        m_connection->abort();
    releaseConnection();
    finish();
}

void AiCall::releaseConnection()
{
    if (!m_connection)
        return;
    UpstreamConnection *connection = std::exchange(m_connection, nullptr);
    connection->disconnect(this);
    m_pool.release(connection);
}

HttpHeaders AiCall::gatewayHeaders() const
{
    HttpHeaders headers;
    headers.set("x-gatehouse-request-id", m_requestId);
    const qint64 overheadNs = m_gatewayNs + (GatewayHandler::nowNs() - m_segmentStartNs);
    headers.set("x-gatehouse-overhead-us", QByteArray::number(overheadNs / 1000));
    if (m_attempt.provider) {
        headers.set("x-gatehouse-provider", m_attempt.provider->name.toUtf8());
        headers.set("x-gatehouse-model", m_attempt.upstreamModel.toUtf8());
    }
    if (!m_cacheKey.isEmpty())
        headers.set("x-gatehouse-cache", "MISS");
    if (m_prompt) {
        headers.set("x-gatehouse-prompt-api", m_prompt->name.toUtf8());
        if (!m_prompt->version.isEmpty())
            headers.set("x-gatehouse-prompt-version", m_prompt->version.toUtf8());
        for (const HttpHeaders::Entry &entry : m_prompt->extraHeaders.entries())
            headers.set(entry.first, entry.second); // Deprecation + Sunset
    }
    if (m_exchange) // settings.cors: browser apps calling the AI endpoints
        m_config->snapshot().aiCors().applyToResponse(m_exchange->request().headers, headers);
    if (m_rateLimit)
        m_rateLimit->applyHeaders(headers);
    return headers;
}

double AiCall::costOf(const ChatUsage &usage) const
{
    if (!m_attempt.provider)
        return 0;
    const std::optional<ModelPrice> price =
        m_catalog->price(*m_attempt.provider, m_attempt.upstreamModel);
    return price ? PriceTable::cost(*price, usage) : -1;
}

void AiCall::answerError(const ChatError &error)
{
    if (m_exchange && !m_exchange->isResponseStarted()) {
        HttpResponse response =
            HttpResponse::json(errorStatus(m_dialect, error), errorBody(m_dialect, error));
        const HttpHeaders headers = gatewayHeaders();
        for (const HttpHeaders::Entry &entry : headers.entries())
            response.headers.set(entry.first, entry.second);
        if (error.kind == ChatError::Kind::RateLimit)
            response.headers.set("retry-after", "1");
        updateLogRecord();
        if (RequestRecord *record = m_exchange->logRecord())
            record->error = error.message;
        m_exchange->respond(response);
    }
    finish();
}

void AiCall::answerJson(int status, const QJsonObject &body)
{
    answerBytes(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

namespace {

QDate todayUtc()
{
    return QDateTime::currentDateTimeUtc().date();
}

ChatError budgetSpent(const QString &what, const Budget &budget, double spent)
{
    const QDate resets = SpendLedger::periodEnd(budget.period, todayUtc());
    return {ChatError::Kind::RateLimit,
            QStringLiteral("the budget of %1 is spent: USD %2 of USD %3 this %4; it resets on %5 (UTC)")
                .arg(what)
                .arg(spent, 0, 'f', 4)
                .arg(budget.usd, 0, 'f', budget.usd < 1 ? 4 : 2)
                .arg(Budget::periodName(budget.period), resets.toString(Qt::ISODate)),
            {}};
}

} // namespace

std::optional<ChatError> AiCall::consumerBudgetSpent() const
{
    SpendLedger *ledger = m_catalog->ledger();
    const std::optional<Budget> budget = m_catalog->consumerBudget(m_consumer);
    if (!ledger || !budget || m_consumer.isEmpty())
        return std::nullopt;
    const double spent = ledger->consumerSpent(m_consumer, budget->period, todayUtc());
    if (spent < budget->usd)
        return std::nullopt;
    return budgetSpent(QStringLiteral("consumer %1").arg(m_consumer), *budget, spent);
}

std::optional<ChatError> AiCall::providerBudgetSpent(const CompiledProvider &provider) const
{
    SpendLedger *ledger = m_catalog->ledger();
    if (!ledger || !provider.budget)
        return std::nullopt;
    const double spent = ledger->providerSpent(provider.name, provider.budget->period, todayUtc());
    if (spent < provider.budget->usd)
        return std::nullopt;
    return budgetSpent(QStringLiteral("provider %1").arg(provider.name), *provider.budget, spent);
}

void AiCall::recordSpend()
{
    // tokens_per_minute: charged once the usage is known (the request was let in while
    // the bucket was not empty; it may go into debt).
    if (m_rateLimit && !m_tokensCharged && m_usage.present) {
        m_tokensCharged = true;
        m_rateLimit->chargeTokens(m_usage.input + m_usage.output);
    }
    SpendLedger *ledger = m_catalog->ledger();
    if (m_spendRecorded || !ledger || !m_attempt.provider || !m_usage.present)
        return;
    m_spendRecorded = true;
    const double cost = costOf(m_usage);
    const QList<SpendLedger::Warning> warnings = ledger->record(
        m_consumer, m_attempt.provider->name, cost > 0 ? cost : 0.0, m_usage.input, m_usage.output, todayUtc(),
        m_catalog->consumerBudget(m_consumer), m_attempt.provider->budget);
    for (const SpendLedger::Warning &warning : warnings) {
        qWarning("gatehouse: budget warning: %s %s has spent USD %.4f of its USD %.2f per %s (80 %% reached)",
                 warning.scope == SpendLedger::Warning::Scope::Consumer ? "consumer" : "provider",
                 qUtf8Printable(warning.name), warning.spent, warning.budget.usd,
                 qUtf8Printable(Budget::periodName(warning.budget.period)));
    }
}

void AiCall::answerBytes(int status, const QByteArray &json)
{
    if (status >= 200 && status < 300)
        recordSpend();
    if (status == 200)
        storeInCache(json);
    if (m_exchange) {
        HttpResponse response = HttpResponse::text(status, json, "application/json");
        const HttpHeaders headers = gatewayHeaders();
        for (const HttpHeaders::Entry &entry : headers.entries())
            response.headers.set(entry.first, entry.second);
        const double cost = costOf(m_usage);
        if (cost >= 0)
            response.headers.set("x-gatehouse-cost-usd", QByteArray::number(cost, 'f', 8));
        updateLogRecord();
        m_exchange->respond(response);
    }
    finish();
}

void AiCall::startStream()
{
    HttpHeaders headers = gatewayHeaders();
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-cache");
    m_streamStarted = true;
    connect(m_exchange, &HttpExchange::writable, this, [this] {
        if (m_connection)
            m_connection->resumeReading();
    });
    m_exchange->startResponse(200, headers, -1);
}

void AiCall::writeStream(const QByteArray &bytes)
{
    if (!m_exchange)
        return;
    if (!m_streamStarted)
        startStream();
    if (!m_cacheKey.isEmpty() && !m_cacheStreamTooBig) {
        m_cacheStreamTooBig = m_cacheStream.size() + bytes.size() > m_cache->maxEntryBytes();
        if (m_cacheStreamTooBig)
            m_cacheStream.clear();
        else
            m_cacheStream.append(bytes);
    }
    // A slow caller: stop reading the provider until it catches up.
    if (!m_exchange->writeBody(bytes) && m_connection)
        m_connection->pauseReading();
}

void AiCall::endStream(const QByteArray &tail)
{
    if (m_translator) {
        m_usage = m_translator->usage();
        recordSpend(); // what a stream used counts even when it ended in an error
    }
    if (m_exchange) {
        if (!tail.isEmpty())
            writeStream(tail);
        if (m_streamStarted && m_streamComplete && !m_cacheStreamTooBig)
            storeInCache(std::exchange(m_cacheStream, {}));
        updateLogRecord();
        if (RequestRecord *record = m_exchange->logRecord(); record && !m_streamComplete)
            record->error = m_lastError.message.isEmpty()
                                ? QStringLiteral("the provider's stream failed")
                                : m_lastError.message;
        if (m_streamStarted)
            m_exchange->endResponse();
        else
            answerError(m_lastError);
    }
    finish();
}

bool AiCall::answerFromCache()
{
    const qint64 ttl = m_cache && m_endpoint != Endpoint::Embeddings
                           ? AiCacheKey::ttlSeconds(m_config->snapshot().settings())
                           : 0;
    if (ttl <= 0 || !AiCacheKey::applies(m_rawRequest, m_exchange->request().headers))
        return false;
    m_cacheKey = AiCacheKey::key(m_dialect, m_consumer, m_rawRequest);
    m_cacheTtlS = ttl;
    const std::shared_ptr<const ResponseCache::Entry> hit = m_cache->lookup(m_cacheKey, {});
    if (!hit) {
        if (RequestRecord *record = m_exchange->logRecord())
            record->cache = "MISS";
        return false; // MISS: the answer is stored when it is complete
    }
    if (RequestRecord *record = m_exchange->logRecord()) {
        record->cache = "HIT";
        record->costUsd = 0.0;
        record->provider = QString::fromUtf8(hit->headers.value("x-gatehouse-provider"));
        record->model = QString::fromUtf8(hit->headers.value("x-gatehouse-model"));
    }
    HttpResponse response = m_cache->hitResponse(*hit);
    const HttpHeaders headers = gatewayHeaders();
    for (const HttpHeaders::Entry &entry : headers.entries()) {
        if (entry.first != "x-gatehouse-cache")
            response.headers.set(entry.first, entry.second);
    }
    response.headers.set("x-gatehouse-cost-usd", QByteArray::number(0.0, 'f', 8));
    if (m_stream) {
        // Replayed as the stream the first caller received, in one write.
        m_exchange->startResponse(200, response.headers, -1);
        m_exchange->writeBody(response.body);
        m_exchange->endResponse();
    } else {
        m_exchange->respond(response);
    }
    finish();
    return true;
}

void AiCall::storeInCache(const QByteArray &body)
{
    if (m_cacheKey.isEmpty() || !m_cache)
        return;
    ResponseCache::Entry entry;
    entry.headers.set("content-type", m_stream ? "text/event-stream; charset=utf-8"
                                               : "application/json");
    if (m_stream)
        entry.headers.set("cache-control", "no-cache");
    if (m_attempt.provider) {
        entry.headers.set("x-gatehouse-provider", m_attempt.provider->name.toUtf8());
        entry.headers.set("x-gatehouse-model", m_attempt.upstreamModel.toUtf8());
    }
    entry.body = body;
    entry.scope = AiCacheKey::scope();
    entry.ttlMs = m_cacheTtlS * 1000;
    m_cache->insert(m_cacheKey, {}, std::move(entry));
}

void AiCall::updateLogRecord()
{
    RequestRecord *record = m_exchange ? m_exchange->logRecord() : nullptr;
    if (!record)
        return;
    if (!m_publicModel.isEmpty())
        record->model = m_publicModel;
    if (m_attempt.provider) {
        record->provider = m_attempt.provider->name;
        record->model = m_attempt.upstreamModel;
    }
    if (m_askedUpstream)
        record->upstreamMs = double(m_upstreamNs) / 1e6;
    if (m_usage.present) {
        record->tokensIn = m_usage.input;
        record->tokensOut = m_usage.output;
        const double cost = costOf(m_usage);
        if (cost >= 0) // no price known: NULL, not a made-up 0
            record->costUsd = cost;
    }
}

void AiCall::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    releaseConnection();
    deleteLater();
}

} // namespace gh
