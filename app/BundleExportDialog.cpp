#include "BundleExportDialog.h"

#include "EntityListPage.h"
#include "Gateway.h"
#include "ProblemDisplay.h"
#include "config/YamlWriter.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStandardPaths>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gh {

namespace {

constexpr int KindRole = Qt::UserRole + 1;
constexpr int KeyRole = Qt::UserRole + 2;

QString entityKey(EntityKind kind, const QJsonObject &entity)
{
    if (kind == EntityKind::Price)
        return entity.value(QStringLiteral("provider")).toString() + QLatin1Char('/') +
               entity.value(QStringLiteral("model")).toString();
    return entity.value(QStringLiteral("name")).toString();
}

} // namespace

BundleExportDialog::BundleExportDialog(Gateway *gateway, QWidget *parent)
    : QDialog(parent)
    , m_gateway(gateway)
    , m_tree(new QTreeWidget(this))
    , m_dependencies(new QCheckBox(tr("Include what they need"), this))
    , m_preview(new QPlainTextEdit(this))
    , m_summary(new QLabel(this))
    , m_problems(ProblemDisplay::createMessageLabel(QStringLiteral("exportProblems"), this))
    , m_save(new QPushButton(tr("Save…"), this))
{
    setObjectName(QStringLiteral("bundleExportDialog"));
    setWindowTitle(tr("Export Bundle"));
    auto *intro = new QLabel(tr("A bundle carries the entities you pick to another Gatehouse, "
                                "where Import shows what it would change first. Provider keys "
                                "go as references only (the other side supplies them); "
                                "consumers and settings never go."),
                             this);
    intro->setWordWrap(true);
    m_tree->setObjectName(QStringLiteral("exportTree"));
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_dependencies->setObjectName(QStringLiteral("dependenciesCheck"));
    m_dependencies->setChecked(true);
    m_dependencies->setToolTip(tr("A route's service, a prompt API's model, a model's "
                                  "providers, fallback models and prices, a price's provider: "
                                  "so the bundle works on its own."));
    m_preview->setObjectName(QStringLiteral("exportPreview"));
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setPlaceholderText(tr("Check what to export on the left."));
    m_summary->setObjectName(QStringLiteral("exportSummary"));
    m_summary->setWordWrap(true);
    m_save->setObjectName(QStringLiteral("saveBundleButton"));
    m_save->setDefault(true);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_tree, 1);
    leftLayout->addWidget(m_dependencies);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(m_preview);
    splitter->setStretchFactor(1, 2);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_save, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_problems);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &BundleExportDialog::save);
    connect(m_tree, &QTreeWidget::itemChanged, this, &BundleExportDialog::updatePreview);
    connect(m_dependencies, &QCheckBox::toggled, this, &BundleExportDialog::updatePreview);
    fillTree();
    updatePreview();
    resize(860, 560);
}

void BundleExportDialog::fillTree()
{
    const QSignalBlocker blocker(m_tree);
    m_tree->clear();
    if (!m_gateway || m_gateway->state() == Gateway::State::Closed)
        return;
    for (EntityKind kind : ConfigBundle::bundleKinds()) {
        const QList<QJsonObject> entities = m_gateway->entities(kind);
        auto *section = new QTreeWidgetItem(m_tree, {EntityListPage::title(kind)});
        section->setData(0, KindRole, int(kind));
        section->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
        section->setCheckState(0, Qt::Unchecked);
        QStringList keys;
        for (const QJsonObject &entity : entities)
            keys.append(entityKey(kind, entity));
        keys.sort(Qt::CaseInsensitive);
        for (const QString &key : std::as_const(keys)) {
            auto *child = new QTreeWidgetItem(section, {key});
            child->setData(0, KindRole, int(kind));
            child->setData(0, KeyRole, key);
            child->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemNeverHasChildren);
            child->setCheckState(0, Qt::Unchecked);
        }
        if (keys.isEmpty())
            section->setDisabled(true);
        section->setExpanded(!keys.isEmpty());
    }
}

