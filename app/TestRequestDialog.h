#pragma once

#include <QDialog>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkReply>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPlainTextEdit;
class QPushButton;

namespace gh {

class Gateway;

// "Send Test Request": one HTTP request through the running gateway to a route, and what
// came back — status, headers (x-gatehouse-request-id, x-gatehouse-overhead-us, ...),
// the start of the body (pretty-printed when it is JSON) and the latency. Asynchronous:
// the window stays responsive while the request runs.
class TestRequestDialog : public QDialog
{
    Q_OBJECT

public:
    // Only the first 64 KiB of a response body are shown.
    static constexpr qint64 MaxBodyBytes = 64 * 1024;

    TestRequestDialog(Gateway *gateway, const QJsonObject &route, QWidget *parent = nullptr);
    ~TestRequestDialog() override;

    bool isRunning() const { return m_reply != nullptr; }

    // "Host: example.com" lines → pairs; a line that is not "Name: value" is an error.
    static bool parseHeaders(const QString &text, QList<QPair<QByteArray, QByteArray>> *headers,
                             QString *error);
    // Pretty-printed JSON, the text itself, or a note that it is binary.
    static QString bodyText(const QByteArray &body, qint64 totalBytes);

public Q_SLOTS:
    void send();

private:
    void readBody();
    void finished();
    void updateAvailability();
    void setRunning(bool running);

    QPointer<Gateway> m_gateway;
    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_timer;
    QByteArray m_body;
    qint64 m_totalBytes = 0;

    QComboBox *m_method;
    QLineEdit *m_path;
    QPlainTextEdit *m_headers;
    QPlainTextEdit *m_requestBody;
    QLabel *m_unavailable;
    QLabel *m_requestError;
    QPushButton *m_send;
    QLabel *m_status;
    QLabel *m_latency;
    QPlainTextEdit *m_responseHeaders;
    QPlainTextEdit *m_responseBody;
};

} // namespace gh
