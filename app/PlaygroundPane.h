#pragma once

#include "PlaygroundRequest.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QNetworkAccessManager;
class QPlainTextEdit;
class QToolButton;

namespace gh {

class Gateway;

// One answer column of the Playground: its own model, the answer as it streams in, and
// after it the tokens, cost and latency, or the error.
class PlaygroundPane : public QWidget
{
    Q_OBJECT

public:
    PlaygroundPane(Gateway *gateway, QNetworkAccessManager *network, QWidget *parent = nullptr);

    void setModels(const QStringList &models);
    QString model() const;
    void setModel(const QString &model);
    // Only the extra panes of a comparison can be closed.
    void setClosable(bool closable);

    // Sends params with this pane's model.
    void send(const QString &gatewayUrl, const QByteArray &apiKey, PlaygroundParams params);
    void stop();
    bool isRunning() const { return m_request->isRunning(); }
    PlaygroundRequest *request() const { return m_request; }

    QString answerText() const;
    QString statsText() const;
    QString errorText() const;

    // "12 in / 34 out tokens · $0.000123 · first token 210 ms · total 1.35 s · openai /
    // gpt-4o-mini"; cost nullopt: "price unknown".
    static QString formatStats(const PlaygroundRequest &request, std::optional<double> costUsd);
    // USD for the request's usage at the price of the provider and upstream model the
    // gateway reported in its headers; nullopt when there is no price for them.
    static std::optional<double> cost(Gateway *gateway, const PlaygroundRequest &request);

Q_SIGNALS:
    void runningChanged(bool running);
    void closeRequested();

private:
    void received(const QString &delta);
    void finished();

    QPointer<Gateway> m_gateway;
    PlaygroundRequest *m_request;
    QComboBox *m_model;
    QToolButton *m_close;
    QPlainTextEdit *m_answer;
    QLabel *m_error;
    QLabel *m_stats;
};

} // namespace gh
