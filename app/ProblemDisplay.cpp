#include "ProblemDisplay.h"

#include <QFormLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QStyle>
#include <QVBoxLayout>
#include <QWidget>

namespace gh {

namespace {

const char InvalidProperty[] = "invalid";

// Whether `path` is `prefix` or below it ("match.paths[0]" is below "match.paths").
bool isUnder(const QString &path, const QString &prefix)
{
    if (!path.startsWith(prefix))
        return false;
    if (path.size() == prefix.size())
        return true;
    const QChar next = path.at(prefix.size());
    return next == u'.' || next == u'[';
}

} // namespace

void ProblemDisplay::addField(const QString &path, const QString &title, QWidget *widget,
                              QLabel *message, ItemNamer itemNamer)
{
    m_fields.append({path, title, widget, message, std::move(itemNamer)});
}

QLabel *ProblemDisplay::addRow(QFormLayout *layout, const QString &title, QWidget *field,
                               const QString &path, const QString &messageName, ItemNamer itemNamer,
                               QWidget *marked)
{
    QWidget *owner = layout->parentWidget();
    QLabel *message = createMessageLabel(messageName, owner);
    auto *column = new QVBoxLayout;
    column->setSpacing(2);
    column->addWidget(field);
    column->addWidget(message);
    auto *label = new QLabel(tr("%1:").arg(title), owner);
    label->setBuddy(field);
    layout->addRow(label, column);
    addField(path, title, marked ? marked : field, message, std::move(itemNamer));
    return message;
}

void ProblemDisplay::addAlias(const QString &path, const QString &fieldPath)
{
    m_aliases.insert(path, fieldPath);
}

const ProblemDisplay::Field *ProblemDisplay::fieldFor(const QString &path, QString *rest) const
{
    const auto longest = [this](const QString &candidate) {
        const Field *best = nullptr;
        for (const Field &field : m_fields) {
            if (isUnder(candidate, field.path) && (!best || field.path.size() > best->path.size()))
                best = &field;
        }
        return best;
    };
    if (const Field *field = longest(path)) {
        *rest = path.mid(field->path.size());
        return field;
    }
    // No field of its own: perhaps one that speaks for it ("jwt" → the auth combo).
    for (auto it = m_aliases.constBegin(); it != m_aliases.constEnd(); ++it) {
        if (!isUnder(path, it.key()))
            continue;
        const QString aliased = it.value() + path.mid(it.key().size());
        if (const Field *field = longest(aliased)) {
            *rest = aliased.mid(field->path.size());
            return field;
        }
    }
    return nullptr;
}

QString ProblemDisplay::describeRest(const Field &field, const QString &rest) const
{
    if (rest.isEmpty())
        return {};
    static const QRegularExpression item(QStringLiteral("^\\[(\\d+)\\](?:\\.(.+))?$"));
    const QRegularExpressionMatch match = item.match(rest);
    if (!match.hasMatch())
        return rest.startsWith(u'.') ? rest.mid(1) : rest;
    const int index = match.captured(1).toInt();
    QString text = field.itemNamer ? field.itemNamer(index) : tr("item %1").arg(index + 1);
    if (match.hasCaptured(2))
        text = tr("%1, %2").arg(text, match.captured(2));
    return text;
}

QStringList ProblemDisplay::show(const ConfigProblems &problems)
{
    clear();
    // By field path: a path may have several widgets (a table and the buttons under it).
    QHash<QString, QStringList> messages;
    QStringList summary;
    for (const ConfigProblem &problem : problems) {
        QString rest;
        const Field *field = fieldFor(problem.path, &rest);
        if (!field) {
            summary.append(problem.toString());
            continue;
        }
        const QString where = describeRest(*field, rest);
        const QString text =
            where.isEmpty() ? problem.message : tr("%1: %2").arg(where, problem.message);
        messages[field->path].append(text);
        summary.append(tr("%1: %2").arg(field->title, text));
    }
    for (const Field &field : std::as_const(m_fields)) {
        const auto it = messages.constFind(field.path);
        if (it == messages.constEnd())
            continue;
        if (field.widget)
            setInvalid(field.widget, true);
        if (field.message) {
            field.message->setText(it->join(QLatin1Char('\n')));
            field.message->show();
        }
    }
    return summary;
}

void ProblemDisplay::clear()
{
    for (const Field &field : std::as_const(m_fields)) {
        if (field.widget)
            setInvalid(field.widget, false);
        if (field.message) {
            field.message->clear();
            field.message->hide();
        }
    }
}

QLabel *ProblemDisplay::createMessageLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, errorColor());
    label->setPalette(palette);
    label->hide();
    return label;
}

void ProblemDisplay::setInvalid(QWidget *widget, bool invalid)
{
    if (isInvalid(widget) == invalid)
        return;
    widget->setProperty(InvalidProperty, invalid);
    // Dynamic properties are matched at polish time only.
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
    widget->update();
}

bool ProblemDisplay::isInvalid(const QWidget *widget)
{
    return widget->property(InvalidProperty).toBool();
}

QString ProblemDisplay::styleSheet()
{
    return QStringLiteral("*[invalid=\"true\"] { border: 1px solid %1; border-radius: 2px; }")
        .arg(errorColor().name());
}

QColor ProblemDisplay::errorColor()
{
    return QColor(0xd9, 0x30, 0x25);
}

} // namespace gh
