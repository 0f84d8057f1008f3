#include "client/net/transport.h"

#include "client/clientlogging.h"

namespace natter::client {

using namespace Qt::StringLiterals;

QString transportName(TransportKind kind)
{
    return kind == TransportKind::WebSocket ? u"websocket"_s : u"long polling"_s;
}

void Transport::fail(const QString &reason)
{
    if (!isOpen())
        return;
    qCInfo(lcClientNet) << transportName(kind()) << "failed:" << reason;
    close();
    emit failed(reason);
}

void Transport::receive(const protocol::ParsedServerEvent &parsed)
{
    if (parsed.ok()) {
        emit received(parsed.event());
        return;
    }
    qCWarning(lcClientNet) << "a server envelope breaks the protocol:" << parsed.error().message;
    // A broken reply still answers its request: whoever waits for the rid hears that it failed.
    if (parsed.hasRid)
        emit received({parsed.rid, true,
                       protocol::ErrorEvent{protocol::ErrorCode::Internal,
                                            u"the server's reply breaks the protocol: %1"_s.arg(parsed.error().message)}});
}

} // namespace natter::client
