#pragma once

#include <QString>
#include <QStringView>

namespace natter::protocol {

inline constexpr int kDefaultPort = 7470;
inline constexpr int kProtocolVersion = 1;
inline constexpr qsizetype kMaxEnvelopeBytes = 64 * 1024;
inline constexpr qsizetype kMaxBodyCodePoints = 8000;
inline constexpr qsizetype kMaxNameLength = 32;
inline constexpr qsizetype kMaxDeviceLength = 64;
inline constexpr qsizetype kMaxCidLength = 128;
inline constexpr qsizetype kMaxPasswordLength = 1024;
inline constexpr int kMaxHistoryLimit = 200;
inline constexpr int kDefaultHistoryLimit = 50;
inline constexpr int kAuthTimeoutMs = 10'000;

// 1-32 of A-Z a-z 0-9 _ . -
bool isValidUserName(QStringView name);
// '#' followed by a valid user-name-shaped name.
bool isValidRoomName(QStringView room);
// A user name, or a room name with its '#': where a message goes, or the conversation it belongs to.
bool isValidDestination(QStringView to);
// 1-64 printable ASCII characters from '!' to '~'.
bool isValidDevice(QStringView device);
bool isValidCid(QStringView cid);
// Unicode code points (a surrogate pair counts once).
qsizetype codePointCount(QStringView text);
bool isValidBody(QStringView body);

// The key under which names are compared: names are case-insensitive.
QString nameKey(QStringView name);
// What a name looks like, for refusing look-alikes of existing names ("aIice" beside "alice", "b0b" beside
// "bob", "rnary" beside "mary"): capital I, small l, 1 and | read as l; O and 0 as o; then lower case; then
// "rn" reads as m and "vv" as w. Two different names with one skeleton are too easily taken for each other.
QString confusableSkeleton(QStringView name);

} // namespace natter::protocol
