#include "TrafficFilterModel.h"

#include "TrafficModel.h"

namespace gh {

TrafficFilterModel::TrafficFilterModel(TrafficModel *source, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_source(source)
{
    setSourceModel(source);
    setSortRole(TrafficModel::SortRole);
    // Batches keep their place in a sorted view without a full re-sort.
    setDynamicSortFilter(true);
}

void TrafficFilterModel::changed()
{
    invalidateFilter();
}

void TrafficFilterModel::setStatusFilter(StatusFilter filter)
{
    if (m_status != filter) {
        m_status = filter;
        changed();
    }
}

void TrafficFilterModel::setModelFilter(const QString &model)
{
    if (m_model != model) {
        m_model = model;
        changed();
    }
}

void TrafficFilterModel::setConsumerFilter(const QString &consumer)
{
    if (m_consumer != consumer) {
        m_consumer = consumer;
        changed();
    }
}

void TrafficFilterModel::setRouteFilter(const QString &route)
{
    if (m_route != route) {
        m_route = route;
        changed();
    }
}

void TrafficFilterModel::setTextFilter(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (m_text != trimmed) {
        m_text = trimmed;
        changed();
    }
}

void TrafficFilterModel::clearFilters()
{
    m_status = StatusFilter::Any;
    m_model.clear();
    m_consumer.clear();
    m_route.clear();
    m_text.clear();
    changed();
}

bool TrafficFilterModel::isFiltering() const
{
    return m_status != StatusFilter::Any || !m_model.isEmpty() || !m_consumer.isEmpty() ||
           !m_route.isEmpty() || !m_text.isEmpty();
}

int TrafficFilterModel::sourceRow(int proxyRow) const
{
    return mapToSource(index(proxyRow, 0)).row();
}

bool TrafficFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    Q_UNUSED(sourceParent)
    const RequestRecord &r = m_source->record(sourceRow);
    const bool failed = r.status >= 400 || !r.error.isEmpty();
    switch (m_status) {
    case StatusFilter::Any:
        break;
    case StatusFilter::Success:
        if (r.status < 200 || r.status >= 300 || failed)
            return false;
        break;
    case StatusFilter::Redirect:
        if (r.status < 300 || r.status >= 400)
            return false;
        break;
    case StatusFilter::ClientError:
        if (r.status < 400 || r.status >= 500)
            return false;
        break;
    case StatusFilter::ServerError:
        if (r.status < 500)
            return false;
        break;
    case StatusFilter::Failed:
        if (!failed)
            return false;
        break;
    }
    if (!m_model.isEmpty() && r.model != m_model)
        return false;
    if (!m_consumer.isEmpty() && r.consumer != m_consumer)
        return false;
    if (!m_route.isEmpty() && r.route != m_route)
        return false;
    if (m_text.isEmpty())
        return true;
    const auto has = [this](const QString &field) {
        return field.contains(m_text, Qt::CaseInsensitive);
    };
    return has(QString::fromLatin1(r.method)) || has(QString::fromUtf8(r.path)) || has(r.model) ||
           has(r.consumer) || has(r.route) || has(r.provider) || has(QString::number(r.status)) ||
           has(r.error) || has(QString::fromLatin1(r.requestId));
}

} // namespace gh
