#include "HttpRequest.h"

namespace gh {

QUrlQuery HttpRequest::queryItems() const
{
    return QUrlQuery(QString::fromUtf8(query));
}

} // namespace gh
