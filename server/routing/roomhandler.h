#pragma once

#include "common/protocol/requests.h"
#include "server/routing/context.h"
#include "server/routing/reply.h"

namespace natter::server {

class Session;

// join, leave, rooms, users; and presence: who hears that a user came online or went offline.
class RoomHandler
{
public:
    explicit RoomHandler(RouterContext &ctx) : m_ctx(ctx) {}

    void handle(Session *s, const protocol::JoinRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::LeaveRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::RoomsRequest &req, const Reply &reply);
    void handle(Session *s, const protocol::UsersRequest &req, const Reply &reply);

    // Tells a user's audience (direct contacts, room mates, those who asked for `users`).
    void announcePresence(qint64 userId, bool online);

private:
    QStringList memberNames(qint64 roomId) const;
    // Tells the room's members and the user's other sessions (all but `except`).
    void announceMember(const Session *except, qint64 userId, qint64 roomId, bool joined);

    RouterContext &m_ctx;
};

} // namespace natter::server
