#include "GatewayStateText.h"

namespace gh {

QString GatewayStateText::stateName(Gateway::State state)
{
    switch (state) {
    case Gateway::State::Closed:
        return tr("Not started");
    case Gateway::State::Stopped:
        return tr("Stopped");
    case Gateway::State::Running:
        return tr("Running");
    case Gateway::State::Stopping:
        return tr("Stopping…");
    }
    return {};
}

QString GatewayStateText::summary(const Gateway &gateway)
{
    switch (gateway.state()) {
    case Gateway::State::Running:
        return tr("Gateway running at %1").arg(gateway.gatewayUrl());
    case Gateway::State::Stopping:
        return tr("Gateway stopping…");
    case Gateway::State::Stopped:
    case Gateway::State::Closed:
        if (!gateway.lastError().isEmpty())
            return tr("Gateway not running: %1").arg(gateway.lastError());
        return tr("Gateway stopped");
    }
    return {};
}

} // namespace gh
