#include "ServiceTarget.h"

#include "TargetHealth.h"

#include <QUrl>

namespace gh {

QByteArray ServiceTarget::upstreamPath(const QByteArray &path) const
{
    if (basePath.isEmpty())
        return path; // shared, no copy
    if (path.isEmpty() || path == "/")
        return basePath + '/';
    return basePath + path;
}

std::optional<ServiceTarget> ServiceTarget::fromUrl(const QString &url, int weight)
{
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (!parsed.isValid() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https")) ||
        parsed.host().isEmpty())
        return std::nullopt;

    ServiceTarget target;
    target.url = url;
    target.scheme = scheme.toLatin1();
    target.host = parsed.host();
    const int defaultPort = scheme == QLatin1String("https") ? 443 : 80;
    target.port = quint16(parsed.port(defaultPort));
    const bool ipv6 = target.host.contains(u':');
    target.hostHeader =
        (ipv6 ? '[' + target.host.toLatin1() + ']' : parsed.host(QUrl::FullyEncoded).toLatin1());
    if (target.port != defaultPort)
        target.hostHeader += ':' + QByteArray::number(target.port);
    target.basePath = parsed.path(QUrl::FullyEncoded).toLatin1();
    while (target.basePath.endsWith('/'))
        target.basePath.chop(1);
    target.weight = weight;
    return target;
}

} // namespace gh
