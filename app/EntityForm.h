#pragma once

#include "ProblemDisplay.h"
#include "config/EntityKind.h"

#include <QJsonObject>
#include <QWidget>

class QFormLayout;
class QLabel;
class QLineEdit;

namespace gh {

// The form half of an entity editor: widgets for one entity's fields, read from and
// written to its SPEC §3 JSON. Fields the form does not show (a route's jwt or cors) are
// kept as loaded. Knows whether it holds unsaved changes and shows validation problems
// next to the fields they name. Saving is the page's job (EntityEditorPage).
class EntityForm : public QWidget
{
    Q_OBJECT

public:
    explicit EntityForm(EntityKind kind, QWidget *parent = nullptr);

    EntityKind kind() const { return m_kind; }

    // An entity from the store: its name cannot change (a new name is a new entity).
    void load(const QJsonObject &entity);
    // A new entity with the form's defaults and an editable name.
    void loadNew();
    // Nothing to edit: fields cleared and disabled.
    void unload();

    bool isLoaded() const { return m_loaded; }
    bool isNew() const { return m_loaded && m_original.isEmpty(); }
    bool isDirty() const;
    QString name() const;
    // What was loaded (empty for a new entity).
    QJsonObject savedEntity() const { return m_original; }
    // The entity as the fields describe it now.
    QJsonObject entity() const;

    // Shows the problems at their fields; returns a summary line for each problem.
    QStringList showProblems(const ConfigProblems &problems);
    void clearProblems();

Q_SIGNALS:
    // Any edit by the user; isDirty() may have changed.
    void edited();

protected:
    virtual QJsonObject defaults() const = 0;
    // Fills the widgets from an entity (store JSON, defaults filled).
    virtual void readEntity(const QJsonObject &entity) = 0;
    // Writes the widgets' values into the entity, leaving fields it does not show alone.
    virtual void writeEntity(QJsonObject &entity) const = 0;

    // A labelled row with the field's problem message under it. Problems mark `marked`
    // (default: the field itself) with a red border.
    void addField(const QString &title, QWidget *field, const QString &path,
                  const QString &messageName, ProblemDisplay::ItemNamer itemNamer = {},
                  QWidget *marked = nullptr);
    void addRow(const QString &title, QWidget *widget);
    // A row as wide as the form, for a section of its own (a group box).
    void addSection(QWidget *section);
    ProblemDisplay &problems() { return m_problems; }
    // Subclasses connect their widgets' change signals here.
    void markEdited();

private:
    EntityKind m_kind;
    QFormLayout *m_form;
    QLineEdit *m_name;
    ProblemDisplay m_problems;
    QJsonObject m_original;
    QJsonObject m_baseline; // entity() right after loading: what "unchanged" means
    bool m_loaded = false;
    bool m_loading = false;
};

} // namespace gh
