#pragma once

#include <QTcpServer>

namespace natter::server {

// Qt leaves Nagle's algorithm on for accepted sockets; small chat frames then stall for ~40 ms behind
// delayed ACKs. Every socket this server accepts has TCP_NODELAY set, and a ConnectionGuard.
class NoDelayTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;
    quint64 acceptedCount() const { return m_accepted; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    quint64 m_accepted = 0;
};

} // namespace natter::server
