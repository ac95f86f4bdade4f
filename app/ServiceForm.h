#pragma once

#include "EntityForm.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace gh {

class ServiceTargetsModel;

// The fields of a service (SPEC §3 services): targets with weights, balancing strategy,
// health check, timeout and retries.
class ServiceForm : public EntityForm
{
    Q_OBJECT

public:
    explicit ServiceForm(QWidget *parent = nullptr);

    ServiceTargetsModel *targetsModel() const { return m_targetsModel; }

protected:
    QJsonObject defaults() const override;
    void readEntity(const QJsonObject &entity) override;
    void writeEntity(QJsonObject &entity) const override;

private:
    void addTarget();
    void removeTargets();
    void updateTargetButtons();
    void updateHealthFields();

    ServiceTargetsModel *m_targetsModel;
    QTableView *m_targets;
    QPushButton *m_addTarget;
    QPushButton *m_removeTarget;
    QComboBox *m_balance;
    QCheckBox *m_healthCheck;
    QLineEdit *m_healthPath;
    QSpinBox *m_healthInterval;
    QSpinBox *m_timeout;
    QSpinBox *m_retries;
};

} // namespace gh
