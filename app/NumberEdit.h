#pragma once

#include <QJsonValue>
#include <QLineEdit>

namespace gh {

// A line edit for an optional number of an entity ("requests_per_second", "ttl_s"):
// empty means the key is absent. What the user types goes to the config's validation
// as is (0 or -1 included), so its message shows at the field; letters cannot be typed.
// A value read from the entity and left alone is written back exactly as it was read.
class NumberEdit : public QLineEdit
{
    Q_OBJECT

public:
    enum class Kind { Integer, Decimal };

    explicit NumberEdit(Kind kind, QWidget *parent = nullptr);

    // Undefined or null: empty.
    void setValue(const QJsonValue &value);
    // Undefined while empty; an integer or a double as typed (text that is no number
    // yet, like "-", as a string: the validation names it).
    QJsonValue value() const;
    bool isEmpty() const { return text().trimmed().isEmpty(); }
    // Sets key in object to value(), or removes it while empty.
    void writeTo(QJsonObject &object, const QString &key) const;

    static QString format(const QJsonValue &value);

private:
    Kind m_kind;
    QJsonValue m_loaded;
    QString m_loadedText;
};

} // namespace gh
