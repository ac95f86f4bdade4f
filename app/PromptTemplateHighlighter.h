#pragma once

#include <QList>
#include <QSet>
#include <QSyntaxHighlighter>

namespace gh {

// Colours the {{variable}} placeholders of a prompt API's template or system prompt, found
// by the gateway's own parser (PromptTemplate) over the whole text, so a placeholder that
// spans lines is one too and text the gateway keeps literally ("{{}}", {{"a": 1}}) is never
// coloured. Declared inputs are shown in the link colour, undeclared names in the error
// colour with a wavy underline.
class PromptTemplateHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit PromptTemplateHighlighter(QTextDocument *document);

    void setDeclared(const QStringList &names);

    struct Span
    {
        qsizetype start = 0;
        qsizetype length = 0;
        QString name;
        bool declared = false;

        bool operator==(const Span &) const = default;
    };
    // The placeholders as last highlighted (for tests).
    const QList<Span> &spans() const { return m_spans; }

protected:
    void highlightBlock(const QString &text) override;

private:
    // Returns whether the placeholders changed.
    bool reparse();
    void contentsChanged();

    QSet<QString> m_declared;
    QList<Span> m_spans;
};

} // namespace gh
