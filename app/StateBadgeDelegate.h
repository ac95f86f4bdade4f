#pragma once

#include <QStyledItemDelegate>

namespace gh {

// Paints a lifecycle state cell ("published", "draft", ...) as a coloured badge with its
// translated label, so a disabled (draft) or retired route stands out in the table.
class StateBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace gh
