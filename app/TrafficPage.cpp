#include "TrafficPage.h"

#include "AppSettings.h"
#include "Futures.h"
#include "Gateway.h"
#include "HarExport.h"
#include "TrafficDetailPane.h"
#include "TrafficFilterModel.h"
#include "TrafficModel.h"
#include "log/RequestLog.h"
#include "store/RequestLogReader.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace gh {

namespace {

constexpr int HistoryPage = 1000; // RequestLogQuery::MaxLimit

QLabel *banner(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    // A frame stands out in any palette, without a colour that fails on dark themes.
    label->setFrameShape(QFrame::StyledPanel);
    label->setMargin(6);
    label->hide();
    return label;
}

QComboBox *picker(const QString &name, const QString &any, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(name);
    combo->addItem(any, QString());
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    combo->setMinimumContentsLength(8);
    return combo;
}

} // namespace

TrafficPage::TrafficPage(Gateway *gateway, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_model(new TrafficModel(this))
    , m_filter(new TrafficFilterModel(m_model, this))
    , m_table(new QTableView(this))
    , m_detail(new TrafficDetailPane(gateway, this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_columnsMenu(new QMenu(this))
    , m_dropped(banner(QStringLiteral("droppedWarning"), this))
    , m_count(new QLabel(this))
    , m_held(new QLabel(this))
    , m_message(banner(QStringLiteral("trafficMessage"), this))
    , m_pause(new QPushButton(tr("Pause"), this))
    , m_clear(new QPushButton(tr("Clear"), this))
    , m_loadOlder(new QPushButton(tr("Load Older"), this))
    , m_exportHar(new QPushButton(tr("Export HAR…"), this))
    , m_status(new QComboBox(this))
    , m_modelPicker(picker(QStringLiteral("modelFilter"), tr("Any model"), this))
    , m_consumerPicker(picker(QStringLiteral("consumerFilter"), tr("Any consumer"), this))
    , m_routePicker(picker(QStringLiteral("routeFilter"), tr("Any route"), this))
    , m_text(new QLineEdit(this))
{
    auto *heading = new QLabel(tr("Traffic"), this);
    heading->setObjectName(QStringLiteral("pageTitle"));
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    headingFont.setBold(true);
    heading->setFont(headingFont);

    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold new requests back (they are shown on resume)"));
    m_clear->setObjectName(QStringLiteral("clearButton"));
    m_clear->setToolTip(tr("Empty the table; the history in the request log stays"));
    m_loadOlder->setObjectName(QStringLiteral("loadOlderButton"));
    m_loadOlder->setToolTip(tr("Add older requests from the request log"));
    m_exportHar->setObjectName(QStringLiteral("exportHarButton"));
    m_exportHar->setToolTip(tr("Save the requests shown as an HTTP Archive (HAR 1.2)"));
    m_count->setObjectName(QStringLiteral("countLabel"));
    m_held->setObjectName(QStringLiteral("heldLabel"));
    m_held->hide();

    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_status->addItem(tr("Any status"), int(TrafficFilterModel::StatusFilter::Any));
    m_status->addItem(tr("2xx success"), int(TrafficFilterModel::StatusFilter::Success));
    m_status->addItem(tr("3xx redirect"), int(TrafficFilterModel::StatusFilter::Redirect));
    m_status->addItem(tr("4xx client error"), int(TrafficFilterModel::StatusFilter::ClientError));
    m_status->addItem(tr("5xx server error"), int(TrafficFilterModel::StatusFilter::ServerError));
    m_status->addItem(tr("Failed (4xx, 5xx, errors)"),
                      int(TrafficFilterModel::StatusFilter::Failed));
    m_text->setObjectName(QStringLiteral("textFilter"));
    m_text->setPlaceholderText(tr("Filter path, model, consumer, error, request ID…"));
    m_text->setClearButtonEnabled(true);

    m_table->setObjectName(QStringLiteral("trafficTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // arrival order until the user sorts
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // Fixed row heights: no per-row size hints to compute for 10 000 rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setObjectName(QStringLiteral("trafficHeader"));
    header->setSectionsMovable(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    for (int column = 0; column < TrafficModel::ColumnCount; ++column) {
        auto *action =
            m_columnsMenu->addAction(m_model->headerData(column, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setData(column);
        connect(action, &QAction::toggled, this,
                [this, column](bool on) { setColumnVisible(column, on); });
    }
    const QByteArray saved = AppSettings::headerState(QStringLiteral("traffic"));
    if (saved.isEmpty() || !header->restoreState(saved)) {
        for (int column = 0; column < TrafficModel::ColumnCount; ++column)
            header->setSectionHidden(column,
                                     TrafficModel::hiddenByDefault(TrafficModel::Column(column)));
        header->resizeSection(TrafficModel::Request, 260);
    }
    for (QAction *action : m_columnsMenu->actions()) {
        const QSignalBlocker block(action);
        action->setChecked(!header->isSectionHidden(action->data().toInt()));
    }
    connect(header, &QHeaderView::customContextMenuRequested, this,
            [this, header](const QPoint &pos) { m_columnsMenu->popup(header->mapToGlobal(pos)); });
    connect(header, &QHeaderView::sectionResized, this, &TrafficPage::saveHeader);
    connect(header, &QHeaderView::sectionMoved, this, &TrafficPage::saveHeader);
    connect(header, &QHeaderView::sortIndicatorChanged, this, &TrafficPage::saveHeader);

    m_splitter->setObjectName(QStringLiteral("trafficSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_pause);
    actions->addWidget(m_clear);
    actions->addWidget(m_loadOlder);
    actions->addWidget(m_exportHar);
    actions->addStretch();
    actions->addWidget(m_held);
    actions->addWidget(m_count);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_status);
    filters->addWidget(m_modelPicker);
    filters->addWidget(m_consumerPicker);
    filters->addWidget(m_routePicker);
    filters->addWidget(m_text, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(m_dropped);
    layout->addLayout(actions);
    layout->addLayout(filters);
    layout->addWidget(m_message);
    layout->addWidget(m_splitter, 1);

    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        m_model->setPaused(paused);
    });
    connect(m_clear, &QPushButton::clicked, this, [this] {
        m_model->clear();
        m_detail->clear();
        m_historyExhausted = false;
        updateCount();
    });
    connect(m_loadOlder, &QPushButton::clicked, this, &TrafficPage::loadOlder);
    connect(m_exportHar, &QPushButton::clicked, this, &TrafficPage::chooseHarFile);
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStatusFilter(
            TrafficFilterModel::StatusFilter(m_status->currentData().toInt()));
    });
    connect(m_modelPicker, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setModelFilter(m_modelPicker->currentData().toString()); });
    connect(m_consumerPicker, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setConsumerFilter(m_consumerPicker->currentData().toString()); });
    connect(m_routePicker, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setRouteFilter(m_routePicker->currentData().toString()); });
    connect(m_text, &QLineEdit::textChanged, m_filter, &TrafficFilterModel::setTextFilter);

    // Follow the tail only when the user is already looking at it.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this] { m_wasAtBottom = isScrolledToBottom(); });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_wasAtBottom)
            m_table->scrollToBottom();
    });
    // Rows leaving the front of the ring must not move what a scrolled-up reader sees.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this] { m_wasAtBottom = isScrolledToBottom(); });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex &, int first, int last) {
                QScrollBar *bar = m_table->verticalScrollBar();
                if (m_wasAtBottom || first >= bar->value())
                    return;
                bar->setValue(bar->value() - (qMin(last, bar->value() - 1) - first + 1));
            });
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, this, &TrafficPage::updateCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &TrafficPage::updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &TrafficPage::updateCount);
    connect(m_model, &TrafficModel::distinctValuesChanged, this, &TrafficPage::updatePickers);
    connect(m_model, &TrafficModel::heldCountChanged, this, &TrafficPage::updateHeld);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TrafficPage::selectionChanged);
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] { m_detail->clear(); });

    if (RequestLog *log = gateway->requestLog()) {
        connect(log, &RequestLog::recordsWritten, m_model, &TrafficModel::appendRecords);
        connect(log, &RequestLog::recordsDropped, this, &TrafficPage::showDropped);
        if (log->dropped() > 0)
            showDropped(log->dropped());
    }
    // A data dir opened later (Settings) is another log: start over from its history.
    connect(gateway, &Gateway::stateChanged, this, [this](Gateway::State state) {
        if (state == Gateway::State::Stopped && m_lastState == Gateway::State::Closed) {
            m_model->clear();
            m_historyExhausted = false;
            loadHistory(HistoryPage);
        }
        m_lastState = state;
    });
    m_lastState = gateway->state();
    updateCount();
    // After connecting: what is written from now on arrives live, what was written
    // before is in the database when the query runs (prependHistory drops overlaps).
    loadHistory(HistoryPage);
}

