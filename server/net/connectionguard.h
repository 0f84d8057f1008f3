#pragma once

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace natter::server {

// Watches one HTTP connection for what QHttpServer does not: a request whose headers or body do not arrive
// in time (closed), a body announced larger than the limit (413 before it is read), and keep-alive
// connections idle for too long (closed). Steps aside once the connection becomes a WebSocket.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    static constexpr int kRequestDeadlineMs = 10'000;
    static constexpr qint64 kMaxRequestBytes = 64 * 1024 + 16 * 1024; // the 64 KiB body plus headers
    static constexpr qint64 kMaxDiscardBytes = 64 * 1024 * 1024; // read and dropped after a 413 at most
    static constexpr int kDiscardMs = 10'000; // and for at most this long

    // Lives as a child of the socket; must be created before anyone else reads from it.
    explicit ConnectionGuard(QTcpSocket *socket);
    static ConnectionGuard *of(QObject *socket);

    // A route handler got the whole request: its deadline is met, and the connection is busy until answered.
    void requestReceived();

private:
    enum class State { Idle, Receiving, Handling, Rejected, Passive };

    void onReadyRead();
    void onBytesWritten();
    // Answers 413, then drops what the client still uploads (announcedLength: its Content-Length, or -1).
    void reject(int status, const QByteArray &reason, qint64 announcedLength);
    void drain();
    void inspectHeaders();

    QTcpSocket *m_socket;
    State m_state = State::Idle;
    qint64 m_received = 0;
    qint64 m_discardLeft = 0;
    QTimer m_deadline;
    QTimer m_idle;
};

} // namespace natter::server
