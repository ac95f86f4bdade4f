#pragma once

#include "ai/ChatTypes.h"
#include "ai/SseParser.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;

namespace gh {

// What the Playground sends: one model, an optional system prompt, the user's prompt and
// the sampling parameters the user set (unset ones are left to the model's defaults).
struct PlaygroundParams
{
    QString model;
    QString system;
    QString prompt;
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    std::optional<double> topP;
    bool stream = true;

    bool operator==(const PlaygroundParams &) const = default;
};

// One chat completion through the gateway, as any OpenAI client would make it: POST
// {gateway}/v1/chat/completions, streamed (SSE, with stream_options.include_usage) or not.
// Collects the answer text, the usage, the provider and upstream model the gateway chose
// (x-gatehouse-provider / x-gatehouse-model) and the latencies. Errors, from a 4xx/5xx
// JSON body or an {"error":…} chunk in the stream, become one readable message.
class PlaygroundRequest : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Running, Completed, Failed, Stopped };
    Q_ENUM(State)

    explicit PlaygroundRequest(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~PlaygroundRequest() override;

    // The request body for the parameters (the OpenAI chat completions format).
    static QJsonObject body(const PlaygroundParams &params);
    // "HTTP 429 Too Many Requests: Budget spent (rate_limit_exceeded)" from an error body in
    // OpenAI's or Anthropic's format; the text itself when it is no JSON.
    static QString describeError(int status, const QString &reason, const QByteArray &body);

    // gatewayUrl: http://127.0.0.1:4141 (no /v1). A running request is stopped first.
    void start(const QString &gatewayUrl, const QByteArray &apiKey, const PlaygroundParams &params);
    // The same with a prepared chat completions body (the Prompt APIs page sends the
    // messages the gateway's prompt renderer built); its "stream" decides streaming.
    void start(const QString &gatewayUrl, const QByteArray &apiKey, const QJsonObject &body);
    void stop();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    QString text() const { return m_text; }
    QString errorMessage() const { return m_error; }
    int httpStatus() const { return m_status; }
    ChatUsage usage() const { return m_usage; }
    QString provider() const { return m_provider; }
    QString upstreamModel() const { return m_upstreamModel; }
    // The choice's finish_reason ("stop", "length", ...); empty until one arrived.
    QString finishReason() const { return m_finishReason; }
    // Milliseconds from sending to the first text, and to the end; -1 until known.
    qint64 firstTokenMs() const { return m_firstTokenMs; }
    qint64 totalMs() const { return m_totalMs; }

Q_SIGNALS:
    void textReceived(const QString &delta);
    // The request is over; state() says how.
    void finished();

private:
    void readHeaders();
    void readHeadersFrom(QNetworkReply *reply);
    void readBody();
    void consume(const QByteArray &data);
    void replyFinished();
    void handleEvent(const SseEvent &event);
    void handleChunk(const QJsonObject &chunk);
    void appendText(const QString &delta);
    void finish(State state, const QString &error = {});

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    SseParser m_parser;
    QElapsedTimer m_clock;
    State m_state = State::Idle;
    bool m_stream = true;
    bool m_eventStream = false; // the answer is text/event-stream (else: buffered)
    bool m_done = false;        // [DONE] arrived
    QByteArray m_body;
    QString m_text;
    QString m_error;
    int m_status = 0;
    ChatUsage m_usage;
    QString m_provider;
    QString m_upstreamModel;
    QString m_finishReason;
    qint64 m_firstTokenMs = -1;
    qint64 m_totalMs = -1;
};

} // namespace gh
