#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>

namespace gh {

// A prompt API's declared inputs (SPEC §3 prompt_apis.inputs) as an editable table: name,
// type, required, default, allowed values, length limit, item type, item length limit and
// description. Each row keeps its input's JSON as loaded and changes only the key a cell
// edits, so what the user did not touch is written back exactly; a new input is only
// {type: string}. Values that are not what the type wants (a default "abc" for a number)
// are kept as typed for the config's validation to name. Inputs are a mapping, stored by
// name: the table shows them in the order loaded (by name), new ones at the end.
class PromptInputsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        TypeColumn,
        RequiredColumn,
        DefaultColumn,
        ValuesColumn,
        MaxLengthColumn,
        ItemTypeColumn,
        ItemMaxLengthColumn,
        DescriptionColumn,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    static const QStringList &types();
    static const QStringList &itemTypes();

    void setInputs(const QJsonObject &inputs);
    QJsonObject inputs() const;
    QStringList names() const;
    int rowOf(const QString &name) const;
    QJsonObject input(int row) const;
    // Appends a string input with an unused name ("input", "input2", ...); returns its row.
    int addInput(const QString &name = {});

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // Refused: an empty name or one another input has; cells that do not apply to the
    // input's type (values of a string, items of an enum).
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

    // Whether a cell means anything for its row's type (the others are greyed, read-only).
    bool applies(int row, int column) const;

private:
    struct Row
    {
        QString name;
        QJsonObject spec;
        bool operator==(const Row &) const = default;
    };

    static QString listText(const QJsonValue &values);
    static QJsonValue parseList(const QString &text);
    static QJsonValue parseDefault(const QString &type, const QString &itemType,
                                   const QString &text);
    static QJsonValue parseInteger(const QString &text);
    QVariant cellText(const Row &row, int column) const;
    bool setCell(Row &row, int column, const QVariant &value);

    QList<Row> m_rows;
};

} // namespace gh
