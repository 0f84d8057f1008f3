#pragma once

#include "bench/benchtransport.h"

#include <QWebSocket>

namespace natter::bench {

// The WebSocket door (GET /ws): one JSON envelope per text frame.
class WebSocketTransport final : public Transport
{
    Q_OBJECT
public:
    explicit WebSocketTransport(QUrl url, QObject *parent = nullptr);

    void open() override;
    void send(const protocol::Request &request) override;
    bool close() override;
    bool isOpen() const override;

private:
    void onTextMessage(const QString &text);
    void onDisconnected();
    void fail(const QString &reason);

    QUrl m_url;
    QWebSocket *m_socket;
    bool m_connected = false;
    bool m_closing = false;
    bool m_failed = false;
};

} // namespace natter::bench
