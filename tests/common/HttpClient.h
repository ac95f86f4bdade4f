#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QString>

namespace gh::test {

struct HttpResult
{
    int status = 0; // 0: no response (connection refused, timeout)
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString error;

    QByteArray header(const QByteArray &name) const;
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
};

// A blocking HTTP/1.1 client for tests (QNetworkAccessManager in a local event loop).
class HttpClient
{
public:
    static HttpResult request(const QByteArray &method, const QString &url, const QByteArray &body = {},
                              const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                              int timeoutMs = 10000);
};

} // namespace gh::test
