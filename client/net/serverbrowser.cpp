#include "client/net/serverbrowser.h"

#include "client/clientlogging.h"

#include <QNetworkDatagram>
#include <QNetworkInterface>

#include <algorithm>
#include <limits>

namespace natter::client {

using namespace Qt::StringLiterals;

namespace {

constexpr int kJoinRefreshMs = 10'000;

// The browser socket is IPv4, but normalise an IPv4-mapped IPv6 sender anyway: it is what clients dial.
QHostAddress plainAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

bool sameDescription(const DiscoveredServer &a, const DiscoveredServer &b)
{
    return a.name == b.name && a.address == b.address && a.port == b.port && a.protocol == b.protocol &&
           a.version == b.version;
}

} // namespace

QUrl DiscoveredServer::url() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(address.toString());
    url.setPort(port);
    return url;
}

ServerBrowser::ServerBrowser(ServerBrowserConfig config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &ServerBrowser::expire);
    connect(&m_joinTimer, &QTimer::timeout, this, &ServerBrowser::joinGroups);
    connect(&m_socket, &QUdpSocket::readyRead, this, &ServerBrowser::readPending);
}

ServerBrowser::~ServerBrowser() = default;

bool ServerBrowser::start()
{
    if (isActive())
        return true;
    m_error.clear();
    // Several browsers on one machine (two app instances, the app and a test) share the port: broadcast and
    // multicast datagrams reach each of them.
    if (!m_socket.bind(QHostAddress::AnyIPv4, m_config.port,
                       QAbstractSocket::ShareAddress | QAbstractSocket::ReuseAddressHint)) {
        m_error = u"cannot listen on UDP port %1: %2"_s.arg(QString::number(m_config.port), m_socket.errorString());
        qCWarning(lcClientNet).noquote() << u"LAN discovery:"_s << m_error;
        return false;
    }
    m_clock.start();
    m_malformed = 0;
    m_announcements = 0;
    m_malformedSenders.clear();
    if (m_config.multicast) {
        joinGroups();
        m_joinTimer.start(kJoinRefreshMs);
    }
    qCDebug(lcClientNet).noquote() << u"listening for LAN announcements on UDP port %1"_s.arg(port());
    return true;
}

void ServerBrowser::stop()
{
    m_joinTimer.stop();
    m_expiryTimer.stop();
    m_socket.close(); // leaves the groups
    m_joined.clear();
    m_servers.clear();
}

quint16 ServerBrowser::port() const
{
    return isActive() ? m_socket.localPort() : m_config.port;
}

QList<DiscoveredServer> ServerBrowser::servers() const
{
    QList<DiscoveredServer> list;
    list.reserve(m_servers.size());
    for (const Entry &e : m_servers)
        list.append(e.server);
    std::sort(list.begin(), list.end(), [](const DiscoveredServer &a, const DiscoveredServer &b) {
        if (const int c = a.name.compare(b.name, Qt::CaseInsensitive); c != 0)
            return c < 0;
        if (a.address != b.address)
            return a.address.toString() < b.address.toString();
        return a.port != b.port ? a.port < b.port : a.id < b.id;
    });
    return list;
}

std::optional<DiscoveredServer> ServerBrowser::server(const QString &id) const
{
    const auto it = m_servers.constFind(id);
    if (it == m_servers.cend())
        return std::nullopt;
    return it->server;
}

void ServerBrowser::readPending()
{
    while (m_socket.hasPendingDatagrams()) {
        // One byte over the limit is enough to know a datagram is too large.
        const QNetworkDatagram datagram = m_socket.receiveDatagram(protocol::kMaxDiscoveryDatagram + 1);
        if (!datagram.isValid())
            break;
        handle(datagram.data(), plainAddress(datagram.senderAddress()));
    }
}

