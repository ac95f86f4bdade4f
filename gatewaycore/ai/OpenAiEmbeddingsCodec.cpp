#include "OpenAiEmbeddingsCodec.h"

#include <QJsonArray>
#include <QSet>
#include <QtEndian>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <optional>

namespace gh {

namespace {

const QSet<QString> &modeledFields()
{
    static const QSet<QString> fields{QStringLiteral("model"), QStringLiteral("input"),
                                      QStringLiteral("encoding_format"),
                                      QStringLiteral("dimensions"), QStringLiteral("user")};
    return fields;
}

bool isInteger(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() == static_cast<double>(value.toInteger());
}

bool isTokenArray(const QJsonValue &value)
{
    if (!value.isArray() || value.toArray().isEmpty())
        return false;
    const QJsonArray tokens = value.toArray();
    return std::all_of(tokens.begin(), tokens.end(), isInteger);
}

// The float as the shortest decimal that reads back to it ("0.1", not the double
// 0.10000000149011612 it widens to): what OpenAI itself sends, and a quarter the text.
QJsonValue floatValue(float value)
{
    char buffer[32];
    const std::to_chars_result written = std::to_chars(buffer, buffer + sizeof buffer, value);
    double shortest = value;
    std::from_chars(buffer, written.ptr, shortest);
    return shortest;
}

} // namespace

ChatResult<EmbeddingRequest> OpenAiEmbeddingsCodec::parseRequest(const QJsonObject &body)
{
    EmbeddingRequest request;
    const QJsonValue model = body.value(QLatin1String("model"));
    if (!model.isString() || model.toString().isEmpty())
        return ChatError::invalid(QStringLiteral("model"), QStringLiteral("model: required"));
    request.model = model.toString();

    const QString inputParam = QStringLiteral("input");
    const QJsonValue input = body.value(inputParam);
    if (input.isUndefined() || input.isNull())
        return ChatError::invalid(inputParam, QStringLiteral("input: required"));
    if (input.isString()) {
        if (input.toString().isEmpty())
            return ChatError::invalid(inputParam,
                                      QStringLiteral("input: must not be an empty string"));
        request.inputs.append(input.toString());
        request.singleInput = true;
    } else if (input.isArray() && !input.toArray().isEmpty()) {
        const QJsonArray items = input.toArray();
        if (std::all_of(items.begin(), items.end(),
                        [](const QJsonValue &v) { return v.isString(); })) {
            for (int i = 0; i < items.size(); ++i) {
                if (items.at(i).toString().isEmpty()) {
                    return ChatError::invalid(
                        inputParam,
                        QStringLiteral("input[%1]: must not be an empty string").arg(i));
                }
                request.inputs.append(items.at(i).toString());
            }
        } else if (isTokenArray(input) || std::all_of(items.begin(), items.end(), isTokenArray)) {
            // Token ids only mean something to the tokenizer of the model they were made for.
            request.extra.insert(inputParam, input);
        } else {
            return ChatError::invalid(inputParam,
                                      QStringLiteral("input: expected a string, an array of "
                                                     "strings or an array of token arrays"));
        }
    } else {
        return ChatError::invalid(inputParam,
                                  QStringLiteral("input: expected a non-empty string or array"));
    }

    const QJsonValue format = body.value(QLatin1String("encoding_format"));
    request.encodingFormat = QStringLiteral("float");
    if (!format.isUndefined() && !format.isNull()) {
        const QString name = format.toString();
        if (name != QLatin1String("float") && name != QLatin1String("base64"))
            return ChatError::invalid(QStringLiteral("encoding_format"),
                                      QStringLiteral("encoding_format: expected 'float' or "
                                                     "'base64'"));
        request.encodingFormat = name;
    }

    const QJsonValue dimensions = body.value(QLatin1String("dimensions"));
    if (!dimensions.isUndefined() && !dimensions.isNull()) {
        if (!isInteger(dimensions) || dimensions.toInteger() < 1 ||
            dimensions.toInteger() > std::numeric_limits<int>::max())
            return ChatError::invalid(QStringLiteral("dimensions"),
                                      QStringLiteral("dimensions: expected a positive integer"));
        request.dimensions = static_cast<int>(dimensions.toInteger());
    }
    request.user = body.value(QLatin1String("user")).toString();

    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!modeledFields().contains(it.key()))
            request.extra.insert(it.key(), it.value());
    }
    return request;
}

ChatResult<QJsonObject> OpenAiEmbeddingsCodec::writeRequest(const EmbeddingRequest &request,
                                                            const QString &upstreamModel)
{
    QJsonObject body = request.extra;
    body.insert(QStringLiteral("model"), upstreamModel);
    if (!body.contains(QLatin1String("input"))) {
        if (request.inputs.isEmpty())
            return ChatError::invalid(QStringLiteral("input"), QStringLiteral("input: required"));
        body.insert(QStringLiteral("input"),
                    request.singleInput && request.inputs.size() == 1
                        ? QJsonValue(request.inputs.first())
                        : QJsonValue(QJsonArray::fromStringList(request.inputs)));
    }
    body.insert(QStringLiteral("encoding_format"), QStringLiteral("float"));
    if (request.dimensions)
        body.insert(QStringLiteral("dimensions"), *request.dimensions);
    if (!request.user.isEmpty())
        body.insert(QStringLiteral("user"), request.user);
    return body;
}

