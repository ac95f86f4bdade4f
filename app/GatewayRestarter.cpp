#include "GatewayRestarter.h"

#include "Gateway.h"

namespace gh {

GatewayRestarter::GatewayRestarter(Gateway *gateway, QObject *parent)
    : QObject(parent)
    , m_gateway(gateway)
{
    connect(gateway, &Gateway::stopped, this, [this] {
        if (m_busy)
            reopen();
    });
}

void GatewayRestarter::restart(const GatewayOptions &options)
{
    if (m_busy)
        return;
    m_busy = true;
    m_options = options;
    switch (m_gateway->state()) {
    case Gateway::State::Running:
        m_gateway->stop(graceMs);
        break;
    case Gateway::State::Stopping:
        break; // stopped() follows
    case Gateway::State::Stopped:
    case Gateway::State::Closed:
        reopen();
        break;
    }
}

void GatewayRestarter::reopen()
{
    const bool ok = m_gateway->open(m_options) && m_gateway->start();
    m_busy = false;
    Q_EMIT finished(ok);
}

} // namespace gh
