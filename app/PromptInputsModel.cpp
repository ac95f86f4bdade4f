#include "PromptInputsModel.h"

#include "NumberEdit.h"

#include <QBrush>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPalette>

namespace gh {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

QString typeOf(const QJsonObject &spec)
{
    return spec.value(key("type")).toString();
}

QString itemTypeOf(const QJsonObject &spec)
{
    // The config's default for array items.
    return spec.value(key("items"))
        .toObject()
        .value(key("type"))
        .toString(QStringLiteral("string"));
}

QJsonValue scalarFromText(const QString &type, const QString &text)
{
    if (type == QLatin1String("number")) {
        bool ok = false;
        const double number = text.toDouble(&ok);
        if (ok)
            return number;
    } else if (type == QLatin1String("boolean")) {
        if (text == QLatin1String("true"))
            return true;
        if (text == QLatin1String("false"))
            return false;
    }
    return text; // a string, or text the validation names ("must be a number")
}

} // namespace

const QStringList &PromptInputsModel::types()
{
    static const QStringList all{QStringLiteral("string"), QStringLiteral("number"),
                                 QStringLiteral("boolean"), QStringLiteral("enum"),
                                 QStringLiteral("array")};
    return all;
}

const QStringList &PromptInputsModel::itemTypes()
{
    static const QStringList all{QStringLiteral("string"), QStringLiteral("number"),
                                 QStringLiteral("boolean"), QStringLiteral("enum")};
    return all;
}

void PromptInputsModel::setInputs(const QJsonObject &inputs)
{
    QList<Row> rows;
    for (auto it = inputs.constBegin(); it != inputs.constEnd(); ++it)
        rows.append({it.key(), it.value().toObject()});
    if (rows == m_rows)
        return;
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

QJsonObject PromptInputsModel::inputs() const
{
    QJsonObject object;
    for (const Row &row : m_rows)
        object.insert(row.name, row.spec);
    return object;
}

QStringList PromptInputsModel::names() const
{
    QStringList names;
    for (const Row &row : m_rows)
        names.append(row.name);
    return names;
}

int PromptInputsModel::rowOf(const QString &name) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).name == name)
            return row;
    }
    return -1;
}

QJsonObject PromptInputsModel::input(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).spec : QJsonObject();
}

int PromptInputsModel::addInput(const QString &name)
{
    QString unique = name.isEmpty() ? QStringLiteral("input") : name;
    for (int n = 2; rowOf(unique) >= 0; ++n)
        unique = (name.isEmpty() ? QStringLiteral("input") : name) + QString::number(n);
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append({unique, QJsonObject{{key("type"), QStringLiteral("string")}}});
    endInsertRows();
    return row;
}

int PromptInputsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PromptInputsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool PromptInputsModel::applies(int row, int column) const
{
    if (row < 0 || row >= m_rows.size())
        return false;
    const QString type = typeOf(m_rows.at(row).spec);
    const bool array = type == QLatin1String("array");
    switch (column) {
    case ValuesColumn:
        return type == QLatin1String("enum") ||
               (array && itemTypeOf(m_rows.at(row).spec) == QLatin1String("enum"));
    case MaxLengthColumn:
        return type == QLatin1String("string") || array;
    case ItemTypeColumn:
        return array;
    case ItemMaxLengthColumn:
        return array && itemTypeOf(m_rows.at(row).spec) == QLatin1String("string");
    default:
        return true;
    }
}

QString PromptInputsModel::listText(const QJsonValue &values)
{
    QStringList list;
    const QJsonArray array = values.toArray();
    bool plain = values.isArray();
    for (const QJsonValue &value : array) {
        const QString text = value.toString();
        // A value a comma list cannot carry is shown (and edited) as JSON.
        if (!value.isString() || text.contains(u',') || text != text.trimmed() || text.isEmpty())
            plain = false;
        list.append(text);
    }
    if (plain)
        return list.join(QStringLiteral(", "));
    if (values.isArray())
        return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
    return values.toString();
}

