#pragma once

#include "Gateway.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QTableView;

namespace gh {

class TrafficDetailPane;
class TrafficFilterModel;
class TrafficModel;

// The live request table (think of a browser's network panel): the newest requests of the
// log in a bounded ring (TrafficModel; older history stays in SQLite and "Load Older"
// pages it in), fed by RequestLog's 250 ms batches, never a signal per request. Sortable,
// hideable (header menu), resizable columns; pause (batches are held, not lost), clear;
// follows the newest row only while scrolled to the bottom; a filter bar (status, model,
// consumer, route, text) with the filtered/total count; the detail pane; HAR export of the
// shown rows; a warning when the log dropped records.
class TrafficPage : public QWidget
{
    Q_OBJECT

public:
    explicit TrafficPage(Gateway *gateway, QWidget *parent = nullptr);
    ~TrafficPage() override;

    TrafficModel *model() const { return m_model; }
    TrafficFilterModel *filterModel() const { return m_filter; }
    QTableView *table() const { return m_table; }
    TrafficDetailPane *detailPane() const { return m_detail; }
    QMenu *columnsMenu() const { return m_columnsMenu; }
    bool isScrolledToBottom() const;
    void setColumnVisible(int column, bool visible);

public Q_SLOTS:
    // Writes the rows the filter shows, in the table's order, as HAR 1.2 (headers and
    // bodies read from the log, off the UI thread). harExported() reports how it went.
    void exportHar(const QString &path);
    // The next page of history before the oldest row, while the ring has room.
    void loadOlder();

Q_SIGNALS:
    void harExported(bool ok, const QString &message);
    void historyLoaded(int rows);

private:
    void loadHistory(int limit);
    void chooseHarFile();
    void updateCount();
    void updatePickers();
    void updateHeld(int held);
    void showDropped(quint64 total);
    void showMessage(const QString &text, bool error);
    void selectionChanged();
    void saveHeader();

    Gateway *m_gateway;
    TrafficModel *m_model;
    TrafficFilterModel *m_filter;
    QTableView *m_table;
    TrafficDetailPane *m_detail;
    QSplitter *m_splitter;
    QMenu *m_columnsMenu;
    QLabel *m_dropped;
    QLabel *m_count;
    QLabel *m_held;
    QLabel *m_message;
    QPushButton *m_pause;
    QPushButton *m_clear;
    QPushButton *m_loadOlder;
    QPushButton *m_exportHar;
    QComboBox *m_status;
    QComboBox *m_modelPicker;
    QComboBox *m_consumerPicker;
    QComboBox *m_routePicker;
    QLineEdit *m_text;
    bool m_wasAtBottom = true;
    bool m_historyExhausted = false;
    bool m_loadingHistory = false;
    Gateway::State m_lastState = Gateway::State::Closed;
};

} // namespace gh
