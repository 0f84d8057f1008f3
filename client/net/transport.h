#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QUrl>

namespace natter::client {

enum class TransportKind { WebSocket, LongPolling };
QString transportName(TransportKind kind); // "websocket", "long polling"

// One way of carrying envelopes to a server and back. The connection authenticates through it by sending
// register/login/resume like any envelope; a transport that needs the token (long polling) keeps it from
// the welcome it carried.
class Transport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual TransportKind kind() const = 0;
    // server: the base URL, "http://host:port" (or https).
    virtual void open(const QUrl &server) = 0;
    // Closes without emitting failed().
    virtual void close() = 0;
    virtual void send(const QJsonObject &envelope) = 0;
    // Round-trip time of the last heartbeat, -1 when unknown.
    virtual int lastRoundTripMs() const { return -1; }

signals:
    // Ready to carry envelopes: the first one should authenticate.
    void opened();
    void received(const QJsonObject &envelope);
    // Something came from the server (a frame, a pong, an HTTP answer): the link was alive just now.
    void heard();
    // Could not open, or died. Not emitted after close().
    void failed(const QString &reason);
};

} // namespace natter::client
