#pragma once

#include "GatewayOptions.h"

#include <QWidget>

class QCheckBox;
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

    // Writes the local CA certificate (PEM) to `path`, creating the CA first if needed;
    // what "Save CA Certificate…" does after its file dialog. False with a message shown.
    bool saveCaCertificate(const QString &path);

public Q_SLOTS:
    void apply();
    void copyCaCertificate();

private:
    void validate();
    void browseDataDir();
    void restartFinished(bool ok);
    void purgeCache();
    void chooseCaFile();
    // The local CA's certificate, created on first use; empty with *error on failure.
    QByteArray caPem(QString *error) const;
    GatewayOptions editedBase() const;

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
    QCheckBox *m_tls;
    QCheckBox *m_remoteAdmin;
    QLabel *m_caResult;
};

} // namespace gh
