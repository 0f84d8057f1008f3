#pragma once

#include <QString>
#include <QUrl>

namespace natter::client {

// What a person types as a server -> the URL the client connects to:
// "host", "host:port", "http://host:port", "ws://host:port/ws" (wss -> https) -> "http://host:port" with the
// default port when none is given; surrounding spaces are ignored. Empty or without a host -> invalid QUrl.
QUrl serverUrlFromText(const QString &text);
// The other way, for fields and messages: "host:port" (the default port when the URL has none).
QString serverAddressText(const QUrl &server);

} // namespace natter::client
