#pragma once

#include "common/protocol/errors.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <variant>

namespace natter::protocol {

// Client -> server envelopes, as typed values. Parsed once at the edge.
struct RegisterRequest {
    QString user;
    QString password;
    QString device;
    bool operator==(const RegisterRequest &) const = default;
};
struct LoginRequest {
    QString user;
    QString password;
    QString device;
    bool operator==(const LoginRequest &) const = default;
};
struct ResumeRequest {
    QString token;
    QString device;
    bool operator==(const ResumeRequest &) const = default;
};
struct LogoutRequest {
    bool operator==(const LogoutRequest &) const = default;
};
struct SendRequest {
    QString to; // user name or "#room"
    QString body;
    QString cid;
    bool operator==(const SendRequest &) const = default;
};
struct AckRequest {
    QList<qint64> ids;
    bool operator==(const AckRequest &) const = default;
};
struct JoinRequest {
    QString room;
    bool operator==(const JoinRequest &) const = default;
};
struct LeaveRequest {
    QString room;
    bool operator==(const LeaveRequest &) const = default;
};
struct RoomsRequest {
    bool operator==(const RoomsRequest &) const = default;
};
struct UsersRequest {
    bool operator==(const UsersRequest &) const = default;
};
struct HistoryRequest {
    QString with; // user name or "#room"
    qint64 before = 0; // 0: newest page
    int limit = 50;
    bool operator==(const HistoryRequest &) const = default;
};
struct TypingRequest {
    QString to;
    bool operator==(const TypingRequest &) const = default;
};
struct ReadRequest {
    QString with;
    qint64 upto = 0;
    bool operator==(const ReadRequest &) const = default;
};

using RequestBody = std::variant<RegisterRequest, LoginRequest, ResumeRequest, LogoutRequest, SendRequest,
                                 AckRequest, JoinRequest, LeaveRequest, RoomsRequest, UsersRequest,
                                 HistoryRequest, TypingRequest, ReadRequest>;

struct Request {
    QString rid; // empty when the client sent none
    bool hasRid = false;
    RequestBody body;

    bool isAuthentication() const;
    QJsonObject toJson() const;
    bool operator==(const Request &) const = default;
};

// The outcome of parsing one envelope: a request, or an error that still carries the rid if one was readable.
struct ParsedRequest {
    QString rid;
    bool hasRid = false;
    std::variant<Request, Error> value;

    bool ok() const { return std::holds_alternative<Request>(value); }
    const Request &request() const { return std::get<Request>(value); }
    const Error &error() const { return std::get<Error>(value); }
};

// Parses one envelope from UTF-8 JSON text. Applies the 64 KiB limit and all field validation.
ParsedRequest parseRequest(QByteArrayView utf8);
ParsedRequest parseRequest(const QJsonObject &object);

} // namespace natter::protocol
