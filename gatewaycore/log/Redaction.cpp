#include "Redaction.h"

#include "RequestRecord.h"

#include <QRegularExpression>

namespace gh::Redaction {

namespace {

bool endsWithCi(QByteArrayView text, QByteArrayView suffix)
{
    return text.size() >= suffix.size() &&
           text.sliced(text.size() - suffix.size()).compare(suffix, Qt::CaseInsensitive) == 0;
}

QString mask()
{
    return QString::fromLatin1(Mask);
}

} // namespace

bool isSecretHeader(QByteArrayView name)
{
    for (const char *secret : {"authorization", "proxy-authorization", "x-api-key", "api-key",
                               "x-goog-api-key", "cookie", "set-cookie"}) {
        if (name.compare(QByteArrayView(secret), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isSecretParameter(QByteArrayView name)
{
    // key=, api_key=, apikey=, x-api-key=, access_token=, client_secret=, password=
    return endsWithCi(name, "key") || endsWithCi(name, "token") || endsWithCi(name, "secret") ||
           endsWithCi(name, "password") || name.compare("authorization", Qt::CaseInsensitive) == 0;
}

QByteArray query(const QByteArray &query)
{
    if (query.isEmpty())
        return query;
    QByteArray out;
    out.reserve(query.size());
    qsizetype start = 0;
    while (start <= query.size()) {
        qsizetype end = query.indexOf('&', start);
        if (end < 0)
            end = query.size();
        const QByteArrayView pair = QByteArrayView(query).sliced(start, end - start);
        const qsizetype eq = pair.indexOf('=');
        // Names may be percent-encoded (api%5Fkey); decoded only to decide.
        const QByteArray name =
            QByteArray::fromPercentEncoding(pair.first(eq < 0 ? pair.size() : eq).toByteArray());
        if (start > 0)
            out += '&';
        if (eq >= 0 && isSecretParameter(name)) {
            out += pair.first(eq + 1);
            out += Mask;
        } else {
            out += pair;
        }
        start = end + 1;
    }
    return out;
}

QByteArray target(const QByteArray &target)
{
    const qsizetype q = target.indexOf('?');
    if (q < 0)
        return target;
    return target.left(q + 1) + query(target.mid(q + 1));
}

HttpHeaders headers(const HttpHeaders &headers)
{
    HttpHeaders out;
    for (const HttpHeaders::Entry &entry : headers.entries())
        out.add(entry.first, isSecretHeader(entry.first) ? QByteArray(Mask) : entry.second);
    return out;
}

QByteArray body(const QByteArray &body)
{
    if (body.isEmpty())
        return body;
    // Textual patterns rather than a parse: captured bodies are capped, so often cut off
    // mid-document, and secrets may sit anywhere (a prompt quoting a key).
    static const QRegularExpression jsonMember(
        QStringLiteral(
            R"re(("[^"\\]*(?:key|token|secret|password|authorization|cookie)"\s*:\s*)"(?:[^"\\]|\\.)*"?)re"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression bearer(
        QStringLiteral(R"re(\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+)re"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression keyShaped(
        QStringLiteral(R"re(\b(?:gh|gha|sk|sk-ant|sk-proj|AIza)[-_]?[A-Za-z0-9_-]{16,})re"));
    // A URL or query string quoted in a body (an echoed request, an error message).
    static const QRegularExpression urlParameter(
        QStringLiteral(
            R"re(([?&;](?:[A-Za-z0-9_.%-]*(?:key|token|secret|password))=)[^&\s"'<>]*)re"),
        QRegularExpression::CaseInsensitiveOption);
    QString text = QString::fromUtf8(body);
    text.replace(urlParameter, QStringLiteral("\\1") + mask());
    text.replace(jsonMember, QStringLiteral("\\1\"") + mask() + QLatin1Char('"'));
    text.replace(bearer, QStringLiteral("\\1 ") + mask());
    text.replace(keyShaped, mask());
    QByteArray out = text.toUtf8();
    // A form body is a query string.
    if (!out.contains('{') && !out.contains(' ') && out.contains('='))
        out = query(out);
    return out;
}

void apply(RequestRecord &record)
{
    // Most rows have no query, no captured headers or bodies: nothing is reassigned then.
    if (record.path.contains('?'))
        record.path = target(record.path);
    if (!record.error.isEmpty())
        record.error = QString::fromUtf8(body(record.error.toUtf8()));
    if (!record.requestHeaders.isEmpty())
        record.requestHeaders = headers(record.requestHeaders);
    if (!record.responseHeaders.isEmpty())
        record.responseHeaders = headers(record.responseHeaders);
    if (!record.requestBody.isEmpty())
        record.requestBody = body(record.requestBody);
    if (!record.responseBody.isEmpty())
        record.responseBody = body(record.responseBody);
}

} // namespace gh::Redaction
