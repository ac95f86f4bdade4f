#include "BodyFormatter.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLocale>
#include <QStringDecoder>

namespace gh {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("gh::BodyFormatter", text);
}

bool isBinary(const QByteArray &body)
{
    if (body.contains('\0'))
        return true;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(body);
    // A capture may end inside a multi-byte character: only count errors before its end.
    const qsizetype replacements = text.count(QChar::ReplacementCharacter);
    return replacements > 1 || (replacements == 1 && !text.endsWith(QChar::ReplacementCharacter));
}

} // namespace

bool BodyFormatter::looksLikeJson(const QByteArray &body, const QByteArray &contentType)
{
    if (contentType.toLower().contains("json") && !contentType.toLower().contains("ndjson"))
        return true;
    const QByteArray start = body.trimmed().left(1);
    return start == "{" || start == "[";
}

QString BodyFormatter::format(const QByteArray &body, const QByteArray &contentType,
                              qint64 totalBytes)
{
    if (body.isEmpty())
        return totalBytes > 0 ? tr("(%1 bytes, not captured)").arg(QLocale().toString(totalBytes))
                              : QString();
    QString text;
    if (isBinary(body)) {
        text = tr("%1 bytes of binary data; the first bytes:\n\n")
                   .arg(QLocale().toString(qMax<qint64>(totalBytes, body.size())));
        const QByteArray head = body.left(512);
        for (qsizetype offset = 0; offset < head.size(); offset += 16) {
            const QByteArray line = head.mid(offset, 16);
            text += QStringLiteral("%1  %2\n")
                        .arg(offset, 4, 16, QLatin1Char('0'))
                        .arg(QString::fromLatin1(line.toHex(' ')));
        }
        return text;
    }
    if (looksLikeJson(body, contentType)) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (error.error == QJsonParseError::NoError)
            text = QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
    }
    if (text.isEmpty())
        text = QString::fromUtf8(body);
    if (totalBytes > body.size())
        text += QStringLiteral("\n\n") +
                tr("… only the first %1 of %2 bytes were captured.")
                    .arg(QLocale().toString(body.size()), QLocale().toString(totalBytes));
    return text;
}

QString BodyFormatter::headers(const HttpHeaders &headers)
{
    QString text;
    for (const HttpHeaders::Entry &entry : headers.entries())
        text += QString::fromLatin1(entry.first) + QStringLiteral(": ") +
                QString::fromUtf8(entry.second) + u'\n';
    return text;
}

} // namespace gh
