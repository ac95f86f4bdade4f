#include "HarExport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QUrl>
#include <QUrlQuery>

namespace gh {

namespace {

QJsonArray headerArray(const HttpHeaders &headers)
{
    QJsonArray array;
    for (const HttpHeaders::Entry &entry : headers.entries())
        array.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(entry.first)},
                                 {QStringLiteral("value"), QString::fromUtf8(entry.second)}});
    return array;
}

QString reasonPhrase(int status)
{
    // The log keeps codes only; the standard phrase is what a HAR viewer expects.
    static const QHash<int, QString> phrases{
        {200, QStringLiteral("OK")},
        {201, QStringLiteral("Created")},
        {202, QStringLiteral("Accepted")},
        {204, QStringLiteral("No Content")},
        {301, QStringLiteral("Moved Permanently")},
        {302, QStringLiteral("Found")},
        {304, QStringLiteral("Not Modified")},
        {400, QStringLiteral("Bad Request")},
        {401, QStringLiteral("Unauthorized")},
        {403, QStringLiteral("Forbidden")},
        {404, QStringLiteral("Not Found")},
        {405, QStringLiteral("Method Not Allowed")},
        {408, QStringLiteral("Request Timeout")},
        {410, QStringLiteral("Gone")},
        {413, QStringLiteral("Content Too Large")},
        {429, QStringLiteral("Too Many Requests")},
        {431, QStringLiteral("Request Header Fields Too Large")},
        {499, QStringLiteral("Client Closed Request")},
        {500, QStringLiteral("Internal Server Error")},
        {502, QStringLiteral("Bad Gateway")},
        {503, QStringLiteral("Service Unavailable")},
        {504, QStringLiteral("Gateway Timeout")}};
    return phrases.value(status);
}

QString mimeType(const HttpHeaders &headers, const QByteArray &fallback)
{
    const QByteArray type = headers.value("content-type");
    return QString::fromLatin1(type.isEmpty() ? fallback : type);
}

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

template <typename T> QJsonValue orNull(const std::optional<T> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

QJsonObject entry(const RequestRecord &r, const QString &baseUrl)
{
    const QUrl url(baseUrl + QString::fromUtf8(r.path));
    QJsonArray queryString;
    for (const auto &[name, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
        queryString.append(
            QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});

    QJsonObject request{{QStringLiteral("method"), QString::fromLatin1(r.method)},
                        {QStringLiteral("url"), url.toString(QUrl::FullyEncoded)},
                        {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
                        {QStringLiteral("cookies"), QJsonArray()},
                        {QStringLiteral("headers"), headerArray(r.requestHeaders)},
                        {QStringLiteral("queryString"), queryString},
                        {QStringLiteral("headersSize"), -1},
                        {QStringLiteral("bodySize"), r.bytesIn}};
    if (!r.requestBody.isEmpty())
        request.insert(QStringLiteral("postData"),
                       QJsonObject{{QStringLiteral("mimeType"),
                                    mimeType(r.requestHeaders, "application/octet-stream")},
                                   {QStringLiteral("params"), QJsonArray()},
                                   {QStringLiteral("text"), QString::fromUtf8(r.requestBody)}});

    QJsonObject content{{QStringLiteral("size"), r.bytesOut},
                        {QStringLiteral("mimeType"), mimeType(r.responseHeaders, "")}};
    if (!r.responseBody.isEmpty()) {
        content.insert(QStringLiteral("text"), QString::fromUtf8(r.responseBody));
        if (r.responseBody.size() < r.bytesOut)
            content.insert(
                QStringLiteral("comment"),
                QStringLiteral("only the first %1 bytes were captured").arg(r.responseBody.size()));
    }
    const QJsonObject response{
        {QStringLiteral("status"), r.status},
        {QStringLiteral("statusText"), reasonPhrase(r.status)},
        {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("headers"), headerArray(r.responseHeaders)},
        {QStringLiteral("content"), content},
        {QStringLiteral("redirectURL"), QString::fromLatin1(r.responseHeaders.value("location"))},
        {QStringLiteral("headersSize"), -1},
        {QStringLiteral("bodySize"), r.bytesOut}};

    // HAR's phases from what the gateway measured: waiting = time to the response head,
    // receive = the rest; the client's DNS/connect/send are not the gateway's to know.
    const double wait = r.ttfbMs.value_or(r.latencyMs);
    const double receive = qMax(0.0, r.latencyMs - wait);
    const QJsonObject timings{{QStringLiteral("blocked"), -1},     {QStringLiteral("dns"), -1},
                              {QStringLiteral("connect"), -1},     {QStringLiteral("ssl"), -1},
                              {QStringLiteral("send"), 0},         {QStringLiteral("wait"), wait},
                              {QStringLiteral("receive"), receive}};
    const QJsonObject gatehouse{
        {QStringLiteral("id"), r.id},
        {QStringLiteral("request_id"), orNull(QString::fromLatin1(r.requestId))},
        {QStringLiteral("consumer"), orNull(r.consumer)},
        {QStringLiteral("route"), orNull(r.route)},
        {QStringLiteral("prompt_api"), orNull(r.promptApi)},
        {QStringLiteral("provider"), orNull(r.provider)},
        {QStringLiteral("model"), orNull(r.model)},
        {QStringLiteral("upstream_ms"), orNull(r.upstreamMs)},
        {QStringLiteral("tokens_in"), orNull(r.tokensIn)},
        {QStringLiteral("tokens_out"), orNull(r.tokensOut)},
        {QStringLiteral("cost_usd"), orNull(r.costUsd)},
        {QStringLiteral("cache"), orNull(QString::fromLatin1(r.cache))},
        {QStringLiteral("error"), orNull(r.error)}};
    return QJsonObject{
        {QStringLiteral("startedDateTime"),
         QDateTime::fromMSecsSinceEpoch(r.tsMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("time"), wait + receive},
        {QStringLiteral("request"), request},
        {QStringLiteral("response"), response},
        {QStringLiteral("cache"), QJsonObject()},
        {QStringLiteral("timings"), timings},
        {QStringLiteral("_gatehouse"), gatehouse}};
}

} // namespace

QJsonObject HarExport::document(const QList<RequestRecord> &records, const QString &baseUrl)
{
    QString base = baseUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    QJsonArray entries;
    for (const RequestRecord &record : records)
        entries.append(entry(record, base));
    const QJsonObject log{
        {QStringLiteral("version"), QStringLiteral("1.2")},
        {QStringLiteral("creator"),
         QJsonObject{{QStringLiteral("name"), QStringLiteral("Gatehouse")},
                     {QStringLiteral("version"), QStringLiteral(GATEHOUSE_VERSION)}}},
        {QStringLiteral("pages"), QJsonArray()},
        {QStringLiteral("entries"), entries}};
    return QJsonObject{{QStringLiteral("log"), log}};
}

bool HarExport::write(const QString &path, const QJsonObject &document, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QCoreApplication::translate("gh::HarExport", "Cannot write %1: %2")
                     .arg(path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(document).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        *error = QCoreApplication::translate("gh::HarExport", "Cannot write %1: %2")
                     .arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace gh
