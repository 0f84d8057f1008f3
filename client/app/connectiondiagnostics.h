#pragma once

#include "client/net/connection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>

namespace natter::app {

// What the diagnostics view shows, as plain facts gathered from a Connection (no widgets), and the same
// facts as labelled lines of text: the dialog shows the lines, "Copy to clipboard" copies them, tests read
// either. Gathering is cheap and synchronous: the view gathers again every second.
class ConnectionDiagnostics
{
    Q_DECLARE_TR_FUNCTIONS(natter::app::ConnectionDiagnostics)
public:
    // The lines, in the order they are shown.
    enum class Field {
        Server,
        ServerVersion,
        State,
        Transport,
        WebSocketProblem,
        LastError,
        RoundTrip,
        LastHeartbeat,
        ReconnectAttempts,
        User,
        Device,
        AppVersion,
    };
    static QList<Field> fields();

    struct Facts {
        bool signedIn = false; // false: no connection; only the app version and device mean anything
        QUrl server;
        QString serverName;    // as announced on the LAN; empty when not heard
        QString serverVersion; // likewise
        client::Connection::State state = client::Connection::State::Offline;
        int reconnectInMs = -1;
        client::TransportKind transport = client::TransportKind::WebSocket;
        QString webSocketError;
        QString lastError;
        int roundTripMs = -1;
        QDateTime lastHeartbeat; // UTC; invalid: nothing heard yet
        int reconnectAttempts = 0;
        QString user;
        QString device;
        QString appVersion;
    };

    // connection may be null (signed out). The server's name and version come from its LAN announcement
    // (the welcome carries neither): pass them when the server was heard. The user falls back to the
    // credentials' name before the first welcome.
    static Facts gather(const client::Connection *connection, const QString &device, const QString &serverName = {},
                        const QString &serverVersion = {});

    static QString label(Field field);
    // now: the time "seconds ago" is counted from (a parameter for tests).
    static QString value(const Facts &facts, Field field, const QDateTime &now);
    // "Label: value" lines, with a heading line: what a bug report wants.
    static QString plainText(const Facts &facts, const QDateTime &now);
};

} // namespace natter::app