QJsonValue PromptInputsModel::parseList(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(u'[')) {
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toUtf8());
        if (doc.isArray())
            return doc.array();
    }
    QJsonArray array;
    for (const QString &part : trimmed.split(u',', Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            array.append(part.trimmed());
    }
    return array;
}

QJsonValue PromptInputsModel::parseDefault(const QString &type, const QString &itemType,
                                           const QString &text)
{
    if (type != QLatin1String("array"))
        return scalarFromText(type, type == QLatin1String("string") ? text : text.trimmed());
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(u'[')) {
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toUtf8());
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(text);
    }
    // "a, b": items of the item type.
    QJsonArray array;
    for (const QString &part : trimmed.split(u',', Qt::SkipEmptyParts))
        array.append(scalarFromText(itemType, part.trimmed()));
    return array;
}

QJsonValue PromptInputsModel::parseInteger(const QString &text)
{
    bool ok = false;
    const qint64 number = text.trimmed().toLongLong(&ok);
    return ok ? QJsonValue(number) : QJsonValue(text.trimmed());
}

QVariant PromptInputsModel::cellText(const Row &row, int column) const
{
    const QJsonObject &spec = row.spec;
    const QJsonObject items = spec.value(key("items")).toObject();
    switch (column) {
    case NameColumn:
        return row.name;
    case TypeColumn:
        return typeOf(spec);
    case DefaultColumn: {
        const QJsonValue value = spec.value(key("default"));
        if (value.isString())
            return value.toString();
        if (value.isArray())
            return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        if (value.isBool())
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return NumberEdit::format(value);
    }
    case ValuesColumn:
        return listText(typeOf(spec) == QLatin1String("array") ? items.value(key("values"))
                                                               : spec.value(key("values")));
    case MaxLengthColumn:
        return NumberEdit::format(spec.value(key("max_length")));
    case ItemTypeColumn:
        return typeOf(spec) == QLatin1String("array") ? itemTypeOf(spec) : QString();
    case ItemMaxLengthColumn:
        return NumberEdit::format(items.value(key("max_length")));
    case DescriptionColumn:
        return spec.value(key("description")).toString();
    default:
        return {};
    }
}

QVariant PromptInputsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (column == RequiredColumn)
            return {};
        return cellText(row, column);
    case Qt::CheckStateRole:
        if (column == RequiredColumn)
            return row.spec.value(key("required")).toBool() ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::ForegroundRole:
        if (!applies(index.row(), column))
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case NameColumn:
            return tr("The field callers send and {{%1}} in the template.").arg(row.name);
        case TypeColumn:
            return tr("string, number, boolean, enum (one of the values) or array (a list).");
        case RequiredColumn:
            return tr("Callers must send it; otherwise it is left empty or takes the default.");
        case DefaultColumn:
            return tr("Used when a caller leaves the input out. Lists: a, b or a JSON list.");
        case ValuesColumn:
            return tr("The allowed values of an enum (or of an array's enum items), separated "
                      "by commas, or a JSON list.");
        case MaxLengthColumn:
            return tr("Strings: at most this many characters. Arrays: at most this many items.");
        case ItemTypeColumn:
            return tr("What each item of an array is (string unless set).");
        case ItemMaxLengthColumn:
            return tr("At most this many characters per string item.");
        default:
            return tr("Shown in the portal and the OpenAPI document.");
        }
    default:
        return {};
    }
}

