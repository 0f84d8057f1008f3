#include "bench/benchtransport.h"

#include "bench/lptransport.h"
#include "bench/wstransport.h"

namespace natter::bench {

using namespace Qt::StringLiterals;

QString transportName(TransportKind kind)
{
    switch (kind) {
    case TransportKind::WebSocket:
        return u"ws"_s;
    case TransportKind::LongPolling:
        return u"lp"_s;
    }
    return {};
}

std::optional<TransportKind> transportFromName(QStringView name)
{
    if (name == u"ws" || name == u"websocket")
        return TransportKind::WebSocket;
    if (name == u"lp" || name == u"longpoll" || name == u"long-polling")
        return TransportKind::LongPolling;
    return std::nullopt;
}

std::unique_ptr<Transport> createTransport(TransportKind kind, const QUrl &url, int usersPerManager)
{
    switch (kind) {
    case TransportKind::WebSocket:
        return std::make_unique<WebSocketTransport>(url);
    case TransportKind::LongPolling:
        return std::make_unique<LongPollTransport>(LongPollTransport::baseUrl(url),
                                                   LongPollTransport::sharedManager(usersPerManager));
    }
    return nullptr;
}

} // namespace natter::bench
