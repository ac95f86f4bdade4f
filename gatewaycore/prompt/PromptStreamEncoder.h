#pragma once

#include "ai/ChatStreamEncoder.h"

#include <functional>

namespace gh {

struct CompiledPromptApi;

// Neutral stream events → a prompt API's own SSE (docs/prompt-apis.md, Streaming):
//
//   event: start   data: {"prompt_api","version","model"}
//   event: delta   data: {"text"}                      (one per text fragment)
//   event: done    data: {"output","model","usage","cost_usd","finish_reason"}
//   event: error   data: {"error":{"message","type","param","code"}}
//
// `done` carries the whole output — in JSON mode the parsed value, validated against the
// output schema once the answer is complete; an answer that fails ends with `error`
// instead. Every stream ends with exactly one `done` or `error`.
class PromptStreamEncoder : public ChatStreamEncoder
{
public:
    // cost: USD of a usage (< 0 when the price is unknown).
    using CostFunction = std::function<double(const ChatUsage &)>;

    // model: reported until the provider's stream names its own.
    PromptStreamEncoder(const CompiledPromptApi &api, CostFunction cost, QString model = {});

    QByteArray encode(const ChatStreamEvent &event) override;
    bool isFinished() const override { return m_finished; }

    // The stream ended with an error event (its own, or an answer that failed validation).
    bool hasFailed() const override { return m_failed; }

    static QByteArray errorEvent(const ChatError &error);

private:
    QByteArray start();

    const CompiledPromptApi &m_api;
    CostFunction m_cost;
    QString m_model;
    QString m_text;
    FinishReason m_finishReason = FinishReason::None;
    ChatUsage m_usage;
    bool m_started = false;
    bool m_finished = false;
    bool m_failed = false;
};

} // namespace gh
