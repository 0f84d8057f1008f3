#pragma once

#include "common/protocol/discovery.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QTimer>
#include <QUdpSocket>

namespace natter::server {

struct AnnouncerConfig {
    quint16 discoveryPort = protocol::kDiscoveryPort; // where LAN datagrams go
    int intervalMs = protocol::kAnnounceIntervalMs;
    // Multicast and broadcast on the LAN interfaces. Only where clients can reach the server: nothing goes
    // on the LAN when listenHost is a loopback or an IPv6 address (the discovery is IPv4).
    bool lan = true;
    // The server's listening address: Any/AnyIPv4 announce on every interface, a specific IPv4 address only
    // on the interface that holds it (and from that address).
    QHostAddress listenHost = QHostAddress::Any;
    // Unicast targets (IPv4) that get every datagram as well, whatever `lan` says; tests use 127.0.0.1:port.
    QList<QPair<QHostAddress, quint16>> extraTargets;
};

// Announces one server on the LAN (docs/protocol.md, "LAN discovery"): every interval, the announcement
// datagram to the multicast group 239.255.74.70 on each up, multicast-capable, non-loopback interface
// (TTL 1), to 255.255.255.255 and each interface's broadcast address, and to the extra targets.
// Sending errors (no network) are logged once per target at debug level and never stop it.
class Announcer : public QObject
{
    Q_OBJECT
public:
    Announcer(protocol::Announcement announcement, AnnouncerConfig config, QObject *parent = nullptr);
    ~Announcer() override;

    // Binds the sending socket, announces at once and then every interval. False with *error when the
    // announcement is invalid or the socket cannot be bound.
    bool start(QString *error = nullptr);
    void stop();
    bool isActive() const { return m_timer.isActive(); }
    // Whether the datagrams go on the LAN (multicast/broadcast), after the listenHost rule.
    bool sendsOnLan() const { return m_lanMode != LanMode::Off; }
    // Datagrams handed to the socket since start (failed ones included).
    quint64 datagramCount() const { return m_datagrams; }
    const protocol::Announcement &announcement() const { return m_announcement; }

    // Sends the announcement now (the timer calls it).
    void announce();

private:
    enum class LanMode { Off, AllInterfaces, OneAddress };

    void send(const QHostAddress &address, quint16 port, const QString &what);
    void drain();

    protocol::Announcement m_announcement;
    AnnouncerConfig m_config;
    LanMode m_lanMode = LanMode::Off;
    QByteArray m_bytes;
    QUdpSocket m_socket;
    QTimer m_timer;
    QSet<QString> m_failing; // targets whose last send failed (logged once until one succeeds)
    quint64 m_datagrams = 0;
};

} // namespace natter::server
