#include "RouteMatch.h"

#include "CompiledRoute.h"

namespace gh {

const HttpHeaders &RouteMatch::extraHeaders() const
{
    static const HttpHeaders none;
    return route ? route->extraHeaders : none;
}

int RouteMatch::errorStatus() const
{
    switch (outcome) {
    case Outcome::Matched:
        return 0;
    case Outcome::NotFound:
        return 404;
    case Outcome::Gone:
        return 410;
    case Outcome::MethodNotAllowed:
        return 405;
    }
    return 404;
}

QByteArray RouteMatch::stripSegments(const QByteArray &path, int segments)
{
    if (segments <= 0)
        return path;
    qsizetype position = 0;
    for (int i = 0; i < segments; ++i) {
        position = path.indexOf('/', position + 1);
        if (position < 0)
            return QByteArrayLiteral("/");
    }
    return path.sliced(position);
}

} // namespace gh
