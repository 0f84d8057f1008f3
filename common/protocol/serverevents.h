#pragma once

#include "common/protocol/errors.h"
#include "common/protocol/events.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <variant>

namespace natter::protocol {

// Server -> client envelopes as typed values: what every client (the client core, natter-cli through it,
// natter-bench) receives, parsed once at its edge by parseServerEvent(). The server writes them with the
// builders of events.h; ServerEvent::toJson() uses the same builders, so each envelope has one encoding.
struct WelcomeEvent {
    QString user;
    QString device;
    QString token;
    bool operator==(const WelcomeEvent &) const = default;
};
struct SentEvent {
    QString cid;
    qint64 id = 0;
    qint64 tsMs = 0;
    bool operator==(const SentEvent &) const = default;
};
// `message` is a ChatMessage (events.h).
struct DeliveredEvent {
    qint64 id = 0;
    QString by;
    bool operator==(const DeliveredEvent &) const = default;
};
struct ReadEvent {
    QString by;
    QString with;
    qint64 upto = 0;
    bool operator==(const ReadEvent &) const = default;
};
struct TypingEvent {
    QString from;
    QString to;
    bool operator==(const TypingEvent &) const = default;
};
struct PresenceEvent {
    QString user;
    bool online = false;
    bool operator==(const PresenceEvent &) const = default;
};
struct MemberEvent {
    QString room;
    QString user;
    bool joined = false;
    bool operator==(const MemberEvent &) const = default;
};
struct JoinedEvent {
    QString room;
    QStringList members;
    bool operator==(const JoinedEvent &) const = default;
};
struct LeftEvent {
    QString room;
    bool operator==(const LeftEvent &) const = default;
};
struct RoomsEvent {
    QList<RoomInfo> rooms;
    bool operator==(const RoomsEvent &) const = default;
};
struct UsersEvent {
    QList<UserInfo> users;
    bool operator==(const UsersEvent &) const = default;
};
struct HistoryEvent {
    QString with;
    QList<ChatMessage> messages;
    bool operator==(const HistoryEvent &) const = default;
};
struct LoggedOutEvent {
    bool operator==(const LoggedOutEvent &) const = default;
};
struct ErrorEvent {
    ErrorCode code = ErrorCode::Internal;
    QString message;
    bool operator==(const ErrorEvent &) const = default;
};

using ServerEventBody =
    std::variant<WelcomeEvent, SentEvent, ChatMessage, DeliveredEvent, ReadEvent, TypingEvent, PresenceEvent,
                 MemberEvent, JoinedEvent, LeftEvent, RoomsEvent, UsersEvent, HistoryEvent, LoggedOutEvent, ErrorEvent>;

struct ServerEvent {
    QString rid; // the rid of the request this answers, when it carried one
    bool hasRid = false;
    ServerEventBody body;

    // The envelope's "type", for logs.
    QString typeName() const;
    QJsonObject toJson() const;
    bool operator==(const ServerEvent &) const = default;
};

// The outcome of parsing one server envelope: the event, or why it breaks the contract.
struct ParsedServerEvent {
    QString rid;
    bool hasRid = false;
    std::variant<ServerEvent, Error> value;

    bool ok() const { return std::holds_alternative<ServerEvent>(value); }
    const ServerEvent &event() const { return std::get<ServerEvent>(value); }
    const Error &error() const { return std::get<Error>(value); }
};

// As strict as parseRequest(): a missing or ill-typed field, an invalid name, id or timestamp, an unknown
// error code or an unknown type is an error, never a default value. No size limit: a history page may be
// larger than the 64 KiB that requests are held to.
ParsedServerEvent parseServerEvent(QByteArrayView utf8);
ParsedServerEvent parseServerEvent(const QJsonObject &object);

} // namespace natter::protocol
