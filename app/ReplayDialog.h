#pragma once

#include "RequestReplay.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace gh {

class Gateway;

// Replays one logged request against the gateway listener and shows what was sent (with
// every difference from the original) and the new answer: status, time, headers and the
// body, pretty-printed off the UI thread. A request that cannot be replayed faithfully
// says why and sends nothing.
class ReplayDialog : public QDialog
{
    Q_OBJECT

public:
    // record: the whole row, headers and bodies included.
    ReplayDialog(Gateway *gateway, const RequestRecord &record, QWidget *parent = nullptr);

    // Whether a plan exists (else refusal() says why).
    bool canReplay() const { return m_plan.has_value(); }
    QString refusal() const { return m_refusal; }
    const ReplayPlan &plan() const { return *m_plan; }
    RequestReplay *replay() const { return m_replay; }

public Q_SLOTS:
    void send();

Q_SIGNALS:
    // The answer is on screen (body formatting done).
    void shown();

private:
    void showAnswer();

    Gateway *m_gateway;
    std::optional<ReplayPlan> m_plan;
    QString m_refusal;
    RequestReplay *m_replay;
    QLabel *m_status;
    QLabel *m_notes;
    QPlainTextEdit *m_request;
    QPlainTextEdit *m_response;
    QPushButton *m_sendButton;
};

} // namespace gh
