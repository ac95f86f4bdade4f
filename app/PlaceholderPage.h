#pragma once

#include <QWidget>

namespace gh {

// A page whose feature has not shipped yet: says what it will show and when, and shows
// nothing made up in the meantime.
class PlaceholderPage : public QWidget
{
    Q_OBJECT

public:
    PlaceholderPage(const QString &title, const QString &explanation, QWidget *parent = nullptr);
};

} // namespace gh
