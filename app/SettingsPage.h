#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace gh {

class Gateway;
class GatewayRestarter;

// Where the gateway listens and keeps its data. Checked as you type; Apply saves the
// settings and restarts the gateway with them.
class SettingsPage : public QWidget
{
    Q_OBJECT

public:
    explicit SettingsPage(Gateway *gateway, QWidget *parent = nullptr);

    // Puts the options the gateway currently runs with back into the fields.
    void resetFields();

public Q_SLOTS:
    void apply();

private:
    void validate();
    void browseDataDir();
    void restartFinished(bool ok);
    void purgeCache();

    Gateway *m_gateway;
    GatewayRestarter *m_restarter;
    QLineEdit *m_listen;
    QLineEdit *m_adminListen;
    QLineEdit *m_dataDir;
    QLabel *m_listenError;
    QLabel *m_adminListenError;
    QLabel *m_dataDirError;
    QLabel *m_warning;
    QLabel *m_result;
    QPushButton *m_apply;
    QLabel *m_cacheResult;
};

} // namespace gh
