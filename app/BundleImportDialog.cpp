#include "BundleImportDialog.h"

#include "BundlePlanModel.h"
#include "Gateway.h"
#include "ProblemDisplay.h"
#include "config/ConfigLoader.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
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

BundleImportDialog::BundleImportDialog(Gateway *gateway, QWidget *parent)
    : QDialog(parent)
    , m_gateway(gateway)
    , m_path(new QLineEdit(this))
    , m_browse(new QPushButton(tr("Open…"), this))
    , m_mode(new QComboBox(this))
    , m_modeHelp(new QLabel(this))
    , m_model(new BundlePlanModel(this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_warnings(new QLabel(this))
    , m_problems(ProblemDisplay::createMessageLabel(QStringLiteral("importProblems"), this))
    , m_apply(new QPushButton(tr("Apply"), this))
{
    setObjectName(QStringLiteral("bundleImportDialog"));
    setWindowTitle(tr("Import Bundle"));
    m_path->setObjectName(QStringLiteral("bundlePathEdit"));
    m_path->setReadOnly(true);
    m_path->setPlaceholderText(tr("A bundle or config file (YAML or JSON)"));
    m_browse->setObjectName(QStringLiteral("openBundleButton"));
    m_mode->setObjectName(QStringLiteral("modeCombo"));
    m_mode->addItem(tr("Merge: add and update, remove nothing"), int(ConfigBundle::Mode::Merge));
    m_mode->addItem(tr("Replace: make each section in the bundle match it"),
                    int(ConfigBundle::Mode::Replace));
    m_modeHelp->setObjectName(QStringLiteral("modeHelp"));
    m_modeHelp->setWordWrap(true);
    m_modeHelp->setEnabled(false);
    m_table->setObjectName(QStringLiteral("planTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_summary->setObjectName(QStringLiteral("planSummary"));
    m_summary->setWordWrap(true);
    m_warnings->setObjectName(QStringLiteral("planWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextFormat(Qt::PlainText);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_apply->setObjectName(QStringLiteral("applyButton"));

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Bundle:"), fileRow);
    form->addRow(tr("Mode:"), m_mode);
    form->addRow(QString(), m_modeHelp);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_apply, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_warnings);
    layout->addWidget(m_problems);
    layout->addWidget(buttons);

    connect(m_browse, &QPushButton::clicked, this, &BundleImportDialog::browse);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &BundleImportDialog::updatePlan);
    connect(m_apply, &QPushButton::clicked, this, &BundleImportDialog::apply);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updatePlan();
    resize(760, 520);
}

ConfigBundle::Mode BundleImportDialog::mode() const
{
    return ConfigBundle::Mode(m_mode->currentData().toInt());
}

void BundleImportDialog::setMode(ConfigBundle::Mode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

void BundleImportDialog::browse()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Bundle"), dir, tr("Bundles (*.yaml *.yml *.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

bool BundleImportDialog::openFile(const QString &path)
{
    m_path->setText(path);
    const ConfigDocument doc = ConfigLoader::loadFile(path);
    if (!doc.problems.isEmpty()) {
        m_bundle = {};
        m_loaded = false;
        m_model->clear();
        m_plan = {};
        m_plan.problems = doc.problems;
        QStringList lines;
        for (const ConfigProblem &problem : doc.problems)
            lines.append(problem.toString());
        m_summary->setText(tr("Cannot read %1.").arg(path));
        m_warnings->hide();
        m_problems->setText(bulleted(lines));
        m_problems->show();
        m_apply->setEnabled(false);
        return false;
    }
    setBundle(doc.root);
    return true;
}

void BundleImportDialog::setBundle(const QJsonObject &bundle)
{
    m_bundle = bundle;
    m_loaded = true;
    m_applied = false;
    updatePlan();
}

void BundleImportDialog::updatePlan()
{
    m_modeHelp->setText(
        mode() == ConfigBundle::Mode::Merge
            ? tr("The bundle's entities are added, or replace the ones here with the same "
                 "name. Nothing is removed.")
            : tr("Every section the bundle has is made to match it, as applying a config "
                 "file does: entities of those sections that the bundle lacks are removed."));
    m_problems->clear();
    m_problems->hide();
    m_warnings->clear();
    m_warnings->hide();
    if (!m_loaded || !m_gateway) {
        m_model->clear();
        m_plan = {};
        m_summary->setText(tr("Open a bundle to see what importing it would change."));
        m_apply->setEnabled(false);
        return;
    }
    m_plan = m_gateway->planBundle(m_bundle, mode());
    if (!m_plan.ok()) {
        m_model->clear();
        QStringList lines;
        for (const ConfigProblem &problem : std::as_const(m_plan.problems))
            lines.append(problem.toString());
        m_summary->setText(tr("This bundle cannot be imported:"));
        m_problems->setText(bulleted(lines));
        m_problems->show();
        m_apply->setEnabled(false);
        return;
    }
    m_model->setPlan(m_plan);
    m_table->resizeColumnsToContents();
    const int add = m_model->count(ConfigBundle::ChangeType::Add);
    const int change = m_model->count(ConfigBundle::ChangeType::Change);
    const int remove = m_model->count(ConfigBundle::ChangeType::Remove);
    const int unchanged = m_model->count(ConfigBundle::ChangeType::Unchanged);
    QString summary = tr("%1 to add, %2 to change, %3 to remove, %4 unchanged.")
                          .arg(add)
                          .arg(change)
                          .arg(remove)
                          .arg(unchanged);
    if (m_applied)
        summary = m_appliedText;
    else if (add + change + remove == 0)
        summary += QLatin1Char(' ') + tr("Nothing to apply.");
    m_summary->setText(summary);
    if (!m_plan.warnings.isEmpty()) {
        m_warnings->setText(bulleted(m_plan.warnings));
        m_warnings->show();
    }
    m_apply->setEnabled(canApply());
}

bool BundleImportDialog::canApply() const
{
    return m_loaded && m_plan.ok() && !m_plan.changes.isEmpty() &&
           std::any_of(m_plan.changes.cbegin(), m_plan.changes.cend(),
                       [](const ConfigBundle::Change &change) {
                           return change.type != ConfigBundle::ChangeType::Unchanged;
                       });
}

bool BundleImportDialog::apply()
{
    if (!canApply() || !m_gateway)
        return false;
    const QList<ConfigBundle::Change> removals = m_plan.ofType(ConfigBundle::ChangeType::Remove);
    if (!removals.isEmpty()) {
        QStringList names;
        for (const ConfigBundle::Change &change : removals)
            names.append(QStringLiteral("%1 %2").arg(displayName(change.kind), change.key));
        QMessageBox confirm(QMessageBox::Warning, tr("Remove Entities"),
                            tr("Replace mode removes %n entities that are not in the bundle.",
                               nullptr, int(removals.size())),
                            QMessageBox::Yes | QMessageBox::Cancel, this);
        confirm.setObjectName(QStringLiteral("confirmRemoveBox"));
        confirm.setInformativeText(bulleted(names));
        confirm.setDefaultButton(QMessageBox::Cancel);
        if (confirm.exec() != QMessageBox::Yes)
            return false;
    }
    ConfigBundle::Plan plan;
    const ConfigService::Result result = m_gateway->applyBundle(m_bundle, mode(), &plan);
    if (!result.ok()) {
        QStringList lines;
        for (const ConfigProblem &problem : result.problems)
            lines.append(problem.toString());
        m_summary->setText(tr("Not applied; nothing was changed:"));
        m_problems->setText(bulleted(lines));
        m_problems->show();
        m_apply->setEnabled(false);
        return false;
    }
    m_applied = true;
    m_appliedText = tr("Applied: %1 added, %2 changed, %3 removed; new requests use them now.")
                        .arg(plan.ofType(ConfigBundle::ChangeType::Add).size())
                        .arg(plan.ofType(ConfigBundle::ChangeType::Change).size())
                        .arg(plan.ofType(ConfigBundle::ChangeType::Remove).size());
    updatePlan(); // all unchanged now
    if (!result.warnings.isEmpty()) {
        m_warnings->setText(bulleted(result.warnings));
        m_warnings->show();
    }
    return true;
}

QString BundleImportDialog::problemText() const
{
    return m_problems->text();
}

QString BundleImportDialog::warningText() const
{
    return m_warnings->text();
}

QString BundleImportDialog::summaryText() const
{
    return m_summary->text();
}

} // namespace gh
