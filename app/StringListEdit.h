#pragma once

#include <QPlainTextEdit>

namespace gh {

// A list of short strings edited as text, one per line (paths, hosts, consumers). Blank
// lines and surrounding spaces do not count.
class StringListEdit : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit StringListEdit(QWidget *parent = nullptr);

    QStringList values() const;
    void setValues(const QStringList &values);
    // "“/billing”" for the value at index, for messages about one entry.
    QString describeItem(int index) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void valuesChanged();

private:
    QStringList m_lastValues;
};

} // namespace gh
