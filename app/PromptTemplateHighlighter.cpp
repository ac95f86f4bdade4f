#include "PromptTemplateHighlighter.h"

#include "ProblemDisplay.h"
#include "prompt/PromptTemplate.h"

#include <QGuiApplication>
#include <QPalette>
#include <QTextDocument>

namespace gh {

PromptTemplateHighlighter::PromptTemplateHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    connect(document, &QTextDocument::contentsChange, this,
            &PromptTemplateHighlighter::contentsChanged);
    reparse();
}

void PromptTemplateHighlighter::setDeclared(const QStringList &names)
{
    const QSet<QString> declared(names.cbegin(), names.cend());
    if (declared == m_declared)
        return;
    m_declared = declared;
    reparse();
    rehighlight();
}

void PromptTemplateHighlighter::contentsChanged()
{
    // QSyntaxHighlighter's own handler ran first, with the old placeholders: an edit may
    // have made or broken one anywhere ("{{" typed far from its "}}"), so redo the whole
    // text when they changed. Prompts are short.
    if (reparse())
        rehighlight();
}

bool PromptTemplateHighlighter::reparse()
{
    QList<Span> spans;
    if (document()) {
        const PromptTemplate parsed = PromptTemplate::parse(document()->toPlainText());
        for (const PromptTemplate::Segment &segment : parsed.segments()) {
            if (!segment.variable.isEmpty())
                spans.append({segment.sourceStart, segment.sourceLength, segment.variable,
                              m_declared.contains(segment.variable)});
        }
    }
    if (spans == m_spans)
        return false;
    m_spans = spans;
    return true;
}

void PromptTemplateHighlighter::highlightBlock(const QString &text)
{
    const qsizetype blockStart = currentBlock().position();
    const qsizetype blockEnd = blockStart + text.size();
    QTextCharFormat declared;
    declared.setForeground(QGuiApplication::palette().color(QPalette::Link));
    declared.setFontWeight(QFont::Bold);
    QTextCharFormat undeclared;
    undeclared.setForeground(ProblemDisplay::errorColor());
    undeclared.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    undeclared.setUnderlineColor(ProblemDisplay::errorColor());
    for (const Span &span : std::as_const(m_spans)) {
        const qsizetype start = qMax(span.start, blockStart);
        const qsizetype end = qMin(span.start + span.length, blockEnd);
        if (start >= end)
            continue;
        setFormat(int(start - blockStart), int(end - start), span.declared ? declared : undeclared);
    }
}

} // namespace gh