void ServerBrowser::handle(const QByteArray &bytes, const QHostAddress &sender)
{
    QString why;
    const std::optional<protocol::Announcement> a = protocol::Announcement::fromBytes(bytes, &why);
    if (!a) {
        ++m_malformed;
        const QString from = sender.toString();
        if (!m_malformedSenders.contains(from)) { // once per sender: anyone on the LAN can send anything
            m_malformedSenders.insert(from);
            qCDebug(lcClientNet).noquote() << u"ignoring a datagram from %1: %2"_s.arg(from, why);
        }
        return;
    }
    ++m_announcements;
    const qint64 now = m_clock.elapsed();

    // A new instance on the same address and port replaces the old one (natterd restarted): two servers
    // cannot listen there at once.
    QList<DiscoveredServer> replaced;
    for (auto it = m_servers.begin(); it != m_servers.end();) {
        if (it.key() != a->id && it->server.address == sender && it->server.port == a->port) {
            replaced.append(it->server);
            it = m_servers.erase(it);
        } else {
            ++it;
        }
    }

    DiscoveredServer server;
    server.id = a->id;
    server.name = a->name;
    server.address = sender;
    server.port = a->port;
    server.protocol = a->protocol;
    server.version = a->version;
    server.lastSeen = QDateTime::currentDateTimeUtc();

    bool found = false;
    bool updated = false;
    auto it = m_servers.find(a->id);
    if (it == m_servers.end()) {
        m_servers.insert(a->id, Entry{server, now, now});
        found = true;
    } else {
        Entry &e = *it;
        // A server heard from several addresses (one per network both hosts share) keeps the address it
        // has while that one is alive, rather than flipping between them.
        if (sender == e.server.address || now - e.addressSeenAtMs > m_config.expiryMs / 2)
            e.addressSeenAtMs = now;
        else
            server.address = e.server.address;
        updated = !sameDescription(e.server, server);
        e.server = server;
        e.seenAtMs = now;
    }
    scheduleExpiry();

    for (const DiscoveredServer &old : std::as_const(replaced))
        emit serverLost(old);
    if (found) {
        qCDebug(lcClientNet).noquote() << u"found '%1' at %2"_s.arg(server.name, server.url().toString());
        emit serverFound(server);
    } else if (updated) {
        emit serverUpdated(server);
    }
}

void ServerBrowser::expire()
{
    const qint64 now = m_clock.elapsed();
    QList<DiscoveredServer> lost;
    for (auto it = m_servers.begin(); it != m_servers.end();) {
        if (now - it->seenAtMs >= m_config.expiryMs) {
            lost.append(it->server);
            it = m_servers.erase(it);
        } else {
            ++it;
        }
    }
    scheduleExpiry();
    for (const DiscoveredServer &server : std::as_const(lost)) {
        qCDebug(lcClientNet).noquote() << u"lost '%1' at %2"_s.arg(server.name, server.url().toString());
        emit serverLost(server);
    }
}

// One single-shot timer, armed for the entry that expires first. A timer that fires early re-arms.
void ServerBrowser::scheduleExpiry()
{
    if (m_servers.isEmpty()) {
        m_expiryTimer.stop();
        return;
    }
    qint64 oldest = std::numeric_limits<qint64>::max();
    for (const Entry &e : std::as_const(m_servers))
        oldest = std::min(oldest, e.seenAtMs);
    const qint64 due = oldest + m_config.expiryMs - m_clock.elapsed();
    m_expiryTimer.start(int(std::clamp<qint64>(due, 0, m_config.expiryMs)));
}

void ServerBrowser::joinGroups()
{
    if (!isActive())
        return;
    const QHostAddress group(protocol::kDiscoveryGroupIPv4.toString());
    QSet<int> present;
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        const auto flags = iface.flags();
        if (!iface.isValid() || !flags.testFlag(QNetworkInterface::IsUp) ||
            !flags.testFlag(QNetworkInterface::IsRunning) || !flags.testFlag(QNetworkInterface::CanMulticast))
            continue;
        const auto entries = iface.addressEntries();
        if (std::none_of(entries.begin(), entries.end(), [](const QNetworkAddressEntry &entry) {
                return entry.ip().protocol() == QAbstractSocket::IPv4Protocol;
            }))
            continue;
        present.insert(iface.index());
        if (m_joined.contains(iface.index()))
            continue;
        // A failure is not retried until the interface has gone away and come back (it may be joined already).
        m_joined.insert(iface.index());
        if (m_socket.joinMulticastGroup(group, iface)) {
            qCDebug(lcClientNet).noquote() << u"joined %1 on %2"_s.arg(group.toString(), iface.name());
        } else {
            qCDebug(lcClientNet).noquote()
                << u"cannot join %1 on %2: %3"_s.arg(group.toString(), iface.name(), m_socket.errorString());
        }
    }
    m_joined.intersect(present); // forget interfaces that went away; join again when they come back
}

} // namespace natter::client
