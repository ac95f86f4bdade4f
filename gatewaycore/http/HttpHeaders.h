#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace gh {

// Header fields in arrival order. Names keep their original spelling; lookups are
// case-insensitive (RFC 9110 §5.1). Repeated fields stay separate entries.
class HttpHeaders
{
public:
    using Entry = std::pair<QByteArray, QByteArray>;

    void add(QByteArray name, QByteArray value);
    // Replaces every field called name with one entry (at the first one's position).
    void set(QByteArray name, QByteArray value);
    // The first value, or a null QByteArray.
    QByteArray value(const QByteArray &name) const;
    QList<QByteArray> values(const QByteArray &name) const;
    // Every value of name joined with ", " (the RFC 9110 §5.3 list combination).
    QByteArray combinedValue(const QByteArray &name) const;
    int count(const QByteArray &name) const;
    bool contains(const QByteArray &name) const;
    void remove(const QByteArray &name);
    // True if the comma-separated list in any field called name has token
    // (case-insensitive), e.g. hasToken("connection", "close").
    bool hasToken(const QByteArray &name, const QByteArray &token) const;
    void clear() { m_entries.clear(); }

    const QList<Entry> &entries() const { return m_entries; }
    qsizetype size() const { return m_entries.size(); }
    bool isEmpty() const { return m_entries.isEmpty(); }

private:
    QList<Entry> m_entries;
};

} // namespace gh
