#include "ModelForm.h"

#include "Gateway.h"
#include "ModelTargetsModel.h"
#include "ai/ProviderModelLister.h"
#include "secrets/SecretResolver.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSpinBox>
#include <QStringListModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <functional>

namespace gh {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList result;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        result.append(item.toString());
    return result;
}

// Combo boxes for the provider (the providers in the store) and the upstream model
// (editable; the ids "List Models" found for the row's provider).
class TargetDelegate : public QStyledItemDelegate
{
public:
    using Choices = std::function<QStringList(const QModelIndex &)>;

    TargetDelegate(Choices choices, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_choices(std::move(choices))
    {}

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override
    {
        if (index.column() == ModelTargetsModel::WeightColumn)
            return QStyledItemDelegate::createEditor(parent, option, index);
        auto *combo = new QComboBox(parent);
        combo->setObjectName(index.column() == ModelTargetsModel::ProviderColumn
                                 ? QStringLiteral("targetProviderCombo")
                                 : QStringLiteral("targetModelCombo"));
        combo->setEditable(index.column() == ModelTargetsModel::ModelColumn);
        combo->setInsertPolicy(QComboBox::NoInsert);
        combo->addItems(m_choices(index));
        return combo;
    }

    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        auto *combo = qobject_cast<QComboBox *>(editor);
        if (!combo)
            return QStyledItemDelegate::setEditorData(editor, index);
        const QString value = index.data(Qt::EditRole).toString();
        if (combo->isEditable()) {
            combo->setCurrentText(value);
            return;
        }
        if (!value.isEmpty() && combo->findText(value) < 0)
            combo->addItem(value); // unknown (deleted?) provider: stays visible
        combo->setCurrentIndex(combo->findText(value));
    }

    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override
    {
        if (auto *combo = qobject_cast<QComboBox *>(editor))
            model->setData(index, combo->currentText());
        else
            QStyledItemDelegate::setModelData(editor, model, index);
    }

private:
    Choices m_choices;
};

} // namespace

