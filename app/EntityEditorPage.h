#pragma once

#include "EntityListPage.h"
#include "config/ConfigProblem.h"

#include <QJsonObject>

class QLabel;
class QPushButton;
class QTabWidget;

namespace gh {

class EntityForm;

// A list page that edits: the table of entities beside a form for the selected one, with
// New, Save, Revert and Delete. Saving goes through Gateway::putEntity (the admin API's
// validation); its problems show at the fields they name and in a summary. Unsaved
// changes are never lost silently: leaving them asks Save / Discard / Cancel.
class EntityEditorPage : public EntityListPage
{
    Q_OBJECT

public:
    EntityEditorPage(Gateway *gateway, EntityKind kind, EntityForm *form,
                     QWidget *parent = nullptr);

    // The Routes page: route form, state badges and "Send Test Request…".
    static EntityEditorPage *createRoutesPage(Gateway *gateway, QWidget *parent = nullptr);
    static EntityEditorPage *createServicesPage(Gateway *gateway, QWidget *parent = nullptr);
    // The Consumers page: consumer form with its keys and budget.
    static EntityEditorPage *createConsumersPage(Gateway *gateway, QWidget *parent = nullptr);

    EntityForm *form() const { return m_form; }
    // A tool bar button that acts on the selected, saved entity (enabled only then).
    QPushButton *addEntityAction(const QString &text, const QString &objectName);
    // Selects the entity's row, as a click would (asking about unsaved changes).
    bool selectEntity(const QString &name);

public Q_SLOTS:
    void newEntity();
    bool save();
    void revert();
    void deleteEntity();

protected:
    QString addInstructions() const override;
    // Puts the form in a tab "Definition" of the editor pane, with `widget` as another tab.
    void addPaneTab(QWidget *widget, const QString &title);
    // Called whenever the buttons were updated, for pages with actions of their own.
    virtual void updateEntityActions() {}
    void setStatus(const QString &text);

private:
    void currentRowChanged(const QModelIndex &current);
    void modelReset();
    // Save / Discard / Cancel when the form holds unsaved changes; false means stay.
    bool confirmLeave();
    QModelIndex indexOf(const QString &name) const;
    QJsonObject storedEntity(const QString &name) const;
    void selectSilently(const QString &name);
    void showProblems(const ConfigProblems &problems);
    void clearMessages();
    void updateButtons();
    QString newButtonText() const;

    Gateway *m_gateway;
    EntityForm *m_form;
    QWidget *m_toolBar;
    QPushButton *m_new;
    QList<QPushButton *> m_entityActions;
    QPushButton *m_save;
    QPushButton *m_revert;
    QPushButton *m_delete;
    QLabel *m_summary;
    QLabel *m_status;
    QWidget *m_scroll;
    QTabWidget *m_tabs = nullptr;
    bool m_syncing = false; // selection changes made by the page itself
};

} // namespace gh