bool PromptInputsModel::setCell(Row &row, int column, const QVariant &value)
{
    QJsonObject &spec = row.spec;
    const QString text = value.toString();
    const QString type = typeOf(spec);
    QJsonObject items = spec.value(key("items")).toObject();
    const auto setOrRemove = [](QJsonObject &object, const QString &name, const QJsonValue &v) {
        if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty()))
            object.remove(name);
        else
            object.insert(name, v);
    };
    switch (column) {
    case NameColumn: {
        const QString name = text.trimmed();
        if (name.isEmpty() || (name != row.name && rowOf(name) >= 0))
            return false;
        row.name = name;
        return true;
    }
    case TypeColumn: {
        const QString newType = text.trimmed();
        if (!types().contains(newType))
            return false;
        if (newType == type)
            return true;
        spec.insert(key("type"), newType);
        // Keys the new type would refuse go; the default stays for the validation to judge.
        if (newType != QLatin1String("enum"))
            spec.remove(key("values"));
        if (newType != QLatin1String("array"))
            spec.remove(key("items"));
        if (newType != QLatin1String("string") && newType != QLatin1String("array"))
            spec.remove(key("max_length"));
        return true;
    }
    case DefaultColumn:
        if (text.isEmpty())
            spec.remove(key("default"));
        else
            spec.insert(key("default"), parseDefault(type, itemTypeOf(spec), text));
        return true;
    case ValuesColumn:
        if (type == QLatin1String("array")) {
            setOrRemove(items, key("values"),
                        text.trimmed().isEmpty() ? QJsonValue() : parseList(text));
            spec.insert(key("items"), items);
        } else {
            // An enum's values are required: an empty list is kept for the validation to name.
            spec.insert(key("values"), parseList(text));
        }
        return true;
    case MaxLengthColumn:
        setOrRemove(spec, key("max_length"),
                    text.trimmed().isEmpty() ? QJsonValue() : parseInteger(text));
        return true;
    case ItemTypeColumn: {
        const QString itemType = text.trimmed();
        if (!itemTypes().contains(itemType))
            return false;
        if (spec.contains(key("items")) && itemTypeOf(spec) == itemType)
            return true;
        items.insert(key("type"), itemType);
        if (itemType != QLatin1String("enum"))
            items.remove(key("values"));
        if (itemType != QLatin1String("string"))
            items.remove(key("max_length"));
        spec.insert(key("items"), items);
        return true;
    }
    case ItemMaxLengthColumn:
        setOrRemove(items, key("max_length"),
                    text.trimmed().isEmpty() ? QJsonValue() : parseInteger(text));
        if (items.isEmpty())
            spec.remove(key("items"));
        else
            spec.insert(key("items"), items);
        return true;
    case DescriptionColumn:
        setOrRemove(spec, key("description"),
                    text.trimmed().isEmpty() ? QJsonValue() : QJsonValue(text));
        return true;
    default:
        return false;
    }
}

bool PromptInputsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Row &row = m_rows[index.row()];
    const Row before = row;
    if (index.column() == RequiredColumn) {
        if (role != Qt::CheckStateRole)
            return false;
        const bool required = value.toInt() == Qt::Checked;
        // Unchecked: false only where the input said so before (the config's default).
        if (required || row.spec.contains(key("required")))
            row.spec.insert(key("required"), required);
    } else {
        if (role != Qt::EditRole || !applies(index.row(), index.column()))
            return false;
        if (!setCell(row, index.column(), value))
            return false;
    }
    if (row == before)
        return true;
    // A type change greys or frees other cells of the row.
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    return true;
}

Qt::ItemFlags PromptInputsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    if (index.column() == RequiredColumn)
        return flags | Qt::ItemIsUserCheckable;
    if (applies(index.row(), index.column()))
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant PromptInputsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case RequiredColumn:
        return tr("Required");
    case DefaultColumn:
        return tr("Default");
    case ValuesColumn:
        return tr("Values");
    case MaxLengthColumn:
        return tr("Max length");
    case ItemTypeColumn:
        return tr("Items");
    case ItemMaxLengthColumn:
        return tr("Item max length");
    case DescriptionColumn:
        return tr("Description");
    default:
        return {};
    }
}

bool PromptInputsModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_rows.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_rows.remove(row, count);
    endRemoveRows();
    return true;
}

} // namespace gh
