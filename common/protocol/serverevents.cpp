#include "common/protocol/serverevents.h"

#include "common/protocol/envelope.h"
#include "common/protocol/fieldreader.h"
#include "common/protocol/validation.h"

#include <QJsonArray>

#include <limits>

namespace natter::protocol {

using namespace Qt::StringLiterals;

namespace {

ChatMessage message(FieldReader &r)
{
    ChatMessage m;
    m.id = r.id("id"_L1);
    m.from = r.string("from"_L1, rules::userName);
    m.to = r.string("to"_L1, rules::destination);
    m.body = r.string("body"_L1, rules::body);
    m.cid = r.string("cid"_L1, rules::cid);
    m.tsMs = r.timestamp("ts"_L1);
    const QJsonValue state = r.object().value("state"_L1);
    if (!state.isUndefined()) {
        m.state = state.toString();
        r.check(m.state == "sent"_L1 || m.state == "delivered"_L1 || m.state == "read"_L1,
                u"state must be sent, delivered or read"_s);
    }
    return m;
}

// Each element of an array field, read as an object by `read`.
template <typename T, typename Read> QList<T> objects(FieldReader &r, QLatin1StringView key, Read read)
{
    QList<T> out;
    const QJsonArray a = r.array(key);
    out.reserve(a.size());
    for (const QJsonValue &v : a) {
        if (!v.isObject()) {
            r.fail(u"field '%1' must hold objects"_s.arg(key));
            break;
        }
        const QJsonObject o = v.toObject();
        FieldReader inner(o);
        T item = read(inner);
        if (inner.failed()) {
            r.fail(u"in '%1': %2"_s.arg(key, inner.error().message));
            break;
        }
        out.append(std::move(item));
    }
    return out;
}

using Parse = ServerEventBody (*)(FieldReader &);

// One row per server envelope of docs/protocol.md.
const QHash<QString, Parse> &parsers()
{
    static const QHash<QString, Parse> table{
        {u"welcome"_s,
         [](FieldReader &r) -> ServerEventBody {
             return WelcomeEvent{r.string("user"_L1, rules::userName), r.string("device"_L1, rules::device),
                                 r.string("token"_L1, rules::nonEmpty)};
         }},
        {u"sent"_s,
         [](FieldReader &r) -> ServerEventBody {
             return SentEvent{r.string("cid"_L1, rules::cid), r.id("id"_L1), r.timestamp("ts"_L1)};
         }},
        {u"message"_s, [](FieldReader &r) -> ServerEventBody { return message(r); }},
        {u"delivered"_s,
         [](FieldReader &r) -> ServerEventBody {
             return DeliveredEvent{r.id("id"_L1), r.string("by"_L1, rules::userName)};
         }},
        {u"read"_s,
         [](FieldReader &r) -> ServerEventBody {
             return ReadEvent{r.string("by"_L1, rules::userName), r.string("with"_L1, rules::destination),
                              r.id("upto"_L1)};
         }},
        {u"typing"_s,
         [](FieldReader &r) -> ServerEventBody {
             return TypingEvent{r.string("from"_L1, rules::userName), r.string("to"_L1, rules::destination)};
         }},
        {u"presence"_s,
         [](FieldReader &r) -> ServerEventBody {
             return PresenceEvent{r.string("user"_L1, rules::userName), r.boolean("online"_L1)};
         }},
        {u"member"_s,
         [](FieldReader &r) -> ServerEventBody {
             return MemberEvent{r.string("room"_L1, rules::roomName), r.string("user"_L1, rules::userName),
                                r.boolean("joined"_L1)};
         }},
        {u"joined"_s,
         [](FieldReader &r) -> ServerEventBody {
             JoinedEvent e{r.string("room"_L1, rules::roomName), {}};
             for (const QJsonValue &m : r.array("members"_L1)) {
                 if (!r.check(m.isString() && isValidUserName(m.toString()), u"members must be user names"_s))
                     break;
                 e.members.append(m.toString());
             }
             return e;
         }},
        {u"left"_s, [](FieldReader &r) -> ServerEventBody { return LeftEvent{r.string("room"_L1, rules::roomName)}; }},
        {u"rooms"_s,
         [](FieldReader &r) -> ServerEventBody {
             return RoomsEvent{objects<RoomInfo>(r, "rooms"_L1, [](FieldReader &in) {
                 const QString name = in.string("room"_L1, rules::roomName);
                 const qint64 members = in.count("members"_L1);
                 in.check(members <= std::numeric_limits<int>::max(), u"members is too large"_s);
                 return RoomInfo{name, int(members)};
             })};
         }},
        {u"users"_s,
         [](FieldReader &r) -> ServerEventBody {
             return UsersEvent{objects<UserInfo>(r, "users"_L1, [](FieldReader &in) {
                 return UserInfo{in.string("user"_L1, rules::userName), in.boolean("online"_L1)};
             })};
         }},
        {u"history"_s,
         [](FieldReader &r) -> ServerEventBody {
             HistoryEvent e;
             e.with = r.string("with"_L1, rules::destination);
             e.messages = objects<ChatMessage>(r, "messages"_L1, message);
             return e;
         }},
        {u"logged_out"_s, [](FieldReader &) -> ServerEventBody { return LoggedOutEvent{}; }},
        {u"error"_s,
         [](FieldReader &r) -> ServerEventBody {
             const QString code = r.string("code"_L1);
             const QString text = r.string("message"_L1);
             const std::optional<ErrorCode> known = errorCodeFromName(code);
             r.check(r.failed() || known.has_value(), u"unknown error code '%1'"_s.arg(code.left(64)));
             return ErrorEvent{known.value_or(ErrorCode::Internal), text};
         }},
    };
    return table;
}

} // namespace

ParsedServerEvent parseServerEvent(const QJsonObject &o)
{
    ParsedServerEvent out;
    const std::optional<QString> head = readHead(o, out);
    if (!head)
        return out;
    const QString &type = *head;
    const Parse parse = parsers().value(type);
    if (!parse) {
        out.value = Error{ErrorCode::BadRequest, u"unknown type '%1'"_s.arg(type.left(64))};
        return out;
    }
    FieldReader r(o);
    ServerEvent event{out.rid, out.hasRid, parse(r)};
    if (r.failed())
        out.value = Error{ErrorCode::BadRequest, u"'%1': %2"_s.arg(type, r.error().message)};
    else
        out.value = std::move(event);
    return out;
}

ParsedServerEvent parseServerEvent(QByteArrayView utf8)
{
    return parseEnvelope<ParsedServerEvent>(utf8, std::numeric_limits<qsizetype>::max(),
                                            [](const QJsonObject &o) { return parseServerEvent(o); });
}

QString ServerEvent::typeName() const
{
    return toJson().value("type"_L1).toString();
}

QJsonObject ServerEvent::toJson() const
{
    QJsonObject o = std::visit(
        [](const auto &e) -> QJsonObject {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, WelcomeEvent>)
                return events::welcome(e.user, e.device, e.token);
            else if constexpr (std::is_same_v<T, SentEvent>)
                return events::sent(e.cid, e.id, e.tsMs);
            else if constexpr (std::is_same_v<T, ChatMessage>)
                return e.toJson();
            else if constexpr (std::is_same_v<T, DeliveredEvent>)
                return events::delivered(e.id, e.by);
            else if constexpr (std::is_same_v<T, ReadEvent>)
                return events::read(e.by, e.with, e.upto);
            else if constexpr (std::is_same_v<T, TypingEvent>)
                return events::typing(e.from, e.to);
            else if constexpr (std::is_same_v<T, PresenceEvent>)
                return events::presence(e.user, e.online);
            else if constexpr (std::is_same_v<T, MemberEvent>)
                return events::member(e.room, e.user, e.joined);
            else if constexpr (std::is_same_v<T, JoinedEvent>)
                return events::joined(e.room, e.members);
            else if constexpr (std::is_same_v<T, LeftEvent>)
                return events::left(e.room);
            else if constexpr (std::is_same_v<T, RoomsEvent>)
                return events::rooms(e.rooms);
            else if constexpr (std::is_same_v<T, UsersEvent>)
                return events::users(e.users);
            else if constexpr (std::is_same_v<T, HistoryEvent>)
                return events::history(e.with, e.messages);
            else if constexpr (std::is_same_v<T, LoggedOutEvent>)
                return events::loggedOut();
            else
                return events::error({e.code, e.message});
        },
        body);
    return withRid(std::move(o), rid, hasRid);
}

} // namespace natter::protocol