TrafficPage::~TrafficPage() = default;

void TrafficPage::saveHeader()
{
    AppSettings::setHeaderState(QStringLiteral("traffic"),
                                m_table->horizontalHeader()->saveState());
}

void TrafficPage::setColumnVisible(int column, bool visible)
{
    QHeaderView *header = m_table->horizontalHeader();
    // The last visible column stays: a table without columns cannot get one back.
    if (!visible && header->count() - header->hiddenSectionCount() <= 1)
        return;
    header->setSectionHidden(column, !visible);
    for (QAction *action : m_columnsMenu->actions()) {
        if (action->data().toInt() == column) {
            const QSignalBlocker block(action);
            action->setChecked(visible);
        }
    }
    saveHeader();
}

bool TrafficPage::isScrolledToBottom() const
{
    const QScrollBar *bar = m_table->verticalScrollBar();
    return bar->value() >= bar->maximum();
}

void TrafficPage::loadHistory(int limit)
{
    if (m_loadingHistory)
        return;
    const int room = m_model->capacity() - m_model->rowCount();
    if (room <= 0 || m_historyExhausted) {
        Q_EMIT historyLoaded(0);
        return;
    }
    RequestLogQuery::LogFilter filter;
    filter.limit = qMin(limit, room);
    if (m_model->oldestId() > 0)
        filter.beforeId = m_model->oldestId();
    m_loadingHistory = true;
    m_loadOlder->setEnabled(false);
    whenFinished(m_gateway->logReader()->logs(filter), this,
                 [this](const RequestLogReader::Result<RequestLogQuery::Page> &result) {
                     m_loadingHistory = false;
                     int added = 0;
                     if (!result.value) {
                         showMessage(tr("Cannot read the request history: %1").arg(result.error),
                                     true);
                     } else {
                         m_historyExhausted = !result.value->hasMore;
                         const bool atBottom = isScrolledToBottom();
                         added = m_model->prependHistory(result.value->rows);
                         if (atBottom)
                             m_table->scrollToBottom();
                     }
                     m_loadOlder->setEnabled(!m_historyExhausted &&
                                             m_model->rowCount() < m_model->capacity());
                     Q_EMIT historyLoaded(added);
                 });
}

