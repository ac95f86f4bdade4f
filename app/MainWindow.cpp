#include "MainWindow.h"

#include "AppSettings.h"
#include "BundleExportDialog.h"
#include "BundleImportDialog.h"
#include "CostsPage.h"
#include "EntityEditorPage.h"
#include "EntityListPage.h"
#include "Gateway.h"
#include "GatewayStateText.h"
#include "ModelForm.h"
#include "OverviewPage.h"
#include "PlaceholderPage.h"
#include "PlaygroundPage.h"
#include "PromptApisPage.h"
#include "ProviderEditorPage.h"
#include "SettingsPage.h"
#include "TrafficPage.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>

namespace gh {

namespace {
constexpr int PageRole = Qt::UserRole + 1;
}

const QList<MainWindow::Page> &MainWindow::allPages()
{
    static const QList<Page> pages{Page::Overview,   Page::Routes,    Page::Services,
                                   Page::Providers,  Page::Models,    Page::Playground,
                                   Page::PromptApis, Page::Consumers, Page::Traffic,
                                   Page::Costs,      Page::Settings};
    return pages;
}

QString MainWindow::pageKey(Page page)
{
    switch (page) {
    case Page::Overview:
        return QStringLiteral("overview");
    case Page::Routes:
        return QStringLiteral("routes");
    case Page::Services:
        return QStringLiteral("services");
    case Page::Providers:
        return QStringLiteral("providers");
    case Page::Models:
        return QStringLiteral("models");
    case Page::Playground:
        return QStringLiteral("playground");
    case Page::PromptApis:
        return QStringLiteral("promptApis");
    case Page::Consumers:
        return QStringLiteral("consumers");
    case Page::Traffic:
        return QStringLiteral("traffic");
    case Page::Costs:
        return QStringLiteral("costs");
    case Page::Settings:
        return QStringLiteral("settings");
    }
    return {};
}

MainWindow::MainWindow(Gateway *gateway, QWidget *parent)
    : QMainWindow(parent)
    , m_gateway(gateway)
    , m_sidebar(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Gatehouse"));
    setObjectName(QStringLiteral("mainWindow"));

    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setSpacing(3);
    m_sidebar->setUniformItemSizes(true);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_pages->setObjectName(QStringLiteral("pages"));

    auto *overview = new OverviewPage(gateway, this);
    addPage(Page::Overview, tr("Overview"), QStringLiteral("overview"), overview);
    addPage(Page::Routes, EntityListPage::title(EntityKind::Route), QStringLiteral("routes"),
            EntityEditorPage::createRoutesPage(gateway, this));
    addPage(Page::Services, EntityListPage::title(EntityKind::Service), QStringLiteral("services"),
            EntityEditorPage::createServicesPage(gateway, this));
    addPage(Page::Providers, EntityListPage::title(EntityKind::Provider),
            QStringLiteral("providers"), new ProviderEditorPage(gateway, this));
    addPage(Page::Models, EntityListPage::title(EntityKind::Model), QStringLiteral("models"),
            new EntityEditorPage(gateway, EntityKind::Model, new ModelForm(gateway), this));
    addPage(Page::Playground, tr("Playground"), QStringLiteral("playground"),
            new PlaygroundPage(gateway, this));
    addPage(Page::PromptApis, EntityListPage::title(EntityKind::PromptApi),
            QStringLiteral("prompt-apis"), new PromptApisPage(gateway, this));
    addPage(Page::Consumers, EntityListPage::title(EntityKind::Consumer),
            QStringLiteral("consumers"), EntityEditorPage::createConsumersPage(gateway, this));
    addPage(Page::Traffic, tr("Traffic"), QStringLiteral("traffic"),
            new TrafficPage(gateway, this));
    addPage(Page::Costs, tr("Costs"), QStringLiteral("costs"), new CostsPage(gateway, this));
    addPage(Page::Settings, tr("Settings"), QStringLiteral("settings"),
            new SettingsPage(gateway, this));

    // Wide enough for the longest translated title, without a scroll bar.
    int widest = 0;
    for (int row = 0; row < m_sidebar->count(); ++row)
        widest =
            qMax(widest, m_sidebar->fontMetrics().horizontalAdvance(m_sidebar->item(row)->text()));
    m_sidebar->setFixedWidth(widest + m_sidebar->iconSize().width() + 48);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    setupMenus();

    m_status->setObjectName(QStringLiteral("statusLabel"));
    statusBar()->addWidget(m_status, 1);

    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_sidebar, &QListWidget::currentRowChanged, this,
            [this] { AppSettings::setLastPage(pageKey(currentPage())); });
    connect(overview, &OverviewPage::settingsRequested, this, [this] { showPage(Page::Settings); });
    connect(gateway, &Gateway::stateChanged, this, &MainWindow::updateStatus);
    connect(qApp, &QCoreApplication::aboutToQuit, this, &MainWindow::saveState);
    updateStatus();

