#include "ServiceForm.h"

#include "ServiceTargetsModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace gh {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

constexpr int DefaultHealthIntervalMs = 10000;
constexpr int DefaultTimeoutMs = 30000;

} // namespace

ServiceForm::ServiceForm(QWidget *parent)
    : EntityForm(EntityKind::Service, parent)
    , m_targetsModel(new ServiceTargetsModel(this))
    , m_targets(new QTableView(this))
    , m_addTarget(new QPushButton(tr("Add Target"), this))
    , m_removeTarget(new QPushButton(tr("Remove"), this))
    , m_balance(new QComboBox(this))
    , m_healthCheck(new QCheckBox(tr("Check the targets' health"), this))
    , m_healthPath(new QLineEdit(this))
    , m_healthInterval(new QSpinBox(this))
    , m_timeout(new QSpinBox(this))
    , m_retries(new QSpinBox(this))
{
    m_targets->setObjectName(QStringLiteral("targetsView"));
    m_targets->setModel(m_targetsModel);
    m_targets->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_targets->setEditTriggers(QAbstractItemView::DoubleClicked |
                               QAbstractItemView::EditKeyPressed |
                               QAbstractItemView::AnyKeyPressed);
    m_targets->horizontalHeader()->setSectionResizeMode(ServiceTargetsModel::UrlColumn,
                                                        QHeaderView::Stretch);
    m_targets->horizontalHeader()->setSectionResizeMode(ServiceTargetsModel::WeightColumn,
                                                        QHeaderView::ResizeToContents);
    m_targets->verticalHeader()->hide();
    m_targets->setMinimumHeight(m_targets->fontMetrics().lineSpacing() * 6);
    m_targets->setMaximumHeight(m_targets->fontMetrics().lineSpacing() * 10);
    m_addTarget->setObjectName(QStringLiteral("addTargetButton"));
    m_removeTarget->setObjectName(QStringLiteral("removeTargetButton"));
    auto *targets = new QWidget(this);
    auto *targetsLayout = new QVBoxLayout(targets);
    targetsLayout->setContentsMargins(0, 0, 0, 0);
    targetsLayout->addWidget(m_targets);
    auto *targetButtons = new QHBoxLayout;
    targetButtons->addWidget(m_addTarget);
    targetButtons->addWidget(m_removeTarget);
    targetButtons->addStretch();
    targetsLayout->addLayout(targetButtons);
    addField(
        tr("Targets"), targets, QStringLiteral("targets"), QStringLiteral("targetsError"),
        [](int index) { return tr("target %1").arg(index + 1); },
        m_targets); // the border goes on the table, not around the buttons

    m_balance->setObjectName(QStringLiteral("balanceCombo"));
    m_balance->addItem(tr("round-robin"), QStringLiteral("round-robin"));
    m_balance->addItem(tr("least connections"), QStringLiteral("least-connections"));
    m_balance->addItem(tr("random"), QStringLiteral("random"));
    m_balance->setToolTip(tr("How requests are spread across the targets, by weight."));
    addField(tr("Balance"), m_balance, QStringLiteral("balance"), QStringLiteral("balanceError"));

    m_healthCheck->setObjectName(QStringLiteral("healthCheckCheck"));
    m_healthCheck->setToolTip(tr("Targets that fail the check get no requests until they "
                                 "pass again."));
    addField(tr("Health check"), m_healthCheck, QStringLiteral("health_check"),
             QStringLiteral("healthCheckError"));
    m_healthPath->setObjectName(QStringLiteral("healthPathEdit"));
    m_healthPath->setPlaceholderText(QStringLiteral("/health"));
    addField(tr("Check path"), m_healthPath, QStringLiteral("health_check.path"),
             QStringLiteral("healthPathError"));
    m_healthInterval->setObjectName(QStringLiteral("healthIntervalSpin"));
    m_healthInterval->setRange(1, 3600000);
    m_healthInterval->setSingleStep(1000);
    m_healthInterval->setSuffix(tr(" ms"));
    addField(tr("Check interval"), m_healthInterval, QStringLiteral("health_check.interval_ms"),
             QStringLiteral("healthIntervalError"));

    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(1, 3600000);
    m_timeout->setSingleStep(1000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setToolTip(tr("How long to wait for a target's response before answering 504."));
    addField(tr("Timeout"), m_timeout, QStringLiteral("timeout_ms"),
             QStringLiteral("timeoutError"));
    m_retries->setObjectName(QStringLiteral("retriesSpin"));
    m_retries->setRange(0, 10);
    m_retries->setToolTip(tr("Further attempts on another target after a connection error or "
                             "timeout; only for idempotent methods."));
    addField(tr("Retries"), m_retries, QStringLiteral("retries"), QStringLiteral("retriesError"));

    connect(m_addTarget, &QPushButton::clicked, this, &ServiceForm::addTarget);
    connect(m_removeTarget, &QPushButton::clicked, this, &ServiceForm::removeTargets);
    connect(m_targets->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ServiceForm::updateTargetButtons);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_targetsModel, signal, this, &ServiceForm::markEdited);
    connect(m_targetsModel, &QAbstractItemModel::dataChanged, this, &ServiceForm::markEdited);
    connect(m_targetsModel, &QAbstractItemModel::modelReset, this, &ServiceForm::markEdited);
    connect(m_balance, &QComboBox::currentIndexChanged, this, &ServiceForm::markEdited);
    connect(m_healthCheck, &QCheckBox::toggled, this, &ServiceForm::updateHealthFields);
    connect(m_healthPath, &QLineEdit::textEdited, this, &ServiceForm::markEdited);
    connect(m_healthInterval, &QSpinBox::valueChanged, this, &ServiceForm::markEdited);
    connect(m_timeout, &QSpinBox::valueChanged, this, &ServiceForm::markEdited);
    connect(m_retries, &QSpinBox::valueChanged, this, &ServiceForm::markEdited);
    unload();
    updateTargetButtons();
}

