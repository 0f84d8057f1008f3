#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace natter::server {

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
    explicit HttpFront(Router &router, QObject *parent = nullptr);
    ~HttpFront() override;

    bool listen(const QHostAddress &host, quint16 port, QString *error);
    quint16 port() const;
    // Stops listening and closes every connection.
    void close();
    qsizetype webSocketCount() const { return m_sessions.size(); }
    LongPollDoor &longPoll() { return *m_longPoll; }
    quint64 acceptedConnections() const;

private:
    void addRoutes();
    void acceptWebSockets();

    Router &m_router;
    QHttpServer m_http;
    NoDelayTcpServer *m_tcp = nullptr;
    LongPollDoor *m_longPoll = nullptr;
    QSet<WebSocketSession *> m_sessions;
    QTimer m_keepAlive;
};

} // namespace natter::server
