#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>

namespace natter::protocol {

// LAN discovery (docs/protocol.md, "LAN discovery"): every natterd sends a small JSON datagram every few
// seconds to a multicast group and as broadcast; clients listen on the discovery port and list what they
// hear. Informational only: clients still connect over the normal doors, to the datagram's sender address.
inline constexpr quint16 kDiscoveryPort = 7471;
inline constexpr QStringView kDiscoveryGroupIPv4 = u"239.255.74.70"; // administratively scoped (RFC 2365)
inline constexpr int kDiscoveryFormat = 1;              // the "natter" field; bumped only for incompatible changes
inline constexpr qsizetype kMaxDiscoveryDatagram = 512; // bytes
inline constexpr qsizetype kMaxServerNameLength = 64;   // code points
inline constexpr qsizetype kMaxInstanceIdLength = 64;
inline constexpr qsizetype kMaxServerVersionLength = 32;
inline constexpr int kAnnounceIntervalMs = 3000;
inline constexpr int kAnnounceExpiryMs = 10'000; // a server not heard for this long is gone

// One announcement datagram:
//   {"id":"<instance id>","name":"<server name>","natter":1,"port":7470,"protocol":1,"version":"0.1.0"}
// Unknown fields are ignored (fields may be added without bumping "natter"); known fields are checked
// strictly.
struct Announcement {
    QString id;       // random per server instance: 1-64 of A-Z a-z 0-9 _ . : -
    QString name;     // human-readable: 1-64 code points, no control characters, not blank
    quint16 port = 0; // the server's TCP port (all doors), 1-65535
    int protocol = 0; // the chat protocol version the server speaks, >= 1
    QString version;  // the server's software version: 1-32 of A-Z a-z 0-9 . _ + ~ -

    bool isValid() const;
    // Compact JSON; empty when !isValid().
    QByteArray toBytes() const;
    // The announcement, or nullopt with *error saying why (too large, not JSON, a field missing, mistyped or
    // out of range, an unsupported format).
    static std::optional<Announcement> fromBytes(QByteArrayView bytes, QString *error = nullptr);

    friend bool operator==(const Announcement &, const Announcement &) = default;
};

bool isValidServerName(QStringView name);
bool isValidInstanceId(QStringView id);
bool isValidServerVersion(QStringView version);
// Makes a valid server name out of anything (a host name, user input): control characters become spaces,
// white space is simplified, the result is cut to 64 code points; "natterd" when nothing is left.
QString sanitizeServerName(QStringView raw);
// A new random instance id (a UUID without braces).
QString newInstanceId();

} // namespace natter::protocol
