#include "ProviderModelLister.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

namespace gh {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

// "https://api.openai.com/v1/models" without query, for messages (a query may hold a key).
QString displayUrl(const QUrl &url)
{
    return url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
}

QString hostAndPort(const QUrl &url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return QStringLiteral("%1:%2").arg(url.host()).arg(port);
}

} // namespace

ProviderModelLister::ProviderModelLister(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ProviderModelLister::timedOut);
}

ProviderModelLister::~ProviderModelLister()
{
    abort();
}

std::variant<QNetworkRequest, QString> ProviderModelLister::listRequest(const QJsonObject &provider,
                                                                        const QByteArray &apiKey)
{
    const QString typeName = provider.value(key("type")).toString();
    const auto type = ProviderTypes::fromName(typeName);
    if (!type)
        return QStringLiteral("Unknown provider type \"%1\".").arg(typeName);
    QString base = provider.value(key("base_url")).toString().trimmed();
    if (base.isEmpty())
        base = ProviderTypes::defaultBaseUrl(*type);
    if (base.isEmpty())
        return QStringLiteral("Type %1 has no default base URL: enter the provider's URL.")
            .arg(typeName);
    while (base.endsWith(u'/'))
        base.chop(1);

    QUrl url;
    switch (*type) {
    case ProviderType::AzureOpenAi: {
        url = QUrl(base + QStringLiteral("/openai/models"));
        QUrlQuery query;
        const QString version = provider.value(key("api_version")).toString();
        query.addQueryItem(QStringLiteral("api-version"),
                           version.isEmpty() ? ProviderTypes::defaultAzureApiVersion() : version);
        url.setQuery(query);
        break;
    }
    case ProviderType::Anthropic:
        url = QUrl(base + QStringLiteral("/v1/models?limit=1000"));
        break;
    case ProviderType::Gemini:
        url = QUrl(base + QStringLiteral("/models?pageSize=1000"));
        break;
    case ProviderType::Ollama:
        url = QUrl(base + QStringLiteral("/api/tags"));
        break;
    default:
        url = QUrl(base + QStringLiteral("/models"));
        break;
    }
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        return QStringLiteral("The base URL \"%1\" is not an http:// or https:// URL.").arg(base);
    }

    QNetworkRequest request(url);
    request.setRawHeader("accept", "application/json");
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    for (const auto &[name, value] : ProviderTypes::authHeaders(*type, apiKey))
        request.setRawHeader(name, value);
    if (*type == ProviderType::Anthropic)
        request.setRawHeader("anthropic-version", ProviderTypes::anthropicVersion());
    const QJsonObject headers = provider.value(key("headers")).toObject();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
        if (it.value().isString())
            request.setRawHeader(it.key().toLatin1(), it.value().toString().toUtf8());
    }
    return request;
}

std::variant<QStringList, QString> ProviderModelLister::parseModels(ProviderType type,
                                                                    const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("The answer is not JSON (%1 at byte %2).")
            .arg(error.errorString())
            .arg(error.offset);
    if (!doc.isObject())
        return QStringLiteral("The answer is JSON but not an object.");

    // Which list holds the models, and which field names them.
    QString listKey = key("data");
    QString nameKey = key("id");
    if (type == ProviderType::Gemini || type == ProviderType::Ollama) {
        listKey = key("models");
        nameKey = key("name");
    }
    const QJsonValue list = doc.object().value(listKey);
    if (!list.isArray())
        return QStringLiteral("The answer has no \"%1\" list of models.").arg(listKey);

    QStringList models;
    const QJsonArray items = list.toArray();
    for (const QJsonValue &item : items) {
        QString name = item.toObject().value(nameKey).toString();
        if (type == ProviderType::Gemini && name.startsWith(QLatin1String("models/")))
            name = name.mid(7);
        if (!name.isEmpty())
            models.append(name);
    }
    models.removeDuplicates();
    models.sort(Qt::CaseInsensitive);
    return models;
}

QString ProviderModelLister::errorMessage(const QByteArray &body)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonValue error = root.value(key("error"));
    // OpenAI, Anthropic, Gemini: {"error":{"message":…}}; Ollama: {"error":"…"}.
    if (error.isObject())
        return error.toObject().value(key("message")).toString();
    if (error.isString())
        return error.toString();
    return root.value(key("message")).toString();
}

void ProviderModelLister::list(const QJsonObject &provider, const QString &resolvedApiKey)
{
    abort();
    auto request = listRequest(provider, resolvedApiKey.toUtf8());
    if (const QString *message = std::get_if<QString>(&request)) {
        // Queued, so callers see the same asynchronous behaviour either way.
        QMetaObject::invokeMethod(
            this, [this, text = *message] { Q_EMIT failed(text); }, Qt::QueuedConnection);
        return;
    }
    const QNetworkRequest &networkRequest = std::get<QNetworkRequest>(request);
    m_type = *ProviderTypes::fromName(provider.value(key("type")).toString());
    m_url = displayUrl(networkRequest.url());
    m_reply = m_network->get(networkRequest);
    connect(m_reply, &QNetworkReply::finished, this, &ProviderModelLister::replyFinished);
    m_timer->start(m_timeoutMs);
}

void ProviderModelLister::abort()
{
    m_timer->stop();
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void ProviderModelLister::timedOut()
{
    if (!m_reply)
        return;
    abort();
    Q_EMIT failed(QStringLiteral("No answer from %1 within %2 s.")
                      .arg(m_url)
                      .arg(m_timeoutMs / 1000.0, 0, 'g', 3));
}

void ProviderModelLister::fail(const QString &message)
{
    Q_EMIT failed(message);
}

void ProviderModelLister::replyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    m_timer->stop();
    reply->deleteLater();

    const QUrl url = reply->url();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QByteArray body = reply->readAll();
    if (!status.isValid()) {
        switch (reply->error()) {
        case QNetworkReply::ConnectionRefusedError:
            return fail(QStringLiteral("Connection refused by %1: nothing is listening there. Is "
                                       "the server running, and is the base URL right?")
                            .arg(hostAndPort(url)));
        case QNetworkReply::HostNotFoundError:
            return fail(
                QStringLiteral("Host \"%1\" not found: check the base URL.").arg(url.host()));
        case QNetworkReply::SslHandshakeFailedError:
            return fail(QStringLiteral("The TLS handshake with %1 failed: %2")
                            .arg(url.host(), reply->errorString()));
        default:
            return fail(QStringLiteral("Could not reach %1: %2").arg(m_url, reply->errorString()));
        }
    }

    const int code = status.toInt();
    if (code < 200 || code >= 300) {
        const QString reason =
            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        QString detail = errorMessage(body);
        if (detail.isEmpty())
            detail = QString::fromUtf8(body.left(300)).simplified();
        const QString statusText =
            QStringLiteral("HTTP %1%2").arg(code).arg(reason.isEmpty() ? QString() : u' ' + reason);
        QString message;
        if (code == 401)
            message = QStringLiteral("The provider refused the API key (%1).").arg(statusText);
        else if (code == 403)
            message = QStringLiteral("The provider accepted the key but refused access (%1).")
                          .arg(statusText);
        else
            message = QStringLiteral("%1 answered %2.").arg(m_url, statusText);
        if (!detail.isEmpty())
            message += u' ' + detail;
        return fail(message);
    }

    auto models = parseModels(m_type, body);
    if (const QString *problem = std::get_if<QString>(&models))
        return fail(QStringLiteral("Unexpected answer from %1: %2").arg(m_url, *problem));
    Q_EMIT finished(std::get<QStringList>(models));
}

} // namespace gh
