#pragma once

#include "common/protocol/errors.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace natter::protocol {

// "2026-11-28T10:00:00.000Z" <-> milliseconds since the epoch (UTC).
QString formatTimestamp(qint64 msecsSinceEpoch);
std::optional<qint64> parseTimestamp(const QString &text);

// A stored chat message as it travels to devices (`message`) and in `history`.
struct ChatMessage {
    qint64 id = 0;
    QString from;
    QString to; // user name, or "#room"
    QString body;
    QString cid;
    qint64 tsMs = 0;
    QString state; // only in history, for the asking user's own direct messages: sent|delivered|read

    QJsonObject toJson() const; // {"type":"message",...}
    // Strict, as parseServerEvent() (serverevents.h) reads a `message` envelope: nullopt for anything invalid.
    static std::optional<ChatMessage> fromJson(const QJsonObject &o);
    bool operator==(const ChatMessage &) const = default;
};

struct RoomInfo {
    QString room;
    int members = 0;
    bool operator==(const RoomInfo &) const = default;
};

struct UserInfo {
    QString user;
    bool online = false;
    bool operator==(const UserInfo &) const = default;
};

// Builders for server -> client envelopes. `rid` is copied when non-null.
namespace events {
QJsonObject welcome(const QString &user, const QString &device, const QString &token);
QJsonObject sent(const QString &cid, qint64 id, qint64 tsMs);
QJsonObject error(const Error &error);
QJsonObject loggedOut();
QJsonObject joined(const QString &room, const QStringList &members);
QJsonObject left(const QString &room);
QJsonObject rooms(const QList<RoomInfo> &rooms);
QJsonObject users(const QList<UserInfo> &users);
QJsonObject history(const QString &with, const QList<ChatMessage> &messages);
QJsonObject typing(const QString &from, const QString &to);
QJsonObject read(const QString &by, const QString &with, qint64 upto);
QJsonObject member(const QString &room, const QString &user, bool joined);
QJsonObject delivered(qint64 id, const QString &by);
QJsonObject presence(const QString &user, bool online);
} // namespace events

// The `message` envelope straight to compact JSON: the same text as encode(message.toJson()), without
// building a QJsonObject (every message is encoded once per fan-out, on the server's hot path).
QByteArray encodeMessage(const ChatMessage &message);
// Appends text as a JSON string literal (quoted, escaped, UTF-8).
void appendJsonString(QByteArray &out, QStringView text);

// Adds "rid" when the request carried one.
QJsonObject withRid(QJsonObject envelope, const QString &rid, bool hasRid);
// Compact UTF-8 JSON, the form every envelope travels in.
QByteArray encode(const QJsonObject &envelope);

} // namespace natter::protocol
