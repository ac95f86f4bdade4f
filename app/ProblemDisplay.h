#pragma once

#include "config/ConfigProblem.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QPointer>

#include <functional>

class QFormLayout;
class QLabel;
class QWidget;

namespace gh {

// Puts validation problems next to the fields they are about. Each field is known by its
// path in the entity ("match.paths", "health_check.interval_ms"); a problem goes to the
// field with the longest matching path ("match.paths[0]" → "match.paths"), shows under it
// in red, and the field gets the dynamic property invalid=true, which the editors'
// style sheet (styleSheet()) draws as a red border.
class ProblemDisplay
{
    Q_DECLARE_TR_FUNCTIONS(ProblemDisplay)

public:
    // Names the item at an index of a list field in a message: "item 2", "“/billing”".
    using ItemNamer = std::function<QString(int index)>;

    void addField(const QString &path, const QString &title, QWidget *widget, QLabel *message,
                  ItemNamer itemNamer = {});
    // A labelled row of `layout` with the field's message label under the field, registered
    // as above (problems mark `marked`, default the field). Returns the message label.
    QLabel *addRow(QFormLayout *layout, const QString &title, QWidget *field, const QString &path,
                   const QString &messageName, ItemNamer itemNamer = {}, QWidget *marked = nullptr);
    // Problems under `path` go to the field registered as `fieldPath` ("jwt" → "auth").
    void addAlias(const QString &path, const QString &fieldPath);

    // Shows the problems (clearing earlier ones) and returns one summary line for each,
    // naming its field; problems that belong to no field are only in the summary.
    QStringList show(const ConfigProblems &problems);
    void clear();

    // The label that shows a field's problems: red, word-wrapped, hidden while empty.
    static QLabel *createMessageLabel(const QString &objectName, QWidget *parent);
    static void setInvalid(QWidget *widget, bool invalid);
    static bool isInvalid(const QWidget *widget);
    static QString styleSheet();
    static QColor errorColor();

private:
    struct Field
    {
        QString path;
        QString title;
        QPointer<QWidget> widget;
        QPointer<QLabel> message;
        ItemNamer itemNamer;
    };

    // The field a problem path belongs to, and what is left of the path below it.
    const Field *fieldFor(const QString &path, QString *rest) const;
    QString describeRest(const Field &field, const QString &rest) const;

    QList<Field> m_fields;
    QHash<QString, QString> m_aliases;
};

} // namespace gh
