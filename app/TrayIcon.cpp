#include "TrayIcon.h"

#include "Gateway.h"
#include "GatewayStateText.h"

#include <QApplication>
#include <QMenu>
#include <QWidget>

namespace gh {

TrayIcon::TrayIcon(Gateway *gateway, QWidget *window, QObject *parent)
    : QSystemTrayIcon(QIcon(QStringLiteral(":/gatehouse/icons/gatehouse.svg")), parent)
    , m_gateway(gateway)
    , m_window(window)
{
    // Parented to the window so it goes away with it; QSystemTrayIcon does not own menus.
    auto *menu = new QMenu(window);
    menu->addAction(tr("Show Gatehouse"), this, &TrayIcon::showWindow);
    menu->addSeparator();
    m_start = menu->addAction(tr("Start Gateway"), this, [this] {
        if (!m_gateway->start())
            showMessage(tr("The gateway could not start"), m_gateway->lastError(), Warning);
    });
    m_stop = menu->addAction(tr("Stop Gateway"), this, [this] { m_gateway->stop(); });
    menu->addSeparator();
    menu->addAction(tr("Quit"), this, &TrayIcon::quitRequested);
    setContextMenu(menu);

    connect(this, &QSystemTrayIcon::activated, this, [this](ActivationReason reason) {
        if (reason == Trigger || reason == DoubleClick) {
            if (m_window->isVisible() && m_window->isActiveWindow())
                m_window->hide();
            else
                showWindow();
        }
    });
    connect(gateway, &Gateway::stateChanged, this, &TrayIcon::update);
    update();
}

void TrayIcon::showWindow()
{
    m_window->show();
    m_window->setWindowState(m_window->windowState() & ~Qt::WindowMinimized);
    m_window->raise();
    m_window->activateWindow();
}

void TrayIcon::update()
{
    const Gateway::State state = m_gateway->state();
    m_start->setEnabled(state == Gateway::State::Stopped);
    m_stop->setEnabled(state == Gateway::State::Running);
    setToolTip(tr("Gatehouse — %1").arg(GatewayStateText::summary(*m_gateway)));
}

} // namespace gh
