#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace gh {

// Shows a new consumer key the one time it exists in readable form: the key, a Copy
// button, how to send it, and a plain note that it cannot be shown again (the store has
// only its hash). Closing before copying asks first. The key lives in this dialog only,
// which deletes itself when closed.
class NewKeyDialog : public QDialog
{
    Q_OBJECT

public:
    NewKeyDialog(const QString &consumer, const QString &rawKey, qint64 expiresAtMs,
                 QWidget *parent = nullptr);
    ~NewKeyDialog() override;

    bool isCopied() const { return m_copied; }

public Q_SLOTS:
    void copy();
    void done(int result) override;

private:
    QLineEdit *m_key;
    QPushButton *m_copy;
    QLabel *m_copiedNote;
    bool m_copied = false;
};

} // namespace gh
