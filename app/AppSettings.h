#pragma once

#include "GatewayOptions.h"

#include <QByteArray>
#include <QStringList>

namespace gh {

// What the desktop app remembers between runs (QSettings "Gatehouse"/"Gatehouse"):
// the listeners and data dir chosen on the Settings page, window geometry, last page.
// Command-line flags override the saved listeners for one run and are never saved.
class AppSettings
{
public:
    // The saved listeners and data dir as command-line flags (--listen HOST:PORT ...), to
    // go before the real arguments: the last occurrence of a flag wins, so what the user
    // types overrides what was saved. Values that no longer parse are left out, and so is
    // the data dir while $GATEHOUSE_DATA_DIR is set.
    static QStringList savedFlags();
    static void saveGatewayOptions(const GatewayOptions &options);

    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray &geometry);
    static QString lastPage();
    static void setLastPage(const QString &page);
    static bool trayHintShown();
    static void setTrayHintShown(bool shown);
    // A table header's QHeaderView::saveState (column order, widths, hidden columns,
    // sorting), by the view's name ("traffic").
    static QByteArray headerState(const QString &view);
    static void setHeaderState(const QString &view, const QByteArray &state);
};

} // namespace gh
