#include "ScriptedUpstream.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QHash>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <optional>

namespace gh::test {

namespace {

constexpr qsizetype MaxHeadBytes = 64 * 1024;
constexpr int MaxSeen = 1000;
constexpr qint64 ReadBufferSize = 256 * 1024;

} // namespace

QByteArray SeenRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool SeenRequest::hasHeader(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray UpstreamReply::response(int status, const QByteArray &body,
                                   const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\n";
    bool hasLength = false;
    for (const auto &[name, value] : headers) {
        out += name + ": " + value + "\r\n";
        hasLength = hasLength || name.compare("content-length", Qt::CaseInsensitive) == 0 ||
                    name.compare("transfer-encoding", Qt::CaseInsensitive) == 0;
    }
    if (!hasLength)
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

UpstreamReply UpstreamReply::respond(int status, const QByteArray &body,
                                     const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    UpstreamReply reply;
    reply.bytes = response(status, body, headers);
    return reply;
}

// Lives on the upstream's thread; owns the listener and every accepted socket.
class ScriptedUpstreamServer : public QObject
{
public:
    explicit ScriptedUpstreamServer(ScriptedUpstream *owner)
        : m_owner(owner)
    {}

    quint16 listen(quint16 port)
    {
        m_server = new QTcpServer(this);
        m_server->setMaxPendingConnections(1024);
        if (!m_server->listen(QHostAddress::LocalHost, port))
            return 0;
        QObject::connect(m_server, &QTcpServer::newConnection, this, [this] { accept(); });
        return m_server->serverPort();
    }

    void shutdown()
    {
        if (m_server)
            m_server->close();
        const QList<QTcpSocket *> sockets = findChildren<QTcpSocket *>();
        for (QTcpSocket *socket : sockets) {
            socket->disconnect(this);
            socket->abort();
            delete socket;
        }
        m_connections.clear();
        delete m_server;
        m_server = nullptr;
    }

    // Reads what a pause left in the sockets (no new notification comes for it).
    void resumeReading()
    {
        const auto connections = m_connections.values();
        for (const std::shared_ptr<Connection> &connection : connections)
            read(*connection);
    }

private:
    enum class State { Head, Length, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Waiting, Hung };

    struct Connection
    {
        QTcpSocket *socket = nullptr;
        QByteArray buffer;
        State state = State::Head;
        qint64 remaining = 0;
        SeenRequest request;
        std::optional<QCryptographicHash> hash;
        bool answered = false; // answered at head time
    };

    void accept()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            socket->setParent(this);
            socket->setReadBufferSize(ReadBufferSize);
            ++m_owner->m_connections;
            auto connection = std::make_shared<Connection>();
            connection->socket = socket;
            m_connections.insert(socket, connection);
            QObject::connect(socket, &QTcpSocket::readyRead, this,
                             [this, connection] { read(*connection); });
            QObject::connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_connections.remove(socket);
                socket->deleteLater();
            });
        }
    }

    void read(Connection &c)
    {
        if (m_owner->m_readPaused)
            return;
        c.buffer.append(c.socket->readAll());
        process(c);
    }

    void body(Connection &c, QByteArrayView bytes)
    {
        c.request.bodyBytes += bytes.size();
        m_owner->m_bodyBytes += bytes.size();
        if (c.hash)
            c.hash->addData(bytes);
        if (m_owner->m_keepBodies && c.request.body.size() + bytes.size() <= 1024 * 1024)
            c.request.body.append(bytes.data(), bytes.size());
    }

    void fail(Connection &c)
    {
        c.state = State::Hung;
        c.socket->abort();
    }

    // Parses what is buffered; answers complete requests.
    void process(Connection &c)
    {
        qsizetype offset = 0;
        const QByteArray &in = c.buffer;
        bool more = true;
        while (more) {
            switch (c.state) {
            case State::Head: {
                const qsizetype end = in.indexOf("\r\n\r\n", offset);
                if (end < 0) {
                    if (in.size() - offset > MaxHeadBytes)
                        return fail(c);
                    more = false;
                    break;
                }
                if (!parseHead(c, in.mid(offset, end - offset)))
                    return fail(c);
                offset = end + 4;
                break;
            }
            case State::Length: {
                const qsizetype n = qMin<qsizetype>(c.remaining, in.size() - offset);
                body(c, QByteArrayView(in).sliced(offset, n));
                offset += n;
                c.remaining -= n;
                if (c.remaining > 0)
                    more = false;
                else
                    requestComplete(c);
                break;
            }
            case State::ChunkSize: {
                const qsizetype end = in.indexOf("\r\n", offset);
                if (end < 0) {
                    more = false;
                    break;
                }
                QByteArray line = in.mid(offset, end - offset);
                offset = end + 2;
                const qsizetype semicolon = line.indexOf(';');
                if (semicolon >= 0)
                    line.truncate(semicolon);
                bool ok = false;
                c.remaining = line.trimmed().toLongLong(&ok, 16);
                if (!ok || c.remaining < 0)
                    return fail(c);
                c.state = c.remaining == 0 ? State::Trailers : State::ChunkData;
                break;
            }
            case State::ChunkData: {
                const qsizetype n = qMin<qsizetype>(c.remaining, in.size() - offset);
                body(c, QByteArrayView(in).sliced(offset, n));
                offset += n;
                c.remaining -= n;
                if (c.remaining > 0)
                    more = false;
                else
                    c.state = State::ChunkDataEnd;
                break;
            }
            case State::ChunkDataEnd:
                if (in.size() - offset < 2) {
                    more = false;
                    break;
                }
                if (in.mid(offset, 2) != "\r\n")
                    return fail(c);
                offset += 2;
                c.state = State::ChunkSize;
                break;
            case State::Trailers: {
                const qsizetype end = in.indexOf("\r\n", offset);
                if (end < 0) {
                    more = false;
                    break;
                }
                const bool last = end == offset;
                offset = end + 2;
                if (last)
                    requestComplete(c);
                break;
            }
            case State::Waiting:
                more = false; // the next request waits until this one is answered
                break;
            case State::Hung:
                offset = in.size(); // read and ignored
                more = false;
                break;
            }
        }
        c.buffer.remove(0, offset);
    }

    bool parseHead(Connection &c, const QByteArray &head)
    {
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() != 3)
            return false;
        c.request = SeenRequest();
        c.request.method = requestLine.at(0);
        c.request.target = requestLine.at(1);
        qint64 length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return false;
            const QByteArray name = line.left(colon).trimmed();
            const QByteArray value = line.mid(colon + 1).trimmed();
            c.request.headers.append({name, value});
            if (name.compare("content-length", Qt::CaseInsensitive) == 0)
                length = value.toLongLong();
            if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0 &&
                value.toLower().contains("chunked"))
                c.request.chunked = true;
        }
        ++m_owner->m_requests;
        c.request.id = ++m_owner->m_nextId;
        m_owner->record(c.request);
        c.answered = false;
        if (m_owner->m_hashBodies)
            c.hash.emplace(QCryptographicHash::Sha256);
        else
            c.hash.reset();
        if (c.request.chunked) {
            c.state = State::ChunkSize;
        } else if (length > 0) {
            c.state = State::Length;
            c.remaining = length;
        }
        const UpstreamReply early = m_owner->m_handler(c.request);
        if (early.answerAtHead) {
            c.answered = true;
            answer(c, early);
        }
        if (!c.request.chunked && length <= 0)
            requestComplete(c);
        return true;
    }

    void requestComplete(Connection &c)
    {
        if (c.hash)
            c.request.bodySha256 = c.hash->result().toHex();
        c.request.complete = true;
        m_owner->update(c.request);
        if (c.answered) {
            if (c.state != State::Hung && c.state != State::Waiting)
                c.state = State::Head;
            return;
        }
        answer(c, m_owner->m_handler(c.request));
    }

    void answer(Connection &c, const UpstreamReply &reply)
    {
        const State after = c.answered && c.state != State::Head ? c.state : State::Head;
        if (reply.hang) {
            c.socket->write(reply.bytes);
            c.state = State::Hung;
            return;
        }
        if (reply.delayMs <= 0) {
            send(c, reply, after);
            return;
        }
        const State resumeState = after;
        c.state = State::Waiting;
        QPointer<QTcpSocket> socket = c.socket;
        QTimer::singleShot(reply.delayMs, this, [this, socket, reply, resumeState] {
            if (!socket)
                return;
            const auto it = m_connections.constFind(socket.data());
            if (it == m_connections.constEnd())
                return;
            Connection &connection = **it;
            send(connection, reply, resumeState);
            process(connection);
        });
    }

    void send(Connection &c, const UpstreamReply &reply, State after)
    {
        c.socket->write(reply.bytes);
        if (reply.closeAfter) {
            c.state = State::Hung;
            c.socket->disconnectFromHost();
            return;
        }
        c.state = after;
    }

    ScriptedUpstream *m_owner;
    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, std::shared_ptr<Connection>> m_connections;
};

