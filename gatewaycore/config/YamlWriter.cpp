#include "YamlWriter.h"

#include "ConfigSchema.h"
#include "YamlScalar.h"

#include <QJsonArray>
#include <QStringList>

#include <charconv>

namespace gh {

namespace {

// Flow lists longer than this are written one item per line instead.
constexpr qsizetype maxFlowWidth = 80;

QString spaces(int count)
{
    return QString(count, u' ');
}

bool isPrintable(char32_t c)
{
    if (c == u'\t' || c == u'\n')
        return true;
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
        return false;
    return c != 0x2028 && c != 0x2029 && c != 0xfeff && !(c >= 0xd800 && c <= 0xdfff) &&
           c != 0xfffe && c != 0xffff;
}

bool allPrintable(const QString &text, bool allowNewline)
{
    const QList<uint> codePoints = text.toUcs4();
    for (uint c : codePoints) {
        if (!isPrintable(c) || (c == u'\t') || (c == u'\n' && !allowNewline))
            return false;
    }
    return true;
}

// True when `text` may be written without quotes and reads back as the same string.
bool isPlainSafe(const QString &text, bool flow)
{
    if (text.isEmpty() || !allPrintable(text, false))
        return false;
    if (!YamlScalar::resolvePlain(text).isString())
        return false;
    // YAML 1.1 readers (and people) take these as booleans or special floats.
    static const QStringList yaml11Words{QStringLiteral("y"),     QStringLiteral("n"),
                                         QStringLiteral("yes"),   QStringLiteral("no"),
                                         QStringLiteral("on"),    QStringLiteral("off"),
                                         QStringLiteral(".inf"),  QStringLiteral("-.inf"),
                                         QStringLiteral("+.inf"), QStringLiteral(".nan")};
    for (const QString &word : yaml11Words) {
        if (text.compare(word, Qt::CaseInsensitive) == 0)
            return false;
    }
    if (QStringLiteral("-?:,[]{}#&*!|>'\"%@`=~ ").contains(text.front()) || text.back() == u' ' ||
        text.back() == u':')
        return false;
    if (text.contains(QLatin1String(": ")) || text.contains(QLatin1String(" #")) ||
        text.startsWith(QLatin1String("${")) || text == QLatin1String("<<"))
        return false;
    // Readers disagree on ':', '?' and '#' inside flow collections; keep flow items simple.
    if (flow) {
        for (QChar c : text) {
            const bool simple = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                                (c >= u'0' && c <= u'9') || QStringView(u"._/-+@").contains(c);
            if (!simple)
                return false;
        }
    }
    return true;
}

QString doubleQuoted(const QString &text)
{
    QString out = QStringLiteral("\"");
    const QList<uint> codePoints = text.toUcs4();
    for (uint c : codePoints) {
        switch (c) {
        case u'"':
            out += QLatin1String("\\\"");
            break;
        case u'\\':
            out += QLatin1String("\\\\");
            break;
        case u'\n':
            out += QLatin1String("\\n");
            break;
        case u'\t':
            out += QLatin1String("\\t");
            break;
        case u'\r':
            out += QLatin1String("\\r");
            break;
        case 0:
            out += QLatin1String("\\0");
            break;
        default:
            if (isPrintable(c))
                out += QString::fromUcs4(reinterpret_cast<const char32_t *>(&c), 1);
            else if (c <= 0xff)
                out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
            else
                out += QStringLiteral("\\u%1").arg(c, 4, 16, QLatin1Char('0'));
        }
    }
    return out + u'"';
}

// Multi-line text reads best as a literal block; kept to shapes every YAML reader
// agrees on (no leading blank line or indentation, no tabs, no trailing spaces, at
// most one final line break: kept blank lines would swallow the section separator).
bool fitsLiteralBlock(const QString &text)
{
    if (!text.contains(u'\n') || text.startsWith(u'\n') || text.startsWith(u' ') ||
        text.endsWith(QLatin1String("\n\n")) || !allPrintable(text, true) ||
        text.trimmed().isEmpty())
        return false;
    const QStringList lines = text.split(u'\n');
    for (const QString &line : lines) {
        if (line.endsWith(u' ') || line.contains(u'\t'))
            return false;
    }
    return true;
}

QString literalBlock(const QString &text, int indent)
{
    const bool finalBreak = text.endsWith(u'\n');
    QString out = finalBreak ? QStringLiteral("|") : QStringLiteral("|-");
    const QStringList lines = text.left(text.size() - (finalBreak ? 1 : 0)).split(u'\n');
    for (const QString &line : lines)
        out += u'\n' + (line.isEmpty() ? QString() : spaces(indent) + line);
    return out;
}

QString number(const QJsonValue &value)
{
    const double d = value.toDouble();
    const qint64 i = value.toInteger();
    if (double(i) == d)
        return QString::number(i);
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
    QString text = QString::fromLatin1(buffer, result.ptr - buffer);
    // Keep a float looking like one, so that it never reads back as an integer.
    if (!text.contains(u'.') && !text.contains(u'e'))
        text += QLatin1String(".0");
    return text;
}

class Emitter
{
public:
    QString out;

