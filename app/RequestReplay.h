#pragma once

#include "http/HttpHeaders.h"
#include "log/RequestRecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace gh {

// What a replay sends: the logged request rebuilt from what the log holds, to the gateway
// listener again.
struct ReplayPlan
{
    QByteArray method;
    QUrl url;
    QList<HttpHeaders::Entry> headers;
    QByteArray body;
    bool usesDesktopKey = false;
    QStringList notes; // what differs from the original, for the user to read
};

// "Replay request" of the Traffic page. The log is redacted, so a replay never sends a
// masked secret as if it were real: an AI or keyed call gets the desktop app's own key
// (Gateway::desktopKey) in the place of the masked one, other masked headers and query
// parameters are left out (and listed in the notes), and a body that was masked, not
// captured (settings.log_bodies off) or only partly captured is refused.
class RequestReplay : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Running, Finished, Failed };
    Q_ENUM(State)
    // A replayed answer is shown, not stored: the first MiB is plenty to read.
    static constexpr qint64 MaxBodyBytes = 1024 * 1024;

    explicit RequestReplay(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~RequestReplay() override;

    // record: the whole row (RequestLogReader::records). nullopt with *refusal saying why
    // it cannot be replayed faithfully.
    static std::optional<ReplayPlan> plan(const RequestRecord &record, const QString &gatewayUrl,
                                          const QByteArray &desktopKey, QString *refusal);
    // Whether the original call needed a consumer key (AI calls, prompt APIs, keyed routes).
    static bool wasKeyed(const RequestRecord &record);

    void start(const ReplayPlan &plan);
    void abort();

    State state() const { return m_state; }
    int status() const { return m_status; }
    QString reason() const { return m_reason; }
    const HttpHeaders &responseHeaders() const { return m_headers; }
    QByteArray responseBody() const { return m_body; }
    QString errorMessage() const { return m_error; }
    qint64 elapsedMs() const { return m_elapsedMs; }

Q_SIGNALS:
    void finished();

private:
    void replyFinished();

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_clock;
    State m_state = State::Idle;
    int m_status = 0;
    QString m_reason;
    HttpHeaders m_headers;
    QByteArray m_body;
    QString m_error;
    qint64 m_elapsedMs = -1;
};

} // namespace gh
