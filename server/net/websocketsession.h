#pragma once

#include "server/routing/session.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWebSocket>

#include <memory>

namespace natter::server {

class Router;

// A session over one WebSocket connection: text frames in, one JSON envelope each; frames out as they come.
class WebSocketSession : public Session
{
    Q_OBJECT
public:
    WebSocketSession(std::unique_ptr<QWebSocket> socket, Router &router, QObject *parent = nullptr);
    ~WebSocketSession() override;

    QString describe() const override;
    void deliver(const Frame &frame) override;
    void signedIn() override;
    void signedOut() override;

    // Keep-alive: pings the client, and closes the link when nothing was heard for maxSilenceMs.
    void checkAlive(qint64 maxSilenceMs);
    void close(QWebSocketProtocol::CloseCode code, const QString &reason);

signals:
    void finished(natter::server::WebSocketSession *session);

private:
    void onText(const QString &text);
    void send(const QString &text);

    std::unique_ptr<QWebSocket> m_socket;
    Router &m_router;
    QTimer m_authTimer;
    QElapsedTimer m_lastHeard;
    QString m_peer;
};

} // namespace natter::server
