#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace gh {

class TargetHealth;

// One upstream of a service, its URL taken apart once at compile time so the proxy
// never parses URLs per request.
struct ServiceTarget
{
    int index = -1;
    QString url;           // as configured: "http://127.0.0.1:9000/api"
    QByteArray scheme;     // "http" | "https"
    QString host;          // "127.0.0.1", "::1" (no brackets), "api.example.com"
    quint16 port = 0;      // explicit, or 80/443
    QByteArray hostHeader; // for the upstream Host header: "host[:port]", brackets for IPv6
    QByteArray basePath;   // "" or "/api": prefixes every upstream path, no trailing "/"
    int weight = 1;        // 0: never picked (standby)
    std::shared_ptr<TargetHealth> health; // never null in a compiled service

    bool isHttps() const { return scheme == "https"; }
    // basePath + path; path is the route's upstream path ("/x", starting with "/").
    QByteArray upstreamPath(const QByteArray &path) const;

    // Parses an absolute http(s) URL; nullopt if it is not one.
    static std::optional<ServiceTarget> fromUrl(const QString &url, int weight);
};

} // namespace gh
