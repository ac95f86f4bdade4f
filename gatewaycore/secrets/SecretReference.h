#pragma once

#include <QString>

#include <optional>
#include <variant>

namespace gh {

// A reference to a secret kept outside Gatehouse's database and config files:
// ${env:NAME}, ${file:PATH} (absolute or ~/...) or ${keychain:NAME}.
class SecretReference
{
public:
    enum class Kind { Env, File, Keychain };

    // True for text meant as a reference (starts with "${"); anything else is a literal.
    static bool looksLikeReference(const QString &text);
    static std::optional<SecretReference> parse(const QString &text);
    // The reference, or an error message naming what is wrong with it.
    static std::variant<SecretReference, QString> parseOrError(const QString &text);

    Kind kind() const { return m_kind; }
    // The variable name, the path as written, or the keychain entry name.
    QString name() const { return m_name; }
    // File references only: the path with a leading "~/" expanded to the home directory.
    QString filePath() const;
    QString toString() const;

    static QString schemeName(Kind kind);

    friend bool operator==(const SecretReference &, const SecretReference &) = default;

private:
    SecretReference(Kind kind, const QString &name);

    Kind m_kind;
    QString m_name;
};

} // namespace gh
