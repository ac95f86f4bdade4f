#pragma once

#include "ChatTypes.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace gh {

// The provider-neutral embeddings request and answer (POST /v1/embeddings is the only
// ingress dialect: OpenAI's).
struct EmbeddingRequest
{
    QString model;
    QStringList inputs;       // text inputs, in order
    bool singleInput = false; // the caller sent "input" as one string
    std::optional<int> dimensions;
    // "float" (default) or "base64" (little-endian float32, what the openai SDKs ask for).
    QString encodingFormat;
    QString user;
    // Token-array inputs and unknown fields: passed verbatim to OpenAI-dialect upstreams,
    // refused by name elsewhere.
    QJsonObject extra;
};

struct EmbeddingResponse
{
    QString model;
    QList<QList<float>> vectors; // one per input, in input order
    ChatUsage usage;             // input only
};

} // namespace gh
