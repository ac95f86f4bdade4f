#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;
class QSystemTrayIcon;

namespace gh {

class Gateway;

// The desktop window: a sidebar of pages next to the page itself, the gateway's state in
// the status bar. Remembers its geometry and last page.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Page {
        Overview,
        Routes,
        Services,
        Providers,
        Models,
        Playground,
        PromptApis,
        Consumers,
        Traffic,
        Costs,
        Settings
    };
    Q_ENUM(Page)
    static const QList<Page> &allPages();
    // Stable, untranslated: the QSettings value and the page's objectName prefix.
    static QString pageKey(Page page);

    explicit MainWindow(Gateway *gateway, QWidget *parent = nullptr);

    Page currentPage() const;
    QWidget *pageWidget(Page page) const;
    void showPage(Page page);

    // With a tray icon, closing the window hides it; without one, closing quits.
    void setTrayIcon(QSystemTrayIcon *tray) { m_tray = tray; }

    void saveState();

public Q_SLOTS:
    // File > Import Bundle… / Export Bundle… (docs/bundles.md).
    void importBundle();
    void exportBundle();

Q_SIGNALS:
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setupMenus();
    void addPage(Page page, const QString &title, const QString &iconName, QWidget *widget);
    void updateStatus();

    Gateway *m_gateway;
    QListWidget *m_sidebar;
    QStackedWidget *m_pages;
    QLabel *m_status;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace gh
