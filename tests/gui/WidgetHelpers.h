#pragma once

#include <QAbstractItemView>
#include <QApplication>
#include <QDeadlineTimer>
#include <QDebug>
#include <QDir>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>
#include <QTimer>

namespace gh::test {

template <typename T> T *child(QWidget *root, const char *name)
{
    T *widget = root->findChild<T *>(QLatin1String(name));
    if (!widget)
        qWarning() << "no" << name;
    return widget;
}

inline QPushButton *button(QWidget *root, const char *name)
{
    return child<QPushButton>(root, name);
}

inline void typeInto(QWidget *widget, const QString &text)
{
    widget->setFocus();
    QTest::keyClicks(widget, text);
}

// What a message box said when the test answered it.
struct BoxAnswer
{
    bool seen = false;
    QString text;
    QString informativeText;
};

// Clicks `answer` on the message box named `name` once it shows (inside its exec()).
inline void answerMessageBox(const QString &name, QMessageBox::StandardButton answer,
                             BoxAnswer *seen)
{
    auto *timer = new QTimer;
    const QDeadlineTimer deadline(10000);
    QObject::connect(timer, &QTimer::timeout, timer, [=] {
        const QWidgetList windows = QApplication::topLevelWidgets();
        for (QWidget *window : windows) {
            auto *box = qobject_cast<QMessageBox *>(window);
            if (!box || box->objectName() != name || !box->isVisible())
                continue;
            seen->seen = true;
            seen->text = box->text();
            seen->informativeText = box->informativeText();
            timer->deleteLater();
            box->button(answer)->click();
            return;
        }
        if (deadline.hasExpired())
            timer->deleteLater();
    });
    timer->start(20);
}

// A top-level widget of type T named `name` that is showing, or null.
template <typename T> T *visibleWindow(const QString &name)
{
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (QWidget *window : windows) {
        auto *typed = qobject_cast<T *>(window);
        if (typed && typed->objectName() == name && typed->isVisible())
            return typed;
    }
    return nullptr;
}

// GATEHOUSE_SCREENSHOTS=DIR saves what the pages look like, for docs and reviews.
inline void maybeScreenshot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("GATEHOUSE_SCREENSHOTS");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QTest::qWait(50); // let pending layouts settle
        window->grab().save(QStringLiteral("%1/%2.png").arg(dir, name));
    }
}

} // namespace gh::test
