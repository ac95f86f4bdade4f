#include "RouteForm.h"

#include "Gateway.h"
#include "LifecycleState.h"
#include "RoutePoliciesPanel.h"
#include "StringListEdit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QGridLayout>
#include <QJsonArray>
#include <QLineEdit>
#include <QSignalBlocker>

namespace gh {

namespace {

QStringList toStringList(const QJsonValue &value)
{
    QStringList result;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        result.append(item.toString());
    return result;
}

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

} // namespace

const QStringList &RouteForm::methods()
{
    static const QStringList all{QStringLiteral("GET"),    QStringLiteral("HEAD"),
                                 QStringLiteral("POST"),   QStringLiteral("PUT"),
                                 QStringLiteral("PATCH"),  QStringLiteral("DELETE"),
                                 QStringLiteral("OPTIONS")};
    return all;
}

RouteForm::RouteForm(Gateway *gateway, QWidget *parent)
    : EntityForm(EntityKind::Route, parent)
    , m_gateway(gateway)
    , m_paths(new StringListEdit(this))
    , m_methodsBox(new QFrame(this))
    , m_hosts(new StringListEdit(this))
    , m_service(new QComboBox(this))
    , m_stripPath(new QCheckBox(tr("Remove the matched prefix when forwarding"), this))
    , m_enabled(new QCheckBox(tr("Enabled"), this))
    , m_state(new QComboBox(this))
    , m_sunset(new QDateEdit(this))
    , m_version(new QLineEdit(this))
    , m_policies(nullptr)
{
    m_paths->setObjectName(QStringLiteral("pathsEdit"));
    m_paths->setPlaceholderText(tr("One path prefix per line, e.g. /billing"));
    m_paths->setToolTip(tr("A request matches when its path starts with one of these prefixes "
                           "(whole segments: /billing matches /billing/invoices, not "
                           "/billingx)."));
    addField(tr("Paths"), m_paths, QStringLiteral("match.paths"), QStringLiteral("pathsError"),
             [this](int index) { return m_paths->describeItem(index); });
    problems().addAlias(QStringLiteral("match"), QStringLiteral("match.paths"));

    m_methodsBox->setObjectName(QStringLiteral("methodsBox"));
    m_methodsBox->setToolTip(tr("None checked: every method matches."));
    auto *methodsLayout = new QGridLayout(m_methodsBox);
    methodsLayout->setContentsMargins(2, 2, 2, 2);
    for (const QString &method : methods()) {
        auto *check = new QCheckBox(method, m_methodsBox);
        check->setObjectName(QStringLiteral("method%1Check").arg(method));
        methodsLayout->addWidget(check, int(m_methods.size()) / 4, int(m_methods.size()) % 4);
        m_methods.append(check);
        connect(check, &QCheckBox::toggled, this, &RouteForm::markEdited);
    }
    addField(tr("Methods"), m_methodsBox, QStringLiteral("match.methods"),
             QStringLiteral("methodsError"));

    m_hosts->setObjectName(QStringLiteral("hostsEdit"));
    m_hosts->setPlaceholderText(tr("Any host. Or one per line, e.g. api.example.com"));
    addField(tr("Hosts"), m_hosts, QStringLiteral("match.hosts"), QStringLiteral("hostsError"),
             [this](int index) { return m_hosts->describeItem(index); });

    m_service->setObjectName(QStringLiteral("serviceCombo"));
    m_service->setToolTip(tr("The upstream service requests are forwarded to."));
    addField(tr("Service"), m_service, QStringLiteral("service"), QStringLiteral("serviceError"));

    m_stripPath->setObjectName(QStringLiteral("stripPathCheck"));
    addField(tr("Strip path"), m_stripPath, QStringLiteral("strip_path"),
             QStringLiteral("stripPathError"));

    m_enabled->setObjectName(QStringLiteral("enabledCheck"));
    m_enabled->setToolTip(
        tr("Turning a route off sets its state to draft: the gateway then answers 404 for it, "
           "as if it did not exist, but it stays here to be turned on again. Turning it on "
           "publishes it."));
    addRow(QString(), m_enabled);

    m_state->setObjectName(QStringLiteral("stateCombo"));
    for (const QString &value : LifecycleState::values()) {
        m_state->addItem(LifecycleState::label(value), value);
        m_state->setItemData(m_state->count() - 1, LifecycleState::description(value),
                             Qt::ToolTipRole);
    }
    addField(tr("State"), m_state, QStringLiteral("state"), QStringLiteral("stateError"));

    m_sunset->setObjectName(QStringLiteral("sunsetEdit"));
    m_sunset->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    // The minimum date stands for "no date": shown as a note while not deprecated.
    m_sunset->setMinimumDate(QDate(2000, 1, 1));
    m_sunset->setSpecialValueText(tr("only when deprecated"));
    m_sunset->setCalendarPopup(true);
    m_sunset->setToolTip(tr("When a deprecated route goes away; sent in the Sunset header."));
    addField(tr("Sunset"), m_sunset, QStringLiteral("sunset"), QStringLiteral("sunsetError"));

    m_version->setObjectName(QStringLiteral("versionEdit"));
    m_version->setPlaceholderText(tr("optional, e.g. v1"));
    addField(tr("Version"), m_version, QStringLiteral("version"), QStringLiteral("versionError"));

    m_policies = new RoutePoliciesPanel(gateway, problems(), this);
    m_policies->setObjectName(QStringLiteral("policiesPanel"));
    addSection(m_policies);

    connect(m_paths, &StringListEdit::valuesChanged, this, &RouteForm::markEdited);
    connect(m_hosts, &StringListEdit::valuesChanged, this, &RouteForm::markEdited);
    connect(m_service, &QComboBox::currentIndexChanged, this, &RouteForm::markEdited);
    connect(m_stripPath, &QCheckBox::toggled, this, &RouteForm::markEdited);
    connect(m_policies, &RoutePoliciesPanel::edited, this, &RouteForm::markEdited);
    connect(m_state, &QComboBox::currentIndexChanged, this, &RouteForm::stateChanged);
    connect(m_enabled, &QCheckBox::toggled, this, &RouteForm::enabledToggled);
    connect(m_sunset, &QDateEdit::dateChanged, this, &RouteForm::markEdited);
    connect(m_version, &QLineEdit::textEdited, this, &RouteForm::markEdited);
    if (gateway) {
        connect(gateway, &Gateway::configChanged, this, &RouteForm::reloadServices);
        connect(gateway, &Gateway::stateChanged, this, &RouteForm::reloadServices);
    }
    reloadServices();
    unload();
}

QJsonObject RouteForm::defaults() const
{
    // SPEC §3 defaults: auth key, state published, everyone among the consumers.
    QJsonObject route;
    route.insert(key("match"), QJsonObject{{key("paths"), QJsonArray()},
                                           {key("methods"), QJsonArray()},
                                           {key("hosts"), QJsonArray()}});
    route.insert(key("service"), m_service->count() > 0 ? m_service->itemText(0) : QString());
    route.insert(key("strip_path"), false);
    route.insert(key("auth"), QStringLiteral("key"));
    route.insert(key("consumers"), QJsonArray{QStringLiteral("*")});
    route.insert(key("state"), QStringLiteral("published"));
    return route;
}

void RouteForm::readEntity(const QJsonObject &entity)
{
    const QJsonObject match = entity.value(key("match")).toObject();
    m_paths->setValues(toStringList(match.value(key("paths"))));
    const QStringList methods = toStringList(match.value(key("methods")));
    for (QCheckBox *check : std::as_const(m_methods))
        check->setChecked(methods.contains(check->text(), Qt::CaseInsensitive));
    m_hosts->setValues(toStringList(match.value(key("hosts"))));
    setService(entity.value(key("service")).toString());
    m_stripPath->setChecked(entity.value(key("strip_path")).toBool());
    m_policies->readRoute(entity);
    const QString state = entity.value(key("state")).toString(QStringLiteral("published"));
    m_state->setCurrentIndex(qMax(0, m_state->findData(state)));
    const QDate sunset = QDate::fromString(entity.value(key("sunset")).toString(), Qt::ISODate);
    m_sunset->setDate(sunset.isValid() ? sunset : m_sunset->minimumDate());
    m_version->setText(entity.value(key("version")).toString());
    stateChanged();
}

void RouteForm::writeEntity(QJsonObject &entity) const
{
    QJsonObject match = entity.value(key("match")).toObject();
    match.insert(key("paths"), QJsonArray::fromStringList(m_paths->values()));
    QStringList methods;
    for (QCheckBox *check : m_methods) {
        if (check->isChecked())
            methods.append(check->text());
    }
    match.insert(key("methods"), QJsonArray::fromStringList(methods));
    match.insert(key("hosts"), QJsonArray::fromStringList(m_hosts->values()));
    entity.insert(key("match"), match);
    entity.insert(key("service"), m_service->currentText());
    entity.insert(key("strip_path"), m_stripPath->isChecked());
    m_policies->writeRoute(entity);
    const QString current = state();
    entity.insert(key("state"), current);
    // The date belongs to a deprecation; a retired route keeps the one it had.
    if (current == QLatin1String("deprecated"))
        entity.insert(key("sunset"), m_sunset->date().toString(Qt::ISODate));
    else if (current != QLatin1String("retired"))
        entity.remove(key("sunset"));
    if (m_version->text().trimmed().isEmpty())
        entity.remove(key("version"));
    else
        entity.insert(key("version"), m_version->text().trimmed());
}

QString RouteForm::state() const
{
    return m_state->currentData().toString();
}

void RouteForm::stateChanged()
{
    const QString current = state();
    const bool deprecated = current == QLatin1String("deprecated");
    m_sunset->setEnabled(deprecated);
    const bool hasDate = m_sunset->date() > m_sunset->minimumDate();
    // Without a date, a deprecation gets three months' notice; other states show none.
    if (deprecated && !hasDate)
        m_sunset->setDate(QDate::currentDate().addMonths(3));
    else if (!deprecated && current != QLatin1String("retired"))
        m_sunset->setDate(m_sunset->minimumDate());
    {
        const QSignalBlocker blocker(m_enabled);
        m_enabled->setChecked(LifecycleState::isEnabled(current));
    }
    m_state->setToolTip(LifecycleState::description(current));
    markEdited();
}

void RouteForm::enabledToggled(bool enabled)
{
    // Off is draft; on publishes, unless the state already is an enabled one.
    if (enabled == LifecycleState::isEnabled(state()))
        return;
    m_state->setCurrentIndex(
        m_state->findData(enabled ? QStringLiteral("published") : QStringLiteral("draft")));
}

void RouteForm::reloadServices()
{
    QStringList names;
    if (m_gateway && m_gateway->state() != Gateway::State::Closed) {
        const QList<QJsonObject> services = m_gateway->entities(EntityKind::Service);
        for (const QJsonObject &service : services)
            names.append(service.value(key("name")).toString());
    }
    names.sort(Qt::CaseInsensitive);
    const QString current = m_service->currentText();
    const QSignalBlocker blocker(m_service);
    m_service->clear();
    m_service->addItems(names);
    setService(current);
}

void RouteForm::setService(const QString &service)
{
    if (service.isEmpty()) {
        m_service->setCurrentIndex(m_service->count() > 0 ? 0 : -1);
        return;
    }
    // A name the store does not know (any more) stays visible; saving will say why.
    if (m_service->findText(service) < 0)
        m_service->addItem(service);
    m_service->setCurrentIndex(m_service->findText(service));
}

} // namespace gh
