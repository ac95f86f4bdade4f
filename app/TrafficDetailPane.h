#pragma once

#include "log/RequestRecord.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace gh {

class Gateway;
class ReplayDialog;
class TimingView;

// The Traffic page's detail of one request: a summary line at once from the table's row,
// then the whole row from the log (RequestLogReader, off the UI thread) with the general
// fields and both header sets, both bodies (pretty JSON, formatted on a pool thread) and a
// timing breakdown. "Replay" sends it again (ReplayDialog).
class TrafficDetailPane : public QWidget
{
    Q_OBJECT

public:
    enum Tab { HeadersTab, RequestTab, ResponseTab, TimingTab };

    explicit TrafficDetailPane(Gateway *gateway, QWidget *parent = nullptr);

    // summary: the table's row (no bodies); the rest is read from the log by its id.
    void showRecord(const RequestRecord &summary);
    void clear();

    // The whole row once loaded() was emitted.
    bool isLoaded() const { return m_loaded; }
    const RequestRecord &record() const { return m_record; }
    QTabWidget *tabs() const { return m_tabs; }
    TimingView *timingView() const { return m_timing; }
    QString headersText() const;
    QString requestBodyText() const;
    QString responseBodyText() const;

public Q_SLOTS:
    // Opens the replay dialog for the shown request (and sends it) — null when nothing
    // is loaded.
    ReplayDialog *replay();

Q_SIGNALS:
    void loaded();

private:
    void showLoaded(const RequestRecord &record);
    QString generalText(const RequestRecord &record) const;

    Gateway *m_gateway;
    quint64 m_generation = 0; // answers for an earlier selection are dropped
    bool m_loaded = false;
    RequestRecord m_record;
    QLabel *m_summary;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_headers;
    QPlainTextEdit *m_requestBody;
    QPlainTextEdit *m_responseBody;
    TimingView *m_timing;
    QLabel *m_timingText;
    QPushButton *m_replayButton;
};

} // namespace gh
