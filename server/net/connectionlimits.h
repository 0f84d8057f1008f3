#pragma once

#include <QHash>
#include <QHostAddress>

namespace natter::server {

// The limits every accepted TCP connection is held to (docs/protocol.md, "Connection limits").
struct ConnectionLimits {
    static constexpr int kDefaultRequestDeadlineMs = 10'000;
    static constexpr int kDefaultMaxPerAddress = 64;

    // An HTTP request, or a WebSocket upgrade up to its 101, must have fully arrived this long after its
    // first byte; otherwise the connection is closed.
    int requestDeadlineMs = kDefaultRequestDeadlineMs;
    int maxConnections = 1024; // open TCP connections in all (> 0)
    int maxPerAddress = kDefaultMaxPerAddress; // open TCP connections from one remote address; 0: no limit
    bool limitLoopback = false; // whether maxPerAddress also applies to loopback peers
};

// Open connections, in all and per remote address. Shared (std::shared_ptr) by the listening server and
// the guard of every connection: a guard releases its connection when its socket is destroyed, which
// may happen after the server is gone.
class ConnectionCounts
{
public:
    enum class Verdict { Admitted, AddressFull, ServerFull };

    explicit ConnectionCounts(ConnectionLimits limits) : m_limits(limits) {}

    // Counts a new connection from peer, unless a limit refuses it.
    Verdict admit(const QHostAddress &peer);
    void release(const QHostAddress &peer);
    // A guard's request started or ended (for statistics and tests).
    void requestStarted() { ++m_pendingRequests; }
    void requestEnded() { --m_pendingRequests; }
    void refused() { ++m_refused; }

    const ConnectionLimits &limits() const { return m_limits; }
    int open() const { return m_open; }
    int openFrom(const QHostAddress &peer) const { return m_perAddress.value(key(peer)); }
    int pendingRequests() const { return m_pendingRequests; }
    quint64 refusedCount() const { return m_refused; }

    // The address connections are counted under: IPv4-mapped IPv6 addresses as IPv4.
    static QHostAddress key(const QHostAddress &peer);

private:
    ConnectionLimits m_limits;
    QHash<QHostAddress, int> m_perAddress;
    int m_open = 0;
    int m_pendingRequests = 0;
    quint64 m_refused = 0;
};

// The soft limit on open file descriptors of this process (RLIMIT_NOFILE), or -1 where there is none.
qint64 fileDescriptorLimit();
// Raises the soft RLIMIT_NOFILE to the hard limit (Unix); returns the soft limit now in force (-1: none).
qint64 raiseFileDescriptorLimit();
// The total connection cap to use: `requested` (0: automatic) kept below the file-descriptor limit,
// leaving room for the database, the discovery sockets and Qt's own descriptors. *note explains a change.
int effectiveMaxConnections(int requested, QString *note = nullptr);

} // namespace natter::server