ChatResult<EmbeddingResponse> OpenAiEmbeddingsCodec::parseResponse(const QJsonObject &body)
{
    if (!body.value(QLatin1String("data")).isArray())
        return ChatError::badGateway(QStringLiteral("upstream response has no data"));
    const QJsonArray data = body.value(QLatin1String("data")).toArray();
    QList<std::optional<QList<float>>> byIndex(data.size());
    for (int i = 0; i < data.size(); ++i) {
        const QJsonObject item = data.at(i).toObject();
        const qint64 index = item.value(QLatin1String("index")).toInteger(i);
        if (index < 0 || index >= data.size() || byIndex.at(index))
            return ChatError::badGateway(
                QStringLiteral("upstream response has a missing or repeated embedding index"));
        const QJsonValue embedding = item.value(QLatin1String("embedding"));
        QList<float> vector;
        if (embedding.isString()) {
            const std::optional<QList<float>> decoded = decodeBase64(embedding.toString());
            if (!decoded)
                return ChatError::badGateway(QStringLiteral(
                    "upstream response has a base64 embedding that is not float32 data"));
            vector = *decoded;
        } else if (embedding.isArray()) {
            const QJsonArray numbers = embedding.toArray();
            vector.reserve(numbers.size());
            for (const QJsonValue &number : numbers) {
                if (!number.isDouble())
                    return ChatError::badGateway(
                        QStringLiteral("upstream response has a non-numeric embedding value"));
                vector.append(static_cast<float>(number.toDouble()));
            }
        } else {
            return ChatError::badGateway(
                QStringLiteral("upstream response has an embedding of unknown form"));
        }
        byIndex[index] = vector;
    }

    EmbeddingResponse response;
    response.model = body.value(QLatin1String("model")).toString();
    for (const std::optional<QList<float>> &vector : std::as_const(byIndex))
        response.vectors.append(*vector);
    if (body.value(QLatin1String("usage")).isObject()) {
        response.usage.present = true;
        response.usage.input = body.value(QLatin1String("usage"))
                                   .toObject()
                                   .value(QLatin1String("prompt_tokens"))
                                   .toInteger();
    }
    return response;
}

QJsonObject OpenAiEmbeddingsCodec::writeResponse(const EmbeddingResponse &response,
                                                 const QString &encodingFormat)
{
    const bool base64 = encodingFormat == QLatin1String("base64");
    QJsonArray data;
    for (int i = 0; i < response.vectors.size(); ++i) {
        const QList<float> &vector = response.vectors.at(i);
        QJsonValue embedding;
        if (base64) {
            embedding = encodeBase64(vector);
        } else {
            QJsonArray numbers;
            for (float value : vector)
                numbers.append(floatValue(value));
            embedding = numbers;
        }
        data.append(QJsonObject{{QStringLiteral("object"), QStringLiteral("embedding")},
                                {QStringLiteral("index"), i},
                                {QStringLiteral("embedding"), embedding}});
    }
    return QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                       {QStringLiteral("data"), data},
                       {QStringLiteral("model"), response.model},
                       {QStringLiteral("usage"),
                        QJsonObject{{QStringLiteral("prompt_tokens"), response.usage.input},
                                    {QStringLiteral("total_tokens"), response.usage.input}}}};
}

QJsonObject OpenAiEmbeddingsCodec::writeModelList(const QStringList &publicModels, qint64 created)
{
    QJsonArray data;
    for (const QString &name : publicModels) {
        data.append(QJsonObject{{QStringLiteral("id"), name},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("created"), created},
                                {QStringLiteral("owned_by"), QStringLiteral("gatehouse")}});
    }
    return QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                       {QStringLiteral("data"), data}};
}

QString OpenAiEmbeddingsCodec::encodeBase64(const QList<float> &vector)
{
    QByteArray bytes(vector.size() * 4, Qt::Uninitialized);
    for (qsizetype i = 0; i < vector.size(); ++i) {
        quint32 bits;
        std::memcpy(&bits, &vector.at(i), sizeof bits);
        qToLittleEndian(bits, bytes.data() + i * 4);
    }
    return QString::fromLatin1(bytes.toBase64());
}

std::optional<QList<float>> OpenAiEmbeddingsCodec::decodeBase64(const QString &text)
{
    const QByteArray::FromBase64Result decoded =
        QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() % 4 != 0)
        return std::nullopt;
    QList<float> vector;
    vector.reserve(decoded.decoded.size() / 4);
    for (qsizetype i = 0; i < decoded.decoded.size(); i += 4) {
        const quint32 bits = qFromLittleEndian<quint32>(decoded.decoded.constData() + i);
        float value;
        std::memcpy(&value, &bits, sizeof value);
        vector.append(value);
    }
    return vector;
}

} // namespace gh
