#include "EntityForm.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScopedValueRollback>

namespace gh {

EntityForm::EntityForm(EntityKind kind, QWidget *parent)
    : QWidget(parent)
    , m_kind(kind)
    , m_form(new QFormLayout(this))
    , m_name(new QLineEdit(this))
{
    setStyleSheet(ProblemDisplay::styleSheet());
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setPlaceholderText(tr("letters, digits, “.”, “_” and “-”"));
    addField(tr("Name"), m_name, QStringLiteral("name"), QStringLiteral("nameError"));
    connect(m_name, &QLineEdit::textEdited, this, &EntityForm::markEdited);
    setEnabled(false);
}

void EntityForm::addField(const QString &title, QWidget *field, const QString &path,
                          const QString &messageName, ProblemDisplay::ItemNamer itemNamer,
                          QWidget *marked)
{
    m_problems.addRow(m_form, title, field, path, messageName, std::move(itemNamer), marked);
}

void EntityForm::addRow(const QString &title, QWidget *widget)
{
    m_form->addRow(title.isEmpty() ? QString() : tr("%1:").arg(title), widget);
}

void EntityForm::addSection(QWidget *section)
{
    m_form->addRow(section);
}

void EntityForm::load(const QJsonObject &entity)
{
    QScopedValueRollback guard(m_loading, true);
    clearProblems();
    m_original = entity;
    m_loaded = true;
    m_name->setText(entity.value(QStringLiteral("name")).toString());
    m_name->setReadOnly(true);
    m_name->setToolTip(tr("The name cannot change. To rename, create a new entry and delete "
                          "this one."));
    readEntity(entity);
    setEnabled(true);
    m_baseline = this->entity();
}

void EntityForm::loadNew()
{
    QScopedValueRollback guard(m_loading, true);
    clearProblems();
    m_original = {};
    m_loaded = true;
    m_name->clear();
    m_name->setReadOnly(false);
    m_name->setToolTip({});
    readEntity(defaults());
    setEnabled(true);
    m_baseline = entity();
}

void EntityForm::unload()
{
    QScopedValueRollback guard(m_loading, true);
    clearProblems();
    m_original = {};
    m_loaded = false;
    m_name->clear();
    m_name->setReadOnly(true);
    readEntity(defaults());
    setEnabled(false);
    m_baseline = entity();
}

bool EntityForm::isDirty() const
{
    return m_loaded && entity() != m_baseline;
}

QString EntityForm::name() const
{
    return m_name->text().trimmed();
}

QJsonObject EntityForm::entity() const
{
    QJsonObject result = m_original;
    result.insert(QStringLiteral("name"), name());
    writeEntity(result);
    return result;
}

QStringList EntityForm::showProblems(const ConfigProblems &problems)
{
    return m_problems.show(problems);
}

void EntityForm::clearProblems()
{
    m_problems.clear();
}

void EntityForm::markEdited()
{
    if (!m_loading)
        Q_EMIT edited();
}

} // namespace gh
