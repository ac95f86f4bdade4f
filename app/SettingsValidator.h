#pragma once

#include "GatewayOptions.h"

#include <QCoreApplication>

namespace gh {

// Checks what the Settings page holds before it is applied. Pure, so it can run on every
// keystroke and in tests without a window.
class SettingsValidator
{
    Q_DECLARE_TR_FUNCTIONS(SettingsValidator)

public:
    struct Result
    {
        GatewayOptions options; // the input applied to the base options, when valid
        QString listenError;
        QString adminError;
        QString dataDirError;
        QString warning; // valid but worth knowing: a listener others can reach

        bool isValid() const
        {
            return listenError.isEmpty() && adminError.isEmpty() && dataDirError.isEmpty();
        }
    };

    static Result validate(const QString &listen, const QString &adminListen,
                           const QString &dataDir, const GatewayOptions &base);
    // Empty when dir exists and is writable, or could be created; else why not.
    static QString checkDataDir(const QString &dir);
};

} // namespace gh
