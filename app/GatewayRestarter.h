#pragma once

#include "GatewayOptions.h"

#include <QObject>

namespace gh {

class Gateway;

// Settings → Apply: stops the gateway gracefully, reopens it with new options and starts
// it again. Stopping is asynchronous (in-flight requests finish first), hence an object.
class GatewayRestarter : public QObject
{
    Q_OBJECT

public:
    // Shorter than the 10 s of a quit: the user is waiting for the new settings.
    static constexpr int graceMs = 5000;

    explicit GatewayRestarter(Gateway *gateway, QObject *parent = nullptr);

    bool isBusy() const { return m_busy; }
    void restart(const GatewayOptions &options);

Q_SIGNALS:
    // ok: running with the new options; otherwise Gateway::lastError() says why.
    void finished(bool ok);

private:
    void reopen();

    Gateway *m_gateway;
    GatewayOptions m_options;
    bool m_busy = false;
};

} // namespace gh
