#include "EntityEditorPage.h"

#include "ConsumerForm.h"
#include "EntityColumns.h"
#include "EntityForm.h"
#include "EntityTableModel.h"
#include "Gateway.h"
#include "ProblemDisplay.h"
#include "RouteForm.h"
#include "ServiceForm.h"
#include "StateBadgeDelegate.h"
#include "TestRequestDialog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QShortcut>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace gh {

namespace {

QString bulleted(const QStringList &lines)
{
    QStringList result;
    for (const QString &line : lines)
        result.append(QStringLiteral("• ") + line);
    return result.join(QLatin1Char('\n'));
}

} // namespace

EntityEditorPage::EntityEditorPage(Gateway *gateway, EntityKind kind, EntityForm *form,
                                   QWidget *parent)
    : EntityListPage(gateway, kind, parent)
    , m_gateway(gateway)
    , m_form(form)
    , m_toolBar(new QWidget(this))
    , m_new(new QPushButton(newButtonText(), m_toolBar))
    , m_save(new QPushButton(tr("Save"), this))
    , m_revert(new QPushButton(tr("Revert"), this))
    , m_delete(new QPushButton(tr("Delete"), this))
    , m_summary(ProblemDisplay::createMessageLabel(QStringLiteral("problemSummary"), this))
    , m_status(new QLabel(this))
    , m_scroll(nullptr)
{
    m_form->setObjectName(QStringLiteral("entityForm"));
    m_new->setObjectName(QStringLiteral("newButton"));
    m_new->setIcon(QIcon::fromTheme(QStringLiteral("list-add")));
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setToolTip(tr("Save and apply to new requests at once (Ctrl+S)"));
    m_revert->setObjectName(QStringLiteral("revertButton"));
    m_revert->setToolTip(tr("Throw away the changes not saved yet"));
    m_delete->setObjectName(QStringLiteral("deleteButton"));
    m_status->setObjectName(QStringLiteral("editorStatus"));
    m_status->setWordWrap(true);
    m_status->setEnabled(false); // greyed: a note, not a value
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *toolLayout = new QHBoxLayout(m_toolBar);
    toolLayout->setContentsMargins(0, 0, 0, 0);
    toolLayout->addWidget(m_new);
    toolLayout->addStretch();

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("formScrollArea"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_form);
    m_scroll = scroll;

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_revert);
    buttons->addStretch();
    buttons->addWidget(m_delete);

    auto *pane = new QWidget(this);
    pane->setObjectName(QStringLiteral("editorPane"));
    auto *paneLayout = new QVBoxLayout(pane);
    paneLayout->setContentsMargins(6, 0, 0, 0);
    paneLayout->addWidget(scroll, 1);
    paneLayout->addWidget(m_summary);
    paneLayout->addWidget(m_status);
    paneLayout->addLayout(buttons);

    QTableView *table = tableView();
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    addEditor(m_toolBar, pane);

    connect(m_new, &QPushButton::clicked, this, &EntityEditorPage::newEntity);
    connect(m_save, &QPushButton::clicked, this, &EntityEditorPage::save);
    connect(m_revert, &QPushButton::clicked, this, &EntityEditorPage::revert);
    connect(m_delete, &QPushButton::clicked, this, &EntityEditorPage::deleteEntity);
    connect(m_form, &EntityForm::edited, this, [this] {
        m_status->clear();
        updateButtons();
    });
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EntityEditorPage::currentRowChanged);
    connect(table->model(), &QAbstractItemModel::modelReset, this, &EntityEditorPage::modelReset);
    auto *saveShortcut = new QShortcut(QKeySequence::Save, this);
    connect(saveShortcut, &QShortcut::activated, this, [this] {
        if (m_save->isEnabled())
            save();
    });
    updateEmptyState();
    updateButtons();
}

