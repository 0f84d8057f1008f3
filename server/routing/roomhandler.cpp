#include "server/routing/roomhandler.h"

#include "common/protocol/events.h"
#include "common/protocol/validation.h"
#include "server/routing/directory.h"
#include "server/routing/fanout.h"
#include "server/routing/session.h"
#include "server/routing/sessionregistry.h"
#include "server/storage/repository.h"
#include "server/storage/storage.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>

namespace natter::server {

using namespace Qt::StringLiterals;
using protocol::ErrorCode;
namespace events = protocol::events;

QStringList RoomHandler::memberNames(qint64 roomId) const
{
    QStringList names;
    if (const RoomEntry *room = m_ctx.directory.room(roomId)) {
        for (qint64 member : room->members) {
            if (const UserEntry *u = m_ctx.directory.user(member))
                names.append(u->name);
        }
    }
    std::sort(names.begin(), names.end(),
              [](const QString &a, const QString &b) { return protocol::nameKey(a) < protocol::nameKey(b); });
    return names;
}

void RoomHandler::announceMember(const Session *except, qint64 userId, qint64 roomId, bool joined)
{
    const RoomEntry *room = m_ctx.directory.room(roomId);
    const UserEntry *user = m_ctx.directory.user(userId);
    if (!room || !user)
        return;
    QList<qint64> audience = room->members.values();
    if (!audience.contains(user->id))
        audience.append(user->id); // the user's other devices hear it too
    m_ctx.fanout.deliverToUsers(audience, Frame(events::member(room->name, user->name, joined)), except);
}

// Joins and leaves change the directory at once, in the order requests arrive (the order the database
// sees too): a request right behind them, on any connection, already sees the new membership. The reply
// and the member events wait for the commit; a failed commit undoes the change.
void RoomHandler::handle(Session *s, const protocol::JoinRequest &req, const Reply &reply)
{
    const qint64 me = s->routing().identity().userId;
    const RoomEntry *room = m_ctx.directory.roomByName(req.room);
    if (room && room->members.contains(me)) {
        reply.send(events::joined(room->name, memberNames(room->id)));
        return;
    }
    const bool created = !room;
    const qint64 roomId = created ? m_ctx.directory.nextRoomId() : room->id;
    if (created)
        m_ctx.directory.addRoom(roomId, req.room);
    m_ctx.directory.addMember(roomId, me);
    QPointer<Session> session(s);
    m_ctx.storage.submit(
        m_ctx.owner,
        [created, roomId, name = req.room, me](Repository &repo) {
            if (created)
                repo.createRoom(roomId, name, QDateTime::currentMSecsSinceEpoch());
            repo.addMember(roomId, me);
        },
        [this, session, created, roomId, me, reply](bool ok) {
            if (!ok) {
                m_ctx.directory.removeMember(roomId, me);
                if (created)
                    m_ctx.directory.removeRoom(roomId);
                reply.error(ErrorCode::Internal, u"the server could not store the membership"_s);
                return;
            }
            const RoomEntry *room = m_ctx.directory.room(roomId);
            if (!room)
                return;
            reply.send(events::joined(room->name, memberNames(roomId)));
            announceMember(session.data(), me, roomId, true);
        });
}

void RoomHandler::handle(Session *s, const protocol::LeaveRequest &req, const Reply &reply)
{
    const RoomEntry *room = m_ctx.directory.roomByName(req.room);
    if (!room) {
        reply.error(ErrorCode::NotFound, u"no room %1"_s.arg(req.room));
        return;
    }
    const qint64 me = s->routing().identity().userId;
    if (!room->members.contains(me)) {
        reply.send(events::left(room->name));
        return;
    }
    const qint64 roomId = room->id;
    m_ctx.directory.removeMember(roomId, me);
    QPointer<Session> session(s);
    m_ctx.storage.submit(
        m_ctx.owner, [roomId, me](Repository &repo) { repo.removeMember(roomId, me); },
        [this, session, roomId, me, reply](bool ok) {
            if (!ok) {
                m_ctx.directory.addMember(roomId, me);
                reply.error(ErrorCode::Internal, u"the server could not store the membership"_s);
                return;
            }
            reply.send(events::left(m_ctx.directory.room(roomId)->name));
            announceMember(session.data(), me, roomId, false);
        });
}

void RoomHandler::handle(Session *, const protocol::RoomsRequest &, const Reply &reply)
{
    QList<protocol::RoomInfo> rooms;
    for (const RoomEntry *room : m_ctx.directory.rooms())
        rooms.append({room->name, int(room->members.size())});
    reply.send(events::rooms(rooms));
}

void RoomHandler::handle(Session *s, const protocol::UsersRequest &, const Reply &reply)
{
    s->routing().watchPresence();
    QList<protocol::UserInfo> users;
    for (const UserEntry *user : m_ctx.directory.users())
        users.append({user->name, m_ctx.registry.isOnline(user->id)});
    reply.send(events::users(users));
}

void RoomHandler::announcePresence(qint64 userId, bool online)
{
    const UserEntry *user = m_ctx.directory.user(userId);
    if (!user)
        return;
    // Direct contacts and room mates; then those who asked for `users`, unless they heard it as one of these.
    QSet<qint64> audience = user->contacts;
    for (qint64 roomId : user->rooms) {
        if (const RoomEntry *room = m_ctx.directory.room(roomId))
            audience.unite(room->members);
    }
    audience.remove(userId);
    const Frame frame(events::presence(user->name, online));
    QList<qint64> users = audience.values();
    std::sort(users.begin(), users.end());
    m_ctx.fanout.deliverToUsers(users, frame);
    users.append(userId);
    m_ctx.fanout.deliverToPresenceWatchers(frame, users);
}

} // namespace natter::server
