#pragma once

#include "client/net/transport.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWebSocket>

#include <memory>

namespace natter::client {

struct WebSocketConfig {
    int openTimeoutMs = 5000; // no 101 Switching Protocols by then: failed
    int heartbeatMs = 10'000;
    int deadAfterMs = 20'000; // nothing heard for this long: dead
};

// Envelopes over one QWebSocket to /ws. Sends a ping every heartbeat interval and declares the link dead
// when no pong (or any frame) came back within the timeout, so a silently dead link is noticed in seconds.
class WebSocketTransport : public Transport
{
    Q_OBJECT
public:
    explicit WebSocketTransport(WebSocketConfig config, QObject *parent = nullptr);
    explicit WebSocketTransport(QObject *parent = nullptr) : WebSocketTransport(WebSocketConfig{}, parent) {}
    ~WebSocketTransport() override;

    TransportKind kind() const override { return TransportKind::WebSocket; }
    void open(const QUrl &server) override;
    void close() override;
    bool isOpen() const override { return m_socket != nullptr; }
    void send(const protocol::Request &request) override;
    int lastRoundTripMs() const override { return m_rtt; }

    static QUrl webSocketUrl(const QUrl &server);

private:
    void reset();

    WebSocketConfig m_config;
    std::unique_ptr<QWebSocket> m_socket;
    QTimer m_openTimer;
    QTimer m_heartbeat;
    QElapsedTimer m_lastHeard;
    int m_rtt = -1;
};

} // namespace natter::client
