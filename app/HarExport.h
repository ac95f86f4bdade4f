#pragma once

#include "log/RequestRecord.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace gh {

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) from request log records, for
// browser dev tools, Charles, Proxyman and HAR viewers. Only what the log holds, which the
// writer already redacted (SPEC §2); headers and bodies appear when settings.log_bodies
// captured them. Gatehouse's own fields (consumer, route, model, tokens, cost, cache,
// error, request id) go into "_gatehouse" objects, as HAR allows for custom fields.
class HarExport
{
public:
    // baseUrl: the gateway listener the requests came to (http://127.0.0.1:4141).
    static QJsonObject document(const QList<RequestRecord> &records, const QString &baseUrl);
    // Written atomically (a failed write leaves no partial file); false with *error saying
    // what went wrong and where.
    static bool write(const QString &path, const QJsonObject &document, QString *error);
};

} // namespace gh