void TrafficPage::loadOlder()
{
    loadHistory(HistoryPage);
}

void TrafficPage::updateCount()
{
    const QLocale locale;
    const int total = m_model->rowCount();
    if (m_filter->isFiltering())
        m_count->setText(tr("%1 of %2 requests")
                             .arg(locale.toString(m_filter->rowCount()), locale.toString(total)));
    else
        m_count->setText(tr("%n request(s)", nullptr, total));
    m_loadOlder->setEnabled(!m_loadingHistory && !m_historyExhausted &&
                            total < m_model->capacity());
}

void TrafficPage::updatePickers()
{
    const std::pair<QComboBox *, TrafficModel::Column> pickers[] = {
        {m_modelPicker, TrafficModel::Request},
        {m_consumerPicker, TrafficModel::Consumer},
        {m_routePicker, TrafficModel::Route}};
    for (const auto &[combo, column] : pickers) {
        const QString current = combo->currentData().toString();
        const QStringList values = m_model->distinctValues(column);
        // Keep a chosen value listed after a Clear, so the filter stays visible.
        QStringList items = values;
        if (!current.isEmpty() && !items.contains(current))
            items.append(current);
        QStringList shown;
        for (int i = 1; i < combo->count(); ++i)
            shown.append(combo->itemData(i).toString());
        if (shown == items)
            continue;
        const QSignalBlocker block(combo);
        while (combo->count() > 1)
            combo->removeItem(1);
        for (const QString &value : std::as_const(items))
            combo->addItem(value, value);
        combo->setCurrentIndex(qMax(0, combo->findData(current)));
    }
}

