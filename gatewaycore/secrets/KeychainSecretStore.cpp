#include "KeychainSecretStore.h"

#include <qt6keychain/keychain.h>

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QTimer>

#include <memory>

namespace gh {

namespace {

// QtKeychain queues every job through one process-wide executor object that lives in the
// thread which started the first job, and finishes jobs through queued connections to it. A
// job started from another thread would wait forever if that thread has no event loop or is
// gone. So all jobs run here, on one thread that lives until the process exits.
class KeychainThread
{
public:
    KeychainThread()
        : m_thread(new QThread)
        , m_context(new QObject)
    {
        m_thread->setObjectName(QStringLiteral("gatehouse-keychain"));
        m_context->moveToThread(m_thread);
        QObject::connect(m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread->start();
    }

    ~KeychainThread()
    {
        m_thread->quit();
        // A job stuck in the keychain must not hang the exit: then the thread is leaked.
        if (m_thread->wait(QDeadlineTimer(2000)))
            delete m_thread;
    }

    QObject *context() const { return m_context; }

private:
    Q_DISABLE_COPY_MOVE(KeychainThread)

    QThread *m_thread;
    QObject *m_context;
};

Q_GLOBAL_STATIC(KeychainThread, keychainThread)

// Shared by the caller and the job on the keychain thread; the caller may give up waiting
// (timeout) while the job still runs.
struct PendingJob
{
    QMutex mutex;
    QEventLoop *loop = nullptr; // the caller's; null once it stopped waiting
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString data;
};

QString seconds(std::chrono::milliseconds timeout)
{
    return QString::number(timeout.count() / 1000.0, 'g', 3);
}

} // namespace

KeychainSecretStore::KeychainSecretStore(std::chrono::milliseconds timeout)
    : m_timeout(timeout)
{}

SecretResult KeychainSecretStore::read(const QString &key)
{
    return run(Operation::Read, key);
}

SecretResult KeychainSecretStore::write(const QString &key, const QString &value)
{
    return run(Operation::Write, key, value);
}

SecretResult KeychainSecretStore::remove(const QString &key)
{
    return run(Operation::Remove, key);
}

QString KeychainSecretStore::backendName() const
{
    return QStringLiteral("OS keychain");
}

SecretResult KeychainSecretStore::run(Operation operation, const QString &key, const QString &value)
{
    if (key.isEmpty())
        return SecretResult::failure(SecretResult::Invalid, QStringLiteral("secret name is empty"));

    KeychainThread *thread = keychainThread();
    if (!thread) {
        return SecretResult::failure(SecretResult::Other,
                                     QStringLiteral("the keychain is not available during exit"));
    }

    auto pending = std::make_shared<PendingJob>();
    QEventLoop loop;
    pending->loop = &loop;

    const QString service = serviceName();
    QMetaObject::invokeMethod(
        thread->context(),
        [pending, operation, service, key, value]() {
            QKeychain::Job *job = nullptr;
            switch (operation) {
            case Operation::Read:
                job = new QKeychain::ReadPasswordJob(service);
                break;
            case Operation::Write: {
                auto *writeJob = new QKeychain::WritePasswordJob(service);
                writeJob->setTextData(value);
                job = writeJob;
                break;
            }
            case Operation::Remove:
                job = new QKeychain::DeletePasswordJob(service);
                break;
            }
            // Deleted only once finished: libsecret calls back into the job by raw pointer.
            job->setAutoDelete(false);
            job->setInsecureFallback(false);
            job->setKey(key);
            QObject::connect(job, &QKeychain::Job::finished, job, [pending](QKeychain::Job *done) {
                QMutexLocker locker(&pending->mutex);
                pending->finished = true;
                pending->error = done->error();
                pending->errorString = done->errorString();
                if (auto *readJob = qobject_cast<QKeychain::ReadPasswordJob *>(done))
                    pending->data = readJob->textData();
                if (pending->loop)
                    QMetaObject::invokeMethod(pending->loop, &QEventLoop::quit,
                                              Qt::QueuedConnection);
                done->deleteLater();
            });
            job->start();
        },
        Qt::QueuedConnection);

    QTimer::singleShot(m_timeout, &loop, &QEventLoop::quit);
    loop.exec(QEventLoop::ExcludeUserInputEvents);

    QMutexLocker locker(&pending->mutex);
    pending->loop = nullptr;
    if (!pending->finished) {
        return SecretResult::failure(SecretResult::Other,
                                     QStringLiteral("the OS keychain did not answer within %1 s "
                                                    "(is it locked and waiting for a password?)")
                                         .arg(seconds(m_timeout)));
    }

    switch (pending->error) {
    case QKeychain::NoError:
        return SecretResult::success(operation == Operation::Read ? pending->data : QString());
    case QKeychain::EntryNotFound:
        // Removing what is not there already has the wanted outcome.
        if (operation == Operation::Remove)
            return SecretResult::success();
        return SecretResult::notFound(key);
    // QtKeychain 0.13 reports a missing Secret Service as OtherError, not NoBackendAvailable.
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return SecretResult::noBackend(pending->errorString);
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return SecretResult::failure(
            SecretResult::AccessDenied,
            QStringLiteral("access to the OS keychain was denied (%1)").arg(pending->errorString));
    case QKeychain::CouldNotDeleteEntry:
        return SecretResult::failure(SecretResult::Other,
                                     QStringLiteral("could not delete keychain entry \"%1\" (%2)")
                                         .arg(key, pending->errorString));
    }
    return SecretResult::failure(
        SecretResult::Other, QStringLiteral("OS keychain error (%1)").arg(pending->errorString));
}

} // namespace gh