    if (!restoreGeometry(AppSettings::windowGeometry()))
        resize(980, 640);
    Page page = Page::Overview;
    const QString saved = AppSettings::lastPage();
    for (Page candidate : allPages()) {
        if (pageKey(candidate) == saved)
            page = candidate;
    }
    showPage(page);
}

void MainWindow::setupMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    QAction *import = file->addAction(tr("&Import Bundle…"), this, &MainWindow::importBundle);
    import->setObjectName(QStringLiteral("importBundleAction"));
    import->setToolTip(tr("Preview and apply providers, models, routes and prompt APIs shared "
                          "from another Gatehouse"));
    QAction *exportAction =
        file->addAction(tr("&Export Bundle…"), this, &MainWindow::exportBundle);
    exportAction->setObjectName(QStringLiteral("exportBundleAction"));
    exportAction->setToolTip(tr("Save selected entities with what they need, to share them"));
}

void MainWindow::importBundle()
{
    auto *dialog = new BundleImportDialog(m_gateway, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->browse();
}

void MainWindow::exportBundle()
{
    auto *dialog = new BundleExportDialog(m_gateway, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::addPage(Page page, const QString &title, const QString &iconName, QWidget *widget)
{
    widget->setObjectName(pageKey(page) + QStringLiteral("Page"));
    auto *item = new QListWidgetItem(
        QIcon(QStringLiteral(":/gatehouse/icons/%1.svg").arg(iconName)), title, m_sidebar);
    item->setData(PageRole, QVariant::fromValue(page));
    m_pages->addWidget(widget);
}

MainWindow::Page MainWindow::currentPage() const
{
    const int row = m_sidebar->currentRow();
    return row < 0 ? Page::Overview : allPages().value(row);
}

QWidget *MainWindow::pageWidget(Page page) const
{
    return m_pages->widget(int(allPages().indexOf(page)));
}

void MainWindow::showPage(Page page)
{
    m_sidebar->setCurrentRow(int(allPages().indexOf(page)));
}

void MainWindow::saveState()
{
    AppSettings::setWindowGeometry(saveGeometry());
    AppSettings::setLastPage(pageKey(currentPage()));
}

void MainWindow::updateStatus()
{
    m_status->setText(GatewayStateText::summary(*m_gateway));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    if (m_tray && m_tray->isVisible()) {
        // The gateway keeps serving from the tray; say so once, not on every close.
        hide();
        if (!AppSettings::trayHintShown()) {
            m_tray->showMessage(tr("Gatehouse is still running"),
                                tr("The gateway keeps serving in the background. Use the tray "
                                   "icon to show the window or quit."),
                                QSystemTrayIcon::Information, 8000);
            AppSettings::setTrayHintShown(true);
        }
        event->ignore();
        return;
    }
    event->accept();
    Q_EMIT quitRequested();
}

} // namespace gh
