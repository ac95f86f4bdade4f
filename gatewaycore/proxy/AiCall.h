#pragma once

#include "ai/ChatTypes.h"
#include "ai/EmbeddingTypes.h"
#include "ai/ProviderAdapter.h"
#include "http/UpstreamError.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>

class QRandomGenerator;

namespace gh {

class AiCatalog;
class ChatStreamTranslator;
class RateLimitGrant;
class ResponseCache;
class HttpExchange;
class HttpHeaders;
class UpstreamConnection;
class UpstreamPool;
class WorkerConfig;
struct CompiledModel;
struct CompiledPromptApi;
struct CompiledProvider;

// One call to an AI endpoint (SPEC §4: /v1/chat/completions, /v1/messages,
// /v1/embeddings): reads the caller's JSON body, parses it from the caller's dialect,
// then tries the public model's targets and fallbacks in turn — each attempt written in
// its provider's dialect — until one answers. 429, 5xx, timeouts and connection errors
// move on to the next attempt as long as nothing reached the caller; after a stream began,
// a failure ends it with an error event in the caller's dialect. Usage and cost of the
// answer are kept for the response headers and the log. Deletes itself.
class AiCall : public QObject
{
    Q_OBJECT

public:
    enum class Endpoint { ChatCompletions, Messages, Embeddings };

    // Requests larger than this are refused with 413 (images are sent inline as base64).
    static constexpr qint64 MaxRequestBytes = 32 * 1024 * 1024;
    // An upstream answer buffered whole (non-streamed, or an error body) larger than this
    // is a broken upstream.
    static constexpr qint64 MaxBufferedResponseBytes = 64 * 1024 * 1024;

    AiCall(HttpExchange *exchange, std::shared_ptr<WorkerConfig> config, Endpoint endpoint,
           QString consumer, QByteArray requestId, UpstreamPool &pool, QRandomGenerator &random);
    ~AiCall() override;

    void start();
    // settings.ai_cache: answers from / stores into cache when the call qualifies.
    void setCache(ResponseCache *cache) { m_cache = cache; }
    // The consumer's rate limits (docs/policies.md): x-ratelimit-* on the answer, and the
    // answer's tokens charged to tokens_per_minute once its usage is known.
    void setRateLimit(std::shared_ptr<RateLimitGrant> grant) { m_rateLimit = std::move(grant); }
    // A prompt API call (SPEC §4, docs/prompt-apis.md): the body holds the API's inputs, the
    // chat request is built from its templates, and the answer is written in its format
    // (errors in the OpenAI shape). Set before start(); the API lives in the call's snapshot.
    void setPromptApi(const CompiledPromptApi *api) { m_prompt = api; }
    // The prompt API this call serves (its name is what the request log records), or null.
    const CompiledPromptApi *promptApi() const { return m_prompt; }

    static ChatDialect dialect(Endpoint endpoint)
    {
        return endpoint == Endpoint::Messages ? ChatDialect::Anthropic : ChatDialect::OpenAi;
    }
    // The caller's dialect's error body and status.
    static QJsonObject errorBody(ChatDialect dialect, const ChatError &error);
    static int errorStatus(ChatDialect dialect, const ChatError &error);

private:
    struct Attempt
    {
        const CompiledModel *model = nullptr;
        int target = -1;
        const CompiledProvider *provider = nullptr;
        QString upstreamModel;
    };

    void onRequestBody();
    bool parseRequest(const QJsonObject &body);
    bool nextAttempt();
    void send();
    void onHead(int status, const HttpHeaders &headers);
    void onBody(QByteArrayView piece);
    void onComplete();
    void onFailed(UpstreamError error, const QString &message);
    void onClientClosed();
    void completeBuffered();
    // Prompt APIs: the provider call with JSON mode degraded to what the provider takes, and
    // the answer as {"output",...} once it passed the output schema.
    ChatResult<ProviderCall> promptChatCall(const CompiledProvider &provider) const;
    void answerPrompt(const ChatResponse &response);
    // The attempt failed before anything reached the caller: try the next one when the
    // failure is worth it (retriable), else answer it.
    void attemptFailed(const ChatError &error, bool retriable);
    void releaseConnection();
    void answerError(const ChatError &error);
    void answerJson(int status, const QJsonObject &body);
    void answerBytes(int status, const QByteArray &json);
    void writeStream(const QByteArray &bytes);
    void startStream();
    void endStream(const QByteArray &tail);
    HttpHeaders gatewayHeaders() const;
    void pauseUpstream();
    double costOf(const ChatUsage &usage) const;
    std::optional<ChatError> consumerBudgetSpent() const;
    std::optional<ChatError> providerBudgetSpent(const CompiledProvider &provider) const;
    // Adds the answer's cost to the spend ledger (once).
    void recordSpend();
    // AI cache (docs/policies.md): true when a stored answer was replayed.
    bool answerFromCache();
    void storeInCache(const QByteArray &body);
    // The request log record (RequestRecord): model, provider, upstream time, usage, cost,
    // cache. Called before every answer is ended, and when the client leaves.
    void updateLogRecord();
    void finish();

    QPointer<HttpExchange> m_exchange;
    std::shared_ptr<WorkerConfig> m_config; // keeps the catalog alive
    const AiCatalog *m_catalog = nullptr;
    Endpoint m_endpoint;
    ChatDialect m_dialect;
    QString m_consumer;
    QByteArray m_requestId;
    UpstreamPool &m_pool;
    QRandomGenerator &m_random;

    QByteArray m_requestBody;
    bool m_requestTooLarge = false;
    QJsonObject m_rawRequest; // as the caller sent it: passed through to same-dialect providers
    ChatRequest m_chat;
    EmbeddingRequest m_embedding;
    QString m_publicModel;
    bool m_stream = false;

    QList<const CompiledModel *> m_chain;
    int m_chainPos = -1;
    int m_attemptsInModel = 0;
    QList<int> m_triedTargets; // of the current model
    Attempt m_attempt;
    ChatError m_lastError;

    bool m_passthrough = false; // this attempt's provider speaks the caller's dialect
    UpstreamConnection *m_connection = nullptr;
    int m_upstreamStatus = 0;
    QByteArray m_upstreamBody; // buffered: non-stream answers and error bodies
    std::unique_ptr<ChatStreamTranslator> m_translator;
    bool m_streamStarted = false;
    QByteArray m_streamFailedBytes; // a stream that failed at its start, translated
    bool m_finished = false;

    // Time inside the gateway (x-gatehouse-overhead-us): summed over the stretches
    // between the request head and each hand-off to a provider, and from the provider's
    // answer to our response head.
    qint64 m_gatewayNs = 0;
    qint64 m_segmentStartNs = 0;
    qint64 m_upstreamSentNs = 0; // the current attempt's request went out (0: none waiting)
    qint64 m_upstreamNs = 0;     // summed over attempts: sent → response head or failure
    bool m_askedUpstream = false;
    ChatUsage m_usage;
    bool m_spendRecorded = false;

    ResponseCache *m_cache = nullptr;
    QByteArray m_cacheKey; // set when the AI cache applies to this call
    qint64 m_cacheTtlS = 0;
    QByteArray m_cacheStream; // the caller's stream bytes, captured as they are written
    bool m_cacheStreamTooBig = false;
    bool m_streamComplete = false; // the provider's stream ended cleanly
    std::shared_ptr<RateLimitGrant> m_rateLimit;
    bool m_tokensCharged = false;
    const CompiledPromptApi *m_prompt = nullptr;
};

} // namespace gh
