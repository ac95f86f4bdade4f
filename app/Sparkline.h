#pragma once

#include <QList>
#include <QWidget>

namespace gh {

// A small line chart of recent values (oldest left), scaled to its largest value, with
// the area under it shaded. Cheap enough to repaint every second.
class Sparkline : public QWidget
{
    Q_OBJECT

public:
    explicit Sparkline(QWidget *parent = nullptr);

    void setValues(const QList<double> &values);
    const QList<double> &values() const { return m_values; }

    QSize sizeHint() const override { return {240, 36}; }
    QSize minimumSizeHint() const override { return {80, 24}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<double> m_values;
};

} // namespace gh
