#pragma once

#include "server/net/connectionlimits.h"

#include <QElapsedTimer>
#include <QTcpServer>

#include <memory>

namespace natter::server {

// Qt leaves Nagle's algorithm on for accepted sockets; small chat frames then stall for ~40 ms behind
// delayed ACKs. Every socket this server accepts has TCP_NODELAY set, and a ConnectionGuard.
// It also enforces the connection caps: a connection over the total or per-address limit is answered
// `429` with a `rate_limited` envelope and closed, without reaching QHttpServer.
class NoDelayTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit NoDelayTcpServer(const ConnectionLimits &limits, QObject *parent = nullptr);
    quint64 acceptedCount() const { return m_accepted; }
    const ConnectionCounts &counts() const { return *m_counts; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void refuse(QTcpSocket *socket, ConnectionCounts::Verdict verdict);

    std::shared_ptr<ConnectionCounts> m_counts;
    quint64 m_accepted = 0;
    int m_refusing = 0; // refused sockets still being answered
    QElapsedTimer m_lastRefusalLog;
    quint64 m_unloggedRefusals = 0;
};

} // namespace natter::server
