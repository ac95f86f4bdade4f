#pragma once

#include "config/ConfigBundle.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace gh {

class Gateway;

// File > Export Bundle…: pick providers, models, prices, services, routes and prompt APIs
// in a checkable tree by section, with "include what they need" (a route's service, a
// prompt API's model, a model's providers, fallbacks and prices), see the bundle as it
// will be written (YAML, secrets as references) and what came along, and save it.
// Consumers and settings never go into a bundle (docs/bundles.md).
class BundleExportDialog : public QDialog
{
    Q_OBJECT

public:
    explicit BundleExportDialog(Gateway *gateway, QWidget *parent = nullptr);

    // Checks (or unchecks) one entity; false when the tree has no such entity.
    bool setChecked(EntityKind kind, const QString &key, bool checked = true);
    void setWithDependencies(bool with);
    ConfigBundle::Selection selection() const;
    // The bundle for the current selection (empty without one) and its YAML.
    QJsonObject document() const { return m_export.document; }
    QByteArray yaml() const;
    // The entities the dependencies added to the selection, "models: fast".
    QStringList addedByDependencies() const { return m_added; }
    QString problemText() const;
    QTreeWidget *tree() const { return m_tree; }

    // Writes yaml() to `path`; false with *error saying why.
    bool saveTo(const QString &path, QString *error);

public Q_SLOTS:
    // Asks for a file name and saves there.
    void save();

private:
    void fillTree();
    void updatePreview();
    QTreeWidgetItem *item(EntityKind kind, const QString &key) const;

    QPointer<Gateway> m_gateway;
    QTreeWidget *m_tree;
    QCheckBox *m_dependencies;
    QPlainTextEdit *m_preview;
    QLabel *m_summary;
    QLabel *m_problems;
    QPushButton *m_save;
    ConfigBundle::Export m_export;
    QStringList m_added;
};

} // namespace gh
