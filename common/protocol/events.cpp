#include "common/protocol/events.h"

#include "common/protocol/serverevents.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace natter::protocol {

using namespace Qt::StringLiterals;

QString formatTimestamp(qint64 ms)
{
    // Qt::UTC, not QTimeZone::UTC (Qt 6.5+): this spec also makes ISODate end in 'Z'.
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> parseTimestamp(const QString &text)
{
    const QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    return dt.toMSecsSinceEpoch();
}

QJsonObject ChatMessage::toJson() const
{
    QJsonObject o{{"type"_L1, u"message"_s}, {"id"_L1, id},     {"from"_L1, from},
                  {"to"_L1, to},             {"body"_L1, body}, {"ts"_L1, formatTimestamp(tsMs)},
                  {"cid"_L1, cid}};
    if (!state.isEmpty())
        o.insert("state"_L1, state);
    return o;
}

std::optional<ChatMessage> ChatMessage::fromJson(const QJsonObject &o)
{
    const ParsedServerEvent parsed = parseServerEvent(o);
    if (!parsed.ok())
        return std::nullopt;
    if (const auto *m = std::get_if<ChatMessage>(&parsed.event().body))
        return *m;
    return std::nullopt;
}

namespace events {

QJsonObject welcome(const QString &user, const QString &device, const QString &token)
{
    return {{"type"_L1, u"welcome"_s}, {"user"_L1, user}, {"device"_L1, device}, {"token"_L1, token}};
}

QJsonObject sent(const QString &cid, qint64 id, qint64 tsMs)
{
    return {{"type"_L1, u"sent"_s}, {"cid"_L1, cid}, {"id"_L1, id}, {"ts"_L1, formatTimestamp(tsMs)}};
}

QJsonObject error(const Error &error)
{
    return {{"type"_L1, u"error"_s}, {"code"_L1, errorCodeName(error.code)}, {"message"_L1, error.message}};
}

QJsonObject loggedOut()
{
    return {{"type"_L1, u"logged_out"_s}};
}

QJsonObject joined(const QString &room, const QStringList &members)
{
    return {{"type"_L1, u"joined"_s}, {"room"_L1, room}, {"members"_L1, QJsonArray::fromStringList(members)}};
}

QJsonObject left(const QString &room)
{
    return {{"type"_L1, u"left"_s}, {"room"_L1, room}};
}

QJsonObject rooms(const QList<RoomInfo> &rooms)
{
    QJsonArray a;
    for (const RoomInfo &r : rooms)
        a.append(QJsonObject{{"room"_L1, r.room}, {"members"_L1, r.members}});
    return {{"type"_L1, u"rooms"_s}, {"rooms"_L1, a}};
}

QJsonObject users(const QList<UserInfo> &users)
{
    QJsonArray a;
    for (const UserInfo &u : users)
        a.append(QJsonObject{{"user"_L1, u.user}, {"online"_L1, u.online}});
    return {{"type"_L1, u"users"_s}, {"users"_L1, a}};
}

QJsonObject history(const QString &with, const QList<ChatMessage> &messages)
{
    QJsonArray a;
    for (const ChatMessage &m : messages)
        a.append(m.toJson());
    return {{"type"_L1, u"history"_s}, {"with"_L1, with}, {"messages"_L1, a}};
}

QJsonObject typing(const QString &from, const QString &to)
{
    return {{"type"_L1, u"typing"_s}, {"from"_L1, from}, {"to"_L1, to}};
}

QJsonObject read(const QString &by, const QString &with, qint64 upto)
{
    return {{"type"_L1, u"read"_s}, {"by"_L1, by}, {"with"_L1, with}, {"upto"_L1, upto}};
}

QJsonObject member(const QString &room, const QString &user, bool joined)
{
    return {{"type"_L1, u"member"_s}, {"room"_L1, room}, {"user"_L1, user}, {"joined"_L1, joined}};
}

QJsonObject delivered(qint64 id, const QString &by)
{
    return {{"type"_L1, u"delivered"_s}, {"id"_L1, id}, {"by"_L1, by}};
}

QJsonObject presence(const QString &user, bool online)
{
    return {{"type"_L1, u"presence"_s}, {"user"_L1, user}, {"online"_L1, online}};
}

} // namespace events

namespace {

constexpr char kHex[] = "0123456789abcdef";

// UTF-8 text with JSON's escapes, as QJsonDocument writes them.
void appendEscapedUtf8(QByteArray &out, const QByteArray &utf8)
{
    for (char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out += kHex[u >> 4];
                out += kHex[u & 0xf];
            } else {
                out += c;
            }
        }
    }
}

} // namespace

void appendJsonString(QByteArray &out, QStringView text)
{
    out += '"';
    // A lone surrogate has no UTF-8 form (toUtf8() would write '?'): QJsonDocument writes it as a \uXXXX
    // escape, and so does this, so that a client reads back the text it sent.
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!c.isSurrogate())
            continue;
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            ++i;
            continue;
        }
        appendEscapedUtf8(out, text.sliced(start, i - start).toUtf8());
        const char16_t u = c.unicode();
        out += "\\u";
        out += kHex[(u >> 12) & 0xf];
        out += kHex[(u >> 8) & 0xf];
        out += kHex[(u >> 4) & 0xf];
        out += kHex[u & 0xf];
        start = i + 1;
    }
    appendEscapedUtf8(out, text.sliced(start).toUtf8());
    out += '"';
}

QByteArray encodeMessage(const ChatMessage &m)
{
    // Keys in the order QJsonDocument writes them (sorted), so both encodings give the same text.
    QByteArray out;
    out.reserve(128 + m.body.size() * 3);
    out += "{\"body\":";
    appendJsonString(out, m.body);
    out += ",\"cid\":";
    appendJsonString(out, m.cid);
    out += ",\"from\":";
    appendJsonString(out, m.from);
    out += ",\"id\":";
    out += QByteArray::number(m.id);
    if (!m.state.isEmpty()) {
        out += ",\"state\":";
        appendJsonString(out, m.state);
    }
    out += ",\"to\":";
    appendJsonString(out, m.to);
    out += ",\"ts\":";
    appendJsonString(out, formatTimestamp(m.tsMs));
    out += ",\"type\":\"message\"}";
    return out;
}

QJsonObject withRid(QJsonObject envelope, const QString &rid, bool hasRid)
{
    if (hasRid)
        envelope.insert("rid"_L1, rid);
    return envelope;
}

QByteArray encode(const QJsonObject &envelope)
{
    return QJsonDocument(envelope).toJson(QJsonDocument::Compact);
}

} // namespace natter::protocol
