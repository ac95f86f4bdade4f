#pragma once

#include <QTcpServer>

#include <functional>

namespace gh {

// Listening socket that passes raw descriptors on instead of creating QTcpSockets, so
// the socket object can be created on the worker thread that will own it.
class HttpListener : public QTcpServer
{
    Q_OBJECT

public:
    using DescriptorHandler = std::function<void(qintptr)>;

    explicit HttpListener(DescriptorHandler onDescriptor, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    DescriptorHandler m_onDescriptor;
};

} // namespace gh
