#pragma once

#include "log/RequestRecord.h"

#include <QWidget>

namespace gh {

// A request's timing as a waterfall: time in the gateway, waiting for upstreams (summed
// over retries and fallbacks), sending the response body, and the total, each as a bar
// on one time axis with its duration.
class TimingView : public QWidget
{
    Q_OBJECT

public:
    struct Phase
    {
        QString name;
        double startMs = 0;
        double durationMs = 0;
    };

    explicit TimingView(QWidget *parent = nullptr);

    // What the log measured, as phases (empty for a default record).
    static QList<Phase> phases(const RequestRecord &record);
    void setRecord(const RequestRecord &record);
    void clear();
    const QList<Phase> &currentPhases() const { return m_phases; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Phase> m_phases;
    double m_totalMs = 0;
};

} // namespace gh
