#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace natter::server {

class NoDelayTcpServer;
class Router;
class WebSocketSession;

// The one port: QHttpServer with GET /ws (WebSocket upgrade) and GET /healthz; unknown paths get 404.
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

private:
    void addRoutes();
    void acceptWebSockets();

    Router &m_router;
    QHttpServer m_http;
    NoDelayTcpServer *m_tcp = nullptr;
    QSet<WebSocketSession *> m_sessions;
    QTimer m_keepAlive;
};

} // namespace natter::server
