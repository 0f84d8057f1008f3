#include "server/net/nodelaytcpserver.h"

#include "server/net/connectionguard.h"

#include <QTcpSocket>

namespace natter::server {

void NoDelayTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    ++m_accepted;
    new ConnectionGuard(socket); // connects to readyRead before QHttpServer does
    addPendingConnection(socket);
}

} // namespace natter::server
