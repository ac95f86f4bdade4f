#pragma once

#include <QString>

namespace gh {

// Consumer (gateway) keys per SPEC §2: "gh-" + 32 random bytes in base62, shown once,
// stored only as a SHA-256 hash plus a short display prefix.
class ApiKey
{
public:
    static QString generate();
    static QString hash(const QString &rawKey); // lowercase hex SHA-256
    // Enough to recognise a key in a list, never enough to guess it: "gh-" + 6 of the 43
    // random digits of a generated key (37 digits, ~220 bits, stay secret); for other keys
    // (chosen by people, maybe short) at most 4 characters and a quarter of the key, then "*".
    static QString displayPrefix(const QString &rawKey);
    // "gh-" + 43 base62 digits: the shape generate() returns.
    static bool isGenerated(const QString &rawKey);
    // Constant-time comparison of two hex digests, so timing never reveals a prefix match.
    static bool digestsEqual(const QString &a, const QString &b);
};

} // namespace gh
