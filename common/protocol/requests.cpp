#include "common/protocol/requests.h"

#include "common/protocol/envelope.h"
#include "common/protocol/fieldreader.h"
#include "common/protocol/validation.h"

#include <QJsonArray>

namespace natter::protocol {

namespace {

using namespace Qt::StringLiterals;

template <typename T> std::variant<Request, Error> finish(const FieldReader &r, T &&body)
{
    if (r.failed())
        return r.error();
    Request req;
    req.body = std::forward<T>(body);
    return req;
}

std::variant<Request, Error> parseBody(const QString &type, const QJsonObject &o)
{
    FieldReader r(o);
    // Fields are read in the order written, so the first one that is wrong is the one reported.
    if (type == "register"_L1)
        return finish(r, RegisterRequest{r.string("user"_L1, rules::userName), r.string("password"_L1, rules::password),
                                         r.string("device"_L1, rules::device)});
    if (type == "login"_L1)
        return finish(r, LoginRequest{r.string("user"_L1, rules::userName), r.string("password"_L1, rules::password),
                                      r.string("device"_L1, rules::device)});
    if (type == "resume"_L1)
        return finish(r, ResumeRequest{r.string("token"_L1, rules::nonEmpty), r.string("device"_L1, rules::device)});
    if (type == "logout"_L1)
        return finish(r, LogoutRequest{});
    if (type == "send"_L1)
        return finish(r, SendRequest{r.string("to"_L1, rules::destination), r.string("body"_L1, rules::body),
                                     r.string("cid"_L1, rules::cid)});
    if (type == "ack"_L1)
        return finish(r, AckRequest{r.ids("ids"_L1)});
    if (type == "join"_L1)
        return finish(r, JoinRequest{r.string("room"_L1, rules::roomName)});
    if (type == "leave"_L1)
        return finish(r, LeaveRequest{r.string("room"_L1, rules::roomName)});
    if (type == "rooms"_L1)
        return finish(r, RoomsRequest{});
    if (type == "users"_L1)
        return finish(r, UsersRequest{});
    if (type == "history"_L1) {
        HistoryRequest b{r.string("with"_L1, rules::destination), r.id("before"_L1, false), kDefaultHistoryLimit};
        const QJsonValue limit = o.value("limit"_L1);
        if (!limit.isUndefined() && !limit.isNull()) {
            qint64 l = 0;
            if (r.check(FieldReader::toId(limit, &l) && l <= kMaxHistoryLimit, u"limit must be 1-200"_s))
                b.limit = int(l);
        }
        return finish(r, std::move(b));
    }
    if (type == "typing"_L1)
        return finish(r, TypingRequest{r.string("to"_L1, rules::destination)});
    if (type == "read"_L1)
        return finish(r, ReadRequest{r.string("with"_L1, rules::destination), r.id("upto"_L1)});
    return Error{ErrorCode::BadRequest, u"unknown type '%1'"_s.arg(type.left(64))};
}

} // namespace

bool Request::isAuthentication() const
{
    return std::holds_alternative<RegisterRequest>(body) || std::holds_alternative<LoginRequest>(body) ||
           std::holds_alternative<ResumeRequest>(body);
}

ParsedRequest parseRequest(const QJsonObject &o)
{
    ParsedRequest out;
    const std::optional<QString> type = readHead(o, out);
    if (!type)
        return out;
    out.value = parseBody(*type, o);
    if (auto *req = std::get_if<Request>(&out.value)) {
        req->rid = out.rid;
        req->hasRid = out.hasRid;
    }
    return out;
}

ParsedRequest parseRequest(QByteArrayView utf8)
{
    return parseEnvelope<ParsedRequest>(utf8, kMaxEnvelopeBytes, [](const QJsonObject &o) { return parseRequest(o); });
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
            } else if constexpr (std::is_same_v<T, JoinRequest> || std::is_same_v<T, LeaveRequest>) {
                o.insert("type"_L1, std::is_same_v<T, JoinRequest> ? u"join"_s : u"leave"_s);
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
