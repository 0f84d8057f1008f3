#include "common/protocol/requests.h"

#include "common/protocol/envelope.h"
#include "common/protocol/fieldreader.h"
#include "common/protocol/validation.h"

#include <QJsonArray>

namespace natter::protocol {

namespace {

using namespace Qt::StringLiterals;

Error badRequest(const QString &message)
{
    return Error{ErrorCode::BadRequest, message};
}

using Reader = FieldReader;

template <typename T>
std::variant<Request, Error> finish(Reader &r, T &&body)
{
    if (r.failed())
        return r.error();
    Request req;
    req.body = std::forward<T>(body);
    return req;
}

std::variant<Request, Error> parseCredentials(Reader &r, bool isRegister)
{
    const QString user = r.string("user"_L1);
    const QString password = r.string("password"_L1);
    const QString device = r.string("device"_L1);
    if (r.failed())
        return r.error();
    if (!isValidUserName(user))
        return badRequest(u"user names are 1-32 of A-Z a-z 0-9 _ . -"_s);
    if (password.isEmpty() || password.size() > kMaxPasswordLength)
        return badRequest(u"password must be 1-1024 characters"_s);
    if (!isValidDevice(device))
        return badRequest(u"device must be 1-64 characters from '!' to '~'"_s);
    Request req;
    if (isRegister)
        req.body = RegisterRequest{user, password, device};
    else
        req.body = LoginRequest{user, password, device};
    return req;
}

std::variant<Request, Error> parseBody(const QString &type, const QJsonObject &o)
{
    Reader r(o);
    if (type == "register"_L1)
        return parseCredentials(r, true);
    if (type == "login"_L1)
        return parseCredentials(r, false);
    if (type == "resume"_L1) {
        ResumeRequest b{r.string("token"_L1), r.string("device"_L1)};
        if (!r.failed() && b.token.isEmpty())
            r.fail(u"token must not be empty"_s);
        if (!r.failed() && !isValidDevice(b.device))
            r.fail(u"device must be 1-64 characters from '!' to '~'"_s);
        return finish(r, std::move(b));
    }
    if (type == "logout"_L1)
        return finish(r, LogoutRequest{});
    if (type == "send"_L1) {
        SendRequest b{r.string("to"_L1), r.string("body"_L1), r.string("cid"_L1)};
        if (!r.failed() && !isValidDestination(b.to))
            r.fail(u"'to' must be a user name or #room"_s);
        if (!r.failed() && !isValidBody(b.body))
            r.fail(u"body must be 1 to 8000 characters"_s);
        if (!r.failed() && !isValidCid(b.cid))
            r.fail(u"cid must be 1-128 characters"_s);
        return finish(r, std::move(b));
    }
    if (type == "ack"_L1) {
        const QJsonValue v = o.value("ids"_L1);
        AckRequest b;
        if (!v.isArray()) {
            r.fail(u"field 'ids' must be an array of message ids"_s);
        } else {
            const QJsonArray a = v.toArray();
            b.ids.reserve(a.size());
            for (const QJsonValue &e : a) {
                qint64 id = 0;
                if (!Reader::toId(e, &id)) {
                    r.fail(u"field 'ids' must hold positive integers"_s);
                    break;
                }
                b.ids.append(id);
            }
        }
        return finish(r, std::move(b));
    }
    if (type == "join"_L1 || type == "leave"_L1) {
        const QString room = r.string("room"_L1);
        if (!r.failed() && !isValidRoomName(room))
            r.fail(u"room names are '#' and 1-32 of A-Z a-z 0-9 _ . -"_s);
        if (type == "join"_L1)
            return finish(r, JoinRequest{room});
        return finish(r, LeaveRequest{room});
    }
    if (type == "rooms"_L1)
        return finish(r, RoomsRequest{});
    if (type == "users"_L1)
        return finish(r, UsersRequest{});
    if (type == "history"_L1) {
        HistoryRequest b;
        b.with = r.string("with"_L1);
        if (!r.failed() && !isValidDestination(b.with))
            r.fail(u"'with' must be a user name or #room"_s);
        b.before = r.id("before"_L1, false);
        const QJsonValue limit = o.value("limit"_L1);
        if (!limit.isUndefined() && !limit.isNull()) {
            qint64 l = 0;
            if (!Reader::toId(limit, &l) || l > kMaxHistoryLimit)
                r.fail(u"limit must be 1-200"_s);
            else
                b.limit = int(l);
        }
        return finish(r, std::move(b));
    }
    if (type == "typing"_L1) {
        TypingRequest b{r.string("to"_L1)};
        if (!r.failed() && !isValidDestination(b.to))
            r.fail(u"'to' must be a user name or #room"_s);
        return finish(r, std::move(b));
    }
    if (type == "read"_L1) {
        ReadRequest b;
        b.with = r.string("with"_L1);
        if (!r.failed() && !isValidDestination(b.with))
            r.fail(u"'with' must be a user name or #room"_s);
        b.upto = r.id("upto"_L1, true);
        return finish(r, std::move(b));
    }
    return badRequest(u"unknown type '%1'"_s.arg(type.left(64)));
}

} // namespace

bool Request::isAuthentication() const
{
    return std::holds_alternative<RegisterRequest>(body) || std::holds_alternative<LoginRequest>(body)
        || std::holds_alternative<ResumeRequest>(body);
}

ParsedRequest parseRequest(const QJsonObject &o)
{
    ParsedRequest out;
    const Rid rid = readRid(o);
    out.rid = rid.value;
    out.hasRid = rid.present;
    const QJsonValue type = o.value("type"_L1);
    if (!type.isString()) {
        out.value = badRequest(type.isUndefined() ? u"missing field 'type'"_s : u"field 'type' must be a string"_s);
        return out;
    }
    out.value = parseBody(type.toString(), o);
    if (auto *req = std::get_if<Request>(&out.value)) {
        req->rid = out.rid;
        req->hasRid = out.hasRid;
    }
    return out;
}

ParsedRequest parseRequest(QByteArrayView utf8)
{
    Rid rid;
    auto object = parseEnvelopeText(utf8, kMaxEnvelopeBytes, &rid);
    if (auto *error = std::get_if<Error>(&object)) {
        ParsedRequest out;
        out.rid = rid.value;
        out.hasRid = rid.present;
        out.value = std::move(*error);
        return out;
    }
    return parseRequest(std::get<QJsonObject>(object));
}

QJsonObject Request::toJson() const
{
    QJsonObject o;
    std::visit(
        [&o](const auto &b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, RegisterRequest> || std::is_same_v<T, LoginRequest>) {
                o.insert("type"_L1, std::is_same_v<T, RegisterRequest> ? u"register"_s : u"login"_s);
                o.insert("user"_L1, b.user);
                o.insert("password"_L1, b.password);
                o.insert("device"_L1, b.device);
            } else if constexpr (std::is_same_v<T, ResumeRequest>) {
                o.insert("type"_L1, u"resume"_s);
                o.insert("token"_L1, b.token);
                o.insert("device"_L1, b.device);
            } else if constexpr (std::is_same_v<T, LogoutRequest>) {
                o.insert("type"_L1, u"logout"_s);
            } else if constexpr (std::is_same_v<T, SendRequest>) {
                o.insert("type"_L1, u"send"_s);
                o.insert("to"_L1, b.to);
                o.insert("body"_L1, b.body);
                o.insert("cid"_L1, b.cid);
            } else if constexpr (std::is_same_v<T, AckRequest>) {
                o.insert("type"_L1, u"ack"_s);
                QJsonArray ids;
                for (qint64 id : b.ids)
                    ids.append(id);
                o.insert("ids"_L1, ids);
            } else if constexpr (std::is_same_v<T, JoinRequest>) {
                o.insert("type"_L1, u"join"_s);
                o.insert("room"_L1, b.room);
            } else if constexpr (std::is_same_v<T, LeaveRequest>) {
                o.insert("type"_L1, u"leave"_s);
                o.insert("room"_L1, b.room);
            } else if constexpr (std::is_same_v<T, RoomsRequest>) {
                o.insert("type"_L1, u"rooms"_s);
            } else if constexpr (std::is_same_v<T, UsersRequest>) {
                o.insert("type"_L1, u"users"_s);
            } else if constexpr (std::is_same_v<T, HistoryRequest>) {
                o.insert("type"_L1, u"history"_s);
                o.insert("with"_L1, b.with);
                if (b.before > 0)
                    o.insert("before"_L1, b.before);
                o.insert("limit"_L1, b.limit);
            } else if constexpr (std::is_same_v<T, TypingRequest>) {
                o.insert("type"_L1, u"typing"_s);
                o.insert("to"_L1, b.to);
            } else if constexpr (std::is_same_v<T, ReadRequest>) {
                o.insert("type"_L1, u"read"_s);
                o.insert("with"_L1, b.with);
                o.insert("upto"_L1, b.upto);
            }
        },
        body);
    if (hasRid)
        o.insert("rid"_L1, rid);
    return o;
}

} // namespace natter::protocol