EntityEditorPage *EntityEditorPage::createRoutesPage(Gateway *gateway, QWidget *parent)
{
    auto *page = new EntityEditorPage(gateway, EntityKind::Route, new RouteForm(gateway), parent);
    // The state column as coloured badges: a route that is off (draft) stands out.
    QTableView *table = page->tableView();
    const QString stateTitle = EntityColumns::tr("State");
    for (int column = 0; column < table->model()->columnCount(); ++column) {
        if (table->model()->headerData(column, Qt::Horizontal).toString() != stateTitle)
            continue;
        table->setItemDelegateForColumn(column, new StateBadgeDelegate(table));
        // Next to the name, where a narrow table still shows it.
        table->horizontalHeader()->moveSection(table->horizontalHeader()->visualIndex(column), 1);
    }
    QPushButton *test =
        page->addEntityAction(tr("Send Test Request…"), QStringLiteral("sendTestRequestButton"));
    test->setToolTip(tr("Send a request through the gateway to the selected route and see "
                        "the response"));
    connect(test, &QPushButton::clicked, page, [page, gateway] {
        auto *dialog = new TestRequestDialog(gateway, page->form()->savedEntity(), page);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    return page;
}

EntityEditorPage *EntityEditorPage::createServicesPage(Gateway *gateway, QWidget *parent)
{
    return new EntityEditorPage(gateway, EntityKind::Service, new ServiceForm, parent);
}

EntityEditorPage *EntityEditorPage::createConsumersPage(Gateway *gateway, QWidget *parent)
{
    return new EntityEditorPage(gateway, EntityKind::Consumer, new ConsumerForm(gateway), parent);
}

void EntityEditorPage::addPaneTab(QWidget *widget, const QString &title)
{
    if (!m_tabs) {
        QWidget *pane = m_scroll->parentWidget();
        auto *layout = qobject_cast<QVBoxLayout *>(pane->layout());
        m_tabs = new QTabWidget(pane);
        m_tabs->setObjectName(QStringLiteral("editorTabs"));
        m_tabs->setDocumentMode(true);
        layout->replaceWidget(m_scroll, m_tabs);
        layout->setStretchFactor(m_tabs, 1);
        m_tabs->addTab(m_scroll, tr("Definition"));
    }
    m_tabs->addTab(widget, title);
}

void EntityEditorPage::setStatus(const QString &text)
{
    m_status->setText(text);
}

QPushButton *EntityEditorPage::addEntityAction(const QString &text, const QString &objectName)
{
    auto *button = new QPushButton(text, m_toolBar);
    button->setObjectName(objectName);
    auto *layout = qobject_cast<QHBoxLayout *>(m_toolBar->layout());
    layout->insertWidget(layout->count() - 1, button); // before the stretch
    m_entityActions.append(button);
    updateButtons();
    return button;
}

QString EntityEditorPage::newButtonText() const
{
    switch (kind()) {
    case EntityKind::Route:
        return tr("New Route");
    case EntityKind::Service:
        return tr("New Service");
    case EntityKind::Consumer:
        return tr("New Consumer");
    case EntityKind::PromptApi:
        return tr("New Prompt API");
    default:
        return tr("New");
    }
}

QString EntityEditorPage::addInstructions() const
{
    return tr("Click “%1” above to write one here, or add them in one of two ways:")
        .arg(newButtonText());
}

QModelIndex EntityEditorPage::indexOf(const QString &name) const
{
    const QAbstractItemModel *model = tableView()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(EntityTableModel::EntityRole)
                .toJsonObject()
                .value(QStringLiteral("name"))
                .toString() == name)
            return index;
    }
    return {};
}

QJsonObject EntityEditorPage::storedEntity(const QString &name) const
{
    return indexOf(name).data(EntityTableModel::EntityRole).toJsonObject();
}

