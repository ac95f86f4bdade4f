#pragma once

#include "EntityForm.h"

#include <QPointer>

class QComboBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QTimer;

namespace gh {

class ConsumerKeysPanel;
class Gateway;
class NumberEdit;
class StringListEdit;
class ValuePicker;

// The fields of a consumer (SPEC §3 consumers): allowed models (globs; the configured
// public model names offered), rate limits (requests and tokens per minute, concurrent
// requests) and the budget (USD per day, week or month) with a bar of what the consumer
// spent in the current period. Below them its keys (ConsumerKeysPanel), which change at
// once rather than on Save. The form never writes "keys": saving a consumer keeps the
// keys it has (they are managed here and by the admin API's key endpoints).
class ConsumerForm : public EntityForm
{
    Q_OBJECT

public:
    explicit ConsumerForm(Gateway *gateway, QWidget *parent = nullptr);

    ConsumerKeysPanel *keysPanel() const { return m_keys; }

    // "USD 3.20", "USD 0.0004": amounts as the budget messages write them.
    static QString formatUsd(double usd);

public Q_SLOTS:
    // Reads the spend again (also every few seconds while shown).
    void refreshSpend();

protected:
    QJsonObject defaults() const override;
    void readEntity(const QJsonObject &entity) override;
    void writeEntity(QJsonObject &entity) const override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void reloadModels();

    QPointer<Gateway> m_gateway;
    QString m_savedName; // the consumer the spend and keys belong to (empty: not saved)
    StringListEdit *m_allowModels;
    ValuePicker *m_modelPicker;
    QGroupBox *m_rateLimitBox;
    NumberEdit *m_perMinute;
    NumberEdit *m_tokensPerMinute;
    NumberEdit *m_concurrent;
    QGroupBox *m_budgetBox;
    NumberEdit *m_budgetUsd;
    QComboBox *m_budgetPeriod;
    QProgressBar *m_spendBar;
    QLabel *m_spendLabel;
    ConsumerKeysPanel *m_keys;
    QTimer *m_refresh;
};

} // namespace gh
