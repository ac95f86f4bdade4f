#pragma once

namespace gh {

// Why an upstream exchange failed; decides between a retry, a 502 and a 504.
enum class UpstreamError {
    ConnectFailed,  // refused, unreachable, name not found: nothing was sent
    ConnectTimeout, // TCP connect (and TLS handshake) took longer than the connect timeout
    ReadTimeout,    // no byte moved for the read timeout while the upstream owed us one
    TlsError,       // handshake or certificate verification failed
    ProtocolError,  // malformed or ambiguous response (or an invalid request to send)
    // The connection ended before any response byte. Typical of a keep-alive connection
    // the upstream closed while we reused it: safe to retry an idempotent request on a
    // fresh connection (see UpstreamConnection::requestBytesSent()).
    ClosedBeforeResponse,
    ClosedMidResponse, // the response was truncated: abort the client's response
};

inline const char *upstreamErrorName(UpstreamError error)
{
    switch (error) {
    case UpstreamError::ConnectFailed:
        return "ConnectFailed";
    case UpstreamError::ConnectTimeout:
        return "ConnectTimeout";
    case UpstreamError::ReadTimeout:
        return "ReadTimeout";
    case UpstreamError::TlsError:
        return "TlsError";
    case UpstreamError::ProtocolError:
        return "ProtocolError";
    case UpstreamError::ClosedBeforeResponse:
        return "ClosedBeforeResponse";
    case UpstreamError::ClosedMidResponse:
        return "ClosedMidResponse";
    }
    return "Unknown";
}

} // namespace gh
