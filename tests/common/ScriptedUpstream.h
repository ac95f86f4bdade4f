#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <utility>

class QThread;

namespace gh::test {

class ScriptedUpstreamServer;

// What a ScriptedUpstream saw of one request: the head at once, the body as a count and
// a SHA-256 (never kept: uploads may be hundreds of MB).
struct SeenRequest
{
    QByteArray method;
    QByteArray target;
    QList<std::pair<QByteArray, QByteArray>> headers;
    qint64 bodyBytes = 0;
    QByteArray bodySha256; // hex; empty when hashing is off
    QByteArray body;       // only with setKeepBodies(true): small bodies to inspect
    bool chunked = false;
    // The handler runs twice: when the head arrived (complete false; only a reply with
    // answerAtHead counts then) and when the body has (complete true).
    bool complete = false;
    int id = 0; // order of arrival, from 1

    QByteArray header(const QByteArray &name) const;
    bool hasHeader(const QByteArray &name) const;
};

// How the upstream answers one request.
struct UpstreamReply
{
    QByteArray bytes;          // written as is (build them with response())
    int delayMs = 0;           // wait this long first
    bool closeAfter = false;   // then close the connection (FIN once flushed)
    bool hang = false;         // write `bytes`, then never answer or close (until stopped)
    bool answerAtHead = false; // answer as soon as the head arrived, not after the body

    static UpstreamReply respond(int status, const QByteArray &body,
                                 const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    static QByteArray response(int status, const QByteArray &body,
                               const QList<std::pair<QByteArray, QByteArray>> &headers = {});
};

// A raw HTTP/1.1 upstream for proxy tests, on 127.0.0.1 in its own thread (so a test
// may block on sockets meanwhile): parses requests (Content-Length or chunked bodies,
// streamed: counted and hashed, never buffered), counts them and answers each as the
// handler says — normally, late, never, or half and then dead. Keep-alive by default.
class ScriptedUpstream
{
public:
    // Runs on the upstream's thread; must be thread-safe.
    using Handler = std::function<UpstreamReply(const SeenRequest &)>;

    explicit ScriptedUpstream(Handler handler);
    ~ScriptedUpstream();
    ScriptedUpstream(const ScriptedUpstream &) = delete;
    ScriptedUpstream &operator=(const ScriptedUpstream &) = delete;

    // port 0: a free one. False if it cannot listen.
    bool start(quint16 port = 0);
    void stop();
    quint16 port() const { return m_port; }
    QString url(const QString &path = {}) const;

    void setHashBodies(bool hash) { m_hashBodies = hash; }
    // Keep each body (up to 1 MiB) in SeenRequest::body: for tests of what was sent.
    void setKeepBodies(bool keep) { m_keepBodies = keep; }
    // Stop reading (each connection's socket buffer is capped, so the kernel buffers fill
    // and the sender is flow-controlled) or go on.
    void setReadPaused(bool paused);
    bool hashBodies() const { return m_hashBodies; }
    bool keepBodies() const { return m_keepBodies; }

    // Request heads seen, connections accepted, body bytes received (so far, all requests).
    int requests() const { return m_requests.load(); }
    int connections() const { return m_connections.load(); }
    qint64 bodyBytes() const { return m_bodyBytes.load(); }
    QList<SeenRequest> seen() const;
    SeenRequest last() const;
    void clearSeen();

    // Waits (blocking, the upstream runs on its own thread) until `predicate` holds.
    static bool waitFor(const std::function<bool()> &predicate, int timeoutMs);

private:
    friend class ScriptedUpstreamServer;
    void record(const SeenRequest &request);
    void update(const SeenRequest &request);

    Handler m_handler;
    QThread *m_thread = nullptr;
    ScriptedUpstreamServer *m_server = nullptr;
    quint16 m_port = 0;
    std::atomic<bool> m_hashBodies{true};
    std::atomic<bool> m_keepBodies{false};
    std::atomic<bool> m_readPaused{false};
    std::atomic<int> m_requests{0};
    std::atomic<int> m_nextId{0};
    std::atomic<int> m_connections{0};
    std::atomic<qint64> m_bodyBytes{0};
    mutable QMutex m_mutex;
    QList<SeenRequest> m_seen; // last 1000
};

// A port nothing listens on right now (bound, then released).
quint16 unusedPort();

} // namespace gh::test
