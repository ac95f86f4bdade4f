#pragma once

#include "NewKeyDialog.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace gh {

class ConsumerKeysModel;
class Gateway;
class KeyOptionsDialog;

// The keys of one saved consumer: the list (ConsumerKeysModel) with Create Key…,
// Revoke… and Rotate…. Each acts at once through the Gateway's key service (not through
// the form's Save) and applies to the next request; a new key is shown once in a
// NewKeyDialog. A consumer not saved yet has no keys to manage.
class ConsumerKeysPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ConsumerKeysPanel(Gateway *gateway, QWidget *parent = nullptr);

    // Empty: nothing to manage (a new or no consumer).
    void setConsumer(const QString &consumer);
    QString consumer() const { return m_consumer; }
    ConsumerKeysModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    // The dialog showing the last new key, while it is open.
    NewKeyDialog *newKeyDialog() const { return m_newKey; }

public Q_SLOTS:
    // Reads the keys again (states follow the clock: expiry, end of a grace period).
    void refresh();
    void createKey();
    void revokeKey();
    void rotateKey();

private:
    int selectedRow() const;
    void createAccepted(KeyOptionsDialog *dialog);
    void rotateAccepted(KeyOptionsDialog *dialog, const QString &prefix);
    void showNewKey(const QString &rawKey, qint64 expiresAt);
    void showMessage(const QString &text, bool error);
    void updateButtons();

    QPointer<Gateway> m_gateway;
    QString m_consumer;
    ConsumerKeysModel *m_model;
    QTableView *m_view;
    QPushButton *m_create;
    QPushButton *m_revoke;
    QPushButton *m_rotate;
    QLabel *m_note;
    QLabel *m_message;
    QPointer<NewKeyDialog> m_newKey;
};

} // namespace gh
