#include "server/net/connectionlimits.h"

#include <QtGlobal>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif
#ifdef Q_OS_MACOS
#include <climits> // OPEN_MAX
#endif

namespace natter::server {

using namespace Qt::StringLiterals;

namespace {
// Descriptors kept out of the connection cap: SQLite (database, WAL, shared memory, journal), the
// discovery sockets, the signal pipe, Qt's event dispatcher, logging, sockets being refused.
constexpr qint64 kReservedDescriptors = 128;
constexpr int kMinMaxConnections = 16;
constexpr int kMaxConnectionsWithoutFdLimit = 65'536;
} // namespace

QHostAddress ConnectionCounts::key(const QHostAddress &peer)
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4); // also true for ::ffff:a.b.c.d
    return isV4 ? QHostAddress(v4) : peer;
}

ConnectionCounts::Verdict ConnectionCounts::admit(const QHostAddress &peer)
{
    if (m_open >= m_limits.maxConnections)
        return Verdict::ServerFull;
    const QHostAddress k = key(peer);
    int &fromPeer = m_perAddress[k];
    const bool capped = m_limits.maxPerAddress > 0 && (m_limits.limitLoopback || !k.isLoopback());
    if (capped && fromPeer >= m_limits.maxPerAddress)
        return Verdict::AddressFull;
    ++fromPeer;
    ++m_open;
    return Verdict::Admitted;
}

void ConnectionCounts::release(const QHostAddress &peer)
{
    const auto it = m_perAddress.find(key(peer));
    if (it != m_perAddress.end() && --it.value() <= 0)
        m_perAddress.erase(it);
    --m_open;
}

qint64 fileDescriptorLimit()
{
#ifdef Q_OS_UNIX
    struct rlimit rl = {};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return -1;
    return qint64(rl.rlim_cur);
#else
    return -1;
#endif
}

qint64 raiseFileDescriptorLimit()
{
#ifdef Q_OS_UNIX
    struct rlimit rl = {};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != rl.rlim_max) {
        rlim_t wanted = rl.rlim_max;
#ifdef Q_OS_MACOS
        wanted = std::min<rlim_t>(wanted, OPEN_MAX); // macOS refuses RLIM_INFINITY for descriptors
#endif
        if (wanted > rl.rlim_cur) {
            rl.rlim_cur = wanted;
            ::setrlimit(RLIMIT_NOFILE, &rl); // on failure the old limit stays, and is what we report
        }
    }
#endif
    return fileDescriptorLimit();
}

int effectiveMaxConnections(int requested, QString *note)
{
    const qint64 fds = fileDescriptorLimit();
    const int ceiling = fds < 0 ? kMaxConnectionsWithoutFdLimit
                                : int(std::clamp<qint64>(fds - kReservedDescriptors, kMinMaxConnections,
                                                         kMaxConnectionsWithoutFdLimit));
    if (requested <= 0)
        return ceiling;
    if (fds >= 0 && requested > ceiling) {
        if (note)
            *note = u"at most %1 connections: %2 were asked for, but this process may open only %3 files"_s
                        .arg(ceiling)
                        .arg(requested)
                        .arg(fds);
        return ceiling;
    }
    return requested;
}

} // namespace natter::server
