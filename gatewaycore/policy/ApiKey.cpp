#include "ApiKey.h"

#include <QCryptographicHash>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace gh {

QString ApiKey::generate()
{
    static const char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), int(bytes.size())) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    // Base62 of the 256-bit number: repeated division of a big-endian byte array.
    QString digits;
    std::array<unsigned char, 32> n = bytes;
    bool nonZero = true;
    while (nonZero) {
        unsigned remainder = 0;
        nonZero = false;
        for (unsigned char &byte : n) {
            const unsigned value = remainder * 256 + byte;
            byte = static_cast<unsigned char>(value / 62);
            remainder = value % 62;
            nonZero = nonZero || byte != 0;
        }
        digits.prepend(QLatin1Char(kAlphabet[remainder]));
    }
    // Fixed width (43 digits hold 256 bits) so every key looks alike.
    while (digits.size() < 43)
        digits.prepend(QLatin1Char('0'));
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return QStringLiteral("gh-") + digits;
}

QString ApiKey::hash(const QString &rawKey)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(rawKey.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString ApiKey::displayPrefix(const QString &rawKey)
{
    if (isGenerated(rawKey))
        return rawKey.left(9);
    return rawKey.left(qMin<qsizetype>(4, rawKey.size() / 4)) + QLatin1Char('*');
}

bool ApiKey::isGenerated(const QString &rawKey)
{
    if (rawKey.size() != 46 || !rawKey.startsWith(QLatin1String("gh-")))
        return false;
    for (qsizetype i = 3; i < rawKey.size(); ++i) {
        const QChar c = rawKey.at(i);
        if (c.unicode() > 127 || !c.isLetterOrNumber())
            return false;
    }
    return true;
}

bool ApiKey::digestsEqual(const QString &a, const QString &b)
{
    const QByteArray x = a.toLatin1();
    const QByteArray y = b.toLatin1();
    if (x.size() != y.size())
        return false;
    return CRYPTO_memcmp(x.constData(), y.constData(), size_t(x.size())) == 0;
}

} // namespace gh
