#include "GracefulQuit.h"

#include "Gateway.h"

#include <QCoreApplication>
#include <QTimer>

namespace gh {

GracefulQuit::GracefulQuit(Gateway *gateway, QObject *parent)
    : QObject(parent)
    , m_gateway(gateway)
{
    connect(gateway, &Gateway::stopped, this, [this] {
        if (m_requested)
            QCoreApplication::quit();
    });
}

void GracefulQuit::request()
{
    if (m_requested)
        return;
    m_requested = true;
    switch (m_gateway->state()) {
    case Gateway::State::Running:
        m_gateway->stop(graceMs);
        break;
    case Gateway::State::Stopping:
        break; // stopped() follows
    case Gateway::State::Stopped:
    case Gateway::State::Closed:
        QCoreApplication::quit();
        return;
    }
    // Backstop should a drain never report back: leaving late beats never leaving.
    QTimer::singleShot(graceMs + 2000, qApp, [] { QCoreApplication::quit(); });
}

} // namespace gh
