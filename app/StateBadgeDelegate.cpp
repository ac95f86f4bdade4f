#include "StateBadgeDelegate.h"

#include "LifecycleState.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace gh {

namespace {
constexpr int HorizontalPadding = 8;
constexpr int Margin = 3;
} // namespace

void StateBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    // The cell itself (selection, alternating rows) without its text.
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    const QString state = cell.text;
    cell.text.clear();
    const QStyle *style = cell.widget ? cell.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, cell.widget);

    const QString text = LifecycleState::label(state);
    const QFontMetrics metrics(option.font);
    const int height = qMin(metrics.height() + 4, option.rect.height() - 2 * Margin);
    const int width = metrics.horizontalAdvance(text) + 2 * HorizontalPadding;
    const QRect badge(option.rect.left() + Margin,
                      option.rect.top() + (option.rect.height() - height) / 2,
                      qMin(width, option.rect.width() - 2 * Margin), height);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(QRectF(badge), height / 2.0, height / 2.0);
    painter->fillPath(path, LifecycleState::color(state));
    painter->setPen(Qt::white);
    painter->setFont(option.font);
    painter->drawText(badge, Qt::AlignCenter,
                      metrics.elidedText(text, Qt::ElideRight, badge.width() - HorizontalPadding));
    painter->restore();
}

QSize StateBadgeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics metrics(option.font);
    const int badgeWidth =
        metrics.horizontalAdvance(LifecycleState::label(index.data().toString())) +
        2 * HorizontalPadding + 2 * Margin;
    size.setWidth(qMax(size.width(), badgeWidth));
    size.setHeight(qMax(size.height(), metrics.height() + 4 + 2 * Margin));
    return size;
}

} // namespace gh