void EntityEditorPage::selectSilently(const QString &name)
{
    QScopedValueRollback guard(m_syncing, true);
    const QModelIndex index = name.isEmpty() ? QModelIndex() : indexOf(name);
    QItemSelectionModel *selection = tableView()->selectionModel();
    if (index.isValid()) {
        selection->setCurrentIndex(index,
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        tableView()->scrollTo(index);
    } else {
        selection->clear();
    }
}

bool EntityEditorPage::selectEntity(const QString &name)
{
    const QModelIndex index = indexOf(name);
    if (!index.isValid())
        return false;
    tableView()->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
    return m_form->isLoaded() && !m_form->isNew() && m_form->name() == name;
}

void EntityEditorPage::currentRowChanged(const QModelIndex &current)
{
    if (m_syncing || !current.isValid())
        return;
    const QString name = current.data(EntityTableModel::EntityRole)
                             .toJsonObject()
                             .value(QStringLiteral("name"))
                             .toString();
    if (m_form->isLoaded() && !m_form->isNew() && m_form->name() == name)
        return;
    if (!confirmLeave()) {
        // Stay: the selection goes back to what the form shows.
        selectSilently(m_form->isNew() ? QString() : m_form->name());
        return;
    }
    // Saving may have reloaded the table: find the row again by name.
    selectSilently(name);
    m_form->load(storedEntity(name));
    setListForced(false);
    clearMessages();
    updateButtons();
}

void EntityEditorPage::modelReset()
{
    QScopedValueRollback guard(m_syncing, true);
    if (m_form->isLoaded() && !m_form->isNew()) {
        const QString name = m_form->name();
        const QJsonObject stored = storedEntity(name);
        if (!stored.isEmpty()) {
            selectSilently(name);
            // Someone else changed it (admin API, config file): show that, unless the
            // user is in the middle of editing.
            if (!m_form->isDirty() && stored != m_form->savedEntity())
                m_form->load(stored);
        } else if (!m_form->isDirty()) {
            m_form->unload(); // deleted elsewhere
        }
    }
    updateButtons();
}

bool EntityEditorPage::confirmLeave()
{
    if (!m_form->isDirty())
        return true;
    const QString name = m_form->name();
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Changes"),
                    name.isEmpty() ? tr("The new entry has unsaved changes.")
                                   : tr("“%1” has unsaved changes.").arg(name),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedChangesBox"));
    box.setInformativeText(tr("Save them before going on?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void EntityEditorPage::newEntity()
{
    if (!confirmLeave())
        return;
    m_form->loadNew();
    selectSilently({});
    setListForced(true);
    clearMessages();
    updateButtons();
    m_form->findChild<QWidget *>(QStringLiteral("nameEdit"))->setFocus();
}

bool EntityEditorPage::save()
{
    if (!m_form->isLoaded())
        return false;
    const QString name = m_form->name();
    const ConfigService::Result result = m_gateway->putEntity(kind(), name, m_form->entity());
    if (!result.ok()) {
        showProblems(result.problems);
        return false;
    }
    const QJsonObject stored = storedEntity(name);
    m_form->load(stored.isEmpty() ? result.entity : stored);
    selectSilently(name);
    setListForced(false);
    clearMessages();
    QString status = result.status == ConfigService::Status::Created
                         ? tr("Created “%1”; it applies to new requests now.").arg(name)
                         : tr("Saved “%1”; it applies to new requests now.").arg(name);
    for (const QString &warning : result.warnings)
        status += QLatin1Char('\n') + warning;
    m_status->setText(status);
    updateButtons();
    return true;
}

void EntityEditorPage::revert()
{
    if (m_form->isNew()) {
        m_form->unload();
        setListForced(false);
    } else if (m_form->isLoaded()) {
        const QJsonObject stored = storedEntity(m_form->name());
        m_form->load(stored.isEmpty() ? m_form->savedEntity() : stored);
    }
    clearMessages();
    updateButtons();
}

void EntityEditorPage::deleteEntity()
{
    if (!m_form->isLoaded() || m_form->isNew())
        return;
    const QString name = m_form->name();
    QMessageBox confirm(
        QMessageBox::Question, tr("Delete"),
        kind() == EntityKind::Route
            ? tr("Delete the route “%1”? Requests to it will get 404.").arg(name)
        : kind() == EntityKind::Consumer
            ? tr("Delete the consumer “%1”? Its keys stop working at once.").arg(name)
        : kind() == EntityKind::PromptApi
            ? tr("Delete the prompt API “%1”? Calls to its path will get 404.").arg(name)
            : tr("Delete “%1”?").arg(name),
        QMessageBox::Yes | QMessageBox::No, this);
    confirm.setObjectName(QStringLiteral("deleteConfirmBox"));
    confirm.setDefaultButton(QMessageBox::No);
    if (confirm.exec() != QMessageBox::Yes)
        return;

    const ConfigService::Result result = m_gateway->deleteEntity(kind(), name);
    if (result.status == ConfigService::Status::Conflict) {
        QStringList lines;
        for (const ConfigProblem &problem : result.problems)
            lines.append(problem.toString());
        QMessageBox conflict(QMessageBox::Warning, tr("Still in Use"),
                             tr("“%1” was not deleted: something still refers to it.").arg(name),
                             QMessageBox::Ok, this);
        conflict.setObjectName(QStringLiteral("deleteConflictBox"));
        conflict.setInformativeText(tr("Change or delete these first:") + QLatin1Char('\n') +
                                    bulleted(lines));
        conflict.exec();
        return;
    }
    if (!result.ok()) {
        showProblems(result.problems);
        return;
    }
    // The reload may have unloaded the form already; either way nothing is selected.
    m_form->unload();
    selectSilently({});
    clearMessages();
    m_status->setText(tr("Deleted “%1”.").arg(name));
    updateButtons();
}

void EntityEditorPage::showProblems(const ConfigProblems &problems)
{
    const QStringList lines = m_form->showProblems(problems);
    m_summary->setText(tr("Not saved:") + QLatin1Char('\n') + bulleted(lines));
    m_summary->show();
    m_status->clear();
}

void EntityEditorPage::clearMessages()
{
    m_form->clearProblems();
    m_summary->clear();
    m_summary->hide();
    m_status->clear();
}

void EntityEditorPage::updateButtons()
{
    const bool loaded = m_form->isLoaded();
    const bool dirty = m_form->isDirty();
    m_save->setEnabled(dirty);
    m_revert->setEnabled(loaded && (dirty || m_form->isNew()));
    m_delete->setEnabled(loaded && !m_form->isNew());
    for (QPushButton *button : std::as_const(m_entityActions))
        button->setEnabled(loaded && !m_form->isNew());
    updateEntityActions();
}

} // namespace gh
