#include "TimingView.h"

#include "TrafficModel.h"

#include <QPainter>

namespace gh {

namespace {
constexpr int RowHeight = 24;
constexpr int Margin = 8;
} // namespace

TimingView::TimingView(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QList<TimingView::Phase> TimingView::phases(const RequestRecord &r)
{
    QList<Phase> phases;
    if (r.latencyMs <= 0 && !r.ttfbMs)
        return phases;
    if (r.ttfbMs) {
        const double ttfb = *r.ttfbMs;
        if (r.upstreamMs) {
            // The upstream wait lies inside the time to the response head; the rest of it
            // is the gateway's own work (parsing, policies, translation).
            const double upstream = qMin(*r.upstreamMs, ttfb);
            phases.append({tr("In the gateway"), 0, ttfb - upstream});
            phases.append({tr("Waiting for upstream"), ttfb - upstream, upstream});
        } else {
            phases.append({tr("In the gateway"), 0, ttfb});
        }
        phases.append({tr("Response body"), ttfb, qMax(0.0, r.latencyMs - ttfb)});
    } else if (r.upstreamMs) {
        phases.append({tr("Waiting for upstream"), 0, qMin(*r.upstreamMs, r.latencyMs)});
    }
    phases.append({tr("Total"), 0, r.latencyMs});
    return phases;
}

void TimingView::setRecord(const RequestRecord &record)
{
    m_phases = phases(record);
    m_totalMs = record.latencyMs;
    updateGeometry();
    update();
}

void TimingView::clear()
{
    m_phases.clear();
    m_totalMs = 0;
    updateGeometry();
    update();
}

QSize TimingView::sizeHint() const
{
    return {400, Margin * 2 + RowHeight * int(qMax<qsizetype>(1, m_phases.size()))};
}

QSize TimingView::minimumSizeHint() const
{
    return {240, sizeHint().height()};
}

void TimingView::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event)
    QPainter painter(this);
    const QFontMetrics metrics = fontMetrics();
    int labelWidth = 0;
    int valueWidth = metrics.horizontalAdvance(TrafficModel::formatDuration(99999));
    for (const Phase &phase : std::as_const(m_phases)) {
        labelWidth = qMax(labelWidth, metrics.horizontalAdvance(phase.name));
        valueWidth = qMax(
            valueWidth, metrics.horizontalAdvance(TrafficModel::formatDuration(phase.durationMs)));
    }
    const int barLeft = Margin + labelWidth + Margin;
    const int barWidth = qMax(20, width() - barLeft - valueWidth - 2 * Margin);
    const double scale = m_totalMs > 0 ? barWidth / m_totalMs : 0;
    const QColor bar = palette().color(QPalette::Highlight);
    int y = Margin;
    for (const Phase &phase : std::as_const(m_phases)) {
        const QRect row(0, y, width(), RowHeight);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(Margin, y, labelWidth, RowHeight), Qt::AlignVCenter | Qt::AlignLeft,
                         phase.name);
        const int x = barLeft + int(phase.startMs * scale);
        const int w = qMax(2, int(phase.durationMs * scale));
        painter.fillRect(QRect(x, y + 6, w, RowHeight - 12),
                         phase.name == tr("Total") ? bar.darker(130) : bar);
        painter.drawText(QRect(barLeft + barWidth + Margin, y, valueWidth, RowHeight),
                         Qt::AlignVCenter | Qt::AlignRight,
                         TrafficModel::formatDuration(phase.durationMs));
        y = row.bottom() + 1;
    }
}

} // namespace gh
