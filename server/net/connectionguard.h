#pragma once

#include "server/net/connectionlimits.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace natter::server {

// Watches one HTTP connection for what QHttpServer does not: a request whose headers or body do not arrive
// in time (closed), a body announced larger than the limit (413 before it is read), and keep-alive
// connections idle for too long (closed). It holds the connection's place in the ConnectionCounts until
// the socket is destroyed.
//
// A WebSocket upgrade is an HTTP request like any other until its handshake has completed: the deadline
// runs from its first byte, however the request is split or spelled. The GET /ws route tells the guard
// when the whole request is in (upgradeRequested()); HttpFront tells it when QWebSocketServer has answered
// 101 and the socket is a WebSocket (becameWebSocket()). Only then does the guard step aside; an
// established WebSocket is never cut by it.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kMaxRequestBytes = 64 * 1024 + 16 * 1024; // the 64 KiB body plus headers
    static constexpr qint64 kMaxDiscardBytes = 64 * 1024 * 1024; // read and dropped after a 413 at most
    static constexpr int kDiscardMs = 10'000; // and for at most this long

    // Lives as a child of the socket; must be created before anyone else reads from it. counts (may be
    // null) already holds this connection, and is released when the guard goes.
    explicit ConnectionGuard(QTcpSocket *socket, int requestDeadlineMs = ConnectionLimits::kDefaultRequestDeadlineMs,
                             std::shared_ptr<ConnectionCounts> counts = {});
    ~ConnectionGuard() override;
    static ConnectionGuard *of(QObject *socket);

    // A route handler got the whole request: its deadline is met, and the connection is busy until answered.
    void requestReceived();
    // The GET /ws route got a whole upgrade request. QHttpServer passes the socket on to its
    // QWebSocketServer (and drops every connection to the socket's signals); the request deadline keeps
    // running until becameWebSocket().
    void upgradeRequested();
    // The WebSocket handshake has completed (101 sent): from now on the WebSocket side keeps watch.
    void becameWebSocket();
    bool isWebSocket() const { return m_state == State::WebSocket; }

private:
    enum class State { Idle, Receiving, Handling, Upgrading, Rejected, WebSocket };

    // A request has started and is not complete yet.
    static bool isPending(State s) { return s == State::Receiving || s == State::Upgrading; }
    void setState(State state);
    void onReadyRead();
    void onBytesWritten();
    // Answers 413, then drops what the client still uploads (announcedLength: its Content-Length, or -1).
    void reject(int status, const QByteArray &reason, qint64 announcedLength);
    void drain();
    void inspectHeaders();

    QTcpSocket *m_socket;
    std::shared_ptr<ConnectionCounts> m_counts;
    QHostAddress m_peer;
    State m_state = State::Idle;
    qint64 m_received = 0;
    qint64 m_discardLeft = 0;
    QTimer m_deadline;
    QTimer m_idle;
};

} // namespace natter::server
