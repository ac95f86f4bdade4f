#pragma once

#include <QSystemTrayIcon>

class QAction;

namespace gh {

class Gateway;

// The gateway keeps running while the window is closed; the tray icon is how to get back
// to it, start or stop it, and quit. Only created when the desktop has a tray.
class TrayIcon : public QSystemTrayIcon
{
    Q_OBJECT

public:
    TrayIcon(Gateway *gateway, QWidget *window, QObject *parent = nullptr);

Q_SIGNALS:
    void quitRequested();

private:
    void showWindow();
    void update();

    Gateway *m_gateway;
    QWidget *m_window;
    QAction *m_start;
    QAction *m_stop;
};

} // namespace gh
