#include "HttpListener.h"

namespace gh {

HttpListener::HttpListener(DescriptorHandler onDescriptor, QObject *parent)
    : QTcpServer(parent)
    , m_onDescriptor(std::move(onDescriptor))
{}

void HttpListener::incomingConnection(qintptr descriptor)
{
    m_onDescriptor(descriptor);
}

} // namespace gh
