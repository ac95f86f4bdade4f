#pragma once

#include <QObject>

namespace gh {

class Gateway;

// Every way out of the app (tray Quit, closing the window without a tray, SIGTERM at
// logout) goes through here: stop accepting, let in-flight requests finish, then quit.
class GracefulQuit : public QObject
{
    Q_OBJECT

public:
    static constexpr int graceMs = 10000; // SPEC §1

    explicit GracefulQuit(Gateway *gateway, QObject *parent = nullptr);

public Q_SLOTS:
    void request();

private:
    Gateway *m_gateway;
    bool m_requested = false;
};

} // namespace gh
