#pragma once

#include <QObject>

class QSocketNotifier;

namespace gh {

// Turns SIGTERM and SIGINT into a Qt signal on the main thread (self-pipe trick: the
// handler only writes a byte, everything else happens in the event loop).
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace gh
