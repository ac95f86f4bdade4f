#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace gh {

// A prompt API's `template` or `system` text (SPEC §3 prompt_apis), parsed once when the
// config snapshot is built. A placeholder is "{{", optional spaces, a name, optional spaces,
// "}}"; the name is everything up to the spaces or braces ("{{ text }}" → text). Text that
// does not form a placeholder ("{{", a JSON example like {{"a": 1}}) is kept literally.
//
// render() inserts each value verbatim in one pass: what a caller sent is never parsed as
// template syntax, so "{{other}}" inside a value stays those nine characters. (The JSON of
// the upstream request is written by the codecs from the rendered string, so quotes and
// newlines in a value cannot change its shape either.)
class PromptTemplate
{
public:
    struct Segment
    {
        QString text;     // a literal run; empty for a placeholder
        QString variable; // a placeholder's name; empty for a literal run
        // A placeholder's place in the parsed text, "{{" to "}}" (editors highlight it).
        qsizetype sourceStart = -1;
        qsizetype sourceLength = 0;
    };

    static PromptTemplate parse(const QString &text);

    // Placeholder names in order of first use, each once.
    QStringList variables() const;
    // Placeholders whose name is not a valid input name (letters, digits, "_", not starting
    // with a digit) — config errors.
    QStringList invalidNames() const;
    // Values for every variable; a missing one renders as "".
    QString render(const QHash<QString, QString> &values) const;

    const QList<Segment> &segments() const { return m_segments; }
    bool isEmpty() const { return m_segments.isEmpty(); }

    static bool isValidName(const QString &name);

private:
    QList<Segment> m_segments;
    qsizetype m_literalSize = 0; // for reserving the rendered string
};

} // namespace gh