QTreeWidgetItem *BundleExportDialog::item(EntityKind kind, const QString &key) const
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *section = m_tree->topLevelItem(i);
        if (section->data(0, KindRole).toInt() != int(kind))
            continue;
        for (int j = 0; j < section->childCount(); ++j) {
            if (section->child(j)->data(0, KeyRole).toString() == key)
                return section->child(j);
        }
    }
    return nullptr;
}

bool BundleExportDialog::setChecked(EntityKind kind, const QString &key, bool checked)
{
    QTreeWidgetItem *found = item(kind, key);
    if (!found)
        return false;
    found->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
    return true;
}

void BundleExportDialog::setWithDependencies(bool with)
{
    m_dependencies->setChecked(with);
}

ConfigBundle::Selection BundleExportDialog::selection() const
{
    ConfigBundle::Selection selection;
    selection.withDependencies = m_dependencies->isChecked();
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *section = m_tree->topLevelItem(i);
        for (int j = 0; j < section->childCount(); ++j) {
            QTreeWidgetItem *child = section->child(j);
            if (child->checkState(0) == Qt::Checked)
                selection.names[EntityKind(child->data(0, KindRole).toInt())].append(
                    child->data(0, KeyRole).toString());
        }
    }
    return selection;
}

void BundleExportDialog::updatePreview()
{
    const ConfigBundle::Selection chosen = selection();
    m_added.clear();
    m_problems->clear();
    m_problems->hide();
    if (chosen.names.isEmpty() || !m_gateway) {
        m_export = {};
        m_preview->clear();
        m_summary->setText(tr("Nothing selected."));
        m_save->setEnabled(false);
        return;
    }
    m_export = m_gateway->exportBundle(chosen);
    if (!m_export.problems.isEmpty()) {
        QStringList lines;
        for (const ConfigProblem &problem : std::as_const(m_export.problems))
            lines.append(problem.toString());
        m_problems->setText(lines.join(QLatin1Char('\n')));
        m_problems->show();
        m_preview->clear();
        m_summary->clear();
        m_save->setEnabled(false);
        return;
    }
    int selected = 0;
    for (auto it = chosen.names.constBegin(); it != chosen.names.constEnd(); ++it)
        selected += int(it.value().size());
    // What the dependencies brought along, by section.
    for (EntityKind kind : ConfigBundle::bundleKinds()) {
        const QJsonArray section = m_export.document.value(sectionName(kind)).toArray();
        for (const QJsonValue &value : section) {
            const QString key = entityKey(kind, value.toObject());
            if (!chosen.names.value(kind).contains(key))
                m_added.append(QStringLiteral("%1: %2").arg(sectionName(kind), key));
        }
    }
    m_preview->setPlainText(QString::fromUtf8(yaml()));
    m_summary->setText(m_added.isEmpty()
                           ? tr("%n selected.", nullptr, selected)
                           : tr("%n selected; what they need comes along: %1.", nullptr, selected)
                                 .arg(m_added.join(QStringLiteral(", "))));
    m_save->setEnabled(true);
}

QByteArray BundleExportDialog::yaml() const
{
    return m_export.document.isEmpty() ? QByteArray() : YamlWriter::write(m_export.document);
}

QString BundleExportDialog::problemText() const
{
    return m_problems->text();
}

bool BundleExportDialog::saveTo(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml()) < 0 || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void BundleExportDialog::save()
{
    if (m_export.document.isEmpty())
        return;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Bundle"), dir + QStringLiteral("/gatehouse-bundle.yaml"),
        tr("YAML (*.yaml *.yml)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTo(path, &error)) {
        QMessageBox::warning(this, tr("Export Bundle"),
                             tr("Could not save %1: %2").arg(path, error));
        return;
    }
    m_summary->setText(tr("Saved to %1.").arg(path));
}

} // namespace gh