ScriptedUpstream::ScriptedUpstream(Handler handler)
    : m_handler(std::move(handler))
{}

ScriptedUpstream::~ScriptedUpstream()
{
    stop();
}

bool ScriptedUpstream::start(quint16 port)
{
    stop();
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("ScriptedUpstream"));
    m_server = new ScriptedUpstreamServer(this);
    m_server->moveToThread(m_thread);
    m_thread->start();
    quint16 listening = 0;
    QMetaObject::invokeMethod(
        m_server, [this, port] { return m_server->listen(port); }, Qt::BlockingQueuedConnection,
        &listening);
    m_port = listening;
    if (listening == 0) {
        stop();
        return false;
    }
    return true;
}

void ScriptedUpstream::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(
        m_server, [this] { m_server->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_server;
    m_server = nullptr;
    delete m_thread;
    m_thread = nullptr;
}

void ScriptedUpstream::setReadPaused(bool paused)
{
    m_readPaused = paused;
    if (!paused && m_server)
        QMetaObject::invokeMethod(
            m_server, [this] { m_server->resumeReading(); }, Qt::QueuedConnection);
}

QString ScriptedUpstream::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path);
}

void ScriptedUpstream::record(const SeenRequest &request)
{
    QMutexLocker lock(&m_mutex);
    m_seen.append(request);
    if (m_seen.size() > MaxSeen)
        m_seen.removeFirst();
}

void ScriptedUpstream::update(const SeenRequest &request)
{
    QMutexLocker lock(&m_mutex);
    for (qsizetype i = m_seen.size() - 1; i >= 0; --i) {
        if (m_seen.at(i).id == request.id) {
            m_seen[i] = request;
            return;
        }
    }
}

QList<SeenRequest> ScriptedUpstream::seen() const
{
    QMutexLocker lock(&m_mutex);
    return m_seen;
}

SeenRequest ScriptedUpstream::last() const
{
    QMutexLocker lock(&m_mutex);
    return m_seen.isEmpty() ? SeenRequest() : m_seen.last();
}

void ScriptedUpstream::clearSeen()
{
    QMutexLocker lock(&m_mutex);
    m_seen.clear();
}

bool ScriptedUpstream::waitFor(const std::function<bool()> &predicate, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!predicate()) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(10);
    }
    return true;
}

quint16 unusedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace gh::test
