#include "ConfigLoader.h"

#include "YamlScalar.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QStringDecoder>

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace gh {

namespace {

// Unlike QString::fromStdString(), keeps a leading U+FEFF that a quoted "\ufeff" produced.
QString fromUtf8(const std::string &text)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    return decoder(QByteArrayView(text.data(), qsizetype(text.size())));
}

const QString rootMessage()
{
    return QStringLiteral("the config must be a mapping of sections (providers, models, ...)");
}

// Aliases let a small YAML text expand into a huge tree ("billion laughs"); a real
// config is a few thousand nodes at most.
constexpr int maxNodes = 1000000;

class YamlConverter
{
public:
    ConfigProblems problems;
    bool tooLarge = false;

    QJsonValue convert(const YAML::Node &node, const QString &path)
    {
        if (++m_nodes > maxNodes) {
            if (!tooLarge)
                problems.append({QString(), QStringLiteral("the config is too large (more than "
                                                           "%1 values)")
                                                .arg(maxNodes)});
            tooLarge = true;
            return QJsonValue();
        }
        switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            return QJsonValue(QJsonValue::Null);
        case YAML::NodeType::Scalar:
            return scalar(node);
        case YAML::NodeType::Sequence: {
            QJsonArray array;
            int index = 0;
            for (const YAML::Node &item : node) {
                array.append(convert(item, path + u'[' + QString::number(index) + u']'));
                ++index;
                if (tooLarge)
                    break;
            }
            return array;
        }
        case YAML::NodeType::Map: {
            QJsonObject object;
            for (auto it = node.begin(); it != node.end() && !tooLarge; ++it) {
                if (!it->first.IsScalar()) {
                    problems.append({path, QStringLiteral("keys must be plain text, not a list "
                                                          "or a mapping")});
                    continue;
                }
                const QString key = fromUtf8(it->first.Scalar());
                const QString keyPath = path.isEmpty() ? key : path + u'.' + key;
                if (object.contains(key)) {
                    problems.append({keyPath, QStringLiteral("duplicate key \"%1\"").arg(key)});
                    continue;
                }
                object.insert(key, convert(it->second, keyPath));
            }
            return object;
        }
        }
        return QJsonValue();
    }

private:
    static QJsonValue scalar(const YAML::Node &node)
    {
        const QString text = fromUtf8(node.Scalar());
        // "!" marks quoted and block scalars; an explicit !!str also keeps the text.
        const std::string &tag = node.Tag();
        if (tag == "!" || tag == "tag:yaml.org,2002:str")
            return text;
        return YamlScalar::resolvePlain(text);
    }

    int m_nodes = 0;
};

ConfigDocument parseYaml(const QByteArray &text)
{
    ConfigDocument doc;
    std::vector<YAML::Node> nodes;
    try {
        nodes = YAML::LoadAll(text.toStdString());
    } catch (const YAML::ParserException &e) {
        doc.problems.append(
            {QString(), QStringLiteral("YAML syntax error at line %1, column %2: %3")
                            .arg(e.mark.line + 1)
                            .arg(e.mark.column + 1)
                            .arg(QString::fromStdString(e.msg))});
        return doc;
    } catch (const YAML::Exception &e) {
        doc.problems.append(
            {QString(), QStringLiteral("YAML error: %1").arg(QString::fromStdString(e.what()))});
        return doc;
    }

    // A trailing "---" yields an extra empty document; only real content counts.
    std::vector<YAML::Node> documents;
    for (const YAML::Node &node : nodes) {
        if (!node.IsNull())
            documents.push_back(node);
    }
    if (documents.size() > 1) {
        doc.problems.append(
            {QString(), QStringLiteral("the config must be a single YAML document, found %1")
                            .arg(documents.size())});
        return doc;
    }
    if (documents.empty())
        return doc;
    if (!documents.front().IsMap()) {
        doc.problems.append({QString(), rootMessage()});
        return doc;
    }

    YamlConverter converter;
    doc.root = converter.convert(documents.front(), QString()).toObject();
    doc.problems = converter.problems;
    return doc;
}

ConfigDocument parseJson(const QByteArray &text)
{
    ConfigDocument doc;
    if (text.trimmed().isEmpty())
        return doc;
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) {
        const qsizetype offset = std::clamp<qsizetype>(error.offset, 0, text.size());
        const QByteArray before = text.left(offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = offset - (before.lastIndexOf('\n') + 1) + 1;
        doc.problems.append(
            {QString(), QStringLiteral("JSON syntax error at offset %1 (line %2, column %3): %4")
                            .arg(offset)
                            .arg(line)
                            .arg(column)
                            .arg(error.errorString())});
        return doc;
    }
    if (!json.isObject()) {
        doc.problems.append({QString(), rootMessage()});
        return doc;
    }
    doc.root = json.object();
    return doc;
}

} // namespace

ConfigDocument ConfigLoader::loadFile(const QString &path)
{
    QFile file(path);
    if (QFileInfo(path).isDir() || !file.open(QIODevice::ReadOnly)) {
        const QString reason =
            QFileInfo(path).isDir() ? QStringLiteral("it is a directory") : file.errorString();
        return {QJsonObject(),
                {{QString(), QStringLiteral("cannot read %1: %2").arg(path, reason)}}};
    }
    const QByteArray text = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        return {QJsonObject(),
                {{QString(), QStringLiteral("cannot read %1: %2").arg(path, file.errorString())}}};
    }

    const QString suffix = QFileInfo(path).suffix().toLower();
    ConfigFormat format;
    if (suffix == QLatin1String("json"))
        format = ConfigFormat::Json;
    else if (suffix == QLatin1String("yaml") || suffix == QLatin1String("yml"))
        format = ConfigFormat::Yaml;
    else
        format = sniffFormat(text);
    return parse(text, format);
}

ConfigDocument ConfigLoader::parse(const QByteArray &text, ConfigFormat format)
{
    QByteArray body = text;
    if (body.startsWith("\xEF\xBB\xBF"))
        body.remove(0, 3);
    return format == ConfigFormat::Json ? parseJson(body) : parseYaml(body);
}

ConfigFormat ConfigLoader::sniffFormat(const QByteArray &text)
{
    const QByteArray body = text.startsWith("\xEF\xBB\xBF") ? text.mid(3) : text;
    for (char c : body) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{' ? ConfigFormat::Json : ConfigFormat::Yaml;
    }
    return ConfigFormat::Yaml;
}

} // namespace gh
