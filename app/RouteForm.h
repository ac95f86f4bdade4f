#pragma once

#include "EntityForm.h"

#include <QPointer>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QFrame;
class QLineEdit;

namespace gh {

class Gateway;
class RoutePoliciesPanel;
class StringListEdit;

// The fields of a route (SPEC §3 routes): match (paths, methods, hosts), service,
// strip_path, lifecycle state with its sunset date, version, and its policies (auth,
// consumers, rate limit, cache, CORS, IP rules) in a RoutePoliciesPanel. An "Enabled"
// switch maps onto the lifecycle: off is draft (the gateway answers 404).
class RouteForm : public EntityForm
{
    Q_OBJECT

public:
    explicit RouteForm(Gateway *gateway, QWidget *parent = nullptr);

    static const QStringList &methods();
    RoutePoliciesPanel *policies() const { return m_policies; }

protected:
    QJsonObject defaults() const override;
    void readEntity(const QJsonObject &entity) override;
    void writeEntity(QJsonObject &entity) const override;

private:
    void reloadServices();
    void setService(const QString &service);
    void stateChanged();
    void enabledToggled(bool enabled);
    QString state() const;

    QPointer<Gateway> m_gateway;
    StringListEdit *m_paths;
    QFrame *m_methodsBox;
    QList<QCheckBox *> m_methods;
    StringListEdit *m_hosts;
    QComboBox *m_service;
    QCheckBox *m_stripPath;
    QCheckBox *m_enabled;
    QComboBox *m_state;
    QDateEdit *m_sunset;
    QLineEdit *m_version;
    RoutePoliciesPanel *m_policies;
};

} // namespace gh
