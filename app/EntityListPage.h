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
// it says what the page is for and how to add entries today; editors come later.
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

private:
    void updateEmptyState();
    QString purpose() const;
    QString exampleBody() const;

    Gateway *m_gateway;
    EntityKind m_kind;
    EntityTableModel *m_model;
    QStackedWidget *m_stack;
    QTableView *m_table;
    QLabel *m_emptyText;
};

} // namespace gh
