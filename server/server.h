#pragma once

#include "common/protocol/discovery.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

#include <memory>

namespace natter::server {

enum class SyncMode {
    Normal, // survives a crash of the process (SIGKILL): WAL + synchronous=NORMAL
    Full, // survives a power cut as well: synchronous=FULL
};

struct ServerConfig {
    QHostAddress host = QHostAddress::Any;
    quint16 port = 7470; // 0: any free port, read it back with Server::port()
    QString dbPath; // SQLite file; created with its folder when missing
    SyncMode sync = SyncMode::Normal;
    int passwordIterations = 120'000; // PBKDF2-SHA256 iterations for new password hashes
    int presenceWindowMs = 60'000; // a long-polling device stays online this long after its last poll

    // Connection limits (docs/protocol.md, "Connection limits").
    // An HTTP request, or a WebSocket upgrade up to its 101, must be complete this long after its first byte.
    int requestDeadlineMs = 10'000;
    // Open TCP connections in all; 0: automatic, the file-descriptor limit minus a reserve (a larger number
    // is lowered to that too).
    int maxConnections = 0;
    int maxConnectionsPerAddress = 64; // open TCP connections from one remote address; 0: no limit
    bool limitLoopback = false; // apply maxConnectionsPerAddress to loopback peers too (tests)

    // LAN discovery (docs/protocol.md, "LAN discovery"): announce this server every announceIntervalMs.
    bool announce = true;
    // Multicast/broadcast on the LAN interfaces. Even when true, nothing goes on the LAN while the server
    // listens on a loopback (or IPv6) address. Tests turn it off and use extraAnnounceTargets.
    bool announceOnLan = true;
    QString serverName; // the announced name; empty: the host name
    QString instanceId; // the announced instance id; empty: a new random one (protocol::newInstanceId())
    quint16 discoveryPort = protocol::kDiscoveryPort; // UDP port of the LAN datagrams
    int announceIntervalMs = protocol::kAnnounceIntervalMs;
    QList<QPair<QHostAddress, quint16>> extraAnnounceTargets; // unicast IPv4 targets that get every datagram too
};

// Counters for tests, benchmarks and diagnostics.
struct ServerStats {
    quint64 acceptedConnections = 0; // TCP connections accepted since start (refused ones not included)
    int openConnections = 0; // TCP connections open now (HTTP and WebSocket)
    int pendingRequests = 0; // HTTP requests and WebSocket upgrades begun and not complete yet
    quint64 refusedConnections = 0; // connections refused by the caps since start
    int maxConnections = 0; // the total cap in force
    qsizetype webSockets = 0; // open WebSocket sessions
    qsizetype longPollDevices = 0; // long-polling sessions (online devices on that door)
    qsizetype heldPolls = 0; // polls held open right now
    quint64 transactions = 0; // storage transactions committed
    quint64 storageJobs = 0; // jobs those transactions carried
    quint64 announcements = 0; // discovery datagrams sent since start (failed sends included)
};

// The whole chat server: storage thread, router and the HTTP/WebSocket listener on one port.
// Used by natterd and, later, linked into the desktop app to run a local server.
class Server : public QObject
{
    Q_OBJECT
public:
    explicit Server(ServerConfig config, QObject *parent = nullptr);
    ~Server() override;

    // Opens the database and starts listening. Returns false with errorString() set on failure.
    bool start();
    // Closes every connection and the database. Safe to call twice.
    void stop();

    bool isRunning() const;
    quint16 port() const;
    QString errorString() const;
    ServerStats stats() const;
    const ServerConfig &config() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace natter::server
