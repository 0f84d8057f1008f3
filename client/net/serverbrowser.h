#pragma once

#include "common/protocol/discovery.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QUdpSocket>
#include <QUrl>

#include <optional>

namespace natter::client {

// A server heard on the LAN.
struct DiscoveredServer {
    QString id; // the server instance's random id (a restarted natterd has a new one)
    QString name;
    QHostAddress address; // the datagram's sender: where to connect
    quint16 port = 0;
    int protocol = 0;   // chat protocol version; this client speaks protocol::kProtocolVersion
    QString version;    // server software version
    QDateTime lastSeen; // UTC

    // "http://ADDR:PORT", what Connection::setServer() takes.
    QUrl url() const;
};

struct ServerBrowserConfig {
    quint16 port = protocol::kDiscoveryPort;    // 0: any free port (tests), read back with ServerBrowser::port()
    int expiryMs = protocol::kAnnounceExpiryMs; // a server not heard for this long is lost
    // Join the multicast group on every multicast-capable interface. Broadcasts and unicast datagrams arrive
    // either way; tests turn it off so that nothing (not even an IGMP report) leaves the machine.
    bool multicast = true;
};

// Listens for LAN announcements (docs/protocol.md, "LAN discovery") and keeps a live list of servers,
// keyed by instance id. Malformed datagrams are counted and ignored. No widgets: a model or the sign-in
// dialog binds to the signals.
class ServerBrowser : public QObject
{
    Q_OBJECT
public:
    using Config = ServerBrowserConfig;

    explicit ServerBrowser(ServerBrowserConfig config, QObject *parent = nullptr);
    explicit ServerBrowser(QObject *parent = nullptr)
        : ServerBrowser(ServerBrowserConfig{}, parent)
    {}
    ~ServerBrowser() override;

    // Binds the discovery port (shared with other listeners on this machine) and joins the multicast group.
    // False with errorString() when the port cannot be bound.
    bool start();
    // Stops listening and forgets every server (without serverLost signals).
    void stop();
    bool isActive() const { return m_socket.state() == QAbstractSocket::BoundState; }
    quint16 port() const;
    QString errorString() const { return m_error; }

    // The servers heard within the expiry, sorted by name (case-insensitively), then address.
    QList<DiscoveredServer> servers() const;
    std::optional<DiscoveredServer> server(const QString &id) const;
    // Datagrams that were not valid announcements, since start.
    quint64 malformedCount() const { return m_malformed; }
    // Valid announcements received since start (repeats included).
    quint64 announcementCount() const { return m_announcements; }

signals:
    void serverFound(const natter::client::DiscoveredServer &server);
    // Name, address, port, protocol or version changed (not sent for a mere refresh).
    void serverUpdated(const natter::client::DiscoveredServer &server);
    // Not heard within the expiry, or replaced by a new instance on the same address and port.
    void serverLost(const natter::client::DiscoveredServer &server);

private:
    struct Entry {
        DiscoveredServer server;
        qint64 seenAtMs = 0;        // m_clock time of the last announcement
        qint64 addressSeenAtMs = 0; // ... of the last one from server.address
    };

    void readPending();
    void handle(const QByteArray &bytes, const QHostAddress &sender);
    void expire();
    void scheduleExpiry();
    void joinGroups();

    ServerBrowserConfig m_config;
    QUdpSocket m_socket;
    QTimer m_expiryTimer;
    QTimer m_joinTimer; // interfaces come and go: join the group on new ones
    QElapsedTimer m_clock;
    QHash<QString, Entry> m_servers;
    QSet<int> m_joined;               // interface indexes where the group is joined
    QSet<QString> m_malformedSenders; // logged once each
    QString m_error;
    quint64 m_malformed = 0;
    quint64 m_announcements = 0;
};

} // namespace natter::client

Q_DECLARE_METATYPE(natter::client::DiscoveredServer)
