#pragma once

#include "config/EntityKind.h"

#include <QWidget>

class QLabel;
class QStackedWidget;
class QTableView;

namespace gh {

class EntityTableModel;
class Gateway;

// A read-only list of one kind of entity (routes, services, ...). When there are none
// it says what the page is for and how to add entries. Editing pages (EntityEditorPage)
// build on it with a tool bar above the list and a form beside it.
class EntityListPage : public QWidget
{
    Q_OBJECT

public:
    EntityListPage(Gateway *gateway, EntityKind kind, QWidget *parent = nullptr);

    EntityKind kind() const { return m_kind; }
    EntityTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_table; }

    // Plural page title, "Prompt APIs".
    static QString title(EntityKind kind);

protected:
    // A bar above the list and a pane beside it, for pages that edit.
    void addEditor(QWidget *toolBar, QWidget *pane);
    // Shows the list and its pane even without rows (a new entry is being written).
    void setListForced(bool forced);
    // The sentence that leads into the config file and admin API instructions.
    virtual QString addInstructions() const;
    void updateEmptyState();

private:
    QString purpose() const;
    QString exampleBody() const;

    Gateway *m_gateway;
    EntityKind m_kind;
    EntityTableModel *m_model;
    QStackedWidget *m_stack;
    QTableView *m_table;
    QLabel *m_emptyText;
    QWidget *m_listPane;
    bool m_listForced = false;
};

} // namespace gh
