#pragma once

#include <QSortFilterProxyModel>

namespace gh {

class TrafficModel;

// The Traffic page's filter bar and sorting over a TrafficModel: status class, exact
// model, consumer and route, and a free text matched against method, path, model,
// consumer, route, provider, status, error and request id (case-insensitive). Sorts by
// raw values (numbers as numbers, missing values first).
class TrafficFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    enum class StatusFilter { Any, Success, Redirect, ClientError, ServerError, Failed };
    Q_ENUM(StatusFilter)

    explicit TrafficFilterModel(TrafficModel *source, QObject *parent = nullptr);

    void setStatusFilter(StatusFilter filter);
    void setModelFilter(const QString &model);
    void setConsumerFilter(const QString &consumer);
    void setRouteFilter(const QString &route);
    void setTextFilter(const QString &text);
    void clearFilters();
    bool isFiltering() const;

    StatusFilter statusFilter() const { return m_status; }
    TrafficModel *trafficModel() const { return m_source; }
    // The source row of a proxy row.
    int sourceRow(int proxyRow) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void changed();

    TrafficModel *m_source;
    StatusFilter m_status = StatusFilter::Any;
    QString m_model, m_consumer, m_route, m_text;
};

} // namespace gh
