#pragma once

#include "common/protocol/requests.h"
#include "common/protocol/serverevents.h"

#include <QObject>
#include <QString>
#include <QUrl>

namespace natter::client {

enum class TransportKind { WebSocket, LongPolling };
QString transportName(TransportKind kind); // "websocket", "long polling"

// One way of carrying envelopes to a server and back, typed at this edge: requests leave through the shared
// encoder (protocol::Request::toJson) and what arrives is parsed once (protocol::parseServerEvent); an
// envelope that breaks the contract is logged and dropped here. The connection authenticates through it
// by sending register/login/resume like any request; a transport that needs the token (long polling) keeps
// it from the welcome it carried.
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
    // Opened (or opening) and not closed or failed since.
    virtual bool isOpen() const = 0;
    virtual void send(const protocol::Request &request) = 0;
    // Round-trip time of the last heartbeat, -1 when unknown.
    virtual int lastRoundTripMs() const { return -1; }

protected:
    // The link broke: closes and emits failed(reason), once; nothing after close().
    void fail(const QString &reason);
    // Emits received() for a valid event. One that breaks the contract is logged and dropped; when it carries
    // a rid, an Internal error with that rid is received in its place, so that no request waits forever.
    void receive(const protocol::ParsedServerEvent &parsed);

signals:
    // Ready to carry envelopes: the first one should authenticate.
    void opened();
    void received(const natter::protocol::ServerEvent &event);
    // Something came from the server (a frame, a pong, an HTTP answer): the link was alive just now.
    void heard();
    // Could not open, or died. Not emitted after close().
    void failed(const QString &reason);
};

} // namespace natter::client
