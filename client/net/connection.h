#pragma once

#include "client/net/backoff.h"
#include "client/net/longpolltransport.h"
#include "client/net/transport.h"
#include "client/net/websockettransport.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

namespace natter::client {

enum class ConnectionMode { Auto, WebSocketOnly, LongPollingOnly };

struct ConnectionConfig {
    ConnectionMode mode = ConnectionMode::Auto;
    WebSocketConfig webSocket;
    LongPollConfig longPolling;
    BackoffConfig backoff;
    int stableAfterMs = 10'000; // online this long: the backoff starts from the shortest delay again
    int webSocketProbeMs = 60'000; // while on long polling, try WebSocket this often
    // ... and the first time this soon after each welcome on long polling: what pushed us there may have
    // been a passing outage (a WebSocket attempt timed out just before /healthz answered), not a proxy.
    int webSocketFirstProbeMs = 5000;
    int healthTimeoutMs = 5000;
};

// The link to one server, kept up whatever the network does. It authenticates (resume with the stored
// token, else login or register), reconnects with jittered exponential backoff, falls back from WebSocket
// to long polling when WebSocket cannot get through while plain HTTP can, and probes WebSocket again from
// time to time while on long polling. See docs/architecture.md for the state machine.
class Connection : public QObject
{
    Q_OBJECT
public:
    enum class State { Offline, Connecting, Online, Reconnecting };
    Q_ENUM(State)
    using Mode = ConnectionMode;
    using Config = ConnectionConfig;

    struct Credentials {
        QString user;
        QString password; // kept in memory only, to log in again when a token is refused
        QString device;
        QString token; // resume with it when set
        bool registerNew = false;
    };

    explicit Connection(ConnectionConfig config, QObject *parent = nullptr);
    explicit Connection(QObject *parent = nullptr) : Connection(ConnectionConfig{}, parent) {}
    ~Connection() override;

    void setServer(const QUrl &server); // "http://host:port"
    QUrl server() const { return m_server; }
    void setCredentials(const Credentials &credentials);
    const Credentials &credentials() const { return m_credentials; }

    void start();
    void stop();
    // Skips the wait of a scheduled reconnect.
    void retryNow();
    // Carries a request if online; returns false (and drops it) otherwise.
    bool send(const protocol::Request &request);

    State state() const { return m_state; }
    TransportKind transport() const { return m_kind; }
    QString user() const { return m_user; }
    int reconnectDelayMs() const { return m_reconnectDelayMs; }
    // While Reconnecting: the time left before the next attempt; -1 otherwise.
    int reconnectRemainingMs() const { return m_retryTimer.isActive() ? m_retryTimer.remainingTime() : -1; }
    // Failed attempts since the connection was last stable (online for stableAfterMs).
    int reconnectAttempts() const { return m_backoff.attempts(); }
    // When the current or an earlier transport last heard anything from the server (a frame, a pong, a
    // poll answer), in UTC; invalid until then. Kept across reconnects, for diagnostics.
    QDateTime lastHeartbeat() const { return m_lastHeartbeat; }
    int roundTripMs() const { return m_transport ? m_transport->lastRoundTripMs() : -1; }
    // Why the last attempt (or the last WebSocket attempt) failed, for diagnostics.
    QString lastError() const { return m_lastError; }
    QString lastWebSocketError() const { return m_lastWebSocketError; }

signals:
    void stateChanged(natter::client::Connection::State state);
    void transportChanged(natter::client::TransportKind kind);
    // Authenticated: the welcome carries the user name and the (possibly new) token.
    void welcomed(const natter::protocol::WelcomeEvent &welcome);
    // Every event after the welcome.
    void received(const natter::protocol::ServerEvent &event);
    // The server refused the credentials (auth_failed, user_exists, ...): the connection stops.
    void authenticationFailed(natter::protocol::ErrorCode code, const QString &message);

private:
    void setState(State state);
    void connectNow();
    // Closes the current transport, if any; not authenticated any more.
    void dropTransport();
    void authenticate();
    void onReceived(const protocol::ServerEvent &event);
    void onFailed(const QString &reason);
    void scheduleReconnect();
    void checkHttpThenFallBack();
    void probeWebSocket();
    void useTransport(TransportKind kind);

    ConnectionConfig m_config;
    QUrl m_server;
    Credentials m_credentials;
    State m_state = State::Offline;
    TransportKind m_kind = TransportKind::WebSocket;
    std::unique_ptr<Transport> m_transport;
    std::unique_ptr<WebSocketTransport> m_probe;
    bool m_authenticated = false;
    bool m_usedToken = false;
    QString m_user;
    BackoffPolicy m_backoff;
    QTimer m_retryTimer;
    QTimer m_stableTimer;
    QTimer m_probeTimer;
    int m_reconnectDelayMs = 0;
    QString m_lastError;
    QString m_lastWebSocketError;
    QDateTime m_lastHeartbeat;
    QNetworkAccessManager *m_nam;
};

} // namespace natter::client