QJsonObject ServiceForm::defaults() const
{
    return {{key("targets"), QJsonArray()},
            {key("balance"), QStringLiteral("round-robin")},
            {key("timeout_ms"), DefaultTimeoutMs},
            {key("retries"), 0}};
}

void ServiceForm::readEntity(const QJsonObject &entity)
{
    m_targetsModel->setTargets(entity.value(key("targets")).toArray());
    const int balance =
        m_balance->findData(entity.value(key("balance")).toString(QStringLiteral("round-robin")));
    m_balance->setCurrentIndex(qMax(0, balance));
    const QJsonObject check = entity.value(key("health_check")).toObject();
    m_healthCheck->setChecked(entity.contains(key("health_check")));
    m_healthPath->setText(check.value(key("path")).toString(QStringLiteral("/health")));
    m_healthInterval->setValue(check.value(key("interval_ms")).toInt(DefaultHealthIntervalMs));
    m_timeout->setValue(entity.value(key("timeout_ms")).toInt(DefaultTimeoutMs));
    m_retries->setValue(entity.value(key("retries")).toInt(0));
    updateHealthFields();
}

void ServiceForm::writeEntity(QJsonObject &entity) const
{
    entity.insert(key("targets"), m_targetsModel->targets());
    entity.insert(key("balance"), m_balance->currentData().toString());
    if (m_healthCheck->isChecked())
        entity.insert(key("health_check"),
                      QJsonObject{{key("path"), m_healthPath->text().trimmed()},
                                  {key("interval_ms"), m_healthInterval->value()}});
    else
        entity.remove(key("health_check"));
    entity.insert(key("timeout_ms"), m_timeout->value());
    entity.insert(key("retries"), m_retries->value());
}

void ServiceForm::addTarget()
{
    const int row = m_targetsModel->addTarget();
    const QModelIndex index = m_targetsModel->index(row, ServiceTargetsModel::UrlColumn);
    m_targets->setCurrentIndex(index);
    m_targets->edit(index);
}

void ServiceForm::removeTargets()
{
    QList<int> rows;
    const QModelIndexList selected = m_targets->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    if (rows.isEmpty() && m_targets->currentIndex().isValid())
        rows.append(m_targets->currentIndex().row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows))
        m_targetsModel->removeRow(row);
    updateTargetButtons();
}

void ServiceForm::updateTargetButtons()
{
    m_removeTarget->setEnabled(m_targets->selectionModel()->hasSelection());
}

void ServiceForm::updateHealthFields()
{
    m_healthPath->setEnabled(m_healthCheck->isChecked());
    m_healthInterval->setEnabled(m_healthCheck->isChecked());
    markEdited();
}

} // namespace gh
