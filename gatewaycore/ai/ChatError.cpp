#include "ChatError.h"

namespace gh {

ChatError ChatError::unsupported(const QString &param, const QString &target)
{
    return invalid(param, QStringLiteral("%1: not supported when the model is served by an %2 "
                                         "provider")
                              .arg(param, target));
}

ChatError::Kind ChatError::kindForStatus(int status)
{
    switch (status) {
    case 400:
    case 422:
        return Kind::InvalidRequest;
    case 401:
        return Kind::Authentication;
    case 403:
        return Kind::Permission;
    case 404:
        return Kind::NotFound;
    case 413:
        return Kind::RequestTooLarge;
    case 429:
        return Kind::RateLimit;
    case 502:
        return Kind::BadGateway;
    case 503:
    case 529:
        return Kind::Overloaded;
    case 504:
        return Kind::Timeout;
    default:
        return status >= 400 && status < 500 ? Kind::InvalidRequest : Kind::Api;
    }
}

int ChatError::httpStatus(int overloaded) const
{
    switch (kind) {
    case Kind::InvalidRequest:
        return 400;
    case Kind::Authentication:
        return 401;
    case Kind::Permission:
        return 403;
    case Kind::NotFound:
        return 404;
    case Kind::RequestTooLarge:
        return 413;
    case Kind::RateLimit:
        return 429;
    case Kind::Api:
        return 500;
    case Kind::BadGateway:
        return 502;
    case Kind::Overloaded:
        return overloaded;
    case Kind::Timeout:
        return 504;
    }
    return 500;
}

} // namespace gh