    void root(const QJsonObject &object)
    {
        if (object.isEmpty()) {
            out += QLatin1String("{}\n");
            return;
        }
        const QStringList keys = orderedKeys(object, QString());
        for (qsizetype i = 0; i < keys.size(); ++i) {
            if (i > 0)
                out += u'\n'; // a blank line between sections
            entry(keys.at(i), object.value(keys.at(i)), 0, QString());
        }
    }

private:
    static QStringList orderedKeys(const QJsonObject &object, const QString &schemaPath)
    {
        QStringList keys;
        const QStringList known = ConfigSchema::keys(schemaPath);
        for (const QString &key : known) {
            if (object.contains(key))
                keys.append(key);
        }
        const QStringList all = object.keys(); // sorted
        for (const QString &key : all) {
            if (!known.contains(key))
                keys.append(key);
        }
        return keys;
    }

    static QString scalarText(const QJsonValue &value, bool flow)
    {
        switch (value.type()) {
        case QJsonValue::Null:
        case QJsonValue::Undefined:
            return QStringLiteral("null");
        case QJsonValue::Bool:
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        case QJsonValue::Double:
            return number(value);
        case QJsonValue::String: {
            const QString text = value.toString();
            return isPlainSafe(text, flow) ? text : doubleQuoted(text);
        }
        default:
            return QString();
        }
    }

    static bool isScalar(const QJsonValue &value) { return !value.isArray() && !value.isObject(); }

    // A list of plain values that fits one line goes in flow style: [GET, POST].
    static std::optional<QString> flowList(const QJsonArray &array)
    {
        QStringList items;
        qsizetype width = 0;
        for (const QJsonValue &value : array) {
            if (!isScalar(value) || (value.isString() && value.toString().contains(u'\n')))
                return std::nullopt;
            items.append(scalarText(value, true));
            width += items.back().size() + 2;
        }
        if (width > maxFlowWidth)
            return std::nullopt;
        return u'[' + items.join(QStringLiteral(", ")) + u']';
    }

    // The text after "key:" or "-" for a value written on the same line; empty when
    // the value is a non-empty block that starts on the next line.
    std::optional<QString> inlineValue(const QJsonValue &value, int indent)
    {
        if (value.isString() && fitsLiteralBlock(value.toString()))
            return literalBlock(value.toString(), indent + 2);
        if (isScalar(value))
            return scalarText(value, false);
        if (value.isObject() && value.toObject().isEmpty())
            return QStringLiteral("{}");
        if (value.isArray())
            return flowList(value.toArray());
        return std::nullopt;
    }

    void entry(const QString &key, const QJsonValue &value, int indent, const QString &parentSchema)
    {
        const QString schemaPath = ConfigSchema::childPath(parentSchema, key);
        out += scalarText(key, false) + u':';
        if (const auto text = inlineValue(value, indent)) {
            out += u' ' + *text + u'\n';
        } else if (value.isObject()) {
            out += u'\n';
            mapping(value.toObject(), indent + 2, schemaPath, false);
        } else {
            out += u'\n';
            sequence(value.toArray(), indent + 2, schemaPath, false);
        }
    }

    // `continued`: the first line was begun by the caller ("- "), so no indentation.
    void mapping(const QJsonObject &object, int indent, const QString &schemaPath, bool continued)
    {
        const QStringList keys = orderedKeys(object, schemaPath);
        for (qsizetype i = 0; i < keys.size(); ++i) {
            if (i > 0 || !continued)
                out += spaces(indent);
            entry(keys.at(i), object.value(keys.at(i)), indent, schemaPath);
        }
    }

    void sequence(const QJsonArray &array, int indent, const QString &schemaPath, bool continued)
    {
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i > 0 || !continued)
                out += spaces(indent);
            out += u'-';
            const QJsonValue value = array.at(i);
            if (const auto text = inlineValue(value, indent)) {
                out += u' ' + *text + u'\n';
            } else if (value.isObject()) {
                out += u' ';
                mapping(value.toObject(), indent + 2, schemaPath, true);
            } else {
                out += u' ';
                sequence(value.toArray(), indent + 2, schemaPath, true);
            }
        }
    }
};

} // namespace

QByteArray YamlWriter::write(const QJsonObject &root)
{
    Emitter emitter;
    emitter.root(root);
    return emitter.out.toUtf8();
}

} // namespace gh
