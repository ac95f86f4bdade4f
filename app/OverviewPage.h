#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;

namespace gh {

class Gateway;
class LiveStats;
class Sparkline;

// What the gateway is doing right now: state, URLs, uptime and counters, and a button to
// start or stop it. Counters are polled once a second, only while the page is visible.
// Live sparklines (LiveStats) show requests and errors per second over two minutes and
// the spend of the current UTC day.
class OverviewPage : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewPage(Gateway *gateway, QWidget *parent = nullptr);

    static QString formatUptime(qint64 seconds);
    LiveStats *liveStats() const { return m_live; }

Q_SIGNALS:
    // The user wants to change listeners or the data dir (the error hint links there).
    void settingsRequested();

public Q_SLOTS:
    void refresh();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void toggleGateway();
    void refreshCounters();
    void refreshLive();

    Gateway *m_gateway;
    QTimer *m_ticker;
    QLabel *m_state;
    QLabel *m_gatewayUrl;
    QLabel *m_adminUrl;
    QLabel *m_uptime;
    QLabel *m_requestsServed;
    QLabel *m_openConnections;
    QLabel *m_dataDir;
    QLabel *m_error;
    QPushButton *m_startStop;
    LiveStats *m_live;
    Sparkline *m_requestsLine;
    Sparkline *m_errorsLine;
    Sparkline *m_spendLine;
    QLabel *m_requestsRate;
    QLabel *m_errorsRate;
    QLabel *m_spendToday;
};

} // namespace gh
