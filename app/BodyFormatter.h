#pragma once

#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QString>

namespace gh {

// Readable text for a captured body and its headers, for the Traffic detail pane. Pure and
// thread-safe: the pane runs it on a pool thread, because pretty-printing a large JSON
// body must not stall the table.
class BodyFormatter
{
public:
    // JSON indented (a capture cut short stays as it is), text as text, binary as a
    // count and a hex dump of its start. totalBytes: the body's real size (bytes_in or
    // bytes_out), so a capture shorter than that says it is partial.
    static QString format(const QByteArray &body, const QByteArray &contentType, qint64 totalBytes);
    static QString headers(const HttpHeaders &headers);
    static bool looksLikeJson(const QByteArray &body, const QByteArray &contentType);
};

} // namespace gh
