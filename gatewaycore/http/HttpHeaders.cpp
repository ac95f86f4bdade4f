#include "HttpHeaders.h"

namespace gh {

namespace {

bool sameName(const QByteArray &a, const QByteArray &b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

} // namespace

void HttpHeaders::add(QByteArray name, QByteArray value)
{
    m_entries.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::set(QByteArray name, QByteArray value)
{
    qsizetype first = -1;
    for (qsizetype i = 0; i < m_entries.size();) {
        if (!sameName(m_entries.at(i).first, name)) {
            ++i;
        } else if (first < 0) {
            first = i++;
        } else {
            m_entries.removeAt(i);
        }
    }
    if (first < 0)
        add(std::move(name), std::move(value));
    else
        m_entries[first] = {std::move(name), std::move(value)};
}

QByteArray HttpHeaders::value(const QByteArray &name) const
{
    for (const Entry &e : m_entries) {
        if (sameName(e.first, name))
            return e.second;
    }
    return {};
}

QList<QByteArray> HttpHeaders::values(const QByteArray &name) const
{
    QList<QByteArray> result;
    for (const Entry &e : m_entries) {
        if (sameName(e.first, name))
            result.append(e.second);
    }
    return result;
}

QByteArray HttpHeaders::combinedValue(const QByteArray &name) const
{
    QByteArray result;
    bool first = true;
    for (const Entry &e : m_entries) {
        if (!sameName(e.first, name))
            continue;
        if (!first)
            result += ", ";
        result += e.second;
        first = false;
    }
    return result;
}

int HttpHeaders::count(const QByteArray &name) const
{
    int n = 0;
    for (const Entry &e : m_entries) {
        if (sameName(e.first, name))
            ++n;
    }
    return n;
}

bool HttpHeaders::contains(const QByteArray &name) const
{
    for (const Entry &e : m_entries) {
        if (sameName(e.first, name))
            return true;
    }
    return false;
}

void HttpHeaders::remove(const QByteArray &name)
{
    m_entries.removeIf([&name](const Entry &e) { return sameName(e.first, name); });
}

bool HttpHeaders::hasToken(const QByteArray &name, const QByteArray &token) const
{
    for (const Entry &e : m_entries) {
        if (!sameName(e.first, name))
            continue;
        QByteArrayView rest(e.second);
        while (!rest.isEmpty()) {
            const qsizetype comma = rest.indexOf(',');
            const QByteArrayView item = trimmed(comma < 0 ? rest : rest.first(comma));
            if (item.compare(token, Qt::CaseInsensitive) == 0)
                return true;
            rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        }
    }
    return false;
}

} // namespace gh
