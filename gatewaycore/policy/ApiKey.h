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
    static QString displayPrefix(const QString &rawKey);
    // Constant-time comparison of two hex digests, so timing never reveals a prefix match.
    static bool digestsEqual(const QString &a, const QString &b);
};

} // namespace gh
