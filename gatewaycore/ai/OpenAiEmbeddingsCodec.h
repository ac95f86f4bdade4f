#pragma once

#include "EmbeddingTypes.h"

#include <QJsonObject>
#include <QStringList>

namespace gh {

// OpenAI Embeddings JSON (POST /v1/embeddings, the one ingress dialect for embeddings) and
// the GET /v1/models list ⇄ the neutral embeddings model. Wire shapes follow the OpenAI
// API reference as generated into the official openai-node SDK
// (src/resources/embeddings.ts: EmbeddingCreateParams, CreateEmbeddingResponse, Embedding;
// src/resources/models.ts: Model).
//
// encoding_format: the openai SDKs send "base64" when their caller named no format and
// decode the answer themselves (openai-node: Buffer → Float32Array, i.e. the bytes of
// little-endian float32 values). The neutral answer holds floats; writeResponse encodes
// them in the format the caller asked for, base64 as the exact little-endian float32
// bytes. Upstreams are always asked for "float" (writeRequest): every OpenAI-compatible
// server speaks it (several ignore or reject base64), and a float32 written in decimal by
// the upstream reads back to the same float32, so re-encoding loses nothing.
class OpenAiEmbeddingsCodec
{
public:
    // model and input are required (400 naming the field). input: a string, an array of
    // strings, or token arrays (an array of integers, or an array of such arrays), which
    // stay verbatim in extra["input"] for OpenAI-dialect upstreams. encoding_format
    // "float" (also when absent) or "base64"; dimensions a positive integer; user; any
    // other field goes to extra.
    static ChatResult<EmbeddingRequest> parseRequest(const QJsonObject &body);
    // extra verbatim, then model, input (token arrays from extra, else a string when the
    // caller sent one string), "encoding_format":"float", dimensions and user.
    static ChatResult<QJsonObject> writeRequest(const EmbeddingRequest &request,
                                                const QString &upstreamModel);
    // data[].embedding as a float array or a base64 string (little-endian float32), put in
    // data[].index order; usage.prompt_tokens → usage.input.
    static ChatResult<EmbeddingResponse> parseResponse(const QJsonObject &body);
    // {"object":"list","data":[{"object":"embedding","index","embedding"}],"model",
    //  "usage":{"prompt_tokens","total_tokens"}}; embeddings as base64 when encodingFormat
    // is "base64", else as numbers (the shortest decimal that reads back to the same float).
    static QJsonObject writeResponse(const EmbeddingResponse &response,
                                     const QString &encodingFormat);
    // {"object":"list","data":[{"id","object":"model","created","owned_by":"gatehouse"}]}.
    static QJsonObject writeModelList(const QStringList &publicModels, qint64 created);

    // The base64 form of a vector: little-endian float32 bytes, base64-encoded; decode
    // fails (nullopt) on text that is not base64 of a whole number of floats.
    static QString encodeBase64(const QList<float> &vector);
    static std::optional<QList<float>> decodeBase64(const QString &text);
};

} // namespace gh