ModelForm::ModelForm(Gateway *gateway, QWidget *parent)
    : EntityForm(EntityKind::Model, parent)
    , m_gateway(gateway)
    , m_lister(new ProviderModelLister(this))
    , m_targetsModel(new ModelTargetsModel(this))
    , m_targets(new QTableView(this))
    , m_addTarget(new QPushButton(tr("Add"), this))
    , m_removeTarget(new QPushButton(tr("Remove"), this))
    , m_listModels(new QPushButton(tr("List Models"), this))
    , m_listResult(new QLabel(this))
    , m_retries(new QSpinBox(this))
    , m_fallbacksModel(new QStringListModel(this))
    , m_fallbacksView(new QListView(this))
    , m_fallbackChoice(new QComboBox(this))
    , m_addFallback(new QPushButton(tr("Add"), this))
    , m_removeFallback(new QPushButton(tr("Remove"), this))
    , m_moveUp(new QPushButton(tr("Up"), this))
    , m_moveDown(new QPushButton(tr("Down"), this))
{
    m_targets->setObjectName(QStringLiteral("targetsView"));
    m_targets->setModel(m_targetsModel);
    m_targets->setItemDelegate(new TargetDelegate(
        [this](const QModelIndex &index) {
            if (index.column() == ModelTargetsModel::ProviderColumn)
                return m_providerNames;
            return m_knownModels.value(m_targetsModel->provider(index.row()));
        },
        m_targets));
    m_targets->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_targets->setEditTriggers(QAbstractItemView::DoubleClicked |
                               QAbstractItemView::EditKeyPressed |
                               QAbstractItemView::AnyKeyPressed);
    m_targets->horizontalHeader()->setSectionResizeMode(ModelTargetsModel::ModelColumn,
                                                        QHeaderView::Stretch);
    m_targets->verticalHeader()->hide();
    m_targets->setMinimumHeight(m_targets->fontMetrics().lineSpacing() * 6);
    m_targets->setMaximumHeight(m_targets->fontMetrics().lineSpacing() * 10);
    m_addTarget->setObjectName(QStringLiteral("addTargetButton"));
    m_removeTarget->setObjectName(QStringLiteral("removeTargetButton"));
    m_listModels->setObjectName(QStringLiteral("listModelsButton"));
    m_listModels->setToolTip(tr("Ask the selected target's provider which models it offers, "
                                "to pick the upstream model from."));
    m_listResult->setObjectName(QStringLiteral("listModelsResult"));
    m_listResult->setWordWrap(true);
    m_listResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *targets = new QWidget(this);
    auto *targetsLayout = new QVBoxLayout(targets);
    targetsLayout->setContentsMargins(0, 0, 0, 0);
    targetsLayout->addWidget(m_targets);
    auto *targetButtons = new QHBoxLayout;
    targetButtons->addWidget(m_addTarget);
    targetButtons->addWidget(m_removeTarget);
    targetButtons->addStretch();
    targetButtons->addWidget(m_listModels);
    targetsLayout->addLayout(targetButtons);
    targetsLayout->addWidget(m_listResult);
    addField(
        tr("Targets"), targets, QStringLiteral("targets"), QStringLiteral("targetsError"),
        [](int index) { return tr("target %1").arg(index + 1); }, m_targets);

    m_retries->setObjectName(QStringLiteral("retriesSpin"));
    m_retries->setRange(0, 10);
    m_retries->setToolTip(tr("Further attempts on a target after a 429, 5xx, timeout or "
                             "connection error, before the fallbacks."));
    addField(tr("Retries"), m_retries, QStringLiteral("retries"), QStringLiteral("retriesError"));

    // The fallback chain: order matters, so it is a list to drag items around in.
    m_fallbacksView->setObjectName(QStringLiteral("fallbacksView"));
    m_fallbacksView->setModel(m_fallbacksModel);
    m_fallbacksView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_fallbacksView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_fallbacksView->setDragEnabled(true);
    m_fallbacksView->setAcceptDrops(true);
    m_fallbacksView->setDropIndicatorShown(true);
    m_fallbacksView->setDragDropMode(QAbstractItemView::InternalMove);
    m_fallbacksView->setDefaultDropAction(Qt::MoveAction);
    m_fallbacksView->setToolTip(tr("Tried in this order when the targets fail. Drag to "
                                   "reorder."));
    m_fallbacksView->setFixedHeight(m_fallbacksView->fontMetrics().lineSpacing() * 7);
    m_fallbackChoice->setObjectName(QStringLiteral("fallbackCombo"));
    m_fallbackChoice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_addFallback->setObjectName(QStringLiteral("addFallbackButton"));
    m_removeFallback->setObjectName(QStringLiteral("removeFallbackButton"));
    m_moveUp->setObjectName(QStringLiteral("moveFallbackUpButton"));
    m_moveDown->setObjectName(QStringLiteral("moveFallbackDownButton"));
    auto *fallbacks = new QWidget(this);
    auto *fallbacksLayout = new QVBoxLayout(fallbacks);
    fallbacksLayout->setContentsMargins(0, 0, 0, 0);
    auto *listRow = new QHBoxLayout;
    listRow->addWidget(m_fallbacksView, 1, Qt::AlignTop);
    auto *moveButtons = new QVBoxLayout;
    moveButtons->addWidget(m_moveUp);
    moveButtons->addWidget(m_moveDown);
    moveButtons->addWidget(m_removeFallback);
    moveButtons->addStretch();
    listRow->addLayout(moveButtons);
    fallbacksLayout->addLayout(listRow);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_fallbackChoice, 1);
    addRow->addWidget(m_addFallback);
    fallbacksLayout->addLayout(addRow);
    fallbacksLayout->addStretch(); // room the form has to spare goes below, not between
    addField(
        tr("Fallbacks"), fallbacks, QStringLiteral("fallbacks"), QStringLiteral("fallbacksError"),
        [this](int index) {
            const QStringList names = m_fallbacksModel->stringList();
            return index >= 0 && index < names.size() ? tr("“%1”").arg(names.at(index))
                                                      : tr("fallback %1").arg(index + 1);
        },
        m_fallbacksView);

    connect(m_addTarget, &QPushButton::clicked, this, &ModelForm::addTarget);
    connect(m_removeTarget, &QPushButton::clicked, this, &ModelForm::removeTargets);
    connect(m_listModels, &QPushButton::clicked, this, &ModelForm::listModels);
    connect(m_addFallback, &QPushButton::clicked, this, &ModelForm::addFallback);
    connect(m_removeFallback, &QPushButton::clicked, this, &ModelForm::removeFallback);
    connect(m_moveUp, &QPushButton::clicked, this, [this] { moveSelectedFallback(-1); });
    connect(m_moveDown, &QPushButton::clicked, this, [this] { moveSelectedFallback(1); });
    connect(m_targets->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ModelForm::updateButtons);
    connect(m_fallbacksView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ModelForm::updateButtons);
    for (QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(m_targetsModel),
                                      static_cast<QAbstractItemModel *>(m_fallbacksModel)}) {
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(model, signal, this, &ModelForm::markEdited);
        connect(model, &QAbstractItemModel::rowsMoved, this, &ModelForm::markEdited);
        connect(model, &QAbstractItemModel::dataChanged, this, &ModelForm::markEdited);
        connect(model, &QAbstractItemModel::modelReset, this, &ModelForm::markEdited);
    }
    // What can be added as a fallback depends on what is in the list already.
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_fallbacksModel, signal, this, &ModelForm::reloadNames);
    connect(m_fallbacksModel, &QAbstractItemModel::modelReset, this, &ModelForm::reloadNames);
    connect(m_fallbacksModel, &QAbstractItemModel::dataChanged, this, &ModelForm::reloadNames);
    connect(m_retries, &QSpinBox::valueChanged, this, &ModelForm::markEdited);
    connect(m_lister, &ProviderModelLister::finished, this, &ModelForm::listed);
    connect(m_lister, &ProviderModelLister::failed, this, &ModelForm::listFailed);
    connect(this, &EntityForm::edited, this, &ModelForm::updateButtons);
    if (gateway) {
        connect(gateway, &Gateway::configChanged, this, &ModelForm::reloadNames);
        connect(gateway, &Gateway::stateChanged, this, &ModelForm::reloadNames);
    }
    reloadNames();
    unload();
}

