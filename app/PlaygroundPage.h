#pragma once

#include "PlaygroundRequest.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QNetworkAccessManager;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QSplitter;

namespace gh {

class Gateway;
class PlaygroundPane;

// Try the gateway's models: pick a model (or two or three side by side with "Compare"),
// write a system and a user prompt, set the sampling parameters and Send. Each answer
// streams into its own pane through the gateway's /v1/chat/completions, as any client's
// would, and shows tokens, cost and latency. "Copy as" puts the same request on the
// clipboard as a curl command or an OpenAI SDK program.
class PlaygroundPage : public QWidget
{
    Q_OBJECT

public:
    static constexpr int MaxPanes = 3;

    explicit PlaygroundPage(Gateway *gateway, QWidget *parent = nullptr);

    QList<PlaygroundPane *> panes() const { return m_panes; }
    // The request as the fields describe it (the model of the first pane).
    PlaygroundParams params() const;

    // Where requests go and with which key: the in-process gateway unless set (tests
    // point the page at a fake).
    void setGatewayTarget(const QString &gatewayUrl, const QByteArray &apiKey);
    QString gatewayUrl() const;

public Q_SLOTS:
    void send();
    void stop();
    PlaygroundPane *addPane();

private:
    QByteArray gatewayKey() const;
    void reloadModels();
    void removePane(PlaygroundPane *pane);
    void copySnippet(const QString &language);
    void updateButtons();

    QPointer<Gateway> m_gateway;
    QNetworkAccessManager *m_network;
    QString m_urlOverride;
    QByteArray m_keyOverride;
    bool m_targetOverridden = false;
    QStringList m_models;
    QList<PlaygroundPane *> m_panes;
    QSplitter *m_splitter;
    QPushButton *m_compare;
    QPlainTextEdit *m_system;
    QPlainTextEdit *m_prompt;
    QCheckBox *m_useTemperature;
    QDoubleSpinBox *m_temperature;
    QCheckBox *m_useMaxTokens;
    QSpinBox *m_maxTokens;
    QCheckBox *m_useTopP;
    QDoubleSpinBox *m_topP;
    QCheckBox *m_stream;
    QPushButton *m_send;
    QPushButton *m_stop;
    QLabel *m_notice;
    QLabel *m_copied;
};

} // namespace gh
