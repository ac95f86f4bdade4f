#pragma once

#include "policy/ConsumerKeyService.h"

#include <QDialog>

class QComboBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;

namespace gh {

// Asks how a new consumer key is made: when it expires (never, after a number of days,
// or at a date) and, for a rotation, how long the old key keeps working (the grace
// period, up to 30 days). A date that is not in the future cannot be accepted.
class KeyOptionsDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { Create, Rotate };

    KeyOptionsDialog(Mode mode, const QString &consumer, const QString &oldPrefix,
                     QWidget *parent = nullptr);

    Mode mode() const { return m_mode; }
    // The choices as the key service takes them (expiry in ms since the epoch, 0: never).
    ConsumerKeyService::Options options() const;
    int graceSeconds() const;

    // The choices offered (seconds, 0: revoke at once), for tests and the combo.
    static QList<int> graceChoices();

private:
    void updateState();
    QDateTime expiry() const;

    Mode m_mode;
    QComboBox *m_expiry;
    QDateTimeEdit *m_expiryDate;
    QComboBox *m_grace = nullptr;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace gh