void TrafficPage::updateHeld(int held)
{
    m_held->setText(tr("Paused: %n new request(s) held", nullptr, held));
    m_held->setVisible(held > 0);
}

void TrafficPage::showDropped(quint64 total)
{
    m_dropped->setText(
        tr("⚠ %n request log record(s) were dropped because the disk could not keep up. They "
           "are missing from this table, the history and the costs.",
           nullptr, int(qMin<quint64>(total, INT_MAX))));
    m_dropped->show();
}

void TrafficPage::showMessage(const QString &text, bool error)
{
    m_message->setProperty("error", error);
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void TrafficPage::selectionChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    m_detail->showRecord(m_model->record(m_filter->mapToSource(current).row()));
}

void TrafficPage::chooseHarFile()
{
    const QString suggested = QDir::home().filePath(
        QStringLiteral("gatehouse-%1.har")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export HAR"), suggested, tr("HTTP Archive (*.har)"));
    if (!path.isEmpty())
        exportHar(path);
}

void TrafficPage::exportHar(const QString &path)
{
    QList<qint64> ids;
    ids.reserve(m_filter->rowCount());
    for (int row = 0; row < m_filter->rowCount(); ++row)
        ids.append(m_model->record(m_filter->sourceRow(row)).id);
    if (ids.isEmpty()) {
        const QString text = tr("Nothing to export: no requests are shown.");
        showMessage(text, true);
        Q_EMIT harExported(false, text);
        return;
    }
    m_exportHar->setEnabled(false);
    showMessage(tr("Exporting %n request(s) …", nullptr, int(ids.size())), false);
    const QString baseUrl = m_gateway->gatewayUrl();
    using Outcome = std::pair<bool, QString>;
    // Building and writing thousands of entries happens on a pool thread too.
    const auto build = [ids, baseUrl,
                        path](const RequestLogReader::Result<QList<RequestRecord>> &result) {
        if (!result.value)
            return Outcome(false, tr("Cannot read the request log: %1").arg(result.error));
        // The table's order, not the log's.
        QHash<qint64, qsizetype> byId;
        for (qsizetype i = 0; i < result.value->size(); ++i)
            byId.insert(result.value->at(i).id, i);
        QList<RequestRecord> ordered;
        ordered.reserve(ids.size());
        for (qint64 id : ids) {
            if (const auto it = byId.constFind(id); it != byId.cend())
                ordered.append(result.value->at(*it));
        }
        QString error;
        if (!HarExport::write(path, HarExport::document(ordered, baseUrl), &error))
            return Outcome(false, error);
        return Outcome(true, tr("Exported %n request(s) to %1.", nullptr, int(ordered.size()))
                                 .arg(QDir::toNativeSeparators(path)));
    };
    whenFinished(m_gateway->logReader()->records(ids), this,
                 [this, build](const RequestLogReader::Result<QList<RequestRecord>> &result) {
                     whenFinished(QtConcurrent::run(build, result), this,
                                  [this](const Outcome &outcome) {
                                      m_exportHar->setEnabled(true);
                                      showMessage(outcome.second, !outcome.first);
                                      Q_EMIT harExported(outcome.first, outcome.second);
                                  });
                 });
}

} // namespace gh
