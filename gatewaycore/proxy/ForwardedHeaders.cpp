#include "ForwardedHeaders.h"

namespace gh {

namespace {

// RFC 9110 §7.6.1 plus the de-facto ones (Keep-Alive, Proxy-Connection). Expect is
// ours to answer; Content-Length / Transfer-Encoding are re-framed by whoever sends.
const QByteArray kHopByHop[] = {"connection",       "keep-alive", "proxy-connection",
                                "te",               "trailer",    "transfer-encoding",
                                "upgrade",          "expect",     "content-length",
                                "proxy-authorization"};

} // namespace

void ForwardedHeaders::removeHopByHop(HttpHeaders &headers)
{
    // Fields named by Connection first: "Connection: close, X-Secret" drops X-Secret.
    const QList<QByteArray> connection = headers.values("connection");
    for (const QByteArray &value : connection) {
        const QList<QByteArray> tokens = value.split(',');
        for (const QByteArray &token : tokens) {
            const QByteArray name = token.trimmed();
            if (!name.isEmpty())
                headers.remove(name);
        }
    }
    for (const QByteArray &name : kHopByHop)
        headers.remove(name);
}

HttpHeaders ForwardedHeaders::forUpstream(const HttpHeaders &request, const QHostAddress &peer,
                                          const QByteArray &clientHost,
                                          const QByteArray &dropHeader,
                                          const QByteArray &requestId, bool secure)
{
    HttpHeaders headers = request;
    removeHopByHop(headers);
    headers.remove("host"); // the upstream's own Host is set by the connection
    if (!dropHeader.isEmpty())
        headers.remove(dropHeader);

    QByteArray peerText = peer.toString().toLatin1();
    if (peer.protocol() == QAbstractSocket::IPv6Protocol && peer.toIPv4Address() != 0)
        peerText = QHostAddress(peer.toIPv4Address()).toString().toLatin1();
    const QByteArray previous = headers.combinedValue("x-forwarded-for");
    headers.set("X-Forwarded-For", previous.isEmpty() ? peerText : previous + ", " + peerText);
    if (!headers.contains("x-forwarded-proto"))
        headers.set("X-Forwarded-Proto", secure ? "https" : "http");
    if (!headers.contains("x-forwarded-host") && !clientHost.isEmpty())
        headers.set("X-Forwarded-Host", clientHost);
    const QByteArray via = headers.combinedValue("via");
    headers.set("Via", via.isEmpty() ? viaValue() : via + ", " + viaValue());
    headers.set("x-gatehouse-request-id", requestId);
    return headers;
}

HttpHeaders ForwardedHeaders::forClient(const HttpHeaders &upstream)
{
    HttpHeaders headers = upstream;
    removeHopByHop(headers);
    const QByteArray via = headers.combinedValue("via");
    headers.set("Via", via.isEmpty() ? viaValue() : via + ", " + viaValue());
    return headers;
}

} // namespace gh
