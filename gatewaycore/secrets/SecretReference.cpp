#include "SecretReference.h"

#include <QDir>

#include <algorithm>

namespace gh {

namespace {

const QString expectedForms()
{
    return QStringLiteral("expected ${env:NAME}, ${file:PATH} or ${keychain:NAME}");
}

bool isEnvName(const QString &name)
{
    const auto isLetter = [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || c == u'_';
    };
    if (name.isEmpty() || !isLetter(name.front()))
        return false;
    return std::all_of(name.cbegin(), name.cend(),
                       [&](QChar c) { return isLetter(c) || (c >= u'0' && c <= u'9'); });
}

// Keychain entry names stay plain so they survive YAML, URLs and shell quoting unharmed.
bool isKeychainName(const QString &name)
{
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') ||
               QStringView(u"_.-@/:").contains(c);
    });
}

bool hasControlCharacter(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(),
                       [](QChar c) { return c.category() == QChar::Other_Control; });
}

} // namespace

SecretReference::SecretReference(Kind kind, const QString &name)
    : m_kind(kind)
    , m_name(name)
{}

bool SecretReference::looksLikeReference(const QString &text)
{
    return text.startsWith(QLatin1String("${"));
}

std::optional<SecretReference> SecretReference::parse(const QString &text)
{
    auto result = parseOrError(text);
    if (auto *reference = std::get_if<SecretReference>(&result))
        return *reference;
    return std::nullopt;
}

std::variant<SecretReference, QString> SecretReference::parseOrError(const QString &text)
{
    if (!looksLikeReference(text))
        return QStringLiteral("not a secret reference (%1)").arg(expectedForms());

    const qsizetype close = text.indexOf(u'}');
    if (close < 0)
        return QStringLiteral("secret reference \"%1\" is missing the closing \"}\"").arg(text);
    if (text.indexOf(QLatin1String("${"), 2) >= 0)
        return QStringLiteral("nested secret references are not supported: \"%1\"").arg(text);
    if (close != text.size() - 1)
        return QStringLiteral("unexpected text after \"}\" in secret reference \"%1\"").arg(text);

    const QString body = text.mid(2, text.size() - 3);
    const qsizetype colon = body.indexOf(u':');
    if (colon < 0)
        return QStringLiteral("secret reference \"%1\" has no scheme (%2)")
            .arg(text, expectedForms());

    const QString scheme = body.left(colon);
    const QString name = body.mid(colon + 1);
    Kind kind;
    if (scheme == QLatin1String("env"))
        kind = Kind::Env;
    else if (scheme == QLatin1String("file"))
        kind = Kind::File;
    else if (scheme == QLatin1String("keychain"))
        kind = Kind::Keychain;
    else
        return QStringLiteral("unknown secret reference scheme \"%1\" in \"%2\" "
                              "(expected env, file or keychain)")
            .arg(scheme, text);

    if (name.isEmpty()) {
        return QStringLiteral("secret reference \"%1\" has an empty %2")
            .arg(text, kind == Kind::File ? QStringLiteral("path") : QStringLiteral("name"));
    }

    switch (kind) {
    case Kind::Env:
        if (!isEnvName(name)) {
            return QStringLiteral("invalid environment variable name \"%1\" in \"%2\" "
                                  "(names match [A-Za-z_][A-Za-z0-9_]*)")
                .arg(name, text);
        }
        break;
    case Kind::File:
        if (hasControlCharacter(name))
            return QStringLiteral("file path in \"%1\" contains a control character").arg(text);
        // A relative path would depend on whichever directory the daemon was started from.
        if (!name.startsWith(u'/') && !name.startsWith(QLatin1String("~/"))) {
            return QStringLiteral("file path \"%1\" in \"%2\" must be absolute or start with ~/")
                .arg(name, text);
        }
        break;
    case Kind::Keychain:
        if (!isKeychainName(name)) {
            return QStringLiteral("invalid keychain entry name \"%1\" in \"%2\" "
                                  "(names use letters, digits and _ . - @ / :)")
                .arg(name, text);
        }
        break;
    }
    return SecretReference(kind, name);
}

QString SecretReference::filePath() const
{
    if (m_kind == Kind::File && m_name.startsWith(QLatin1String("~/")))
        return QDir::homePath() + m_name.mid(1);
    return m_name;
}

QString SecretReference::toString() const
{
    return QStringLiteral("${%1:%2}").arg(schemeName(m_kind), m_name);
}

QString SecretReference::schemeName(Kind kind)
{
    switch (kind) {
    case Kind::Env:
        return QStringLiteral("env");
    case Kind::File:
        return QStringLiteral("file");
    case Kind::Keychain:
        return QStringLiteral("keychain");
    }
    return QString();
}

} // namespace gh
