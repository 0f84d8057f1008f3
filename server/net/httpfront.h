#pragma once

#include "server/net/connectionlimits.h"

#include <QHash>
#include <QHostAddress>
#include <QHttpServer>
#include <QPointer>
#include <QObject>
#include <QSet>
#include <QTimer>

class QTcpSocket;

namespace natter::server {

class ConnectionGuard;
class LongPollDoor;
class NoDelayTcpServer;
class Router;
class WebSocketSession;

// The one port: QHttpServer with GET /ws (WebSocket upgrade), the long-polling door under /api/v1/ and
// GET /healthz; unknown paths get 404 with an error envelope.
class HttpFront : public QObject
{
    Q_OBJECT
public:
    explicit HttpFront(Router &router, ConnectionLimits limits = {}, QObject *parent = nullptr);
    ~HttpFront() override;

    bool listen(const QHostAddress &host, quint16 port, QString *error);
    quint16 port() const;
    // Stops listening and closes every connection.
    void close();
    qsizetype webSocketCount() const { return m_sessions.size(); }
    LongPollDoor &longPoll() { return *m_longPoll; }
    quint64 acceptedConnections() const;
    // Open TCP connections, requests not complete yet, connections refused by a cap (all 0 when closed).
    int openConnections() const;
    int pendingRequests() const;
    quint64 refusedConnections() const;

private:
    void addRoutes();
    void acceptWebSockets();
    // The connection of a whole upgrade request, waiting for QWebSocketServer's 101: keyed by the socket's
    // local and peer endpoints, which the QWebSocket made from it reports too.
    using Endpoints = QPair<QPair<QHostAddress, quint16>, QPair<QHostAddress, quint16>>;
    void upgradeRequested(QTcpSocket *socket);

    Router &m_router;
    QHttpServer m_http;
    NoDelayTcpServer *m_tcp = nullptr;
    LongPollDoor *m_longPoll = nullptr;
    ConnectionLimits m_limits;
    QHash<Endpoints, QPointer<ConnectionGuard>> m_upgrading;
    QSet<WebSocketSession *> m_sessions;
    QTimer m_keepAlive;
};

} // namespace natter::server
