#pragma once

#include "ProviderType.h"

#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <variant>

class QNetworkAccessManager;
class QTimer;

namespace gh {

// Asks a provider which models it offers ("Test connection" in the desktop app): one GET to
// the provider's own listing endpoint with its auth headers, asynchronously.
//   OpenAI family:  GET {base}/models                          {"data":[{"id":…}]}
//   azure-openai:   GET {base}/openai/models?api-version=…     same, key in api-key
//   anthropic:      GET {base}/v1/models?limit=1000            {"data":[{"id":…}]}, with
//                   anthropic-version
//   gemini:         GET {base}/models?pageSize=1000            {"models":[{"name":"models/…"}]}
//   ollama:         GET {base}/api/tags                        {"models":[{"name":…}]}
// (docs: platform.openai.com/docs/api-reference/models/list, docs.anthropic.com/en/api/
// models-list, ai.google.dev/api/models#method:-models.list, learn.microsoft.com/rest/api/
// azureopenai/models/list, docs.ollama.com/api/tags). Only the first page is read: 1000
// models is plenty to pick from.
class ProviderModelLister : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 10000;

    explicit ProviderModelLister(QObject *parent = nullptr);
    ~ProviderModelLister() override;

    // provider: SPEC §3 provider JSON (type, base_url, api_version, headers). Header values
    // are sent as given, so resolve secret references in them first. A running listing is
    // abandoned. Ends in exactly one of finished() or failed().
    void list(const QJsonObject &provider, const QString &resolvedApiKey);
    void abort();
    bool isRunning() const { return m_reply != nullptr; }

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }

    // The listing request for a provider, or why there is none (unknown type, no base URL).
    static std::variant<QNetworkRequest, QString> listRequest(const QJsonObject &provider,
                                                              const QByteArray &apiKey);
    // The model names in a listing answer, sorted, or what is wrong with the answer.
    static std::variant<QStringList, QString> parseModels(ProviderType type,
                                                          const QByteArray &body);
    // The message inside a provider's JSON error body, in any dialect; empty if none.
    static QString errorMessage(const QByteArray &body);

Q_SIGNALS:
    void finished(const QStringList &models);
    void failed(const QString &message);

private:
    void replyFinished();
    void timedOut();
    void fail(const QString &message);

    QNetworkAccessManager *m_network;
    QTimer *m_timer;
    QPointer<QNetworkReply> m_reply;
    ProviderType m_type = ProviderType::OpenAi;
    QString m_url;
    int m_timeoutMs = DefaultTimeoutMs;
};

} // namespace gh
