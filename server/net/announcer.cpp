#include "server/net/announcer.h"

#include "server/serverlogging.h"

#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QVariant>

namespace natter::server {

using namespace Qt::StringLiterals;

namespace {

bool isLanInterface(const QNetworkInterface &iface)
{
    const auto flags = iface.flags();
    return iface.isValid() && flags.testFlag(QNetworkInterface::IsUp) && flags.testFlag(QNetworkInterface::IsRunning) &&
           !flags.testFlag(QNetworkInterface::IsLoopBack) && iface.type() != QNetworkInterface::Loopback;
}

bool isIPv4(const QHostAddress &address)
{
    return address.protocol() == QAbstractSocket::IPv4Protocol;
}

} // namespace

Announcer::Announcer(protocol::Announcement announcement, AnnouncerConfig config, QObject *parent)
    : QObject(parent)
    , m_announcement(std::move(announcement))
    , m_config(std::move(config))
{
    const QHostAddress &host = m_config.listenHost;
    if (m_config.lan && !host.isLoopback()) {
        if (host == QHostAddress(QHostAddress::Any) || host == QHostAddress(QHostAddress::AnyIPv4))
            m_lanMode = LanMode::AllInterfaces;
        else if (isIPv4(host))
            m_lanMode = LanMode::OneAddress;
    }
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Announcer::announce);
    connect(&m_socket, &QUdpSocket::readyRead, this, &Announcer::drain);
}

Announcer::~Announcer()
{
    stop();
}

bool Announcer::start(QString *error)
{
    if (isActive())
        return true;
    m_bytes = m_announcement.toBytes();
    if (m_bytes.isEmpty()) {
        if (error)
            *error = u"invalid announcement (name '%1')"_s.arg(m_announcement.name);
        return false;
    }

    const QHostAddress &host = m_config.listenHost;
    const QHostAddress bindTo = m_lanMode == LanMode::OneAddress ? host : QHostAddress(QHostAddress::AnyIPv4);
    if (!m_socket.bind(bindTo, 0)) {
        if (error)
            *error = u"cannot bind a UDP socket to %1: %2"_s.arg(bindTo.toString(), m_socket.errorString());
        return false;
    }
    if (m_lanMode != LanMode::Off)
        m_socket.setSocketOption(QAbstractSocket::MulticastTtlOption, QVariant(1)); // never beyond the local network
    m_failing.clear();
    m_datagrams = 0;

    if (m_lanMode != LanMode::Off) {
        qCInfo(lcNet).noquote() << u"announcing '%1' on the LAN: udp/%2 multicast %3 and broadcast, every %4 ms"_s.arg(
            m_announcement.name, QString::number(m_config.discoveryPort), protocol::kDiscoveryGroupIPv4.toString(),
            QString::number(m_config.intervalMs));
    } else if (m_config.lan) {
        qCInfo(lcNet).noquote() << u"not announcing on the LAN: listening on %1 only"_s.arg(host.toString());
    }
    m_timer.start(m_config.intervalMs);
    announce();
    return true;
}

void Announcer::stop()
{
    m_timer.stop();
    m_socket.close();
}

void Announcer::announce()
{
    if (m_socket.state() != QAbstractSocket::BoundState)
        return;
    if (m_lanMode != LanMode::Off) {
        const QHostAddress group(protocol::kDiscoveryGroupIPv4.toString());
        const quint16 port = m_config.discoveryPort;
        const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
        for (const QNetworkInterface &iface : interfaces) {
            if (!isLanInterface(iface))
                continue;
            QList<QNetworkAddressEntry> entries;
            for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
                if (isIPv4(entry.ip()) && (m_lanMode == LanMode::AllInterfaces || entry.ip() == m_config.listenHost))
                    entries.append(entry);
            }
            if (entries.isEmpty())
                continue; // no IPv4 address here (or not the one we listen on): unreachable through it
            if (iface.flags().testFlag(QNetworkInterface::CanMulticast)) {
                m_socket.setMulticastInterface(iface);
                send(group, port, u"%1 via %2"_s.arg(group.toString(), iface.name()));
            }
            for (const QNetworkAddressEntry &entry : std::as_const(entries)) {
                if (!entry.broadcast().isNull())
                    send(entry.broadcast(), port, u"%1 via %2"_s.arg(entry.broadcast().toString(), iface.name()));
            }
        }
        if (m_lanMode == LanMode::AllInterfaces) {
            const QHostAddress limited(QHostAddress::Broadcast);
            send(limited, port, limited.toString());
        }
    }
    for (const auto &[address, port] : std::as_const(m_config.extraTargets))
        send(address, port, u"%1:%2"_s.arg(address.toString(), QString::number(port)));
}

void Announcer::send(const QHostAddress &address, quint16 port, const QString &what)
{
    ++m_datagrams;
    if (m_socket.writeDatagram(m_bytes, address, port) == m_bytes.size()) {
        m_failing.remove(what);
        return;
    }
    if (!m_failing.contains(what)) {
        m_failing.insert(what);
        qCDebug(lcNet).noquote() << u"announcement to %1 (port %2) failed: %3"_s.arg(what, QString::number(port),
                                                                                     m_socket.errorString());
    }
}

// Nobody should send to the announcing socket; whatever arrives is dropped so it does not pile up.
void Announcer::drain()
{
    while (m_socket.hasPendingDatagrams()) {
        if (!m_socket.receiveDatagram(0).isValid())
            break;
    }
}

} // namespace natter::server