QJsonObject ModelForm::defaults() const
{
    QJsonArray targets;
    if (!m_providerNames.isEmpty())
        targets.append(QJsonObject{{key("provider"), m_providerNames.first()},
                                   {key("model"), QString()},
                                   {key("weight"), 1}});
    return {{key("targets"), targets}, {key("fallbacks"), QJsonArray()}, {key("retries"), 0}};
}

void ModelForm::readEntity(const QJsonObject &entity)
{
    m_targetsModel->setTargets(entity.value(key("targets")).toArray());
    m_fallbacksModel->setStringList(toStringList(entity.value(key("fallbacks"))));
    m_retries->setValue(entity.value(key("retries")).toInt(0));
    m_lister->abort();
    m_listResult->clear();
    reloadNames();
    updateButtons();
}

void ModelForm::writeEntity(QJsonObject &entity) const
{
    entity.insert(key("targets"), m_targetsModel->targets());
    entity.insert(key("fallbacks"), QJsonArray::fromStringList(m_fallbacksModel->stringList()));
    entity.insert(key("retries"), m_retries->value());
}

void ModelForm::reloadNames()
{
    m_providerNames.clear();
    m_modelNames.clear();
    if (m_gateway && m_gateway->state() != Gateway::State::Closed) {
        const QList<QJsonObject> providers = m_gateway->entities(EntityKind::Provider);
        for (const QJsonObject &provider : providers)
            m_providerNames.append(provider.value(key("name")).toString());
        const QList<QJsonObject> models = m_gateway->entities(EntityKind::Model);
        for (const QJsonObject &model : models)
            m_modelNames.append(model.value(key("name")).toString());
    }
    m_providerNames.sort(Qt::CaseInsensitive);
    m_modelNames.sort(Qt::CaseInsensitive);

    // Fallback candidates: other models, not in the chain already.
    const QStringList chain = m_fallbacksModel->stringList();
    const QString current = m_fallbackChoice->currentText();
    m_fallbackChoice->clear();
    for (const QString &model : std::as_const(m_modelNames)) {
        if (model != name() && !chain.contains(model))
            m_fallbackChoice->addItem(model);
    }
    m_fallbackChoice->setCurrentIndex(qMax(0, m_fallbackChoice->findText(current)));
    updateButtons();
}

