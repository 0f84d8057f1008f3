#include "client/app/connectiondiagnostics.h"

#include "client/net/serverurl.h"

#include <QLocale>

#include <cmath>

namespace natter::app {

using namespace Qt::StringLiterals;
using client::Connection;
using client::TransportKind;

namespace {
const auto kNone = u"—"_s; // nothing to show: not a word, not translated
} // namespace

QList<ConnectionDiagnostics::Field> ConnectionDiagnostics::fields()
{
    return {Field::Server,    Field::ServerVersion,    Field::State,
            Field::Transport, Field::WebSocketProblem, Field::LastError,
            Field::RoundTrip, Field::LastHeartbeat,    Field::ReconnectAttempts,
            Field::User,      Field::Device,           Field::AppVersion};
}

ConnectionDiagnostics::Facts ConnectionDiagnostics::gather(const Connection *connection, const QString &device,
                                                           const QString &serverName, const QString &serverVersion)
{
    Facts facts;
    facts.device = device;
    facts.appVersion = QCoreApplication::applicationVersion();
    if (!connection)
        return facts;
    facts.signedIn = true;
    facts.server = connection->server();
    facts.serverName = serverName;
    facts.serverVersion = serverVersion;
    facts.state = connection->state();
    facts.reconnectInMs = connection->reconnectRemainingMs();
    facts.transport = connection->transport();
    facts.webSocketError = connection->lastWebSocketError();
    facts.lastError = connection->lastError();
    facts.roundTripMs = connection->roundTripMs();
    facts.lastHeartbeat = connection->lastHeartbeat();
    facts.reconnectAttempts = connection->reconnectAttempts();
    facts.user = connection->user().isEmpty() ? connection->credentials().user : connection->user();
    return facts;
}

QString ConnectionDiagnostics::label(Field field)
{
    switch (field) {
    case Field::Server:
        return tr("Server");
    case Field::ServerVersion:
        return tr("Server version");
    case Field::State:
        return tr("State");
    case Field::Transport:
        return tr("Transport");
    case Field::WebSocketProblem:
        return tr("Why WebSocket failed");
    case Field::LastError:
        return tr("Last error");
    case Field::RoundTrip:
        return tr("Round-trip time");
    case Field::LastHeartbeat:
        return tr("Last heard from the server");
    case Field::ReconnectAttempts:
        return tr("Reconnect attempts");
    case Field::User:
        return tr("User");
    case Field::Device:
        return tr("Device");
    case Field::AppVersion:
        return tr("Natter version");
    }
    return {};
}

QString ConnectionDiagnostics::value(const Facts &facts, Field field, const QDateTime &now)
{
    // Without a session, only what belongs to this installation means anything.
    if (!facts.signedIn && field != Field::Device && field != Field::AppVersion)
        return field == Field::State ? tr("Not signed in") : kNone;
    switch (field) {
    case Field::Server: {
        const QString address = client::serverAddressText(facts.server);
        return facts.serverName.isEmpty() ? address : tr("%1 (%2)").arg(address, facts.serverName);
    }
    case Field::ServerVersion:
        return facts.serverVersion.isEmpty() ? tr("Unknown (not announced on this network)") : facts.serverVersion;
    case Field::State:
        switch (facts.state) {
        case Connection::State::Online:
            return tr("Online");
        case Connection::State::Connecting:
            return tr("Connecting");
        case Connection::State::Reconnecting: {
            const int seconds = int(std::ceil(double(std::max(facts.reconnectInMs, 0)) / 1000.0));
            return tr("Reconnecting in %n s", nullptr, seconds);
        }
        case Connection::State::Offline:
            return tr("Offline");
        }
        return {};
    case Field::Transport:
        return facts.transport == TransportKind::WebSocket ? tr("WebSocket") : tr("Long polling");
    case Field::WebSocketProblem:
        return facts.webSocketError.isEmpty() ? tr("None: WebSocket has not failed") : facts.webSocketError;
    case Field::LastError:
        return facts.lastError.isEmpty() ? tr("None") : facts.lastError;
    case Field::RoundTrip:
        return facts.roundTripMs < 0 ? tr("Not measured yet") : tr("%1 ms").arg(facts.roundTripMs);
    case Field::LastHeartbeat: {
        if (!facts.lastHeartbeat.isValid())
            return tr("Nothing heard yet");
        const qint64 ago = std::max<qint64>(0, facts.lastHeartbeat.secsTo(now));
        const QString time = QLocale().toString(facts.lastHeartbeat.toLocalTime().time(), u"HH:mm:ss"_s);
        return tr("%1 (%n s ago)", nullptr, int(std::min<qint64>(ago, 1'000'000'000))).arg(time);
    }
    case Field::ReconnectAttempts:
        return QLocale().toString(facts.reconnectAttempts);
    case Field::User:
        return facts.user.isEmpty() ? kNone : facts.user;
    case Field::Device:
        return facts.device.isEmpty() ? kNone : facts.device;
    case Field::AppVersion:
        return facts.appVersion.isEmpty() ? kNone : facts.appVersion;
    }
    return {};
}

QString ConnectionDiagnostics::plainText(const Facts &facts, const QDateTime &now)
{
    QStringList lines;
    lines.append(tr("Natter connection diagnostics, %1").arg(now.toUTC().toString(Qt::ISODate)));
    const auto all = fields();
    for (Field f : all)
        lines.append(u"%1: %2"_s.arg(label(f), value(facts, f, now)));
    return lines.join(u'\n') + u'\n';
}

} // namespace natter::app
