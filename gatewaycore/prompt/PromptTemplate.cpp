#include "PromptTemplate.h"

namespace gh {

namespace {

bool isSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}

// The placeholder starting at `from` ("{{" there): its name and the index after "}}", or
// -1 when the text there is not a placeholder.
qsizetype placeholderAt(const QString &text, qsizetype from, QString *name)
{
    qsizetype i = from + 2;
    const qsizetype size = text.size();
    while (i < size && isSpace(text.at(i)))
        ++i;
    const qsizetype nameStart = i;
    while (i < size && !isSpace(text.at(i)) && text.at(i) != u'{' && text.at(i) != u'}')
        ++i;
    if (i == nameStart)
        return -1; // "{{}}", "{{ }}": no name
    const qsizetype nameEnd = i;
    while (i < size && isSpace(text.at(i)))
        ++i;
    if (i + 1 >= size || text.at(i) != u'}' || text.at(i + 1) != u'}')
        return -1;
    *name = text.mid(nameStart, nameEnd - nameStart);
    return i + 2;
}

} // namespace

PromptTemplate PromptTemplate::parse(const QString &text)
{
    PromptTemplate result;
    QString literal;
    const auto flush = [&] {
        if (literal.isEmpty())
            return;
        result.m_literalSize += literal.size();
        result.m_segments.append({std::exchange(literal, {}), {}});
    };
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype open = text.indexOf(QLatin1String("{{"), i);
        if (open < 0) {
            literal += QStringView(text).mid(i);
            break;
        }
        QString name;
        const qsizetype end = placeholderAt(text, open, &name);
        if (end < 0) {
            // Not a placeholder: keep one "{" and look again from the next character, so
            // "{{{x}}}" is "{", the placeholder x, "}".
            literal += QStringView(text).mid(i, open + 1 - i);
            i = open + 1;
            continue;
        }
        literal += QStringView(text).mid(i, open - i);
        flush();
        result.m_segments.append({{}, name, open, end - open});
        i = end;
    }
    flush();
    return result;
}

bool PromptTemplate::isValidName(const QString &name)
{
    if (name.isEmpty() || name.at(0).isDigit())
        return false;
    for (QChar c : name) {
        if (!(c == u'_' || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
              (c >= u'0' && c <= u'9')))
            return false;
    }
    return true;
}

QStringList PromptTemplate::variables() const
{
    QStringList names;
    for (const Segment &segment : m_segments) {
        if (!segment.variable.isEmpty() && !names.contains(segment.variable))
            names.append(segment.variable);
    }
    return names;
}

QStringList PromptTemplate::invalidNames() const
{
    QStringList names;
    for (const QString &name : variables()) {
        if (!isValidName(name))
            names.append(name);
    }
    return names;
}

QString PromptTemplate::render(const QHash<QString, QString> &values) const
{
    QString out;
    qsizetype size = m_literalSize;
    for (const Segment &segment : m_segments) {
        if (!segment.variable.isEmpty())
            size += values.value(segment.variable).size();
    }
    out.reserve(size);
    for (const Segment &segment : m_segments)
        out += segment.variable.isEmpty() ? segment.text : values.value(segment.variable);
    return out;
}

} // namespace gh
