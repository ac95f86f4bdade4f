#pragma once

#include "Gateway.h"

#include <QCoreApplication>

namespace gh {

// The words the window, status bar and tray use for the gateway's state, so they agree.
class GatewayStateText
{
    Q_DECLARE_TR_FUNCTIONS(GatewayStateText)

public:
    static QString stateName(Gateway::State state);
    // One line for the status bar and tray tooltip: "Running at http://127.0.0.1:4141".
    static QString summary(const Gateway &gateway);
};

} // namespace gh
