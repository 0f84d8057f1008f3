#include "transport.h"

#include "wstransport.h"

namespace natter::bench {

using namespace Qt::StringLiterals;

QString transportName(TransportKind kind)
{
    switch (kind) {
    case TransportKind::WebSocket:
        return u"ws"_s;
    }
    return {};
}

std::optional<TransportKind> transportFromName(QStringView name)
{
    if (name == u"ws" || name == u"websocket")
        return TransportKind::WebSocket;
    return std::nullopt;
}

std::unique_ptr<Transport> createTransport(TransportKind kind, const QUrl &url)
{
    switch (kind) {
    case TransportKind::WebSocket:
        return std::make_unique<WebSocketTransport>(url);
    }
    return nullptr;
}

} // namespace natter::bench
