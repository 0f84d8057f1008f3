#pragma once

#include <QDeadlineTimer>
#include <QLabel>
#include <QPointer>
#include <QTimer>

namespace natter::client {
class Connection;
}

namespace natter::app {

// The status bar's connection line: "Online · WebSocket · 192.168.1.5:7470", "Reconnecting in 4 s",
// "Connecting…", "Offline" or "Not signed in". Counts the reconnect delay down every second.
class ConnectionStatusLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ConnectionStatusLabel(QWidget *parent = nullptr);

    void setConnection(client::Connection *connection); // null: not signed in

signals:
    void activated();

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void refresh();

    QPointer<client::Connection> m_connection;
    QDeadlineTimer m_retryAt;
    QTimer m_tick;
};

} // namespace natter::app
