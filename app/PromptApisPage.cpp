#include "PromptApisPage.h"

#include "EntityColumns.h"
#include "Gateway.h"
#include "NewVersionDialog.h"
#include "PromptApiForm.h"
#include "PromptTryPanel.h"
#include "StateBadgeDelegate.h"

#include <QHeaderView>
#include <QPushButton>
#include <QTableView>

namespace gh {

PromptApisPage::PromptApisPage(Gateway *gateway, QWidget *parent)
    : EntityEditorPage(gateway, EntityKind::PromptApi, new PromptApiForm(gateway), parent)
    , m_gateway(gateway)
    , m_promptForm(static_cast<PromptApiForm *>(form()))
    , m_try(new PromptTryPanel(gateway))
    , m_publish(nullptr)
    , m_newVersion(nullptr)
{
    m_try->setObjectName(QStringLiteral("tryPanel"));
    addPaneTab(m_try, tr("Try It"));

    // The state column as badges, next to the name: a draft stands out.
    QTableView *table = tableView();
    const QString stateTitle = EntityColumns::tr("State");
    for (int column = 0; column < table->model()->columnCount(); ++column) {
        if (table->model()->headerData(column, Qt::Horizontal).toString() != stateTitle)
            continue;
        table->setItemDelegateForColumn(column, new StateBadgeDelegate(table));
        table->horizontalHeader()->moveSection(table->horizontalHeader()->visualIndex(column), 1);
    }

    m_publish = addEntityAction(tr("Publish"), QStringLiteral("publishButton"));
    m_publish->setToolTip(tr("Make this draft live: callers can POST to its path (the changes "
                             "shown are saved first, with the same checks)."));
    m_newVersion = addEntityAction(tr("New Version…"), QStringLiteral("newVersionButton"));
    m_newVersion->setToolTip(tr("Copy it as a draft under a new name, path and version."));
    connect(m_publish, &QPushButton::clicked, this, &PromptApisPage::publish);
    connect(m_newVersion, &QPushButton::clicked, this, &PromptApisPage::newVersion);
    connect(m_promptForm, &PromptApiForm::definitionChanged, this,
            &PromptApisPage::definitionChanged);
    connect(m_promptForm, &EntityForm::edited, this, &PromptApisPage::updateEntityActions);
    definitionChanged();
    updateEntityActions();
}

void PromptApisPage::definitionChanged()
{
    if (!m_promptForm->isLoaded()) {
        m_try->setDefinition({}, false);
        return;
    }
    m_try->setDefinition(m_promptForm->entity(),
                         !m_promptForm->isNew() && !m_promptForm->isDirty());
}

void PromptApisPage::updateEntityActions()
{
    if (!m_publish || !m_newVersion)
        return; // still being built
    const bool saved = m_promptForm->isLoaded() && !m_promptForm->isNew();
    const QString stored = m_promptForm->savedEntity().value(QStringLiteral("state")).toString();
    m_publish->setEnabled(saved && stored == QLatin1String("draft"));
    m_newVersion->setEnabled(saved);
    // Saving or reverting changes whether the gateway serves what is shown.
    definitionChanged();
}

bool PromptApisPage::publish()
{
    if (!m_promptForm->isLoaded() || m_promptForm->isNew())
        return false;
    const QString before = m_promptForm->state();
    m_promptForm->setState(QStringLiteral("published"));
    if (!save()) {
        m_promptForm->setState(before);
        return false;
    }
    const QJsonObject saved = m_promptForm->savedEntity();
    setStatus(tr("Published “%1”: POST %2 answers callers now.")
                  .arg(saved.value(QStringLiteral("name")).toString(),
                       saved.value(QStringLiteral("path")).toString()));
    return true;
}

void PromptApisPage::newVersion()
{
    if (!m_promptForm->isLoaded() || m_promptForm->isNew())
        return;
    NewVersionDialog dialog(m_gateway, m_promptForm->savedEntity(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString name = dialog.createdName();
    selectEntity(name);
    setStatus(tr("Created “%1” as a draft. Try it, then publish it.").arg(name));
}

} // namespace gh
