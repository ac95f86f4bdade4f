#pragma once

#include "ai/ChatTypes.h"
#include "ai/SseParser.h"
#include "prompt/CompiledPromptApi.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QPointer>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace gh {

class Gateway;
class PlaygroundRequest;

// One try of a prompt API from the desktop, streamed from the running gateway with the
// desktop's own key (Gateway::desktopKey):
//
// - Endpoint: the prompt API as the gateway serves it, POST <path> with "stream": true,
//   read as its SSE (start / delta / done / error). Used when what the editor shows is
//   what the gateway serves: saved, published or deprecated.
// - Rendered: a draft, a retired or an unsaved prompt API has no live endpoint (404 / 410,
//   or the old version). Then the gateway's own prompt renderer (CompiledPromptApi) builds
//   the chat request from the editor's definition and the inputs — system prompt, user
//   message, params, JSON mode — and it goes to POST /v1/chat/completions: the same
//   model routing, fallbacks, translation and spend. The answer is checked as the prompt
//   API would check it (CompiledPromptApi::output: JSON parsed and validated against the
//   output schema) and priced with the gateway's price table (Gateway::aiCost).
class PromptApiCall : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Endpoint, Rendered };
    Q_ENUM(Mode)
    enum class State { Idle, Running, Completed, Failed, Stopped };
    Q_ENUM(State)

    PromptApiCall(Gateway *gateway, QNetworkAccessManager *network, QObject *parent = nullptr);
    ~PromptApiCall() override;

    // Checks the inputs first (PromptInputSchema, as the gateway would): refused inputs
    // make the call fail at once with the field in inputError(). A running call is stopped.
    void start(Mode mode, const QJsonObject &definition, const QJsonObject &inputs);
    void stop();

    Mode mode() const { return m_mode; }
    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    // The text as it streamed in.
    QString text() const { return m_text; }
    // The answer's output: the text, or in JSON mode the parsed, validated value.
    QJsonValue output() const { return m_output; }
    bool isJsonOutput() const { return m_json; }
    QString model() const { return m_model; }
    ChatUsage usage() const { return m_usage; }
    std::optional<double> costUsd() const { return m_cost; }
    QString finishReason() const { return m_finishReason; }
    int httpStatus() const { return m_status; }
    QString errorMessage() const { return m_error; }
    // The input a refusal names (before anything was sent, or the gateway's 400).
    QString inputError() const { return m_inputError; }
    qint64 firstTokenMs() const { return m_firstTokenMs; }
    qint64 totalMs() const { return m_totalMs; }
    // What was sent: the URL path and the JSON body.
    QString requestPath() const { return m_requestPath; }
    QJsonObject requestBody() const { return m_requestBody; }

Q_SIGNALS:
    void textReceived(const QString &delta);
    void finished();

private:
    void startEndpoint(const QJsonObject &definition, const QJsonObject &inputs);
    void startRendered(const CompiledPromptApi::Call &call);
    void renderedFinished();
    void readHeaders();
    void readBody();
    void replyFinished();
    void handleEvent(const SseEvent &event);
    void appendText(const QString &delta);
    void finish(State state, const QString &error = {});
    void reset();

    QPointer<Gateway> m_gateway;
    QNetworkAccessManager *m_network;
    PlaygroundRequest *m_chat = nullptr;
    QPointer<QNetworkReply> m_reply;
    SseParser m_parser;
    QElapsedTimer m_clock;
    CompiledPromptApi m_api;
    Mode m_mode = Mode::Endpoint;
    State m_state = State::Idle;
    bool m_json = false;
    bool m_eventStream = false;
    bool m_done = false;
    QByteArray m_body;
    QString m_text;
    QJsonValue m_output;
    QString m_model;
    ChatUsage m_usage;
    std::optional<double> m_cost;
    QString m_finishReason;
    int m_status = 0;
    QString m_error;
    QString m_inputError;
    qint64 m_firstTokenMs = -1;
    qint64 m_totalMs = -1;
    QString m_requestPath;
    QJsonObject m_requestBody;
};

} // namespace gh
