#include "Sparkline.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace gh {

Sparkline::Sparkline(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void Sparkline::setValues(const QList<double> &values)
{
    m_values = values;
    update();
}

void Sparkline::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event)
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(1, 2, -1, -2);
    const QColor line = palette().color(QPalette::Highlight);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.drawLine(area.bottomLeft(), area.bottomRight());
    if (m_values.size() < 2)
        return;
    const double maximum = *std::max_element(m_values.cbegin(), m_values.cend());
    const double scale = maximum > 0 ? area.height() / maximum : 0;
    const double step = area.width() / double(m_values.size() - 1);
    QPainterPath path;
    for (qsizetype i = 0; i < m_values.size(); ++i) {
        const QPointF point(area.left() + double(i) * step, area.bottom() - m_values.at(i) * scale);
        if (i == 0)
            path.moveTo(point);
        else
            path.lineTo(point);
    }
    QPainterPath fill = path;
    fill.lineTo(area.bottomRight());
    fill.lineTo(area.bottomLeft());
    fill.closeSubpath();
    QColor shade = line;
    shade.setAlpha(50);
    painter.fillPath(fill, shade);
    painter.setPen(QPen(line, 1.5));
    painter.drawPath(path);
}

} // namespace gh
