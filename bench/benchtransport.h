#pragma once

#include "common/protocol/requests.h"
#include "common/protocol/serverevents.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace natter::bench {

enum class TransportKind {
    WebSocket,
    LongPolling, // POST /api/v1/session, /api/v1/send, /api/v1/poll (docs/protocol.md, "Long polling")
};

QString transportName(TransportKind kind);
std::optional<TransportKind> transportFromName(QStringView name);

// One client connection to the server that carries protocol envelopes both ways, as the typed values of the
// shared codec (common/protocol): requests go out encoded with Request::toJson(), every server envelope is
// parsed once with parseServerEvent() and one that breaks the contract fails the transport. Everything above
// it (BenchUser, the runs) speaks typed envelopes only: WebSocketTransport and LongPollTransport are the two
// implementations.
class Transport : public QObject
{
    Q_OBJECT
public:
    explicit Transport(QObject *parent = nullptr) : QObject(parent) {}

    // Starts connecting; ends in opened() or failed().
    virtual void open() = 0;
    // Sends one client envelope; only valid after opened().
    virtual void send(const protocol::Request &request) = 0;
    // Starts an orderly close. Returns true when closed() will follow, false when there is nothing to close.
    virtual bool close() = 0;
    virtual bool isOpen() const = 0;

signals:
    void opened();
    // One server envelope, parsed and valid.
    void eventReceived(const natter::protocol::ServerEvent &event);
    // The connection broke or the server broke the contract; emitted at most once, not after close().
    void failed(const QString &reason);
    void closed();
};

// `url` is the WebSocket URL; long polling talks to http(s)://host:port of it. `usersPerManager`: long-polling
// transports share a QNetworkAccessManager this many at a time.
std::unique_ptr<Transport> createTransport(TransportKind kind, const QUrl &url, int usersPerManager = 1);

} // namespace natter::bench
