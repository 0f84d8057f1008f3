#include "client/net/serverurl.h"

#include "common/protocol/validation.h"

namespace natter::client {

using namespace Qt::StringLiterals;

QUrl serverUrlFromText(const QString &input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return {};
    QUrl url = QUrl::fromUserInput(text.contains(u"://"_s) ? text : u"http://"_s + text);
    if (url.scheme() == "ws"_L1)
        url.setScheme(u"http"_s);
    else if (url.scheme() == "wss"_L1)
        url.setScheme(u"https"_s);
    if (url.port() == -1)
        url.setPort(protocol::kDefaultPort);
    url.setPath({});
    return url.host().isEmpty() ? QUrl() : url;
}

QString serverAddressText(const QUrl &server)
{
    return u"%1:%2"_s.arg(server.host()).arg(server.port(protocol::kDefaultPort));
}

} // namespace natter::client
