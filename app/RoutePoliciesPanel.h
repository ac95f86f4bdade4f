#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace gh {

class Gateway;
class NumberEdit;
class ProblemDisplay;
class StringListEdit;
class ValuePicker;

// The policies of a route (SPEC §3 routes, docs/policies.md), part of the RouteForm:
// authentication (none, key or jwt with its settings), the consumers allowed, rate limit,
// response cache, CORS and IP rules. Each optional policy is a checkable box: unchecked,
// the route has no such key. Only what the user set is written; a policy or field the
// user left alone is written back exactly as it was read. JWT keys are taken as secret
// references only (the validation refuses anything else, so no secret reaches the store).
class RoutePoliciesPanel : public QWidget
{
    Q_OBJECT

public:
    RoutePoliciesPanel(Gateway *gateway, ProblemDisplay &problems, QWidget *parent = nullptr);

    static const QStringList &jwtAlgorithms();

    void readRoute(const QJsonObject &route);
    // Writes the panel's fields into the route (which holds what was read).
    void writeRoute(QJsonObject &route) const;

Q_SIGNALS:
    void edited();

private:
    QGroupBox *addBox(const QString &title, const QString &objectName, bool checkable,
                      QFormLayout **layout);
    QLabel *addBoxMessage(QGroupBox *box, QFormLayout *layout, const QString &path,
                          const QString &title, const QString &messageName);
    QLineEdit *addListLine(const QString &objectName, const QString &placeholder);
    void authChanged();
    void reloadConsumers();
    void browsePublicKey();
    void updateSecretEcho();

    QPointer<Gateway> m_gateway;
    ProblemDisplay &m_problems;

    QComboBox *m_auth = nullptr;
    QWidget *m_jwtBox = nullptr;
    QList<QCheckBox *> m_algorithms;
    QLineEdit *m_jwtSecret = nullptr;
    QLineEdit *m_jwtPublicKey = nullptr;
    QPushButton *m_browsePublicKey = nullptr;
    QLineEdit *m_jwtIssuer = nullptr;
    StringListEdit *m_jwtAudience = nullptr;
    NumberEdit *m_jwtLeeway = nullptr;
    QCheckBox *m_jwtForward = nullptr;
    StringListEdit *m_consumers = nullptr;
    ValuePicker *m_consumerPicker = nullptr;

    QGroupBox *m_rateLimitBox = nullptr;
    NumberEdit *m_perSecond = nullptr;
    NumberEdit *m_perMinute = nullptr;
    NumberEdit *m_burst = nullptr;
    NumberEdit *m_concurrent = nullptr;

    QGroupBox *m_cacheBox = nullptr;
    NumberEdit *m_cacheTtl = nullptr;

    QGroupBox *m_corsBox = nullptr;
    StringListEdit *m_corsOrigins = nullptr;
    QLineEdit *m_corsMethods = nullptr;
    QLineEdit *m_corsHeaders = nullptr;
    QLineEdit *m_corsExpose = nullptr;
    QCheckBox *m_corsCredentials = nullptr;
    NumberEdit *m_corsMaxAge = nullptr;

    QGroupBox *m_ipBox = nullptr;
    StringListEdit *m_ipAllow = nullptr;
    StringListEdit *m_ipDeny = nullptr;
};

} // namespace gh
