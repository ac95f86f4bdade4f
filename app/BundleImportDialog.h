#pragma once

#include "config/ConfigBundle.h"

#include <QDialog>
#include <QJsonObject>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace gh {

class BundlePlanModel;
class Gateway;

// File > Import Bundle…: open a bundle (YAML or JSON), see what importing it would do
// before anything changes — each entity to add, change (with the fields that differ),
// remove (replace mode) or leave unchanged, warnings such as provider keys to supply —
// pick merge or replace, and Apply (one transaction; new requests see it at once).
// Refusals (consumers or settings in the bundle, invalid entities, removals of something
// still in use) are listed with their paths and nothing can be applied.
class BundleImportDialog : public QDialog
{
    Q_OBJECT

public:
    explicit BundleImportDialog(Gateway *gateway, QWidget *parent = nullptr);

    // Reads and previews a bundle file; false (with the reason shown) when unreadable.
    bool openFile(const QString &path);
    // Previews a bundle already read.
    void setBundle(const QJsonObject &bundle);
    void setMode(ConfigBundle::Mode mode);
    ConfigBundle::Mode mode() const;

    BundlePlanModel *planModel() const { return m_model; }
    const ConfigBundle::Plan &plan() const { return m_plan; }
    QString problemText() const;
    QString warningText() const;
    QString summaryText() const;
    bool canApply() const;

public Q_SLOTS:
    void browse();
    // Applies the previewed bundle; replace mode asks before removing anything.
    bool apply();

private:
    void updatePlan();

    QPointer<Gateway> m_gateway;
    QJsonObject m_bundle;
    ConfigBundle::Plan m_plan;
    bool m_loaded = false;
    bool m_applied = false;
    QString m_appliedText;
    QLineEdit *m_path;
    QPushButton *m_browse;
    QComboBox *m_mode;
    QLabel *m_modeHelp;
    BundlePlanModel *m_model;
    QTableView *m_table;
    QLabel *m_summary;
    QLabel *m_warnings;
    QLabel *m_problems;
    QPushButton *m_apply;
};

} // namespace gh
