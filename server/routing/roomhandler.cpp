#include "routing/roomhandler.h"

#include "protocol/events.h"
#include "protocol/validation.h"
#include "routing/directory.h"
#include "routing/session.h"
#include "routing/sessionregistry.h"
#include "storage/repository.h"
#include "storage/storage.h"

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

void RoomHandler::announceMember(Session *s, qint64 roomId, bool joined)
{
    const RoomEntry *room = m_ctx.directory.room(roomId);
    const UserEntry *user = m_ctx.directory.user(s->identity().userId);
    if (!room || !user)
        return;
    QList<qint64> audience = room->members.values();
    if (!audience.contains(user->id))
        audience.append(user->id); // the user's other devices hear it too
    m_ctx.registry.deliverToUsers(audience, Frame(events::member(room->name, user->name, joined)), s);
}

void RoomHandler::handle(Session *s, const protocol::JoinRequest &req, const Reply &reply)
{
    const qint64 me = s->identity().userId;
    if (const RoomEntry *room = m_ctx.directory.roomByName(req.room); room && room->members.contains(me)) {
        reply.send(events::joined(room->name, memberNames(room->id)));
        return;
    }
    QPointer<Session> session(s);
    m_ctx.storage.call<qint64>(
        m_ctx.owner,
        [name = req.room, me](Repository &repo) {
            const qint64 roomId = repo.ensureRoom(name, QDateTime::currentMSecsSinceEpoch());
            if (roomId != 0)
                repo.addMember(roomId, me);
            return roomId;
        },
        [this, session, name = req.room, me, reply](bool ok, qint64 roomId) {
            if (!ok || roomId == 0) {
                reply.error(ErrorCode::Internal, u"the server could not store the membership"_s);
                return;
            }
            if (!m_ctx.directory.room(roomId))
                m_ctx.directory.addRoom(roomId, name);
            const bool added = m_ctx.directory.addMember(roomId, me);
            reply.send(events::joined(m_ctx.directory.room(roomId)->name, memberNames(roomId)));
            if (added && session)
                announceMember(session, roomId, true);
        });
}

void RoomHandler::handle(Session *s, const protocol::LeaveRequest &req, const Reply &reply)
{
    const RoomEntry *room = m_ctx.directory.roomByName(req.room);
    if (!room) {
        reply.error(ErrorCode::NotFound, u"no room %1"_s.arg(req.room));
        return;
    }
    const qint64 me = s->identity().userId;
    if (!room->members.contains(me)) {
        reply.send(events::left(room->name));
        return;
    }
    QPointer<Session> session(s);
    const qint64 roomId = room->id;
    m_ctx.storage.submit(
        m_ctx.owner, [roomId, me](Repository &repo) { repo.removeMember(roomId, me); },
        [this, session, roomId, me, reply](bool ok) {
            if (!ok) {
                reply.error(ErrorCode::Internal, u"the server could not store the membership"_s);
                return;
            }
            const bool removed = m_ctx.directory.removeMember(roomId, me);
            reply.send(events::left(m_ctx.directory.room(roomId)->name));
            if (removed && session)
                announceMember(session, roomId, false);
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
    s->setWatchesPresence(true);
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
    QSet<Session *> audience;
    auto addUser = [&](qint64 other) {
        if (other == userId)
            return;
        for (Session *s : m_ctx.registry.sessionsOfUser(other))
            audience.insert(s);
    };
    for (qint64 contact : user->contacts)
        addUser(contact);
    for (qint64 roomId : user->rooms) {
        if (const RoomEntry *room = m_ctx.directory.room(roomId)) {
            for (qint64 member : room->members)
                addUser(member);
        }
    }
    for (Session *s : m_ctx.registry.presenceWatchers()) {
        if (s->identity().userId != userId)
            audience.insert(s);
    }
    if (audience.isEmpty())
        return;
    const Frame frame(events::presence(user->name, online));
    for (Session *s : std::as_const(audience))
        SessionRegistry::deliver(s, frame);
}

} // namespace natter::server