bool ModelForm::moveFallback(int from, int to)
{
    const int count = m_fallbacksModel->rowCount();
    if (from < 0 || from >= count || to < 0 || to >= count || from == to)
        return false;
    // moveRows takes the row the item goes before, in the list as it is now.
    return m_fallbacksModel->moveRows({}, from, 1, {}, to > from ? to + 1 : to);
}

void ModelForm::moveSelectedFallback(int delta)
{
    const int row = m_fallbacksView->currentIndex().row();
    if (row < 0 || !moveFallback(row, row + delta))
        return;
    m_fallbacksView->setCurrentIndex(m_fallbacksModel->index(row + delta));
}

void ModelForm::addFallback()
{
    const QString model = m_fallbackChoice->currentText();
    if (model.isEmpty())
        return;
    const int row = m_fallbacksModel->rowCount();
    m_fallbacksModel->insertRows(row, 1);
    m_fallbacksModel->setData(m_fallbacksModel->index(row), model);
    m_fallbacksView->setCurrentIndex(m_fallbacksModel->index(row));
}

void ModelForm::removeFallback()
{
    const int row = m_fallbacksView->currentIndex().row();
    if (row >= 0)
        m_fallbacksModel->removeRows(row, 1);
}

void ModelForm::addTarget()
{
    const int row = m_targetsModel->addTarget(m_providerNames.value(0));
    const QModelIndex index = m_targetsModel->index(row, ModelTargetsModel::ModelColumn);
    m_targets->setCurrentIndex(index);
    m_targets->edit(index);
}

void ModelForm::removeTargets()
{
    QList<int> rows;
    const QModelIndexList selected = m_targets->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows))
        m_targetsModel->removeRow(row);
}

void ModelForm::updateButtons()
{
    m_removeTarget->setEnabled(m_targets->selectionModel()->hasSelection());
    m_listModels->setEnabled(m_targetsModel->rowCount() > 0 && !m_lister->isRunning());
    const int row = m_fallbacksView->currentIndex().row();
    m_removeFallback->setEnabled(row >= 0);
    m_moveUp->setEnabled(row > 0);
    m_moveDown->setEnabled(row >= 0 && row < m_fallbacksModel->rowCount() - 1);
    m_addFallback->setEnabled(m_fallbackChoice->count() > 0);
}

void ModelForm::listModels()
{
    const QModelIndex current = m_targets->currentIndex();
    const QString provider = m_targetsModel->provider(current.isValid() ? current.row() : 0);
    QJsonObject entity;
    if (m_gateway) {
        const QList<QJsonObject> providers = m_gateway->entities(EntityKind::Provider);
        for (const QJsonObject &candidate : providers) {
            if (candidate.value(key("name")).toString() == provider)
                entity = candidate;
        }
    }
    if (entity.isEmpty()) {
        listFailed(
            tr("There is no provider “%1”; add it on the Providers page first.").arg(provider));
        return;
    }
    QString apiKey;
    if (const QString reference = entity.value(key("api_key")).toString(); !reference.isEmpty()) {
        const SecretResult resolved = SecretResolver(m_gateway->secretStore()).resolve(reference);
        if (!resolved.ok) {
            listFailed(tr("The key of “%1” could not be read: %2").arg(provider, resolved.message));
            return;
        }
        apiKey = resolved.value;
    }
    m_listingProvider = provider;
    m_listResult->setText(tr("Asking “%1” for its models…").arg(provider));
    m_lister->list(entity, apiKey);
    updateButtons();
}

void ModelForm::listed(const QStringList &models)
{
    m_knownModels.insert(m_listingProvider, models);
    m_listResult->setPalette(palette());
    m_listResult->setText(tr("“%1” offers %n model(s); pick one in the Upstream model column.",
                             nullptr, int(models.size()))
                              .arg(m_listingProvider));
    updateButtons();
}

void ModelForm::listFailed(const QString &message)
{
    QPalette red = m_listResult->palette();
    red.setColor(QPalette::WindowText, ProblemDisplay::errorColor());
    m_listResult->setPalette(red);
    m_listResult->setText(message);
    updateButtons();
}

} // namespace gh
